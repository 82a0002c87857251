"""Sphinx configuration of the vizkit gallery (built by `make gallery`).

The example scripts live one level up, in gallery/<section>/plot_*.py; each
section is a lecture of shared/docs/lectures.md, in course order.
"""

import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, os.path.dirname(__file__))  # vizkit_scraper, named by its dotted path below

import vizkit  # noqa: E402

project = "vizkit"
author = "the vizkit developers"
copyright = "the vizkit developers"
version = release = vizkit.__version__

extensions = ["sphinx_gallery.gen_gallery"]
html_theme = "furo"
html_title = "vizkit gallery"
html_show_sphinx = False
html_static_path = ["_static"]
html_css_files = ["gallery.css"]  # figures at 100 %: the content column, descriptions (see the file)
html_favicon = "_static/favicon.svg"
exclude_patterns = ["_build"]

sphinx_gallery_conf = {
    "examples_dirs": "..",
    "gallery_dirs": "auto_gallery",
    # VIZKIT_GALLERY_PATTERN runs only the scripts whose path matches it (the others are listed,
    # not run): `VIZKIT_GALLERY_PATTERN=plot_highlight make gallery` to work on one page.
    "filename_pattern": os.environ.get("VIZKIT_GALLERY_PATTERN", r"/plot_"),
    "ignore_pattern": r"__init__\.py|/_sphinx/|/_build/",
    "within_subsection_order": "FileNameSortKey",
    "reset_modules": ("matplotlib", "seaborn"),
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_memory": False,
    "min_reported_time": 1,
    "capture_repr": (),
    "image_scrapers": ("vizkit_scraper.describe_and_scrape",),
    "image_srcset": ["2x"],  # a second image at twice the resolution, for sharp screens
}


def _hide_toc(app, docname, source):
    """No "on this page" sidebar: its room goes to the figures (``_static/gallery.css``)."""
    source[0] = ":hide-toc:\n\n" + source[0]


def setup(app):
    app.connect("source-read", _hide_toc)
