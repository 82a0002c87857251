"""training_runs/architectures.py: the committed table holds torchvision's numbers."""

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]

# torchvision's model documentation: parameters and GFLOPS (its GFLOPS are mult-adds) at 224 x 224
TORCHVISION = {
    "AlexNet": (61_100_840, 0.71),
    "VGG-11": (132_863_336, 7.61),
    "VGG-16": (138_357_544, 15.47),
    "VGG-19": (143_667_240, 19.63),
    "GoogLeNet": (6_624_904, 1.50),
    "ResNet-18": (11_689_512, 1.81),
    "ResNet-34": (21_797_672, 3.66),
    "ResNet-50": (25_557_032, 4.09),
    "DenseNet-121": (7_978_856, 2.83),
}


def test_committed_table_has_torchvisions_parameters_and_mult_adds():
    table = pd.read_csv(ROOT / "training_runs/runs/architectures/architectures.csv").set_index("model")
    assert list(table.index) == list(TORCHVISION)
    for model, (parameters, gmacs) in TORCHVISION.items():
        assert table.loc[model, "parameters"] == parameters
        assert round(table.loc[model, "mult_adds"] / 1e9, 2) == pytest.approx(gmacs)


def test_quick_mode_recomputes_the_committed_rows(tmp_path):
    pytest.importorskip("torch")
    from tests.training_scripts import quick_train_here

    out = quick_train_here("architectures.py", tmp_path / "arch")
    quick = pd.read_csv(out / "architectures.csv")
    committed = pd.read_csv(ROOT / "training_runs/runs/architectures/architectures.csv")
    pd.testing.assert_frame_equal(quick, committed[committed["model"].isin(quick["model"])].reset_index(drop=True))
