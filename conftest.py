"""Root pytest setup shared by tests/ and the doctests in vizkit/.

- Matplotlib draws with Agg.
- Hypothesis has two profiles. ``ci`` (the default, what ``make test`` runs) is
  derandomized: the same commit always tries the same examples, a bounded
  number of them, with no database and no shrinking, so CI fails only for a
  reason. ``fuzz`` (``make fuzz``) draws new random examples on every run, ten
  times as many per test (see ``tests/fuzzing.py``), and shrinks what fails.
  Pick one with ``VIZKIT_HYPOTHESIS_PROFILE=fuzz`` or ``--hypothesis-profile``.
"""

import os
from datetime import timedelta

import matplotlib

matplotlib.use("Agg")

try:
    from hypothesis import HealthCheck, Phase, settings
except ImportError:  # pragma: no cover - doctests can run without the test extra
    settings = None

if settings is not None:
    settings.register_profile(
        "ci",
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        deadline=timedelta(seconds=20),  # catches a hang, never a slow machine
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile(
        "fuzz",
        derandomize=False,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.load_profile(os.environ.get("VIZKIT_HYPOTHESIS_PROFILE", "ci"))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _doctest_leaves_no_figures():
    """A doctest, like a test, ends with no figures open and the rcParams it found: an example that draws on
    the current Axes never lands on a figure another module's example left behind."""
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        yield
    plt.close("all")
