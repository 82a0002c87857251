"""Distributions of one numeric variable: histogram, KDE, ECDF, box, violin, and a ridgeline over an ordered variable.

One module per chart; ``_input`` holds what they all do first (the values per
hue level, missing rows dropped) and last (the hue legend).
"""
