"""The error layer: wording, hints, data resolution, Axes targeting, plotted_data."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from vizkit import _core
from vizkit.errors import ColumnNotFoundError, VizkitError, VizkitTypeError, VizkitValueError


def test_errors_are_builtin_subclasses():
    assert issubclass(VizkitValueError, ValueError)
    assert issubclass(VizkitTypeError, TypeError)
    assert issubclass(ColumnNotFoundError, VizkitValueError)
    assert issubclass(vk.errors.MissingDependencyError, ImportError)


def test_missing_column_names_argument_columns_and_close_match():
    df = pd.DataFrame({"epoch": [1], "loss": [0.5], "val_loss": [0.6]})
    with pytest.raises(ColumnNotFoundError) as info:
        _core.tidy(df, x="epoch", y="val_acc")
    assert str(info.value) == (
        "`y` names a column that is not in `data`: 'val_acc'. "
        "Columns: 'epoch', 'loss', 'val_loss'. Did you mean 'val_loss'?"
    )
    assert info.value.argument == "y" and info.value.columns == ["epoch", "loss", "val_loss"]


def test_case_slip_is_suggested():
    with pytest.raises(VizkitValueError, match=r"Did you mean 'Loss'\?"):
        _core.resolve_column("y", pd.DataFrame({"Loss": [1]}), "loss")


def test_bad_type_wording_matches_conventions():
    with pytest.raises(VizkitTypeError) as info:
        _core.check_number("every", 2.5, integer=True, low=1)
    assert str(info.value) == "`every` must be an int >= 1; got 2.5 (float)."


@pytest.mark.parametrize("value", [True, "3", None, [1], np.nan, float("inf")])
def test_check_number_refuses_non_numbers(value):
    with pytest.raises(VizkitError, match="`n`"):
        _core.check_number("n", value)


def test_check_number_range_and_numpy_scalars():
    assert _core.check_number("n", np.int64(3), integer=True, low=1) == 3
    assert _core.check_number("p", np.float32(0.5), low=0, high=1) == 0.5
    with pytest.raises(VizkitValueError, match=r"`p` must be a number > 0 and <= 1; got 0 \(int\)"):
        _core.check_number("p", 0, low=0, low_open=True, high=1)


def test_check_choice_and_aliases():
    assert _core.check_choice("kind", "deutan", ["deuteranomaly"], aliases={"deutan": "deuteranomaly"}) == "deuteranomaly"
    with pytest.raises(VizkitValueError, match="`kind` must be one of 'a', 'b'; got"):
        _core.check_choice("kind", ["unhashable"], ["a", "b"])


def test_check_color():
    assert _core.check_color("color", "C0")[:3] == pytest.approx((0.122, 0.467, 0.706), abs=1e-3)
    with pytest.raises(VizkitValueError, match=r"^`color` must be a Matplotlib colour .*; got 'notacolour' \(str\)\.$"):
        _core.check_color("color", "notacolour")


def test_tidy_mixes_columns_and_vectors_and_keeps_names():
    df = pd.DataFrame({"a": [1, 2, 3]})
    table = _core.tidy(df, x="a", y=np.array([4, 5, 6]), hue=None)
    assert list(table.columns) == ["x", "y"]
    assert table["y"].tolist() == [4, 5, 6]
    assert table.attrs["names"] == {"x": "a", "y": None}


def test_tidy_without_data_takes_vectors():
    table = _core.tidy(None, x=pd.Series([1, 2], name="step"), y=[3, 4])
    assert table.attrs["names"]["x"] == "step" and len(table) == 2


def test_tidy_errors():
    with pytest.raises(VizkitValueError) as info:
        _core.tidy(pd.DataFrame({"a": [1, 2, 3]}), x="a", y=[1, 2])
    assert str(info.value) == "`y` must be a column name or a vector of length 3 (the number of rows); got a vector of length 2."
    with pytest.raises(VizkitValueError, match=r"`x` must be a column name or a 1-D vector; got an array of shape \(2, 2\)\."):
        _core.tidy(None, x=np.ones((2, 2)))
    with pytest.raises(VizkitTypeError, match=r"`x` must be a vector when `data` is None"):
        _core.tidy(None, x="a")
    with pytest.raises(VizkitTypeError, match=r"`data` must be a pandas DataFrame"):
        _core.tidy(42, x="a")
    with pytest.raises(VizkitValueError, match=r"`data` must be a DataFrame or a mapping of equal-length columns"):
        _core.tidy({"a": [1, 2], "b": [1]}, x="a")


def test_duplicate_column_names_are_refused():
    df = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(VizkitValueError, match="appears once"):
        _core.tidy(df, x="a")


def test_target_ax_prefers_given_then_current_then_new():
    assert not plt.get_fignums()
    created = _core.target_ax()
    assert len(plt.get_fignums()) == 1
    assert _core.target_ax() is created
    fig, other = plt.subplots()
    assert _core.target_ax(other) is other
    with pytest.raises(VizkitTypeError, match="`ax` must be a Matplotlib Axes; got 'ax' \\(str\\)"):
        _core.target_ax("ax")


def test_plotted_data_roundtrip_and_layers():
    fig, ax = plt.subplots()
    assert vk.plotted_data(ax).empty
    _core.attach_data(ax, pd.DataFrame({"v": [1, 2]}), chart="first")
    pd.testing.assert_frame_equal(vk.plotted_data(ax), pd.DataFrame({"v": [1, 2]}))
    _core.attach_data(ax, pd.DataFrame({"v": [3]}), chart="second")
    both = vk.plotted_data(ax)
    assert both["layer"].tolist() == [0, 0, 1] and both["chart"].tolist() == ["first", "first", "second"]
    copy = vk.plotted_data(ax)
    copy.loc[0, "v"] = 99  # a copy: editing it changes nothing attached
    assert vk.plotted_data(ax).loc[0, "v"] == 1


@given(st.one_of(st.none(), st.booleans(), st.text(), st.floats(allow_nan=True), st.lists(st.integers()),
                 st.dictionaries(st.text(), st.integers())))
def test_check_number_only_raises_vizkit_errors(value):
    try:
        _core.check_number("n", value, low=0, high=10)
    except VizkitError as error:
        assert "`n`" in str(error)


@given(st.one_of(st.text(), st.integers(), st.tuples(st.floats(), st.floats(), st.floats()), st.none()))
def test_check_color_only_raises_vizkit_errors(value):
    try:
        rgba = _core.check_color("color", value)
    except VizkitError as error:
        assert str(error).startswith("`color` must be a Matplotlib colour")
    else:
        assert len(rgba) == 4 and all(0 <= c <= 1 for c in rgba)


def test_tuple_column_names_are_columns_not_vectors():
    df = pd.DataFrame({("loss", "train"): [1.0, 2.0], ("loss", "val"): [3.0, 4.0]})
    table = _core.tidy(df, x=("loss", "train"), y=("loss", "val"))
    assert table["y"].tolist() == [3.0, 4.0]
    assert table.attrs["names"] == {"x": ("loss", "train"), "y": ("loss", "val")}
