"""The lecture-2 charts: bars, lines, scatter, distributions, small multiples and palette swatches; lecture 1's timeline.

Each public chart is reached as ``vizkit.<name>`` (``vk.bar``, ``vk.line``,
...); this package holds one module, or one package with its private helpers,
per chart family (docs/architecture.md).
"""
