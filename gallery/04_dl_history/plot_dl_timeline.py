"""
Deep learning 2012-2020: a timeline
===================================

Lecture 1 walks through the breakthroughs of deep learning from AlexNet to
self-supervised learning (after Denny Britz's essay "Deep Learning's Most
Important Ideas"). ``vk.load_dataset("dl_history")`` ships them with vizkit:
one row per milestone with the date it first appeared (the arXiv preprint,
the paper or the contest result), its field and a one-line note.

``vk.timeline`` puts each milestone on the time axis and its label above or
below it. The labels are placed on their rendered size each time the figure
draws: a label that would collide steps away from the axis, and no stem runs
through another label, so the chart stays readable at any size.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
history = vk.load_dataset("dl_history")

fig, ax = plt.subplots(figsize=(13, 7), dpi=100, layout="constrained")
vk.timeline(history, date="date", label="milestone", hue="category", note="note", ax=ax)
vk.titles(ax, "Deep learning's breakthroughs, 2012-2020", caption="Dates: first public appearance (arXiv, paper or contest result).")

# %%
# Highlight tells one story: the road from sequence models to large
# language models, with the rest of the decade in grey behind it.
fig, ax = plt.subplots(figsize=(13, 3.4), dpi=100, layout="constrained")
road = ["Encoder/decoder (seq2seq)", "Attention", "Transformer", "BERT", "GPT-2", "GPT-3"]
vk.timeline(history, date="date", label="milestone", hue="category", highlight=road, ax=ax)
vk.titles(ax, "From seq2seq to GPT-3 in six years")
