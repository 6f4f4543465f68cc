"""The files of a maintained package: licence, changelog, citation, contributing guide,
test targets, and the warnings policy of the test configuration."""

from __future__ import annotations

import json
import re
import types
from pathlib import Path

import pytest
import yaml

import coopeval as ce

ROOT = Path(__file__).resolve().parents[1]
#: Citation File Format 1.2.0 JSON schema, copied from cffconvert 2.0.0
#: (cffconvert/schemas/1.2.0/schema.json; the schema published at
#: https://citation-file-format.github.io/1.2.0/schema.json, CC-BY-4.0).
CFF_SCHEMA = ROOT / "tests" / "reference" / "citation" / "cff-1.2.0.schema.json"


def test_citation_cff_is_valid_and_current():
    jsonschema = pytest.importorskip("jsonschema")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema, cls=jsonschema.Draft7Validator)
    assert str(cff["version"]) == ce.__version__
    assert cff["license"] == "MIT"


def test_citation_schema_rejects_a_broken_file():
    """The validation above can fail: a file without authors is refused."""
    jsonschema = pytest.importorskip("jsonschema")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    del cff["authors"]
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cff, schema, cls=jsonschema.Draft7Validator)


def test_licence_is_mit_as_declared():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_changelog_follows_keep_a_changelog():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "keepachangelog.com" in text
    assert "## [Unreleased]" in text
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, flags=re.M)
    assert versions and versions[0][0] == ce.__version__


def test_contributing_says_how_to_test_build_notebooks_and_add_a_method():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needle in ("make test-fast", "make test", "notebooks/_build/", "make docs", "tests/reference/"):
        assert needle in text, needle
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test-fast:", makefile, flags=re.M) and re.search(r"^docs:", makefile, flags=re.M)


def _warn_from(module_name: str, category: type[Warning]) -> None:
    module = types.ModuleType(module_name)
    exec("import warnings\ndef f(c):\n    warnings.warn('x', c, stacklevel=1)\n", module.__dict__)  # noqa: S102
    module.f(category)


@pytest.mark.parametrize("category", [DeprecationWarning, FutureWarning, PendingDeprecationWarning])
def test_deprecations_raised_from_coopeval_code_are_errors(category):
    """pyproject's filterwarnings turns a deprecation attributed to coopeval into an error
    (third-party libraries' own deprecations are only reported)."""
    with pytest.raises(category):
        _warn_from("coopeval.scoring.fake", category)

