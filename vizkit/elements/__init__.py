"""The lecture-3 chart elements, for any Axes: text, legends, guides and review (lint, describe).

Each public function is reached as ``vizkit.<name>`` (``vk.titles``,
``vk.legend``, ``vk.refline``, ``vk.lint``, ...).
"""
