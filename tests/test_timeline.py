"""vk.timeline: lecture 1's milestones on a time axis, labels that never collide, bad input named."""

import datetime
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import same_color

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.errors import ColumnNotFoundError, VizkitError, VizkitTypeError, VizkitValueError


@pytest.fixture
def history():
    return vk.load_dataset("dl_history")


def drawn(ax):
    ax.figure.canvas.draw()
    return vk.plotted_data(ax)


def label_boxes(ax):
    """The rendered boxes of every visible label and note (the figure has drawn)."""
    renderer = ax.figure.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in ax.texts if t.get_visible() and t.get_text()]


def assert_no_collisions(ax):
    boxes = label_boxes(ax)
    figure = ax.figure.bbox
    for k, box in enumerate(boxes):
        assert box.x0 >= figure.x0 - 0.5 and box.x1 <= figure.x1 + 0.5, "a label runs past the figure"
        assert box.y0 >= figure.y0 - 0.5 and box.y1 <= figure.y1 + 0.5, "a label runs past the figure"
        for other in boxes[k + 1:]:
            width = min(box.x1, other.x1) - max(box.x0, other.x0)
            height = min(box.y1, other.y1) - max(box.y0, other.y0)
            assert width <= 0.5 or height <= 0.5, f"labels overlap: {box} and {other}"


def test_one_row_per_event_at_its_date(history):
    fig, ax = plt.subplots(figsize=(12, 6))
    vk.timeline(history, date="date", label="milestone", hue="category", note="note", ax=ax)
    table = drawn(ax)
    assert len(table) == len(history)
    assert table["label"].tolist() == history["milestone"].tolist()
    assert (table["date"] == history["date"]).all()
    from matplotlib.dates import date2num
    np.testing.assert_allclose(table["x"], date2num(history["date"].to_numpy()))
    assert set(table["side"]) == {"above", "below"}
    assert table["label_drawn"].all() and (table["offset"] > 0).all()
    # each label sits beside its stem, on its side of the line
    texts = {t.get_text(): t for t in ax.texts}
    for row in table.itertuples():
        y = texts[row.label].get_position()[1]
        assert (y > 0) if row.side == "above" else (y < 0)
    assert_no_collisions(ax)
    plt.close(fig)


def test_category_colours_follow_the_hue_rule_with_a_legend(history):
    fig, ax = plt.subplots(figsize=(12, 6))
    vk.timeline(history, date="date", label="milestone", hue="category", ax=ax)
    levels = sorted(history["category"].unique())
    expected = vk.colors.hue_colors(levels)
    dots = ax.collections[-1]
    for color, level in zip(dots.get_facecolors(), history["category"], strict=True):
        assert same_color(color, expected[level])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == levels
    assert ax.get_legend().get_title().get_text() == "Category"
    plt.close(fig)


def test_a_categorical_hue_keeps_its_own_level_order():
    fig, ax = plt.subplots(figsize=(6, 3))
    kinds = pd.Categorical(["x", "y", "x"], categories=["y", "x", "unused"])
    vk.timeline({"d": [2012, 2013, 2014], "l": ["a", "b", "c"], "k": kinds}, date="d", label="l", hue="k", ax=ax)
    expected = vk.colors.hue_colors(["y", "x", "unused"])
    assert same_color(ax.collections[-1].get_facecolors()[1], expected["y"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["y", "x"]
    plt.close(fig)


def test_highlight_keeps_the_chosen_events_in_colour(history):
    fig, ax = plt.subplots(figsize=(12, 6))
    vk.timeline(history, date="date", label="milestone", hue="category", highlight=["Adam", "Transformer"], ax=ax)
    table = drawn(ax)
    assert table.loc[table["highlighted"], "label"].tolist() == ["Adam", "Transformer"]
    grey = vk.colors.context_grey()
    for color, on in zip(ax.collections[-1].get_facecolors(), table["highlighted"], strict=True):
        assert same_color(color, grey) != on
    weights = {t.get_text(): t.get_fontweight() for t in ax.texts}
    assert weights["Adam"] == "bold" and weights["AlexNet"] == "normal"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["optimization", "sequence"]
    plt.close(fig)


@pytest.mark.parametrize("dates", [
    [2012, 2013, 2013, 2015],
    ["2012-09-30", "2013-12", "2014", "2015-12-10"],
    [datetime.date(2012, 9, 30), datetime.date(2013, 12, 19), datetime.date(2014, 6, 1), datetime.date(2015, 1, 1)],
])
def test_years_date_strings_and_dates(dates):
    fig, ax = plt.subplots(figsize=(8, 4))
    vk.timeline({"when": dates, "what": ["a", "b", "c", "d"]}, date="when", label="what", ax=ax)
    table = drawn(ax)
    if isinstance(dates[0], int):
        assert table["x"].tolist() == [2012.0, 2013.0, 2013.0, 2015.0]
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert "2013" in ticks and not any("," in t or "." in t for t in ticks)  # years, not 2,013 or 2012.5
    else:
        assert pd.api.types.is_datetime64_any_dtype(table["date"])
        assert table["date"].iloc[0] == pd.Timestamp("2012-09-30")
    assert_no_collisions(ax)
    plt.close(fig)


def test_many_events_in_one_year_stack_on_one_stem():
    events = pd.DataFrame({"year": [2015] * 12 + [2016], "name": [f"paper {i}" for i in range(13)]})
    fig, ax = plt.subplots(figsize=(6, 5))
    vk.timeline(events, date="year", label="name", ax=ax)
    table = drawn(ax)
    assert table["label_drawn"].all()
    assert abs((table["side"] == "above").sum() - (table["side"] == "below").sum()) <= 1
    assert_no_collisions(ax)
    plt.close(fig)


def test_too_many_labels_shrink_then_warn_and_never_collide():
    events = pd.DataFrame({"year": [2000] * 60, "name": [f"event number {i}" for i in range(60)]})
    fig, ax = plt.subplots(figsize=(4, 2))
    with pytest.warns(UserWarning, match="did not fit"):
        vk.timeline(events, date="year", label="name", ax=ax)
        table = drawn(ax)
    assert 0 < table["label_drawn"].sum() < 60
    assert_no_collisions(ax)
    plt.close(fig)


@pytest.mark.parametrize(("kwargs", "error", "named"), [
    ({"date": "when", "label": "milestone"}, ColumnNotFoundError, "`date`"),
    ({"date": "date", "label": None}, VizkitTypeError, "`label`"),
    ({"date": "milestone", "label": "milestone"}, VizkitValueError, "`date`"),
    ({"date": "date", "label": "milestone", "highlight": "Adamm"}, VizkitValueError, "`highlight`"),
    ({"date": "date", "label": "milestone", "hue": "lecture_year"}, VizkitValueError, "`hue`"),
    ({"date": "date", "label": "milestone", "note": "notes"}, ColumnNotFoundError, "`note`"),
    ({"date": "date", "label": "milestone", "ax": "left"}, VizkitTypeError, "`ax`"),
])
def test_bad_input_names_the_argument(history, kwargs, error, named):
    with pytest.raises(error, match=named):
        vk.timeline(history, **kwargs)


def test_missing_and_boolean_dates_and_empty_data():
    with pytest.raises(VizkitValueError, match=r"`date`.*row 1"):
        vk.timeline({"d": [2012, None], "l": ["a", "b"]}, date="d", label="l")
    with pytest.raises(VizkitTypeError, match="`date`"):
        vk.timeline({"d": [True, False], "l": ["a", "b"]}, date="d", label="l")
    with pytest.raises(VizkitValueError, match="`data`"):
        vk.timeline({"d": [], "l": []}, date="d", label="l")
    with pytest.raises(VizkitValueError, match=r"`label`.*row 0"):
        vk.timeline({"d": [2012, 2013], "l": [None, "b"]}, date="d", label="l")
    assert not plt.get_fignums() or not plt.gca().texts  # a refused call draws nothing


@st.composite
def events(draw):
    n = draw(st.integers(30, 60))
    years = draw(st.lists(st.integers(2000, 2004), min_size=n, max_size=n))
    words = st.text(alphabet="abcdefghij klmnopWXYZ", min_size=1, max_size=14).map(str.strip).filter(bool)
    names = draw(st.lists(words, min_size=n, max_size=n))
    notes = draw(st.lists(st.one_of(st.just(""), words), min_size=n, max_size=n))
    return pd.DataFrame({"year": years, "name": names, "note": notes,
                         "kind": draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))})


@fuzz_settings(15)
@given(frame=events(), width=st.sampled_from([6, 9, 12]))
def test_fuzz_dense_events_never_collide(frame, width):
    import warnings

    fig, ax = plt.subplots(figsize=(width, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a set too dense even for the smallest font leaves some out
        vk.timeline(frame, date="year", label="name", hue="kind", note="note", ax=ax)
        table = drawn(ax)
    assert len(table) == len(frame) and (table["x"] == frame["year"]).all()
    assert_no_collisions(ax)
    plt.close(fig)


def test_labels_placed_at_a_shrunk_font_are_measured_at_that_font():
    """52 dense events on a 6-inch timeline (a case `make fuzz` found): the font shrinks to fit, and text does
    not scale exactly with its size, so boxes measured at the full size and scaled overlapped by 2 px."""
    frame = pd.DataFrame({
        "year": [2000, 2004, 2002, 2004, 2000, 2000, 2000, 2004, 2003, 2000, 2000, 2000, 2003, 2003, 2002, 2004,
                2000, 2002, 2004, 2003, 2002, 2001, 2000, 2001, 2000, 2000, 2003, 2003, 2001, 2001, 2001, 2002,
                2004, 2000, 2002, 2000, 2004, 2002, 2002, 2001, 2003, 2000, 2004, 2001, 2003, 2001, 2002, 2001,
                2002, 2002, 2001, 2000],
        "name": ['jnoZdllXWZbY', 'pf', 'jWcjh', 'cnYlnnlj', 'fdfhXXade', 'ipaZfn Z', 'pkfWj', 'Wadb', 'lYhm', 'Yc',
                'o', 'ldl', 'XXYahXjbcallin', 'c', 'kXag', 'k me', 'b', 'gi', 'nf', 'cjW', 'kom', 'p', 'hmoW',
                'jW', 'kddZfilYn', 'bWo ml', 'ld', 'nZeka hcimkjf', 'a', 'mkedh Ycpndbe', 'kg', 'khnj', 'h',
                'jZkmmZhZgjdfpd', 'o', 'lYgdolWd X', 'hcpYn', 'mjmfdfZmbdYkkZ', 'ofaYo', 'Xjfln', 'eigkhgbfddZebZ',
                'hYgaj', 'iiZinj', 'XoXdp', 'elZdWgpdYpomm', 'ciWkl', 'n hjbh', 'd', 'llenilahoeY',
                'XXhjmmYg  eeap', 'mli', 'XZZffc'],
        "note": ['', 'kddZfilYn', 'W', '', '', '', '', 'Xg  m m', '', '', '', 'jXg c', 'eakXkghgoopZY', 'cib', '',
                '', '', 'cpm', '', '', '', '', '', 'kde', 'kkmceble', 'Wd', 'WYmZk', '', '', 'nnZaf', 'WYmZk', '',
                '', 'ekeW okcZodca', 'nil', '', 'nWY', 'eWknpighe', 'nZeka hcimkjf', '', 'omoW', 'Yjpemlgdhp',
                'lbXnmohWjpkp k', 'mbWdd', 'Zklae', '', 'ai', '', 'pnbojeXpb', '', '', ''],
        "kind": list('abaabbbbababcbbbaababacaababbabcbabbbacaaacbacaacacc')})
    fig, ax = plt.subplots(figsize=(6, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the smallest font still leaves some labels out
        vk.timeline(frame, date="year", label="name", hue="kind", note="note", ax=ax)
        drawn(ax)
    assert_no_collisions(ax)


def test_numbers_in_object_columns_and_highlight_of_number_labels():
    from decimal import Decimal

    fig, ax = plt.subplots(figsize=(6, 3))
    dates = pd.Series([Decimal("2014.5"), 2015, 2016.25], dtype=object)
    vk.timeline({"d": dates, "l": [2014, 2015, 2016]}, date="d", label="l", highlight=2015, ax=ax)
    table = drawn(ax)
    assert table["x"].tolist() == [2014.5, 2015.0, 2016.25]
    assert table["highlighted"].tolist() == [False, True, False]
    plt.close(fig)
    with pytest.raises(VizkitValueError, match=r"`date`.*''.*Row 1"):
        vk.timeline({"d": ["2014-01-01", ""], "l": ["a", "b"]}, date="d", label="l")
    with pytest.raises(VizkitTypeError, match=r"`date`.*Timedelta"):
        vk.timeline({"d": pd.to_timedelta([1, 2], unit="D"), "l": ["a", "b"]}, date="d", label="l")


def test_tz_aware_dates_keep_their_wall_time():
    fig, ax = plt.subplots(figsize=(6, 3))
    when = pd.date_range("2024-03-31 01:00", periods=3, freq="h", tz="Europe/Paris")
    vk.timeline({"d": when, "l": ["a", "b", "c"]}, date="d", label="l", ax=ax)
    assert drawn(ax)["date"].dt.hour.tolist() == [1, 3, 4]  # Paris skips 02:00 that night
    plt.close(fig)


def test_errors_are_vizkit_errors():
    with pytest.raises(VizkitError):
        vk.timeline({"d": [1 + 2j], "l": ["a"]}, date="d", label="l")


def stems_through_labels(ax):
    """(stem, label) pairs where a drawn stem runs through another event's label box (display pixels)."""
    renderer = ax.figure.canvas.get_renderer()
    stems = [ax.transData.transform(np.asarray(segment)) for segment in ax.collections[0].get_segments()]
    texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
    hits = set()
    for i, (bottom, top) in enumerate(stems):
        low, high = sorted([bottom[1], top[1]])
        for text in texts:
            box = text.get_window_extent(renderer)
            if box.x0 + 1 < bottom[0] < box.x1 - 1 and low < box.y1 - 1 and high > box.y0 + 1:
                hits.add((i, text.get_text()))
    return hits


def test_stems_keep_clear_of_other_labels(history):
    fig, ax = plt.subplots(figsize=(13, 7), layout="constrained")
    vk.timeline(history, date="date", label="milestone", hue="category", note="note", ax=ax)
    ax.figure.canvas.draw()
    # long labels that overhang each other's stems leave a few stems passing behind a label (3 of 15 here)
    assert len({stem for stem, _ in stems_through_labels(ax)}) <= 3
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 3))
    years = {"year": [2012, 2013, 2014, 2014, 2015, 2017, 2018, 2019, 2020],
             "name": ["AlexNet", "DQN", "seq2seq", "Adam", "ResNet", "Transformer", "BERT", "GPT-2", "SimCLR"]}
    vk.timeline(years, date="year", label="name", ax=ax)
    ax.figure.canvas.draw()
    assert stems_through_labels(ax) == set()
    assert_no_collisions(ax)
    plt.close(fig)


@fuzz_settings(60)
@given(data=st.data(), frame=__import__("tests.test_fuzz_charts", fromlist=["frames"]).frames())
def test_fuzz_the_columns_users_have(data, frame):
    """Any column kinds (nullable, tz-aware, complex, Decimal, repeated names, MultiIndex): a timeline
    whose labels do not collide, or a vizkit error naming an argument; never a raw pandas/Matplotlib error."""
    from tests.test_fuzz_charts import PALETTES, a_column, mostly

    kws = {"date": data.draw(a_column(frame)), "label": data.draw(a_column(frame)),
           "hue": data.draw(mostly(st.one_of(st.none(), a_column(frame)), st.just("missing"))),
           "note": data.draw(st.one_of(st.none(), a_column(frame))), "palette": data.draw(PALETTES)}
    plt.close("all")
    fig, ax = plt.subplots(figsize=(8, 4))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            vk.timeline(frame, ax=ax, **kws)
        except VizkitError as error:
            assert "`" in str(error), str(error)
            assert not ax.texts and not ax.collections  # a refused call draws nothing
            plt.close(fig)
            return
        table = drawn(ax)
    assert len(table) == len(frame)
    assert_no_collisions(ax)
    plt.close(fig)
