"""Root pytest setup shared by tests/ and the doctests in vizkit/: draw with Agg."""

import matplotlib

matplotlib.use("Agg")
