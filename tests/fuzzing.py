"""How many examples a property test tries: a fixed number in ``make test``, many more in ``make fuzz``.

``make test`` runs the ``ci`` hypothesis profile (derandomized, see the root
``conftest.py``) on half the examples each test names; ``make fuzz`` sets ``VIZKIT_HYPOTHESIS_PROFILE=fuzz`` and runs
every property test again and again with new random examples, ``FUZZ_SCALE``
times as many per run.
"""

from __future__ import annotations

import math
import os

from hypothesis import settings

PROFILE = os.environ.get("VIZKIT_HYPOTHESIS_PROFILE", "ci")
#: ``make test`` tries half the examples a test names (it must stay under 10 minutes on 2 cores; the
#: derandomized half is the same on every run), ``make fuzz`` ten times as many, random ones.
FUZZ_SCALE = 10 if PROFILE == "fuzz" else 0.5


def fuzz_settings(examples: int) -> settings:
    """``@fuzz_settings(150)``: 75 derandomized examples in CI, 1 500 random ones when fuzzing."""
    return settings(max_examples=max(1, math.ceil(examples * FUZZ_SCALE)))
