"""Dollar signs in text: text from data is shown as written; the user's text is math only when valid mathtext."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import vizkit as vk


def shown(text):
    """What a Matplotlib Text displays: (the string, whether it is set as math)."""
    string, math = text._preprocess_math(text.get_text())
    return string, bool(math)


def test_prices_in_a_title_keep_their_dollar_signs():
    fig, ax = plt.subplots()
    texts = vk.titles(ax, "Price $5 and $10", subtitle="from $3", caption="$$")
    fig.canvas.draw()  # no ParseException
    assert shown(texts["title"]) == ("Price $5 and $10", False)
    assert shown(texts["subtitle"]) == ("from $3", False)
    assert shown(texts["caption"]) == ("$$", False)


def test_valid_mathtext_the_user_writes_is_still_math():
    fig, ax = plt.subplots()
    texts = vk.titles(ax, r"Learning rate $\eta = 10^{-3}$")
    note = vk.note(ax, r"$\alpha$ = 0.05")
    fig.canvas.draw()
    assert shown(texts["title"]) == (r"Learning rate $\eta = 10^{-3}$", True)
    assert shown(note.txt._text) == (r"$\alpha$ = 0.05", True)


@pytest.mark.parametrize("text", ["$$", r"$\bad$", "$ 5 $", "costs $ and $", r"escaped \$ stays"])
def test_text_that_is_not_valid_mathtext_is_shown_as_typed(text):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    label = vk.annotate(ax, text, (0.5, 0.5))
    vk.refline(ax, y=0.5, label=text)
    fig.canvas.draw()
    typed = text.replace(r"\$", "$")  # Matplotlib's own escape, kept
    assert shown(label) == (typed, False)
    assert shown(ax.texts[-1]) == (typed, False)


def test_bar_shows_column_names_and_levels_as_written():
    data = pd.DataFrame({"item": ["$5 menu", "$10 menu", r"$\bad$"], "cost $ (USD) $": [5, 10, 3],
                         "kind": ["$$", "$x$", "plain"]})
    fig, ax = plt.subplots()
    vk.bar(data, x="item", y="cost $ (USD) $", hue="kind", ax=ax)
    fig.canvas.draw()
    assert shown(ax.yaxis.label) == ("cost $ (USD) $", False)
    assert sorted(shown(t) for t in ax.get_xticklabels()) == [(level, False) for level in ["$10 menu", "$5 menu", r"$\bad$"]]
    assert sorted(shown(t)[0] for t in ax.get_legend().get_texts()) == ["$$", "$x$", "plain"]
    assert not any(shown(t)[1] for t in ax.get_legend().get_texts())


def test_line_scatter_and_dual_axis_never_read_data_as_math():
    data = pd.DataFrame({"$t$": [0, 1, 2, 0, 1, 2], "price $": [1.0, 2, 3, 2, 3, 1],
                         "run": ["$a$", "$a$", "$a$", r"$\bad$", r"$\bad$", r"$\bad$"]})
    fig, (left, middle, right) = plt.subplots(1, 3)
    vk.line(data, x="$t$", y="price $", hue="run", ax=left)
    vk.scatter(data, x="$t$", y="price $", hue="run", ax=middle)
    ax, twin = vk.dual_axis(data[data["run"] == "$a$"], x="$t$", left="price $", right="$t$", ax=right)
    fig.canvas.draw()
    for axes in (left, middle):
        assert shown(axes.xaxis.label) == ("$t$", False)
        assert sorted(shown(t) for t in axes.get_legend().get_texts()) == [(r"$\bad$", False), ("$a$", False)]
        assert shown(axes.get_legend().get_title()) == ("Run", False)
    assert shown(twin.yaxis.label) == ("$t$", False)
    assert [shown(t) for t in twin.get_legend().get_texts()] == [("price $", False), ("$t$", False)]  # as written


def test_facet_titles_show_levels_as_written():
    data = pd.DataFrame({"plan": ["$5", "$5", r"$\bad$", r"$\bad$"], "x": ["a", "b", "a", "b"], "y": [1, 2, 3, 4]})
    grid = vk.facet(data, chart=vk.bar, col="plan", x="x", y="y")
    grid.figure.canvas.draw()
    assert sorted(shown(ax.title) for ax in grid.axes.flat) == [("Plan = $5", False), (r"Plan = $\bad$", False)]


def test_tick_formats_the_user_writes_follow_the_same_rule():
    fig, ax = plt.subplots()
    ax.plot([0, 100], [0, 100])
    vk.format_axis(ax, y="${x:.0f} to $", x=r"{x:.0f} $\mu$m")
    fig.canvas.draw()
    y_labels = [shown(t) for t in ax.get_yticklabels() if t.get_text()]
    assert ("$20 to $", False) in y_labels
    assert (r"20 $\mu$m", True) in [shown(t) for t in ax.get_xticklabels()]


def test_run_and_split_names_in_training_charts_are_shown_as_written():
    steps = list(range(5))
    runs = pd.DataFrame({"run": ["$lr$ 0.1"] * 10 + [r"$\bad$"] * 10, "step": steps * 4,
                         "split": (["train"] * 5 + ["$val$"] * 5) * 2, "metric": "loss",
                         "value": [1 / (s + 1) for s in steps] * 4})
    fig, (left, right) = plt.subplots(1, 2)
    vk.curves(runs, by="run", ax=left)
    vk.gap(runs[runs["run"] == "$lr$ 0.1"], val="$val$", ax=right)
    fig.canvas.draw()
    left_entries = [shown(t) for t in left.get_legend().get_texts()]
    assert ("$lr$ 0.1", False) in left_entries and (r"$\bad$", False) in left_entries
    assert ("$val$", False) in [shown(t) for t in right.get_legend().get_texts()]
