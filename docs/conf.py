"""Sphinx configuration of the coopeval documentation (``make docs``).

Generated pages (frameworks, methods, notebooks, API) are written to ``docs/generated/`` by
``_ext/coopeval_docs.py`` and by autosummary; nothing there is edited by hand.

Environment:
``COOPEVAL_DOCS_EXECUTE`` — MyST-NB execution mode of the notebooks: ``cache`` (default,
executed once then reused from ``docs/_build/.jupyter_cache``) or ``off`` (rendered without
outputs, as the quick build of the test suite does; notebooks are executed by their own test).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))

import coopeval_docs  # noqa: E402

import coopeval  # noqa: E402

coopeval_docs.generate()

project = "coopeval"
author = "coopeval developers"
copyright = "2026, coopeval developers"  # noqa: A001 - Sphinx's name
version = release = coopeval.__version__
language = "fr"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "myst_nb",
    "sphinx_design",
    "coopeval_docs",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_ext", "_templates", "**.ipynb_checkpoints", "README.md"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# --- API reference: autosummary walks the whole package (no hand list of modules)
autosummary_generate = True
autosummary_generate_overwrite = True
autosummary_imported_members = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # types are in the numpydoc Parameters section
autodoc_mock_imports: list[str] = []
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# --- notebooks (MyST-NB)
nb_execution_mode = os.environ.get("COOPEVAL_DOCS_EXECUTE", "cache")
# the kernels inherit this environment: draw figures inline even when the build runs with Agg
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_timeout = 900
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# --- links to the libraries we wrap (offline builds: no inventory is fetched)
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

# --- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"coopeval {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
suppress_warnings = ["mystnb.unknown_mime_type"]
