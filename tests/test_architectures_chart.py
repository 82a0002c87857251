"""vk.architectures: parameters against mult-adds (or depth) of architectures, markers sized by depth."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import ColumnNotFoundError, VizkitTypeError, VizkitValueError
from vizkit.ml import ArchitecturesDisplay

TABLE = pd.read_csv(Path(__file__).resolve().parents[1] / "training_runs/runs/architectures/architectures.csv")


def test_draws_one_marker_per_model_where_the_table_puts_it():
    fig, ax = plt.subplots()
    vk.architectures(TABLE, ax=ax)
    drawn = vk.plotted_data(ax)
    assert drawn["model"].tolist() == TABLE["model"].tolist()
    points = np.vstack([collection.get_offsets() for collection in ax.collections])
    expected = TABLE[["mult_adds", "parameters"]].to_numpy(float)
    assert sorted(map(tuple, points)) == sorted(map(tuple, expected))
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert {text.get_text() for text in ax.texts} >= set(TABLE["model"])
    assert len(ax.lines) == 2                                            # VGG and ResNet join their members
    plt.close(fig)


def test_marker_area_grows_with_depth():
    drawn = ArchitecturesDisplay.from_table(TABLE).table.set_index("model")
    assert drawn.loc["DenseNet-121", "size"] > drawn.loc["ResNet-50", "size"] > drawn.loc["AlexNet", "size"]


def test_findings_name_the_largest_smallest_and_deepest():
    found = ArchitecturesDisplay.from_table(TABLE)
    assert (found.largest_, found.smallest_, found.deepest_) == ("VGG-19", "GoogLeNet", "DenseNet-121")


def test_without_mult_adds_depth_goes_on_the_x_axis():
    fig, ax = plt.subplots()
    vk.architectures(TABLE.drop(columns="mult_adds"), ax=ax)
    assert ax.get_xlabel().startswith("Depth")
    points = np.vstack([collection.get_offsets() for collection in ax.collections])
    assert sorted(points[:, 0]) == sorted(TABLE["depth"])
    plt.close(fig)


def test_bad_tables_are_named():
    with pytest.raises(ColumnNotFoundError, match="depth"):
        vk.architectures(TABLE.drop(columns="depth"))
    with pytest.raises(VizkitValueError, match="parameters"):
        vk.architectures(TABLE.assign(parameters=0))
    with pytest.raises(VizkitValueError, match="at least one model"):
        vk.architectures(TABLE.iloc[:0])
    with pytest.raises(VizkitTypeError, match="data"):
        vk.architectures(None)
