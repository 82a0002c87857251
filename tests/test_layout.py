"""The house of docs/architecture.md: the public API, module names, the top level and the layers."""

import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import vizkit

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Every public name before the modules moved into charts/, elements/ and ml/ (issue 10): each must still work.
PUBLIC = {
    "vizkit": """plotted_data bar line dual_axis secondary_axis scatter facet mosaic inset format_axis titles
        annotate note grid lint describe legend refline refspan set_theme theme palette palette_names cmap
        highlight_palette contrast_ratio text_color_on readable_color simulate_cvd check_cvd swatches
        load_dataset dataset_names timeline read_run read_runs follow_run curves gap dashboard
        bars colors datasets errors facets guides io legends lines ml palettes review scatterplots styles text
        themes""",
    "vizkit.io": "RunWriter read_arrays read_run read_runs follow_run RunFollower",
    "vizkit.ml": "curves dashboard gap",
    "vizkit.torch": """Run Callback TrainState MetricLogger EarlyStopping LRLogger fit evaluate accuracy LivePlot""",
    "vizkit.errors": "VizkitError VizkitValueError VizkitTypeError ColumnNotFoundError MissingDependencyError",
}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_every_public_name_still_works(package):
    module = importlib.import_module(package)
    names = PUBLIC[package].split()
    assert set(names) <= set(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{package}.{name}"


def test_charts_are_the_same_objects_under_their_old_module_names():
    assert vizkit.lines.line is vizkit.line and vizkit.scatterplots.scatter is vizkit.scatter
    assert vizkit.bars.bar is vizkit.bar and vizkit.palettes.swatches is vizkit.swatches
    assert vizkit.text.titles is vizkit.titles and vizkit.review.lint is vizkit.lint


def _modules():
    for info in pkgutil.walk_packages(vizkit.__path__, "vizkit."):
        yield info.name


def test_no_module_name_shadows_a_function_of_its_package():
    """``import vizkit.ml.learning_curves as m`` gives the module, and ``vizkit.ml.curves`` stays the function."""
    for name in _modules():
        module = importlib.import_module(name)
        parent, _, leaf = name.rpartition(".")
        exported = getattr(sys.modules[parent], "__all__", ())
        assert leaf not in exported or getattr(sys.modules[parent], leaf) is module, name
        assert getattr(sys.modules[parent], leaf) is module, f"{parent}.{leaf} is not the module {name}"


def test_the_top_level_has_at_most_13_entries():
    entries = [p.name for p in (ROOT / "vizkit").iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 13, sorted(entries)


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
                          cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)


def test_the_import_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("colors.py", "from vizkit.ml import _runs", "vizkit's layers"),          # a lower layer reaching up
    ("charts/bars.py", "from vizkit.elements import text", "vizkit's layers"),  # two siblings of one layer
    ("ml/_runs.py", "import torch", "torch, lightning and tensorboard"),     # torch outside vizkit.torch
    ("io/readers.py", "import tensorboard", "torch, lightning and tensorboard"),
])
def test_breaking_a_contract_fails(tmp_path, module, line, broken):
    shutil.copytree(ROOT / "vizkit", tmp_path / "vizkit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    path = tmp_path / "vizkit" / module
    path.write_text(path.read_text() + f"\n\ndef _broken():\n    {line}\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "1 broken" in result.stdout and f"{broken}" in result.stdout.replace("\n", " ")
