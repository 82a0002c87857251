"""The gallery browser check (tools/check_gallery.py) catches what it promises to catch."""

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "check_gallery.py"
spec = importlib.util.spec_from_file_location("check_gallery", TOOL)
check_gallery = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_gallery)

pytestmark = pytest.mark.skipif(
    not (Path(check_gallery.CHROMIUM).exists() and Path(check_gallery.CHROMEDRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver (bash tools/ensure_chromium.sh)",
)
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
HEAD = '<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>t</title></head>'


def _site(root: Path, body: str) -> Path:
    (root / "auto_gallery" / "01_a").mkdir(parents=True)
    (root / "ok.png").write_bytes(PIXEL)
    (root / "index.html").write_text(f"<html>{HEAD}<body>{body}</body></html>")
    good = f'<html>{HEAD}<body><img src="../../ok.png"><a href="../../index.html">home</a></body></html>'
    (root / "auto_gallery" / "index.html").write_text(good.replace("../../", "../"))
    (root / "auto_gallery" / "01_a" / "plot_a.html").write_text(good)
    return root


def test_a_clean_site_passes(tmp_path):
    root = _site(tmp_path, '<img src="ok.png"><a href="auto_gallery/index.html">g</a><a href="#top" id="top">t</a>')
    assert check_gallery.check(root, tmp_path / "shots") == []
    assert (tmp_path / "shots" / "index.png").stat().st_size > 0


def test_each_kind_of_breakage_is_reported(tmp_path):
    root = _site(tmp_path, '<img src="missing.png"><a href="nope.html">x</a><a href="#nowhere">y</a>'
                           '<script>console.error("boom")</script>')
    problems = "\n".join(check_gallery.check(root, None))
    assert "index.html: image did not load" in problems and "missing.png" in problems
    assert "index.html: broken local link: nope.html" in problems
    assert "index.html: link to a missing anchor: #nowhere" in problems
    assert "console error" in problems and "boom" in problems


def _png(path: Path, width: int) -> None:
    from PIL import Image

    Image.new("RGB", (width, 20), "white").save(path)


def _figure(name: str, style: str = "", text_pt: str | None = "9") -> str:
    size = f' data-min-text-pt="{text_pt}"' if text_pt is not None else ""
    return (f'<img class="sphx-glr-single-img" src="{name}" style="max-width: 100%; {style}">'
            f'<details class="vizkit-description" data-image="{name}"{size}><summary>s</summary></details>')


def test_a_figure_shown_below_its_size_or_with_small_text_is_reported(tmp_path, capsys):
    root = _site(tmp_path, _figure("fits.png") + _figure("wide.png") + _figure("squeezed.png", "width: 300px")
                 + _figure("tiny_text.png", text_pt="7.5") + _figure("undescribed.png", text_pt=None))
    for name, width in [("fits", 600), ("wide", 2400), ("squeezed", 600), ("tiny_text", 600), ("undescribed", 600)]:
        _png(root / f"{name}.png", width)
    problems = "\n".join(check_gallery.check(root, None))
    assert "fits.png" not in problems
    assert "index.html: wide.png: shown at" in problems  # wider than the 1280 px window
    assert "index.html: squeezed.png: shown at 50% (300 of 600 px)" in problems
    assert "index.html: tiny_text.png: smallest text shown at 7.5 pt (below 8 pt)" in problems
    assert "index.html: undescribed.png: no description block says how large its text is" in problems
    report = capsys.readouterr().out
    assert "browser check: 5 figures; smallest scale" in report and "smallest text 4.5 pt (squeezed.png)" in report
