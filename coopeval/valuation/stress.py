"""Stress tests of the socio-economic model: largest funder leaves, volunteering falls,
a loan is called.

Scenarios are defined in ``indicators/scenarios_stress.yaml``. Each one changes the
finances lines of every cooperation and wave, then :func:`socio_economic_model` is
recomputed; the result compares a few indicators with the baseline, among them the
*cash balance* :math:`R_m - C - P` (monetary resources minus monetary costs minus loan
principal repaid in the year; the principal counts as 0 when it is not entered).

Example
-------
>>> import pandas as pd
>>> import coopeval as ce
>>> fin = pd.DataFrame({"line": ["ventes", "subventions_publiques", "charges_personnel", "emprunts"],
...                     "source": ["clients", "Ville", None, "banque"], "amount": [60.0, 40.0, 80.0, 50.0]})
>>> st = ce.valuation.stress_test(fin)
>>> st.query("indicator == 'cash_balance'")[["scenario", "baseline", "stressed"]].to_dict("records")[0]
{'scenario': 'largest_funder_leaves', 'baseline': 20.0, 'stressed': -20.0}
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import yaml

from coopeval.contracts import wave_key
from coopeval.errors import ValuationError
from coopeval.resources import indicators_dir
from coopeval.valuation.finances import socio_economic_model

__all__ = ["stress_test", "stress_profile", "scenarios", "STRESS_INDICATORS"]

#: Indicators compared by :func:`stress_test`.
STRESS_INDICATORS = ("cash_balance", "result_cash", "resources_monetary", "costs_cash", "own_resources_coverage",
                     "largest_funder_share", "hybridisation", "non_monetary_share")


@lru_cache(maxsize=1)
def _spec() -> dict:
    return yaml.safe_load((indicators_dir() / "scenarios_stress.yaml").read_text(encoding="utf-8"))


def scenarios(lang: str = "fr") -> pd.DataFrame:
    """The stress scenarios: ``scenario, label``."""
    return pd.DataFrame([{"scenario": k, "label": v["label_en" if lang == "en" else "label_fr"]}
                         for k, v in _spec()["scenarios"].items()])


def _cash_balance(model) -> pd.DataFrame:
    w = model.wide()
    repaid = model.lines[model.lines["line"] == "remboursement_emprunts"].groupby(["unit", "wave"])["value_eur"].sum()
    keys = list(zip(w["unit"], w["wave"], strict=True))
    w["cash_balance"] = w["result_cash"] - np.array([float(repaid.get(k, 0.0)) for k in keys])
    return w


def _apply(fin: pd.DataFrame, model, name: str, spec: dict) -> pd.DataFrame:
    out = []
    lines = model.lines
    for (unit, wave), g in fin.groupby(["unit", "wave"], sort=False):
        g = g.copy()
        if name == "largest_funder_leaves" or spec.get("remove") == "largest_non_market_funder":
            top = model.largest_funder.query("unit == @unit and wave == @wave")["source"].iloc[0]
            if top is not None:
                l_ = lines.query("unit == @unit and wave == @wave")
                drop = (l_["source"] == top) & (l_["category"] == "non_market")
                g = g[~drop.to_numpy()]
        elif "factor" in spec:
            l_ = lines.query("unit == @unit and wave == @wave")
            hit = (l_["line"] == spec["line"]).to_numpy()
            lost = float(l_.loc[hit, "value_eur"].sum() * (1 - spec["factor"]))
            g.loc[hit, "amount"] = g.loc[hit, "amount"] * spec["factor"]
            if lost > 0:
                g = pd.concat([g, pd.DataFrame([{"unit": unit, "wave": wave, "line": spec["replace_with"],
                                                 "amount": lost, "unit_of_measure": "EUR",
                                                 "source": "remplacement du bénévolat perdu"}])])
        elif "due_as" in spec:
            l_ = lines.query("unit == @unit and wave == @wave")
            due = float(l_.loc[l_["line"] == spec["line"], "value_eur"].sum())
            g = g[g["line"] != spec["due_as"]]
            if due > 0:
                g = pd.concat([g, pd.DataFrame([{"unit": unit, "wave": wave, "line": spec["due_as"], "amount": due,
                                                 "unit_of_measure": "EUR", "source": "emprunt exigé"}])])
        out.append(g)
    return pd.concat(out, ignore_index=True)


def stress_test(finances: pd.DataFrame, *, which: list[str] | None = None, proxies: dict[str, Any] | None = None,
                date: Any = None) -> pd.DataFrame:
    """Recompute the socio-economic model under each stress scenario.

    Parameters
    ----------
    finances : DataFrame
        As for :func:`coopeval.valuation.socio_economic_model`.
    which : list of str, optional
        Scenario codes (default: all of :func:`scenarios`).
    proxies, date
        Passed to :func:`coopeval.valuation.socio_economic_model`.

    Returns
    -------
    DataFrame
        ``unit, wave, scenario, indicator, baseline, stressed, change`` (``change =
        stressed - baseline``), one row per indicator of :data:`STRESS_INDICATORS`.

    Raises
    ------
    ValuationError
        An unknown scenario code.
    """
    specs, which, base_model, fin = _prepare(finances, which, proxies, date)
    base = _cash_balance(base_model).set_index(["unit", "wave"])
    rows = []
    for name in which:
        stressed = _cash_balance(socio_economic_model(_apply(fin, base_model, name, specs[name]), proxies=proxies,
                                                      date=date)).set_index(["unit", "wave"])
        for key in base.index:
            for ind in STRESS_INDICATORS:
                b = float(base.loc[key, ind])
                s = float(stressed.loc[key, ind]) if key in stressed.index else np.nan
                rows.append({"unit": key[0], "wave": key[1], "scenario": name, "indicator": ind,
                             "baseline": b, "stressed": s, "change": s - b})
    return pd.DataFrame(rows)


def stress_profile(finances: pd.DataFrame, fw: Any, *, observations: pd.DataFrame | None = None,
                   which: list[str] | None = None, proxies: dict[str, Any] | None = None, date: Any = None,
                   **score_options: Any) -> pd.DataFrame:
    """What each stress scenario does to the social-utility profile.

    The framework's economic indicators computed from the finances
    (:meth:`SocioEconomicModel.framework_observations`: self-financing, net result,
    dependence on the largest funder, non-monetary share, volunteering hours) move by what
    each scenario changes in the accounts. With ``observations``, an indicator entered there
    keeps its entered value in the baseline and becomes ``entered + (from the accounts under the
    scenario - from the accounts in the baseline)``; one not entered stays absent. The baseline
    is thus the profile of ``observations`` themselves, the one every other door shows. Without
    ``observations``, the accounts' values are used. The profile is scored with
    :func:`coopeval.score` in the baseline and under each scenario.

    Parameters
    ----------
    finances : DataFrame
    fw : Framework or str
        A framework holding those indicators (``cooperation_territoriale``).
    observations : DataFrame, optional
        The other observations (``unit, wave, indicator, value``).
    which, proxies, date
        As for :func:`stress_test`.
    **score_options
        Passed to :func:`coopeval.score` (``weights``, ``normalisation``…).

    Returns
    -------
    DataFrame
        ``unit, wave, scenario, level, node, baseline, stressed, change`` for the
        dimensions and the overall score.

    Examples
    --------
    >>> import coopeval as ce
    >>> fin = ce.datasets.load("la_butinerie", table="finances")
    >>> prof = ce.valuation.stress_profile(fin, "cooperation_territoriale", which=["loan_called"])
    >>> prof.query("node == 'economie'")[["baseline", "stressed"]].round(1).values.tolist()
    [[44.0, 44.0]]
    """
    from coopeval.framework import load_framework
    from coopeval.scoring import score

    if isinstance(fw, str):
        fw = load_framework(fw)
    specs, which, base_model, fin = _prepare(finances, which, proxies, date)

    keys = ["unit", "wave", "indicator"]

    def keyed(df: pd.DataFrame) -> pd.DataFrame:  # waves written 2023 or "2023" are the same wave
        return df.assign(_u=df["unit"].astype(str), _w=[wave_key(w) for w in df["wave"]],
                         _i=df["indicator"].astype(str))

    on = ["_u", "_w", "_i"]
    base_derived = keyed(base_model.framework_observations())[[*on, "value"]]

    def scores_with(model) -> pd.DataFrame:
        obs = model.framework_observations()[[*keys, "value"]]
        if observations is not None and len(observations):
            # an entered value is the level and the accounts give the change (one truth: the baseline
            # is the profile scored everywhere else, issue 14)
            given = keyed(observations)
            obs = (keyed(obs).merge(base_derived.rename(columns={"value": "derived_base"}), on=on, how="left")
                   .merge(given[[*on, *keys, "value"]].rename(columns={"value": "entered", "unit": "unit_e",
                                                                       "wave": "wave_e", "indicator": "ind_e"}),
                          on=on, how="left"))
            level = pd.to_numeric(obs["entered"], errors="coerce")
            obs["value"] = level + (obs["value"] - obs["derived_base"].fillna(obs["value"]))
            obs = obs[level.notna().to_numpy()]  # not entered: absent, as in every other door
            obs = obs.assign(unit=obs["unit_e"], wave=obs["wave_e"], indicator=obs["ind_e"])  # as written there
            others = given[~given.set_index(on).index.isin(obs.set_index(on).index)]
            obs = pd.concat([others[[*keys, "value"]], obs[[*keys, "value"]]])
        sc = score(obs.reset_index(drop=True), fw, **score_options)
        return sc[sc["level"].isin(["dimension", "overall"])].set_index(["unit", "wave", "level", "node"])["score"]

    base = scores_with(base_model)
    rows = []
    for name in which:
        if name not in specs:
            raise ValuationError(f"parameter `which`: expected scenarios among {list(specs)}, got {name!r}")
        stressed = scores_with(socio_economic_model(_apply(fin, base_model, name, specs[name]), proxies=proxies,
                                                    date=date))
        units = set(base_model.lines["unit"])
        for (unit, wave, level, node), b in base.items():
            if unit not in units:
                continue
            s_ = float(stressed.get((unit, wave, level, node), np.nan))
            rows.append({"unit": unit, "wave": wave, "scenario": name, "level": level, "node": node,
                         "baseline": float(b), "stressed": s_, "change": s_ - float(b)})
    return pd.DataFrame(rows)


def _prepare(finances: pd.DataFrame, which, proxies, date):  # noqa: ANN001, ANN202
    """The scenarios asked for, the baseline model and the finance lines with unit, wave and source."""
    specs = _spec()["scenarios"]
    which = list(specs) if which is None else list(which)
    unknown = [w for w in which if w not in specs]
    if unknown:
        raise ValuationError(f"parameter `which`: expected scenarios among {list(specs)}, got {unknown}")
    base_model = socio_economic_model(finances, proxies=proxies, date=date)
    fin = finances.reset_index(drop=True).copy()
    for col, default in (("unit", "cooperation"), ("wave", "1")):
        if col not in fin.columns:
            fin[col] = default
    if "source" not in fin.columns:
        fin["source"] = fin["line"]
    fin["source"] = fin["source"].where(fin["source"].notna(), fin["line"])
    return specs, which, base_model, fin
