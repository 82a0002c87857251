"""Axis labels: a column name reads as words with its unit, by one rule in every chart; the user's label is kept."""

import matplotlib.pyplot as plt
import pytest

import vizkit as vk
from vizkit._core.labels import axis_label


@pytest.mark.parametrize(("name", "label"), [
    ("bill_length_mm", "Bill length (mm)"), ("body_mass_g", "Body mass (g)"), ("temp_max", "Temp max"),
    ("precipitation", "Precipitation"), ("share_pct", "Share (%)"), ("price_usd", "Price (USD)"),
    ("latency_ms", "Latency (ms)"), ("GDP_per_capita_usd", "GDP per capita (USD)"), ("m", "M"),
    ("Body mass (g)", "Body mass (g)"), ("AAPL", "AAPL"), ("petalLength", "petalLength"), ("x y", "X y"), ("learning rate", "Learning rate"), ("Learning Rate", "Learning Rate"),
    ("lr", "LR"), ("val_auc", "Val AUC"),
])
def test_column_names_read_as_words_with_units(name, label):
    assert axis_label(name) == label


def test_every_chart_labels_its_axes_by_the_same_rule():
    penguins = vk.load_dataset("penguins")
    weather = vk.load_dataset("seattle_weather")
    fig, axes = plt.subplots(2, 2)
    vk.bar(penguins, x="species", y="body_mass_g", hue="sex", ax=axes[0, 0])
    vk.scatter(penguins, x="bill_length_mm", y="flipper_length_mm", hue="species", ax=axes[0, 1])
    vk.line(weather, x="date", y="temp_max", hue="weather", ax=axes[1, 0])
    left, right = vk.dual_axis(weather, x="date", left="temp_max", right="precipitation", ax=axes[1, 1])
    labels = [(ax.get_xlabel(), ax.get_ylabel(), ax.get_legend().get_title().get_text() if ax.get_legend() else None)
              for ax in (axes[0, 0], axes[0, 1], axes[1, 0])]
    assert labels == [("Species", "Body mass (g)", "Sex"), ("Bill length (mm)", "Flipper length (mm)", "Species"),
                      ("Date", "Temp max", "Weather")]
    assert (left.get_xlabel(), left.get_ylabel(), right.get_ylabel()) == ("Date", "Temp max", "Precipitation")
    grid = vk.facet(penguins, chart=vk.scatter, col="island", x="bill_length_mm", y="body_mass_g")
    assert grid.axes[0, 0].get_title() == "Island = Torgersen"
    assert (grid.axes[0, 0].get_xlabel(), grid.axes[0, 0].get_ylabel()) == ("Bill length (mm)", "Body mass (g)")


def test_a_label_the_user_set_is_kept_exactly():
    penguins = vk.load_dataset("penguins")
    fig, (left, right) = plt.subplots(1, 2)
    left.set_xlabel("bill_length_mm, as logged")
    right.set_ylabel("mass [g]")
    vk.scatter(penguins, x="bill_length_mm", y="body_mass_g", ax=left)
    vk.bar(penguins, x="species", y="body_mass_g", ax=right)
    assert (left.get_xlabel(), left.get_ylabel()) == ("bill_length_mm, as logged", "Body mass (g)")
    assert (right.get_xlabel(), right.get_ylabel()) == ("Species", "mass [g]")
    right.set_xlabel("penguin_species")  # after the chart: Matplotlib's own call, untouched
    assert right.get_xlabel() == "penguin_species"
