"""Open the built gallery in headless Chromium and check what a reader would see.

Usage: python tools/check_gallery.py gallery/_build/html [--screenshot DIR]

For the index page, every section page and every example page it checks:
- every image loaded (``naturalWidth > 0``), lazy ones included;
- every local link, stylesheet and script resolves (HTTP 200 from a server on
  127.0.0.1), and every same-page ``#anchor`` has its target;
- the browser console shows no error;
- every figure is shown at 100 %: its displayed width is at least ``MIN_SCALE`` of
  its natural width (a figure scaled down makes its text smaller than drawn), and
  its smallest text, as displayed, is at least ``MIN_TEXT_PT`` points (the
  gallery's scraper writes each figure's smallest text at 100 % beside it).
It reports the smallest scale and text size it saw. It saves a screenshot of every page it opened under DIR (index.png first).
Needs Debian's chromium and chromium-driver (tools/ensure_chromium.sh).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
         "--window-size=1280,1400"]

MIN_SCALE = 0.95  # displayed width / natural width of a figure
MIN_TEXT_PT = 8.0  # smallest text of a figure as displayed, in points (1 CSS px = 0.75 pt)

# Each figure (not thumbnails): natural and displayed width, and its smallest text at 100 %.
_FIGURES_JS = """
const sizes = {};
document.querySelectorAll("details.vizkit-description[data-image]").forEach(d => {
  sizes[d.dataset.image] = parseFloat(d.dataset.minTextPt || "NaN");
});
return Array.from(document.querySelectorAll("img.sphx-glr-single-img, img.sphx-glr-multi-img"))
  .filter(img => img.offsetParent !== null)
  .map(img => {
    const name = (img.currentSrc || img.src).split("/").pop().replace(/_\\d+_\\d+x(\\.\\w+)$/, "$1");
    return {name: name, natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
            text_pt: sizes[name] ?? null};
  });
"""

# Make lazy images load, wait for every image, and report the broken ones.
_IMAGES_JS = """
const done = arguments[arguments.length - 1];
const images = Array.from(document.images);
images.forEach(img => { img.loading = "eager"; });
Promise.all(images.map(img => img.decode().catch(() => null))).then(() => {
  done({count: images.length,
        broken: images.filter(img => img.naturalWidth === 0).map(img => img.currentSrc || img.src)});
});
"""
_LINKS_JS = """
const urls = [];
document.querySelectorAll("a[href], link[href]").forEach(e => urls.push(e.href));
document.querySelectorAll("script[src], img[src]").forEach(e => urls.push(e.src));
const anchors = Array.from(document.querySelectorAll('a[href^="#"]'))
  .map(a => a.getAttribute("href").slice(1))
  .filter(id => id && !document.getElementById(decodeURIComponent(id)) && !document.getElementsByName(id).length);
return {urls: urls, missing_anchors: anchors};
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep CI output to the findings
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser hung up: not a finding
            super().handle_error(request, client_address)


def _serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _driver(profile: str):
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager fetch a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@functools.lru_cache(maxsize=None)
def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _pages(root: Path) -> list[Path]:
    gallery = root / "auto_gallery"
    pages = [root / "index.html", gallery / "index.html"]
    pages += sorted(p for p in gallery.rglob("*.html") if p.name == "index.html" and p.parent != gallery)
    pages += sorted(gallery.rglob("plot_*.html"))
    return pages


def check(root: Path, screenshots: Path | None) -> list[str]:
    problems: list[str] = []
    server, base = _serve(root)
    profile = tempfile.TemporaryDirectory(prefix="vizkit-chromium-")
    driver = _driver(profile.name)
    n_images = n_links = 0
    figures: list[dict] = []
    pages = _pages(root)
    try:
        for page in pages:
            rel = page.relative_to(root).as_posix()
            driver.get(base + rel)
            images = driver.execute_async_script(_IMAGES_JS)
            n_images += images["count"]
            problems += [f"{rel}: image did not load: {src}" for src in images["broken"]]
            for figure in driver.execute_script(_FIGURES_JS):
                figure["page"] = rel
                figures.append(figure)
                problems += _figure_problems(figure)
            links = driver.execute_script(_LINKS_JS)
            problems += [f"{rel}: link to a missing anchor: #{a}" for a in links["missing_anchors"]]
            for url in sorted(set(links["urls"])):
                if not url.startswith(base):  # outside links: a failed resource shows as a console error
                    continue
                n_links += 1
                target = urldefrag(url)[0]
                if _status(target) != 200:
                    problems.append(f"{rel}: broken local link: {target[len(base):]}")
            for entry in driver.get_log("browser"):
                if entry["level"] == "SEVERE":
                    problems.append(f"{rel}: console error: {entry['message']}")
            if screenshots is not None:
                screenshots.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(screenshots / (rel.removesuffix(".html").replace("/", "__") + ".png")))
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()
        profile.cleanup()
    print(f"browser check: {len(pages)} pages, {n_images} images, {n_links} local links checked")
    print(_figure_report(figures))
    return problems


def _scale(figure: dict) -> float:
    return figure["shown"] / figure["natural"] if figure["natural"] else 0.0


def _figure_problems(figure: dict) -> list[str]:
    where = f"{figure['page']}: {figure['name']}"
    problems = []
    if _scale(figure) < MIN_SCALE:
        problems.append(f"{where}: shown at {_scale(figure):.0%} ({figure['shown']:.0f} of {figure['natural']} px)")
    if figure["text_pt"] is None:
        problems.append(f"{where}: no description block says how large its text is")
    elif figure["text_pt"] * _scale(figure) < MIN_TEXT_PT:
        problems.append(f"{where}: smallest text shown at {figure['text_pt'] * _scale(figure):.1f} pt "
                        f"(below {MIN_TEXT_PT:g} pt)")
    return problems


def _figure_report(figures: list[dict]) -> str:
    """One line: how many figures, the smallest scale and the smallest text as displayed, and where."""
    if not figures:
        return "browser check: no figures"
    smallest = min(figures, key=_scale)
    sized = [f for f in figures if f["text_pt"] is not None]
    line = (f"browser check: {len(figures)} figures; smallest scale {_scale(smallest):.0%} "
            f"({smallest['name']}, {smallest['shown']:.0f} of {smallest['natural']} px)")
    if sized:
        tiny = min(sized, key=lambda f: f["text_pt"] * _scale(f))
        line += f"; smallest text {tiny['text_pt'] * _scale(tiny):.1f} pt ({tiny['name']})"
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built gallery (gallery/_build/html)")
    parser.add_argument("--screenshot", type=Path, default=None, help="folder for page screenshots")
    args = parser.parse_args()
    if not (args.html / "index.html").exists():
        print(f"no gallery at {args.html}: run `make gallery` first", file=sys.stderr)
        return 2
    problems = check(args.html, args.screenshot)
    for problem in problems:
        print(f"  FAIL {problem}")
    print("browser check: " + (f"{len(problems)} problem(s)" if problems else "all pages ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
