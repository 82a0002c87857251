"""Bad input to the chart-element helpers: a vizkit error naming the argument, or a correct result."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from vizkit.errors import VizkitError
from tests.fuzzing import fuzz_settings

pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # random text: random glyphs
EXAMPLES = 60
anything = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.lists(st.floats(allow_nan=True), max_size=5),
    st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True)),
    st.tuples(*[st.floats(-2, 2)] * 4), st.just(pd.Timestamp("2024-01-01")), st.just(np.arange(3)),
)
FUZZ = fuzz_settings(EXAMPLES)


def _axes():
    plt.close("all")  # hypothesis runs many examples inside one test
    fig, ax = plt.subplots(figsize=(4, 3), dpi=80)
    ax.plot([0, 1, 2], [1, 3, 2], label="loss")
    return fig, ax


def _vizkit_error_or_result(call):
    try:
        result = call()
    except VizkitError as error:
        assert "`" in str(error), str(error)
        return None
    return result


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@FUZZ
@given(title=anything, subtitle=anything, caption=anything, loc=anything)
def test_fuzz_titles(title, subtitle, caption, loc):
    fig, ax = _axes()
    if _vizkit_error_or_result(lambda: vk.titles(ax, title, subtitle=subtitle, caption=caption, loc=loc)):
        fig.canvas.draw()
    plt.close(fig)


@FUZZ
@given(where=anything, labelled=st.booleans())
def test_fuzz_legend(where, labelled):
    plt.close("all")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="a" if labelled else "_hidden")
    _vizkit_error_or_result(lambda: vk.legend(ax, where=where))
    fig.canvas.draw()
    plt.close(fig)


@FUZZ
@given(x=anything, y=anything, rotate=anything)
def test_fuzz_format_axis(x, y, rotate):
    fig, ax = _axes()
    if _vizkit_error_or_result(lambda: vk.format_axis(ax, x=x, y=y, rotate=rotate)) is not None:
        fig.canvas.draw()
    plt.close(fig)


@FUZZ
@given(text=anything, xy=anything, xytext=anything, arrow=st.booleans(), box=st.booleans(), loc=anything)
def test_fuzz_annotate_and_note(text, xy, xytext, arrow, box, loc):
    fig, ax = _axes()
    _vizkit_error_or_result(lambda: vk.annotate(ax, text, xy, xytext=xytext, arrow=arrow, box=box))
    _vizkit_error_or_result(lambda: vk.note(ax, text, loc=loc))
    fig.canvas.draw()
    plt.close(fig)


@FUZZ
@given(which=anything, axis=anything, x=anything, y=anything, label=anything)
def test_fuzz_guides(which, axis, x, y, label):
    fig, ax = _axes()
    _vizkit_error_or_result(lambda: vk.grid(ax, which=which, axis=axis))
    _vizkit_error_or_result(lambda: vk.refline(ax, x=x, y=y, label=label))
    _vizkit_error_or_result(lambda: vk.refspan(ax, x=x, y=y, label=label))
    fig.canvas.draw()
    plt.close(fig)


@FUZZ
@given(layout=st.one_of(anything, st.sampled_from(["AB;CC", "A.;BB", "AB;BA", [["a", "b"]], ""])),
       letters=st.booleans(), bounds=anything, zoom=anything)
def test_fuzz_mosaic_and_inset(layout, letters, bounds, zoom):
    result = _vizkit_error_or_result(lambda: vk.mosaic(layout, letters=letters))
    if result is not None:
        plt.close(result[0])
    fig, ax = _axes()
    _vizkit_error_or_result(lambda: vk.inset(ax, bounds, zoom=zoom))
    fig.canvas.draw()
    plt.close(fig)


@FUZZ
@given(rules=st.one_of(st.none(), st.lists(st.sampled_from(["text-overlap", "nope", "rainbow-colormap"]),
                                           max_size=3)), target=st.sampled_from(["figure", "axes", "text"]))
def test_fuzz_lint_and_describe(rules, target):
    fig, ax = _axes()
    subject = {"figure": fig, "axes": ax, "text": "figure"}[target]
    findings = _vizkit_error_or_result(lambda: vk.lint(subject, rules=rules))
    assert findings is None or isinstance(findings, list)
    text = _vizkit_error_or_result(lambda: vk.describe(subject))
    assert text is None or text.startswith("Line chart")
    plt.close(fig)
