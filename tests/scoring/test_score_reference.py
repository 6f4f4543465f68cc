"""``ce.score`` equals a plain pandas assembly of the same steps, to the last bit (issue 21).

The scoring path was made faster (text ids factorised as plain objects and hashed once per run
of equal ids, rows found by hashing, the tidy table's text columns taken from their distinct
values, relative goalposts applied without building report tables). No number may change: this
test rebuilds the Scores table with plain pandas, written from the contracts rather than from
the code it checks —

- relative values as ``coopeval/scoring/relative.py`` states them: ``x / d × scale`` with ``d``
  merged from the reference variable's rows (OECD & JRC 2008, step 5), then ``x / x₀`` or
  ``x - x₀`` with ``x₀`` the first value in wave order (``wave_key``), unless a ``baseline``
  column gives it (OECD & JRC 2008, section 5.2);
- the matrix by ``DataFrame.pivot`` (rows sorted by wave then unit);
- the same numerical cores (``normalise_matrix``, ``evaluate``), which this change leaves alone;
- the long table level block by level block, each text column built element by element;

and requires ``pd.testing.assert_frame_equal(check_exact=True)`` (dtypes included) on the
benchmark's synthetic data, the bundled sample (every wave; wave 3 alone with its ``baseline``
column), COINr's ASEM example and a framework with relative goalposts (a reference variable,
ratio and difference, zero, missing and given baselines, several waves).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.contracts import wave_key
from coopeval.scoring.aggregate import declared_methods, resolve_methods
from coopeval.scoring.coinr import from_coinr
from coopeval.scoring.normalise import check_range, indicator_meta, normalise_matrix
from coopeval.scoring.plan import compile_plan
from coopeval.scoring.tree import evaluate
from coopeval.scoring.weights import local_weights

HERE = Path(__file__).resolve().parent
RUN = HERE.parents[1] / "benchmarks" / "run.py"
ASEM = HERE.parent / "reference" / "scoring" / "coinr_asem"


def _relative(obs: pd.DataFrame, fw: ce.Framework) -> pd.DataFrame:
    """Relative values of the indicators with relative goalposts (the module contract, point by point)."""
    out = obs.assign(value=pd.to_numeric(obs["value"], errors="coerce").astype(float))
    for r in fw.relative_goalposts.itertuples():
        rows = (out["indicator"] == r.indicator).to_numpy()
        if not rows.any():
            continue
        if r.per is not None:  # point 1: x / d × scale, d of the same unit and wave
            d = out[out["indicator"] == r.per].set_index(["unit", "wave"])["value"]
            dv = d.reindex(pd.MultiIndex.from_frame(out.loc[rows, ["unit", "wave"]])).to_numpy()
            x = out.loc[rows, "value"].to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                out.loc[rows, "value"] = np.where(np.isfinite(dv) & (dv != 0), x / dv * r.scale, np.nan)
        if r.relative_to == "baseline":  # point 2: against the first wave with a value, or the one given
            sub = out[rows]
            ordered = sub.dropna(subset=["value"]).assign(key=lambda t: [wave_key(w) for w in t["wave"]])
            first = ordered.sort_values("key", kind="stable").groupby("unit", sort=False)["value"].first()
            b = sub["unit"].map(first).astype(float)
            if "baseline" in sub.columns:
                given = pd.to_numeric(sub["baseline"], errors="coerce").astype(float)
                b = given.where(given.notna(), b)
            x, b = sub["value"].to_numpy(), b.to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                out.loc[rows, "value"] = np.where(b != 0, x / b, np.nan) if r.change == "ratio" else x - b
    return out


def _reference(obs: pd.DataFrame, fw: ce.Framework, weights=None, normalisation=None, aggregation=None,
               output_range=(0, 100), min_coverage=0.5) -> pd.DataFrame:
    plan = compile_plan(fw)
    normalisation, aggregation = declared_methods(fw, normalisation, aggregation)
    methods = resolve_methods(plan, aggregation)
    w = local_weights(fw, plan, weights)[None, :]
    df = _relative(obs, fw)
    df = df[df["indicator"].isin(plan.indicators)]
    wide = df.pivot(index=["wave", "unit"], columns="indicator", values="value").reindex(columns=plan.indicators)
    rows = wide.index.to_frame(index=False)
    wave_index = pd.factorize(rows["wave"], sort=True)[0]
    v = normalise_matrix(wide.to_numpy(dtype=float), indicator_meta(fw, plan), wave_index, normalisation,
                         check_range(output_range))
    result = evaluate(plan, v, w, methods, min_coverage=min_coverage)
    blocks = []
    for level in ("indicator", "criterion", "dimension", "overall"):
        if level == "indicator":
            nodes = list(plan.indicators)
            s = v
            cov = (~np.isnan(s)).astype(float)
        else:
            nodes = [k for k in [*plan.nodes, "overall"] if plan.level[k] == level]
            if not nodes:
                continue
            s = np.column_stack([result[k][0][0] for k in nodes])
            cov = np.nan_to_num(np.column_stack([result[k][1][0] for k in nodes]), nan=0.0)
        blocks.append(pd.DataFrame({
            "unit": [u for u in rows["unit"] for _ in nodes],
            "wave": [wv for wv in rows["wave"] for _ in nodes],
            "level": [level] * s.size,
            "node": nodes * len(rows),
            "score": s.ravel(),
            "coverage": cov.ravel(),
        }))
    return pd.concat(blocks, ignore_index=True)


def _bench():
    spec = importlib.util.spec_from_file_location("coopeval_bench_run", RUN)
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    fw = run.make_framework()
    return run.make_obs(fw, 300), fw


def _relative_fw():
    def ind(id_, lower, upper, goalposts=None, **extra):
        out = {"id": id_, "label_fr": id_, "label_en": id_, "unit": "nombre", "kind": "quantitative",
               "direction": "increase", "lower": lower, "upper": upper, "source": "register", **extra}
        return out if goalposts is None else {**out, "goalposts": goalposts}

    return ce.Framework.from_dict({
        "id": "relatif", "title_fr": "Relatif", "title_en": "Relative",
        "reference_variables": [{"id": "membres", "label_fr": "Membres", "label_en": "Members", "unit": "personnes"}],
        "dimensions": [
            {"id": "d", "label_fr": "D", "label_en": "D", "indicators": [
                ind("benevolat", 0, 40, {"per": "membres"}),
                ind("evenements", 0.5, 2, {"relative_to": "baseline"}, transform="log"),
                ind("dechets", -100, 100, {"relative_to": "baseline", "change": "difference"}),
                ind("participants", 0.5, 2, {"per": "membres", "scale": 10, "relative_to": "baseline"}),
            ]},
            {"id": "e", "label_fr": "E", "label_en": "E", "indicators": [ind("brut", 0, 10, direction="decrease")]},
        ],
    })


def _relative_obs(seed: int = 4) -> pd.DataFrame:
    """30 units × 3 waves, rows shuffled, 15 % of values missing, some zero baselines."""
    rng = np.random.default_rng(seed)
    ids = ["benevolat", "evenements", "dechets", "participants", "brut", "membres"]
    n = 30 * 3 * len(ids)
    obs = pd.DataFrame({"unit": np.repeat([f"c{i:02d}" for i in range(30)], 3 * len(ids)),
                        "wave": np.tile(np.repeat([2022, 2023, 2024], len(ids)), 30),
                        "indicator": np.tile(ids, 90), "value": rng.uniform(0, 60, n).round(1)})
    obs.loc[rng.random(n) < 0.15, "value"] = np.nan
    obs.loc[(obs["wave"] == 2022) & (obs["unit"] < "c04") & (obs["indicator"] == "evenements"), "value"] = 0.0
    return obs.sample(frac=1, random_state=seed).reset_index(drop=True)


def _cases():
    obs, fw = _bench()
    yield "benchmark", obs, fw, {}
    yield "benchmark, minmax per wave", obs.assign(wave=np.arange(len(obs)) // 40 % 3), fw, \
        {"normalisation": "minmax_wave"}
    ev = ce.Evaluation.sample()
    yield "sample", ev.values, ev.fw, {"weights": ev.weightset(), **ev.score_options()}
    only3 = ce.Evaluation.sample(waves=[3])
    assert "baseline" in only3.values
    yield "sample wave 3, baseline column", only3.values, only3.fw, \
        {"weights": only3.weightset(), **only3.score_options()}
    fa, oa = from_coinr(pd.read_csv(ASEM / "asem_idata.csv"), pd.read_csv(ASEM / "asem_imeta.csv"))
    yield "ASEM, minmax", oa, fa, {"normalisation": "minmax"}
    yield "ASEM, geometric", oa, fa, {"normalisation": "minmax", "output_range": (1, 100),
                                      "aggregation": "geometric", "min_coverage": 0}
    fr, orl = _relative_fw(), _relative_obs()
    yield "relative goalposts, missing values", orl, fr, {"min_coverage": 0}
    base = ce.scoring.relative.relativise(orl, fr).baselines[["unit", "indicator", "baseline"]]
    w24 = orl[orl["wave"] == 2024].merge(base, on=["unit", "indicator"], how="left")
    w24.loc[w24["unit"] < "c10", "baseline"] = np.nan  # these fall back on the waves given
    yield "relative goalposts, baseline column", w24, fr, {"min_coverage": 0}


@pytest.mark.parametrize("name", [c[0] for c in _cases()])
def test_score_equals_plain_pandas_assembly(name):
    _, obs, fw, kw = next(c for c in _cases() if c[0] == name)
    got = ce.score(obs, fw, **kw)
    assert len(got) and got["score"].notna().any()
    pd.testing.assert_frame_equal(got, _reference(obs, fw, **kw), check_exact=True)


def test_integer_counts_with_relative_goalposts_score_as_floats():
    """Counts given as integers (pandas int64) raised a bare TypeError in the relative step
    (pandas refuses fractions in an integer column); they score as the same counts written as floats."""
    fr = _relative_fw()
    obs = _relative_obs().dropna().assign(value=lambda t: (t["value"] * 10).astype(int))
    pd.testing.assert_frame_equal(ce.score(obs, fr, min_coverage=0),
                                  ce.score(obs.astype({"value": float}), fr, min_coverage=0), check_exact=True)
    assert ce.scoring.relative.relativise(obs, fr).data["value"].dtype == np.float64


def _id_columns():
    rng = np.random.default_rng(7)
    units = np.repeat([f"u{i}" for i in rng.permutation(40)], 5)  # runs of equal ids
    yield pd.Series(units, dtype="str")
    yield pd.Series(units, dtype="str").sample(frac=1, random_state=1).reset_index(drop=True)  # no runs
    yield pd.Series(np.where(rng.random(200) < 0.1, None, units), dtype="str")  # empty cells
    yield pd.Series(np.where(rng.random(200) < 0.1, None, units), dtype="string")  # pd.NA cells
    yield pd.Series(np.repeat([3, "b", 2.5, "a"], 50), dtype=object)  # mixed types, which do not sort
    yield pd.Series(np.repeat([2024, 2022, 2023, 2022], 50))
    yield pd.Series(units).astype("category")


@pytest.mark.parametrize("col", list(_id_columns()), ids=lambda c: str(c.dtype))
def test_id_codes_and_duplicates_equal_pandas(col):
    """The matrix's id codes equal ``pd.factorize(sort=True)`` (or in order of appearance when
    the ids do not sort), and ``check_long``'s duplicates equal ``DataFrame.duplicated``."""
    from coopeval.scoring._long import duplicated
    from coopeval.scoring.matrix import _factorize

    try:
        want = pd.factorize(col, sort=True)
    except TypeError:
        want = pd.factorize(col)
    codes, uniq = _factorize(col)
    np.testing.assert_array_equal(codes, want[0])
    assert list(uniq) == list(want[1])
    df = pd.DataFrame({"unit": col, "wave": np.arange(len(col)) % 3, "indicator": "x"})
    for keys in (["unit"], ["unit", "wave"], ["unit", "wave", "indicator"]):
        np.testing.assert_array_equal(duplicated(df, keys), df.duplicated(keys, keep=False).to_numpy())
