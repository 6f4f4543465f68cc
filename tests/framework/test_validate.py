"""Framework YAML validation: a corpus of malformed files, each with a precise error.

Each file in ``malformed/`` carries its expectation: a first line ``# expect-key: K`` (a
fragment of the key the error must name) and the comment ``# <- erreur attendue`` on the
line the error must point to (line 1 when the file has no such marker).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import coopeval as ce
from coopeval.errors import FrameworkError

HERE = Path(__file__).parent
MALFORMED = sorted((HERE / "malformed").glob("*.yaml"))


def _expectation(path: Path) -> tuple[str, int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    key = re.match(r"# expect-key: (.+)", lines[0]).group(1).strip()
    marked = [i + 1 for i, line in enumerate(lines) if "# <- erreur attendue" in line]
    return key, (marked[0] if marked else 1)


def test_corpus_is_large_enough():
    assert len(MALFORMED) >= 15


@pytest.mark.parametrize("path", MALFORMED, ids=[p.stem for p in MALFORMED])
def test_malformed_file_names_file_line_and_key(path):
    key, line = _expectation(path)
    with pytest.raises(FrameworkError) as info:
        ce.load_framework(path)
    err = info.value
    assert isinstance(err, ce.CoopevalError)
    # never a raw pydantic / yaml exception chained or leaked
    assert err.__cause__ is None
    assert "pydantic" not in str(err).lower()
    assert "Traceback" not in str(err)
    assert str(path) in str(err)
    hits = [i for i in err.issues if i.where == f"{path}, line {line}" and key in i.key]
    assert hits, f"no issue at line {line} naming {key!r}; got:\n{err}"
    hit = hits[0]
    assert hit.expected and hit.found
    # the issues table is tidy
    table = err.to_frame()
    assert list(table.columns) == ["where", "key", "expected", "found"]
    assert len(table) == len(err.issues)


def test_all_errors_of_a_file_are_reported_at_once(tmp_path):
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8")
    text = text.replace("direction: increase", "direction: up", 1)
    text = text.replace("kind: quantitative", "kind: quantitatif")
    text = text.replace("    label_fr: Social\n", "")
    path = tmp_path / "three.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        ce.load_framework(path)
    keys = sorted(i.key for i in info.value.issues)
    assert keys == ["appartenance.direction", "participants.kind", "social.label_fr"]
    assert "(3 problems)" in str(info.value)


def test_valid_mini_loads_and_matches_raw_yaml():
    path = HERE / "valid_mini.yaml"
    fw = ce.load_framework(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw_inds = [i for d in raw["dimensions"] for c in d["criteria"] for i in c["indicators"]]
    assert fw.indicator_ids == [i["id"] for i in raw_inds]
    assert fw.items["item"].tolist() == ["app_1"]


def test_not_utf8_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: r\ntitle_fr: Référentiel\n".encode("latin-1"))
    with pytest.raises(FrameworkError, match="UTF-8"):
        ce.load_framework(path)


def test_missing_file_and_unknown_builtin(tmp_path):
    with pytest.raises(FrameworkError, match="existing YAML file"):
        ce.load_framework(tmp_path / "absent.yaml")
    with pytest.raises(FrameworkError, match="built-in framework id") as info:
        ce.load_framework("cooperation_territorial")
    assert "cooperation_territoriale" in str(info.value)


def test_yaml_text_is_accepted():
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8")
    fw = ce.Framework.from_yaml(text)
    assert fw.id == "mini" and fw.source == "<yaml text>"


def test_quoted_numbers_are_refused(tmp_path):
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8").replace("upper: 100", 'upper: "100"')
    with pytest.raises(FrameworkError, match="expected a number"):
        ce.Framework.from_yaml(text)


def test_binary_bounds_default_to_zero_one():
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8")
    text = text.replace("kind: quantitative", "kind: binary").replace("            lower: 0\n            upper: 100\n", "")
    fw = ce.Framework.from_yaml(text)
    row = fw.indicators.set_index("indicator").loc["participants"]
    assert (row["lower"], row["upper"]) == (0.0, 1.0)


def test_every_problem_of_one_indicator_is_reported(tmp_path):
    """A type error on one field must not hide the tree-level problems of the same indicator."""
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8")
    text = text.replace("direction: increase", "direction: augmenter", 1)
    text = text.replace("            lower: 1\n            upper: 5\n", "            lower: 5\n            upper: 1\n")
    text = text.replace("source: survey", "source: accounts")
    with pytest.raises(FrameworkError) as info:
        ce.Framework.from_yaml(text)
    keys = sorted(i.key for i in info.value.issues)
    assert keys == ["appartenance.direction", "appartenance.items", "appartenance.upper"]


def test_python_data_errors_have_no_line(fw):
    with pytest.raises(FrameworkError) as info:
        fw.override("part_cdi", direction="augmenter")
    (issue,) = info.value.issues
    assert "line" not in issue.where and "(adapted)" in issue.where


# ---------------------------------------------------------------------- issue 16
def test_all_dimension_weights_zero_is_refused(tmp_path):
    """A framework whose dimensions all weigh 0 was accepted (every score then 0.0)."""
    import yaml

    data = yaml.safe_load(ce.load_framework("cooperation_territoriale").to_yaml())
    for dim in data["dimensions"]:
        dim["weight"] = 0
    path = tmp_path / "zero.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ce.FrameworkError, match=r"zero.yaml, line \d+: `cooperation_territoriale.dimensions`: "
                                                r"expected at least one dimension with a weight > 0"):
        ce.load_framework(path)


@pytest.mark.parametrize("text", ["id: &a\n  x: *a\n",
                                  "id: x\nversion: 1\ndimensions: &d\n  - id: soc\n    criteria: *d\n"])
def test_yaml_alias_cycle_is_a_framework_error(tmp_path, text):
    """A YAML alias cycle made ``load_framework`` raise RecursionError."""
    path = tmp_path / "cycle.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ce.FrameworkError, match=r"cycle.yaml, line \d+: `\(YAML alias\)`.*refers to itself"):
        ce.load_framework(path)


@pytest.mark.skipif(not getattr(__import__("yaml"), "__with_libyaml__", False), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("fid", ["cooperation_territoriale", "gadrey_2004", "loi_ess_2014", "monnaie_locale",
                                 "tiers_lieu", "tzcld"])
def test_libyaml_reads_frameworks_as_pyyaml_does(fid, monkeypatch):
    """Frameworks are read by libyaml when PyYAML has it: the same data and the same line of every
    key and value as PyYAML's own parser (the reference), for every built-in framework."""
    from coopeval.framework import yaml_lines
    from coopeval.framework.registry import _builtin_files

    text = _builtin_files()[fid].read_text(encoding="utf-8")
    fast_data, fast = yaml_lines.parse_yaml(text, "f.yaml")
    monkeypatch.setattr(yaml_lines, "_FAST_LOADER", None)
    data, ref = yaml_lines.parse_yaml(text, "f.yaml")
    assert fast_data == data and fast.value_line == ref.value_line and fast.key_line == ref.key_line
    assert len(ref.value_line) > 100 and not ref.issues and not fast.issues
