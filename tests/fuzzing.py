"""How many examples a property test tries: a fixed number in ``make test``, many more in ``make fuzz``.

``make test`` runs the ``ci`` hypothesis profile (derandomized, see the root
``conftest.py``); ``make fuzz`` sets ``VIZKIT_HYPOTHESIS_PROFILE=fuzz`` and runs
every property test again and again with new random examples, ``FUZZ_SCALE``
times as many per run.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE = os.environ.get("VIZKIT_HYPOTHESIS_PROFILE", "ci")
FUZZ_SCALE = 10 if PROFILE == "fuzz" else 1


def fuzz_settings(examples: int) -> settings:
    """``@fuzz_settings(150)``: 150 derandomized examples in CI, 1 500 random ones when fuzzing."""
    return settings(max_examples=examples * FUZZ_SCALE)
