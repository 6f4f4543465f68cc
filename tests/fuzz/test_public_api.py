"""Fuzzing the public API (issue 16): every input works or raises a CoopevalError, never another
exception, never a partial write.

Hypothesis draws frameworks (mutated YAML), observations, responses, judgements, CSV and Excel
files and store calls, each mixing valid values with the hostile ones found by hand (empty
cells, text in numbers, infinities, huge and negative numbers, unknown ids, YAML aliases,
wrong types). A function may accept the input (the result is then checked to be a DataFrame
or the documented type) or refuse it with a :class:`coopeval.CoopevalError` subclass whose
message names a parameter, a column or a location; any other exception fails the test. The
store calls check the row counts of every table before and after a refused call: unchanged.
Sizes are kept small so that the whole file runs in well under a minute.
"""

from __future__ import annotations

import math
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coopeval as ce

FW = ce.load_framework("cooperation_territoriale")
MINI = (Path(__file__).parents[1] / "framework" / "valid_mini.yaml").read_text(encoding="utf-8")
FAST = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))

IDS = st.one_of(st.sampled_from(FW.indicator_ids[:6] + ["inconnu", "", " ", "overall", "social"]),
                st.text(string.ascii_letters + "_é·", max_size=8))
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12),
                    st.sampled_from(["douze", "", "1,5", "3", None, True, "1e400", "-0"]))
WAVES = st.one_of(st.integers(1990, 2040), st.sampled_from(["2024", "", None, 2024.5, "vague 1"]))


def _refused_or_ok(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    """Call ``fn``: its result, or None if it raised a CoopevalError naming where the problem is."""
    try:
        return fn(*args, **kwargs)
    except ce.CoopevalError as err:
        text = str(err)
        assert text.strip(), "an empty error message"
        assert any(w in text for w in ("parameter", "`", "line", "row", "cell", "file", "column", ":")), text
        return None


def _frame(columns: dict, n: int) -> pd.DataFrame:
    return pd.DataFrame({c: [v[i % len(v)] for i in range(n)] if v else [None] * n for c, v in columns.items()})


@st.composite
def tables(draw, names: list[str], values: dict):
    n = draw(st.integers(0, 6))
    cols = draw(st.lists(st.sampled_from(names), min_size=0, max_size=len(names) + 1, unique=True))
    if draw(st.booleans()):
        cols = list(names)
    data = {c: draw(st.lists(values.get(c, IDS), min_size=1, max_size=3)) for c in cols}
    if draw(st.booleans()):
        data[draw(st.sampled_from(["extra", "email", "Unnamed: 0"]))] = ["x"]
    return _frame(data, n)


# ---------------------------------------------------------------------- frameworks
@st.composite
def framework_texts(draw):
    data = yaml.safe_load(MINI)
    kind = draw(st.sampled_from(["mutate", "garbage", "alias", "drop"]))
    if kind == "garbage":
        return draw(st.text(max_size=80))
    if kind == "alias":
        return draw(st.sampled_from(["a: &x [*x]\n", "id: &a\n  b: *a\n", "dimensions: &d\n  - criteria: *d\n",
                                     "id: mini\ndimensions:\n  - &n {id: s, criteria: [*n]}\n"]))
    node = data["dimensions"][0]["criteria"][0]["indicators"][draw(st.integers(0, 1))]
    key = draw(st.sampled_from(["kind", "direction", "lower", "upper", "weight", "id", "items", "target", "unit"]))
    if kind == "drop":
        node.pop(key, None)
    else:
        node[key] = draw(st.one_of(NUMBERS, IDS, st.lists(IDS, max_size=2), st.just({})))
    if draw(st.booleans()):
        data["dimensions"][0]["weight"] = draw(st.sampled_from([0, -1, "un", None, 1e308]))
    return yaml.safe_dump(data, allow_unicode=True)


@FAST
@given(framework_texts())
def test_frameworks(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fw") / "f.yaml"
    path.write_text(text, encoding="utf-8")
    fw = _refused_or_ok(ce.load_framework, path)
    if fw is not None:
        assert isinstance(fw, ce.Framework)
        w = fw.default_weights()
        assert np.isfinite(w.to_numpy()).all() and (w >= 0).all()


# ---------------------------------------------------------------------- observations and scores
OBS = {"value": NUMBERS, "wave": WAVES, "indicator": IDS, "unit": IDS}


@FAST
@given(tables(["unit", "wave", "indicator", "value"], OBS))
def test_observations_and_scores(obs):
    clean = _refused_or_ok(ce.data.validate_observations, obs, FW)
    if clean is not None:
        assert isinstance(clean, pd.DataFrame)
    sc = _refused_or_ok(ce.score, obs, FW)
    if sc is not None:
        finite = sc["score"].dropna()
        assert ((finite >= 0) & (finite <= 100)).all()


# ---------------------------------------------------------------------- responses
RESP = {"value": NUMBERS, "wave": WAVES, "item": st.sampled_from(FW.items["item"].tolist()[:4] + ["x", ""]),
        "college": IDS, "respondent": IDS, "unit": IDS}


@FAST
@given(tables(["respondent", "unit", "wave", "college", "item", "value"], RESP))
def test_responses(resp):
    _refused_or_ok(ce.data.validate_responses, resp, FW)
    out = _refused_or_ok(ce.data.score_scales, resp, FW)
    if out is not None:
        assert isinstance(out, pd.DataFrame)


# ---------------------------------------------------------------------- judgements
JUDG = {"value": NUMBERS, "round": st.sampled_from([1, 2, 0, -1, "1", None, 1.5]),
        "method": st.sampled_from(["points", "direct", "ranking", "ahp", "simos", "swing", "vote", None]),
        "node": st.sampled_from(FW.dimension_ids + ["overall", "social|emploi", "overall:z", "__blanc__", "x"]),
        "college": st.sampled_from(["habitants", "elus", "", None]), "participant": IDS, "session": IDS}


@FAST
@given(tables(["session", "round", "participant", "college", "method", "node", "value"], JUDG))
def test_judgements(j):
    _refused_or_ok(ce.weighting.validate_judgements, j, FW)
    ws = _refused_or_ok(ce.weighting.aggregate, j, FW)
    if ws is not None:
        local = ws.local.to_numpy(dtype=float)
        assert np.isfinite(local).all()


# ---------------------------------------------------------------------- files
@FAST
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda s: s.encode("utf-8")),
                 st.sampled_from([b"unit,wave,indicator,value\nT,2024,emplois_etp,12\n",
                                  b"unit;wave;indicator;value\nT;2024;emplois_etp;1,5\n",
                                  b"\xef\xbb\xbfunit,wave,indicator,value\nT,2024,emplois_etp,\"1e400\"\n",
                                  b"unit,wave\n\"a\n", b"unit,wave,indicator,value\n" + b"T,1,x,1\n" * 3])),
       st.sampled_from(["observations", "responses", "obs"]))
def test_csv_files(tmp_path_factory, content, kind):
    folder = tmp_path_factory.mktemp("csv")
    path = folder / "saisie.csv"
    path.write_bytes(content)
    out = _refused_or_ok(ce.data.read_csv, path, FW, kind=kind)
    if out is not None:
        assert isinstance(out, pd.DataFrame)
    assert [p.name for p in folder.iterdir()] == ["saisie.csv"]  # nothing written beside


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "modele.xlsx"
    ce.data.excel_template(FW, path, units=["T1", "T2"], waves=[2024])
    return path.read_bytes()


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(["Saisie", "Instructions", "Indicateurs", "_coopeval", "Autre"]),
                          st.sampled_from(["A1", "B2", "D9", "K1", "K9", "K10", "C5", "A2"]),
                          st.one_of(NUMBERS, IDS, st.just("=1/0"))), max_size=4),
       st.booleans(), st.binary(max_size=50))
def test_excel_files(tmp_path_factory, template, edits, corrupt, junk):
    import openpyxl

    folder = tmp_path_factory.mktemp("x")
    path = folder / "saisie.xlsx"
    path.write_bytes(template)
    wb = openpyxl.load_workbook(path)
    for sheet, cell, value in edits:
        if sheet == "Autre":
            wb.create_sheet("Autre")[cell] = str(value)
        elif sheet in wb.sheetnames:
            if cell == "A1" and value == "":
                del wb[sheet]
                continue
            wb[sheet][cell] = value if not (isinstance(value, float) and not math.isfinite(value)) else str(value)
    wb.save(path)
    if corrupt:
        path.write_bytes(path.read_bytes()[:200] + junk)
    out = _refused_or_ok(ce.data.read_excel, path, FW)
    if out is not None:
        assert isinstance(out, pd.DataFrame)


# ---------------------------------------------------------------------- store calls
@pytest.fixture(scope="module")
def store(tmp_path_factory):
    p = ce.Project.create(tmp_path_factory.mktemp("store") / "fuzz.coopeval", framework=FW)
    p.create_session("s")
    tok = p.add_participants("s", pd.DataFrame({"participant": ["a", "b"], "college": ["habitants", "elus"]}))
    p.open_round("s", 1, methods="points")
    return p, tok["token"].tolist()


CALLS = st.sampled_from(["import_observations", "import_responses", "import_resources", "set_setting", "submit",
                         "collective_view", "open_round", "close_round", "add_participants", "add_units",
                         "create_session", "framework", "judgements"])
ARGS = st.one_of(NUMBERS, IDS, st.none(), st.just(pd.DataFrame()), st.just({"a": 1}), st.lists(IDS, max_size=2))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(CALLS, ARGS, ARGS, tables(["unit", "wave", "indicator", "value", "node", "participant", "college",
                                   "category", "amount", "source", "unit_of_measure"], {**OBS, **JUDG}))
def test_store_calls(store, call, a, b, table):
    p, tokens = store
    before = p.counts()
    args = {
        "import_observations": lambda: p.import_observations(table),
        "import_responses": lambda: p.import_responses(table),
        "import_resources": lambda: p.import_resources(table),
        "set_setting": lambda: p.set_setting(a if isinstance(a, str) else "token_ttl_hours", b),
        "submit": lambda: p.submit(tokens[0] if a is None else a, table),
        "collective_view": lambda: p.as_role("collective").collective_view("s", a if a is not None else 1,
                                                                           min_group=b if b is not None else None),
        "open_round": lambda: p.open_round(a, b),
        "close_round": lambda: p.close_round(a, b),
        "add_participants": lambda: p.add_participants("s" if a is None else a, table),
        "add_units": lambda: p.add_units(table),
        "create_session": lambda: p.create_session(a),
        "framework": lambda: p.framework(a),
        "judgements": lambda: p.judgements(a, b),
    }[call]
    try:
        out = args()
    except ce.CoopevalError:
        after = p.counts()
        grown = {k: after[k] - before[k] for k in after if after[k] != before[k]}
        assert not grown, f"{call} refused but wrote {grown}"  # never a partial write
        return
    assert out is None or isinstance(out, (int, str, pd.DataFrame, ce.Framework))
