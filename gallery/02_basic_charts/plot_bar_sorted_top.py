"""
Sorted bars, value labels and top-N
===================================

Sorting bars by value turns a chart into a ranking that reads at a glance,
and a label on each bar gives the exact number without a trip to the axis.
With many categories, keeping the largest few and gathering the rest into
one "Other" bar keeps the chart about what matters.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
weather["month"] = weather["date"].dt.strftime("%b")

fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100, layout="constrained")
vk.bar(weather, x="month", y="precipitation", estimator="sum", orient="h", sort="desc", top=6, labels=True, ax=ax)
ax.set(title="Wettest months in Seattle, 2012-2015", xlabel="Total precipitation (mm)")
