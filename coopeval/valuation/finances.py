"""The socio-economic model as a structure of costs and resources.

The founding report defines the socio-economic model as « l'ensemble des ressources
disponibles et le choix de leur affectation […] la structure de coûts et de
ressources » (Le Rameau, 2020). A cooperation's finances are entered, per unit and
wave, as *lines* (``indicators/modele_socio_economique.yaml``): the seven pillars of
resources (sales, membership fees, specific contributions of members, individual
donations, public subsidies, patronage, non-monetary resources), the five kinds of
non-monetary resources (volunteering, gifts in kind, recovery, provision of premises,
equipment or staff, exchanges), costs, and financing (loans, equity, quasi-equity,
investment, depreciation).

Indicators (one row per unit, wave and indicator; formulas in :func:`socio_economic_model`):
hybridisation, dependence on the largest funder, self-financing, coverage of costs by
own resources, share of non-monetary resources valued, debt service.

References
----------
Le Labo de l'ESS (2024). *Vers une société de la coopération*, « Diversité des modèles
socio-économiques » and « L'économie non monétaire ». Le Rameau (2020). *Fiche Repère.
Modèles socio-économiques d'intérêt général*. Autorité des normes comptables,
règlement n° 2018-06 (comptes annuels des personnes morales de droit privé à but non
lucratif). Simpson E. H. (1949). Measurement of diversity. *Nature* 163, 688.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import yaml

from coopeval.errors import Issue, ValuationError
from coopeval.resources import indicators_dir
from coopeval.valuation.catalogue import reference_value, resolve_value
from coopeval.valuation.versioning import catalogue_version

__all__ = ["finance_lines", "socio_economic_model", "SocioEconomicModel", "INDICATORS", "FRAMEWORK_INDICATORS",
           "lines_spec"]

#: Indicators of the ``cooperation_territoriale`` framework computed from the model
#: (framework indicator → model indicator; ``resultat_net`` is the result over income).
FRAMEWORK_INDICATORS = {"autofinancement": "self_financing", "resultat_net": "net_result_share",
                        "dependance_principal_financeur": "largest_funder_share",
                        "part_ressources_non_monetaires": "non_monetary_share",
                        "heures_benevolat": "volunteering_hours"}


_EUR = {"EUR", "€", "eur", "euro", "euros"}
_KEYS = ["unit", "wave"]

#: Indicator codes of :func:`socio_economic_model` (labels in ``coopeval/i18n/labels.yaml``, ``sem_<code>``).
INDICATORS = (
    "resources_monetary", "resources_non_monetary_valued", "costs_cash", "depreciation", "result_cash",
    "market_share", "non_market_share", "non_monetary_share", "hybridisation", "n_pillars",
    "largest_funder_share", "self_financing", "own_resources_coverage", "non_monetary_valued_share",
    "outstanding_loans", "loans_to_resources", "debt_service", "debt_service_ratio", "investment",
    "equity", "quasi_equity", "unallocated_share",
)


@lru_cache(maxsize=1)
def _spec() -> dict:
    return yaml.safe_load((indicators_dir() / "modele_socio_economique.yaml").read_text(encoding="utf-8"))


def lines_spec() -> dict:
    """The parsed ``indicators/modele_socio_economique.yaml`` (cached)."""
    return _spec()


def finance_lines(lang: str = "fr") -> pd.DataFrame:
    """The lines of the socio-economic model and their chart-of-accounts mapping.

    Returns
    -------
    DataFrame
        ``line, label, block, category, pillar, kind, own, cash, pcg, pcg_note``
        (``pcg``: account prefixes separated by ``;``).

    Examples
    --------
    >>> import coopeval as ce
    >>> lines = ce.valuation.finance_lines()
    >>> lines.query("block == 'resource'")["pillar"].nunique()
    7
    """
    rows = []
    for code, e in _spec()["lines"].items():
        rows.append({
            "line": code, "label": e["label_en" if lang == "en" else "label_fr"], "block": e["block"],
            "category": e.get("category"), "pillar": e.get("pillar"), "kind": e.get("kind"),
            "own": bool(e.get("own", False)), "cash": bool(e.get("cash", False)),
            "pcg": ";".join(e.get("pcg", [])), "pcg_note": " ".join(str(e.get("pcg_note", "")).split()),
        })
    out = pd.DataFrame(rows)
    out["pillar"] = out["pillar"].astype("Int64")
    return out


@dataclass
class SocioEconomicModel:
    """Result of :func:`socio_economic_model`.

    Attributes
    ----------
    lines : DataFrame
        The valued lines: ``unit, wave, line, source, amount, unit_of_measure,
        proxy_value, proxy_source, value_eur, valued, block, category, pillar, kind,
        own, cash`` (``valued`` is False for a declared non-monetary line without
        quantity or proxy; its ``value_eur`` is NaN).
    pillars : DataFrame
        ``unit, wave, pillar, value_eur, share`` over the valued resources.
    indicators : DataFrame
        ``unit, wave, indicator, value`` (codes in :data:`INDICATORS`).
    largest_funder : DataFrame
        ``unit, wave, source, value_eur, share``.
    classification : DataFrame
        ``unit, wave, classification`` (``marchande``, ``hybride``, ``non_marchande``).
    catalogue_version : str
    """

    lines: pd.DataFrame
    pillars: pd.DataFrame
    indicators: pd.DataFrame
    largest_funder: pd.DataFrame
    classification: pd.DataFrame
    catalogue_version: str

    def framework_observations(self) -> pd.DataFrame:
        """Observations of the framework's economic indicators computed from the model.

        Returns
        -------
        DataFrame
            ``unit, wave, indicator, value, source`` for ``autofinancement`` (sales over
            monetary costs), ``resultat_net`` (monetary result over monetary resources),
            ``dependance_principal_financeur``, ``part_ressources_non_monetaires`` and
            ``heures_benevolat`` (volunteering lines entered in hours); an indicator whose
            value is unknown is left out.
        """
        w = self.wide()
        hours = self.lines[(self.lines["line"] == "benevolat") & (self.lines["unit_of_measure"] == "h")]
        hours = hours.groupby(_KEYS)["amount"].sum(min_count=1)
        rows = []
        for _, r in w.iterrows():
            extra = {"net_result_share": _ratio(r["result_cash"], r["resources_monetary"]),
                     "volunteering_hours": float(hours.get((r["unit"], r["wave"]), np.nan))}
            for ind, code in FRAMEWORK_INDICATORS.items():
                value = extra[code] if code in extra else float(r[code])
                if np.isfinite(value):
                    rows.append({"unit": r["unit"], "wave": r["wave"], "indicator": ind, "value": value,
                                 "source": "coopeval.valuation.socio_economic_model"})
        return pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value", "source"])

    def wide(self) -> pd.DataFrame:
        """Indicators as one row per ``unit, wave``."""
        w = self.indicators.pivot(index=_KEYS, columns="indicator", values="value")
        w = w.reindex(columns=[c for c in INDICATORS if c in w.columns])
        keys = self.indicators[_KEYS].drop_duplicates()
        w = w.reindex(pd.MultiIndex.from_frame(keys)).reset_index()
        w.columns.name = None
        return w


def _check(finances: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(finances, pd.DataFrame) or finances.empty:
        raise ValuationError(f"parameter `finances`: expected a non-empty DataFrame, got {type(finances).__name__}")
    missing = [c for c in ("line", "amount") if c not in finances.columns]
    if missing:
        raise ValuationError(f"parameter `finances`: expected columns unit, wave, line, amount, missing {missing}")
    df = finances.reset_index(drop=True).copy()
    for col in _KEYS:
        if col not in df.columns:
            df[col] = "1" if col == "wave" else "cooperation"
    if "source" not in df.columns:
        df["source"] = df["line"]
    df["source"] = df["source"].where(df["source"].notna(), df["line"])
    if "unit_of_measure" not in df.columns:
        df["unit_of_measure"] = "EUR"
    df["unit_of_measure"] = df["unit_of_measure"].fillna("EUR").astype(str)
    spec = _spec()["lines"]
    issues = []
    amounts = pd.to_numeric(df["amount"], errors="coerce")
    for i, row in df.iterrows():
        where = f"finances row {i} ({row['unit']}, {row['wave']}, {row['line']!r})"
        entry = spec.get(row["line"])
        if entry is None:
            issues.append(Issue(where, "line", "a line of ce.valuation.finance_lines()", repr(row["line"])))
            continue
        if pd.isna(amounts[i]) and entry.get("category") != "non_monetary":
            issues.append(Issue(where, "amount", "a number (only a non-monetary line may be left empty)",
                                repr(row["amount"])))
        elif pd.notna(amounts[i]) and amounts[i] < 0:
            issues.append(Issue(where, "amount", "a non-negative number", repr(row["amount"])))
    if issues:
        raise ValuationError("parameter `finances`: invalid table", issues=issues)
    df["amount"] = amounts.astype(float)
    return df


def _value_lines(df: pd.DataFrame, proxies: dict, date: Any) -> pd.DataFrame:
    spec = _spec()["lines"]
    issues = []
    pvals, psrc = [], []
    for i, row in df.iterrows():
        unit = row["unit_of_measure"]
        proxy = row["proxy"] if "proxy" in df.columns and _present(row.get("proxy")) else proxies.get(unit)
        if unit in _EUR and proxy is None:
            pvals.append(1.0)
            psrc.append("montant en euros")
        elif proxy is None:
            pvals.append(np.nan)
            psrc.append("")
            if pd.notna(row["amount"]):
                issues.append(Issue(f"finances row {i} ({row['line']!r})", "proxy",
                                    f"a proxy in EUR per {unit} (column `proxy` or `proxies`)", "nothing"))
        else:
            v, s = resolve_value(proxy, date)
            pvals.append(v)
            psrc.append(s)
    if issues:
        raise ValuationError("parameter `finances`: a quantity without proxy", issues=issues)
    df["proxy_value"] = pvals
    df["proxy_source"] = psrc
    df["value_eur"] = df["amount"] * df["proxy_value"]
    df["valued"] = df["value_eur"].notna()
    for key in ("block", "category", "pillar", "kind", "own", "cash"):
        df[key] = [spec[c].get(key) for c in df["line"]]
    df["funder"] = [spec[c].get("funder", True) for c in df["line"]]
    df["own"] = df["own"].fillna(False).astype(bool)
    df["cash"] = df["cash"].fillna(False).astype(bool)
    return df


def _present(value: Any) -> bool:
    return value is not None and (isinstance(value, str) or not pd.isna(value))


def _sum(g: pd.DataFrame, mask: pd.Series) -> float:
    return float(g.loc[mask, "value_eur"].sum())


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 and np.isfinite(num) else np.nan


def _indicators(g: pd.DataFrame, thresholds: tuple[float, float]) -> tuple[dict, list, dict, str]:
    res = g[g["block"] == "resource"]
    monetary = res[res["category"] != "non_monetary"]
    nonmon = res[res["category"] == "non_monetary"]
    r_mon = float(monetary["value_eur"].sum())
    r_nm = float(nonmon["value_eur"].sum(min_count=1)) if nonmon["valued"].any() else 0.0
    total = r_mon + r_nm
    costs = _sum(g, (g["block"] == "cost") & g["cash"])
    line_sum = g.groupby("line")["value_eur"].sum(min_count=1)
    has = set(g["line"])
    pillar_values = res[res["valued"]].groupby("pillar")["value_eur"].sum()
    allocated = float(pillar_values.sum())
    shares = pillar_values / allocated if allocated > 0 else pillar_values * np.nan
    funders = monetary[(monetary["category"] == "non_market") & monetary["funder"].astype(bool)]
    funders = funders.groupby("source", sort=False)["value_eur"].sum()
    top = funders.sort_values(ascending=False, kind="stable")
    repaid = line_sum.get("remboursement_emprunts", np.nan)
    interest = line_sum.get("charges_financieres", 0.0) if "charges_financieres" in has else np.nan
    if "remboursement_emprunts" in has:
        debt_service = float(repaid) + (0.0 if np.isnan(interest) else float(interest))
    elif "emprunts" in has:
        debt_service = np.nan  # loans but principal repaid unknown: the debt service is unknown
    else:
        debt_service = 0.0 if np.isnan(interest) else float(interest)
    loans = float(line_sum.get("emprunts", 0.0)) if "emprunts" in has else 0.0
    s_m = _ratio(float(monetary.loc[monetary["category"] == "market", "value_eur"].sum()), total)
    s_n = _ratio(float(monetary.loc[monetary["category"] == "non_market", "value_eur"].sum()), total)
    cls = "marchande" if s_m > thresholds[0] else ("non_marchande" if s_n >= thresholds[1] else "hybride")
    ind = {
        "resources_monetary": r_mon, "resources_non_monetary_valued": r_nm, "costs_cash": costs,
        "depreciation": float(line_sum.get("dotations_amortissements", 0.0)), "result_cash": r_mon - costs,
        "market_share": s_m, "non_market_share": s_n, "non_monetary_share": _ratio(r_nm, total),
        "hybridisation": float(1 - np.sum(shares.to_numpy() ** 2)) if allocated > 0 else np.nan,
        "unallocated_share": _ratio(total - allocated, total),
        "n_pillars": float((pillar_values > 0).sum()),
        "largest_funder_share": _ratio(float(top.iloc[0]), r_mon) if len(top) else 0.0,
        "self_financing": _ratio(float(monetary.loc[monetary["category"] == "market", "value_eur"].sum()), costs),
        "own_resources_coverage": _ratio(float(monetary.loc[monetary["own"], "value_eur"].sum()), costs),
        "non_monetary_valued_share": float(nonmon["valued"].mean()) if len(nonmon) else np.nan,
        "outstanding_loans": loans, "loans_to_resources": _ratio(loans, r_mon),
        "debt_service": debt_service, "debt_service_ratio": _ratio(debt_service, r_mon),
        "investment": float(line_sum.get("investissement", 0.0)),
        "equity": float(line_sum.get("fonds_propres", 0.0)),
        "quasi_equity": float(line_sum.get("quasi_fonds_propres", 0.0)),
    }
    funder = {"source": str(top.index[0]) if len(top) else None, "value_eur": float(top.iloc[0]) if len(top) else 0.0,
              "share": ind["largest_funder_share"]}
    pillars = [{"pillar": int(p), "value_eur": float(v), "share": float(v / total)} for p, v in pillar_values.items()]
    return ind, pillars, funder, cls


def socio_economic_model(finances: pd.DataFrame, *, proxies: dict[str, Any] | None = None,
                         date: Any = None) -> SocioEconomicModel:
    """Costs, resources and financing of cooperations, with the model's indicators.

    Parameters
    ----------
    finances : DataFrame
        One row per line: ``unit, wave, line`` (a code of :func:`finance_lines`),
        ``amount`` (euros, or a quantity in ``unit_of_measure`` valued with a proxy;
        empty for a non-monetary resource declared but not quantified), optional
        ``source`` (who provides it: the funder's name), ``unit_of_measure``,
        ``proxy`` (number or catalogue name) and ``note``.
    proxies : dict, optional
        Default proxy per unit of measure, e.g. ``{"h": "heure_benevole_smic_brut"}``.
    date : optional
        Date at which catalogue proxies and thresholds are looked up.

    Returns
    -------
    SocioEconomicModel

    Notes
    -----
    With :math:`R_m` the monetary resources, :math:`R_n` the valued non-monetary
    resources, :math:`C` the monetary costs (lines with ``cash``: depreciation and the
    counterpart of contributions in kind excluded) and :math:`s_p` the share of pillar
    :math:`p` in :math:`R_m + R_n`:

    - hybridisation :math:`1 - \\sum_p s_p^2` (Gini–Simpson diversity over the seven
      pillars, shares taken over the resources whose pillar is known: 0 for a single
      pillar, at most :math:`1 - 1/7`); ``unallocated_share``: resources of unknown
      pillar (``ressources_non_ventilees``, ``non_marchand_a_preciser``) over all valued resources;
    - dependence on the largest funder: the largest non-market monetary resource
      grouped by ``source``, over :math:`R_m` (sales are not a funder);
    - self-financing: market resources over :math:`C` (the report's « autofinancement »
      of T.E.T.R.I.S.); coverage by own resources: lines with ``own`` (sales, fees,
      contributions of members) over :math:`C`;
    - share of non-monetary resources valued: valued over declared non-monetary lines;
    - debt service: principal repaid plus interest in the year (NaN when the principal
      repaid is not entered), its ratio to :math:`R_m`; loans to resources:
      outstanding loans over :math:`R_m`.

    Raises
    ------
    ValuationError
        Unknown line, missing or negative amount, a quantity without proxy.

    Examples
    --------
    >>> import pandas as pd
    >>> import coopeval as ce
    >>> fin = pd.DataFrame({"line": ["ventes", "subventions_publiques", "charges_personnel"],
    ...                     "source": ["clients", "Ville", None], "amount": [60.0, 40.0, 80.0]})
    >>> m = ce.valuation.socio_economic_model(fin)
    >>> w = m.wide().iloc[0]
    >>> float(w["hybridisation"]), float(w["self_financing"]), float(w["largest_funder_share"])
    (0.48, 0.75, 0.4)
    """
    df = _value_lines(_check(finances), proxies or {}, date)
    thresholds = (reference_value("seuil_part_marchande", date).value,
                  reference_value("seuil_part_non_marchande", date).value)
    ind_rows, pil_rows, fund_rows, cls_rows = [], [], [], []
    for (unit, wave), g in df.groupby(_KEYS, sort=False):
        ind, pillars, funder, cls = _indicators(g, thresholds)
        ind_rows += [{"unit": unit, "wave": wave, "indicator": k, "value": float(v)} for k, v in ind.items()]
        pil_rows += [{"unit": unit, "wave": wave, **p} for p in pillars]
        fund_rows.append({"unit": unit, "wave": wave, **funder})
        cls_rows.append({"unit": unit, "wave": wave, "classification": cls})
    cols = ["unit", "wave", "line", "source", "amount", "unit_of_measure", "proxy_value", "proxy_source",
            "value_eur", "valued", "block", "category", "pillar", "kind", "own", "cash"]
    return SocioEconomicModel(
        lines=df[cols], pillars=pd.DataFrame(pil_rows, columns=["unit", "wave", "pillar", "value_eur", "share"]),
        indicators=pd.DataFrame(ind_rows), largest_funder=pd.DataFrame(fund_rows),
        classification=pd.DataFrame(cls_rows), catalogue_version=catalogue_version(),
    )
