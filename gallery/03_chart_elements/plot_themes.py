"""
Themes and contexts
===================

One chart under every vizkit style and context. The *style* sets the look
(face, grid behind the data, no top and right spines, left-aligned titles);
the *context* scales fonts and lines to where the chart will be read: a paper
column, a notebook, a talk, a poster. Both come from one call,
``vk.set_theme(style=..., context=...)``, or ``with vk.theme(...):`` for a
few figures only; the same looks ship as plain Matplotlib style sheets
(``plt.style.use("vizkit.styles.talk")``).
"""

import matplotlib.pyplot as plt

import vizkit as vk

weather = vk.load_dataset("seattle_weather")
weather["year"] = weather["date"].dt.year
weather["month"] = weather["date"].dt.month
monthly = weather.groupby(["year", "month"], as_index=False)["temp_max"].mean()


def monthly_highs(title):
    """The chart every theme below draws: Seattle's mean daily high per month, a line a year."""
    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100, layout="constrained")
    for year, months in monthly.groupby("year"):
        ax.plot(months["month"], months["temp_max"], marker="o", label=str(year))
    ax.set(title=title, ylabel="Daily high (°C)")
    ax.set_xticks([1, 4, 7, 10], ["Jan", "Apr", "Jul", "Oct"])
    fig.legend(title="Year", loc="outside right upper")
    return fig


# %%
# Contexts scale text and lines: paper < notebook < talk < poster.
for context in ["paper", "notebook", "talk", "poster"]:
    with vk.theme(context=context):
        monthly_highs(f"context={context!r}")

# %%
# The dark style draws with the palette made for its face: the same blue
# first and orange second, each colour at least 3:1 against the dark face.
with vk.theme(style="dark"):
    monthly_highs("style='dark'")

# %%
# Any rcParam can still be set on top of a theme, for one block, with
# Matplotlib's own ``rc_context`` (or ``vk.theme(rc={...})``).
with vk.theme(), plt.rc_context({"axes.grid": False, "lines.linewidth": 3.0, "lines.markersize": 4.0}):
    monthly_highs("theme + rc_context override")
