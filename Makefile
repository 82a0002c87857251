# vizkit: the two commands of the README, and a few more for developers.
#   make gallery   build the HTML gallery into gallery/_build/html/
#   make test      run the whole test suite (image tests included), deterministic
#   make fuzz      property tests with new random examples for FUZZ_MINUTES (20)
# Both create .venv on first use and re-install when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HTML   := gallery/_build/html

.PHONY: test fuzz gallery gallery-check bench baselines clean
.DEFAULT_GOAL := test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# One stamp per extra: installed again whenever pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable ".[$*]"
	@touch $@

test: $(VENV)/.installed-test
	$(VENV)/bin/lint-imports --no-cache   # the layers of docs/architecture.md (pyproject.toml)
	$(PY) -m pytest

# Random exploration, kept out of `make test` (which is derandomized): fix what it finds
# with a regression test. FUZZ_MINUTES=60 make fuzz for a longer session.
FUZZ_MINUTES ?= 20
fuzz: $(VENV)/.installed-test
	$(PY) tools/fuzz.py --minutes $(FUZZ_MINUTES)

gallery: $(VENV)/.installed-gallery
	$(PY) tools/run_training.py
	$(PY) -m sphinx -b html --quiet --fail-on-warning gallery/_sphinx $(HTML)
	@echo "Gallery built: $(abspath $(HTML))/index.html"

# Opens every gallery page in headless Chromium (installed here if missing).
gallery-check: gallery
	bash tools/ensure_chromium.sh
	$(PY) tools/check_gallery.py $(HTML) --screenshot gallery/_build/screenshots

bench: $(VENV)/.installed-test
	$(PY) benchmarks/run.py

# Redraw every image-test baseline on purpose; look at each PNG before committing.
baselines: $(VENV)/.installed-test
	$(PY) -m pytest tests/image --mpl-generate-path=tests/baseline -p no:cacheprovider -q

clean:
	rm -rf $(VENV) build gallery/_build gallery/_sphinx/auto_gallery gallery/_sphinx/sg_execution_times.rst
