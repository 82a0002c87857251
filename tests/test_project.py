"""The project's setup keeps the promises the README and the issues make."""

import re
import tomllib
from pathlib import Path

import pytest

from tests.image.gallery import PINNED_MATPLOTLIB

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PYTEST = PYPROJECT["tool"]["pytest"]["ini_options"]


def test_image_tests_really_compare():
    assert "--mpl" in PYTEST["addopts"]  # without it every image test passes
    assert PYTEST["mpl-default-style"] == "default"  # the plugin's own default is "classic"
    assert PYTEST["mpl-baseline-path"] == "tests/baseline"
    assert PYTEST["mpl-deterministic"] is True
    assert any(opt.startswith("--mpl-generate-summary=") and "html" in opt for opt in PYTEST["addopts"])


def test_matplotlib_pin_matches_the_image_test_gate():
    test_extra = PYPROJECT["project"]["optional-dependencies"]["test"]
    pins = [req for req in test_extra if req.startswith("matplotlib")]
    major, minor = PINNED_MATPLOTLIB.split(".")
    assert pins == [f"matplotlib>={major}.{minor},<{major}.{int(minor) + 1}"]


def test_torch_extra_is_bounded():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "torch>=2.2,<2.14" in extras["torch"]
    assert not any("torch" in dep for dep in PYPROJECT["project"]["dependencies"])
    assert set(extras) == {"torch", "tensorboard", "lightning", "data", "gallery", "test", "all"}
    # torch appears only through the bounded extra: an unbounded pin would pull a CUDA build
    for name, requirements in extras.items():
        for requirement in requirements:
            if requirement.startswith("torch"):
                assert requirement == "torch>=2.2,<2.14", (name, requirement)
    assert "vizkit[torch]" in extras["lightning"]  # lightning's own torch>= pin meets the bound in one resolve


def test_readme_quickstart_is_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("##", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quickstart, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make gallery", "make test"]
    assert readme.index("## Quickstart") < readme.index("##", readme.index("## Quickstart") + 3)


def test_ci_runs_the_readme_test_command_and_the_browser_check():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make gallery-check" in ci
    assert "set -euo pipefail" in ci


def test_gallery_build_runs_only_the_missing_training_runs(tmp_path, monkeypatch):
    tool = _run_training_tool()
    (tmp_path / "training_runs").mkdir()
    (tmp_path / "training_runs" / "_shared.py").write_text("raise SystemExit('shared code is not an experiment')\n")
    (tmp_path / "training_runs" / "tiny.py").write_text(
        'from pathlib import Path\nRUN_DIR = "runs/tiny"\n'
        'if __name__ == "__main__":\n'
        '    out = Path(__file__).parents[1] / RUN_DIR\n'
        '    out.mkdir(parents=True)\n'
        '    (out / "count").write_text(str(len(list(out.parent.iterdir()))))\n'
    )
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    assert tool.main() == 0
    assert (tmp_path / "runs" / "tiny" / "count").exists()
    (tmp_path / "runs" / "tiny" / "count").write_text("kept")
    assert tool.main() == 0  # the run exists: not trained again
    assert (tmp_path / "runs" / "tiny" / "count").read_text() == "kept"


def _readme_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


@pytest.mark.parametrize("number", range(len(_readme_blocks())), ids=lambda n: f"block{n + 1}")
def test_readme_python_block_runs_as_written_and_saves(number, tmp_path, monkeypatch):
    """Each README block runs as one script or notebook cell; every figure saves, one chart per Axes, nothing clipped.

    Regression (issue 12): the first block piled four charts on one Axes, then ``swatches`` drew on the
    stocks chart's date axis and ``savefig`` failed with a raw IndexError.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    import vizkit as vk

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    block = _readme_blocks()[number]
    exec(compile(block, f"README.md, python block {number + 1}", "exec"), {"__name__": "readme"})
    figures = [plt.figure(n) for n in plt.get_fignums()]
    assert figures, "the block drew no figure"
    for i, figure in enumerate(figures):
        figure.savefig(tmp_path / f"figure{i}.png")
        figure.savefig(tmp_path / f"figure{i}_tight.png", bbox_inches="tight")  # as Jupyter shows it
        for ax in figure.axes:
            assert "layer" not in vk.plotted_data(ax), f"figure {i}: several charts piled on one Axes"
        assert vk.lint(figure, rules=["text-clipped"]) == [], f"figure {i}"
    plt.close("all")


@pytest.mark.parametrize("page", sorted((ROOT / "gallery").glob("*/plot_*.py")), ids=lambda page: page.stem)
def test_a_gallery_page_title_is_underlined_to_its_length(page):
    # Sphinx warns on a shorter underline, and make gallery builds with --fail-on-warning
    lines = page.read_text(encoding="utf-8").splitlines()
    title, underline = lines[1], lines[2]
    assert re.fullmatch(r"=+", underline) and len(underline) >= len(title), (
        f"{page.name}: the title's underline has {len(underline)} '=' for {len(title)} characters")


def _run_training_tool():
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_training", ROOT / "tools" / "run_training.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "training_runs").glob("[!_]*.py")))
def test_every_training_script_writes_the_runs_folder_of_its_name(script):
    """make gallery finds each experiment's RUN_DIR, and it is runs/<the script's name>."""
    expected = ROOT / "training_runs" / "runs" / script.removesuffix(".py")
    assert _run_training_tool()._run_dir(ROOT / "training_runs" / script) == expected
