"""Socio-economic model: market, non-market and non-monetary resources.

The founding report describes the resources of territorial cooperations as a
triptych — market (sales of goods and services), non-market (public subsidies,
philanthropy, donations, contributions of members) and non-monetary (volunteering,
loans of premises and staff, gifts in kind, exchanges) — and classifies
socio-economic models as market, hybrid or non-market.

Classification rule (thresholds in ``indicators/catalogues/seuils_modele_socio_economique.yaml``):
with :math:`s_m` the market share and :math:`s_n` the non-market share of the valued
resources, the model is *marchand* if :math:`s_m >` ``seuil_part_marchande``
(0.5), *non marchand* if :math:`s_n \\ge` ``seuil_part_non_marchande`` (0.8), and
*hybride* otherwise.

References
----------
Le Labo de l'ESS (2024). *Vers une société de la coopération*, section « Diversité
des modèles socio-économiques » and box « L'économie non monétaire, soutien
indispensable des coopérations territoriales ».
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ValuationError
from coopeval.valuation.catalogue import reference_value, resolve_value

__all__ = ["resources_profile", "ResourcesProfile", "typology_position", "CATEGORIES", "STAGES"]

#: Categories of resources and accepted French spellings.
CATEGORIES = {
    "market": "market", "marchand": "market", "marchande": "market",
    "non_market": "non_market", "non-market": "non_market", "non_marchand": "non_market",
    "non marchand": "non_market", "non_marchande": "non_market",
    "non_monetary": "non_monetary", "non-monetary": "non_monetary", "non_monetaire": "non_monetary",
    "non monétaire": "non_monetary", "non_monétaire": "non_monetary",
}
_LABELS = {
    "fr": {"market": "marchand", "non_market": "non marchand", "non_monetary": "non monétaire",
           "marchande": "coopération marchande", "hybride": "coopération hybride",
           "non_marchande": "coopération non marchande"},
    "en": {"market": "market", "non_market": "non-market", "non_monetary": "non-monetary",
           "marchande": "market cooperation", "hybride": "hybrid cooperation",
           "non_marchande": "non-market cooperation"},
}
_EUR = {"EUR", "€", "eur", "euro", "euros", "euros valorisés", "EUR valorisés"}

#: Stages of the report's cycle (section « Diversité des stades d'avancement »).
STAGES = ("emergence", "creation", "consolidation", "changement_echelle")
_STAGE_ALIASES = {"émergence": "emergence", "création": "creation", "changement d'échelle": "changement_echelle",
                  "scaling": "changement_echelle", "emergence": "emergence", "creation": "creation",
                  "consolidation": "consolidation", "changement_echelle": "changement_echelle"}


@dataclass
class ResourcesProfile:
    """Result of :func:`resources_profile`.

    Attributes
    ----------
    table : DataFrame
        The resources valued in euros: ``source, category, amount, unit, proxy_value,
        proxy_source, value_eur`` (+ ``funder_type`` when given).
    shares : DataFrame
        ``category, label, value_eur, share`` for market, non-market, non-monetary.
    by_funder : DataFrame
        ``source, value_eur, share`` over the funders counted in the concentration.
    herfindahl : float
        :math:`\\sum_j s_j^2` over the funders (1 = a single funder).
    largest_funder : str
    largest_funder_share : float
        Dependence on the largest funder.
    public_share : float or None
        Share of resources with ``funder_type == "public"`` (None without that column).
    classification : str
        ``"marchande"``, ``"hybride"`` or ``"non_marchande"``.
    thresholds : dict
        The thresholds used and their catalogue source.
    """

    table: pd.DataFrame
    shares: pd.DataFrame
    by_funder: pd.DataFrame
    herfindahl: float
    largest_funder: str
    largest_funder_share: float
    public_share: float | None
    classification: str
    thresholds: dict
    lang: str = "fr"

    @property
    def largest_non_market_funder(self) -> tuple[str | None, float]:
        """The largest non-market funder (subsidy, grant, donation…) and its share of the
        monetary resources — the *dépendance au principal financeur* of the socio-economic
        model, where sales are not a funder. ``(None, 0.0)`` without non-market resources."""
        monetary = self.table[self.table["category"] != "non_monetary"]
        funders = monetary[monetary["category"] == "non_market"].groupby("source", sort=False)["value_eur"].sum()
        total = monetary["value_eur"].sum()
        if funders.empty or total <= 0:
            return None, 0.0
        top = funders.sort_values(ascending=False, kind="stable")
        return str(top.index[0]), float(top.iloc[0] / total)

    @property
    def label(self) -> str:
        """Label of the classification in the profile's language."""
        return _LABELS[self.lang][self.classification]

    def self_financing(self, running_costs: float) -> float:
        """Share of running costs covered by market resources (autofinancement).

        :math:`\\text{market resources} / \\text{running costs}`, the measure the
        report uses for T.E.T.R.I.S. (« autofinancement à hauteur de 207 000 € (soit
        environ un tiers du coût de fonctionnement du lieu) »).
        """
        try:
            costs = float(running_costs)
        except (TypeError, ValueError):
            costs = np.nan
        if not np.isfinite(costs) or costs <= 0:
            raise ValuationError(f"parameter `running_costs`: expected a positive amount, got {running_costs!r}")
        return float(self.shares.set_index("category").loc["market", "value_eur"]) / costs

    def share(self, category: str) -> float:
        """Share of a category (``market``, ``non_market``, ``non_monetary``)."""
        cat = CATEGORIES.get(category, category)
        return float(self.shares.set_index("category").loc[cat, "share"])


def _herfindahl(values: np.ndarray) -> float:
    total = values.sum()
    shares = values / total
    return float(np.sum(shares**2))


def resources_profile(
    resources: pd.DataFrame,
    *,
    proxies: dict[str, Any] | None = None,
    date: Any = None,
    include_non_monetary: bool = True,
    concentration_over: str = "monetary",
    lang: str = "fr",
) -> ResourcesProfile:
    """Shares, concentration and class of a cooperation's resources.

    Parameters
    ----------
    resources : DataFrame
        One row per resource: ``source`` (who provides it), ``category`` (market /
        non_market / non_monetary, or marchand / non_marchand / non_monetaire),
        ``amount`` (a line code of :func:`coopeval.valuation.finance_lines` is accepted as
        ``category``: a resource line counts in its category, cost and financing lines are
        left out) and ``unit_of_measure`` (``EUR``, or a physical unit such as ``h`` or
        ``m2_mois`` valued with a proxy; as in ``panel_synthetique``, where ``unit`` is the
        cooperation) — a table without ``unit_of_measure`` may give it as ``unit``), optional ``proxy`` (number or catalogue
        name, per unit) and ``funder_type`` (``public``, ``private``, ``members``,
        ``users``…).
    proxies : dict, optional
        Default proxy per unit, e.g. ``{"h": "heure_benevole_smic_brut",
        "m2_mois": "loyer_m2_pantin"}`` (a number or a catalogue name); a
        ``proxy`` in the row wins.
    date : optional
        Date at which catalogue proxies are looked up.
    include_non_monetary : bool
        Count valued non-monetary resources in the shares and classification.
    concentration_over : {"monetary", "all"}
        Funders counted in the Herfindahl index and the dependence on the largest
        funder: monetary resources only (default) or all valued resources.
    lang : {"fr", "en"}

    Returns
    -------
    ResourcesProfile

    Raises
    ------
    ValuationError
        Unknown category, negative or missing amount, a non-euro unit without proxy
        (naming the row and source).

    Notes
    -----
    Herfindahl index :math:`H = \\sum_j s_j^2` with :math:`s_j` the share of funder
    :math:`j` (Herfindahl, 1950); thresholds of the classification: module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> import coopeval as ce
    >>> res = pd.DataFrame({"source": ["ventes", "commune"], "category": ["marchand", "non_marchand"],
    ...                     "amount": [100.0, 100.0], "unit": ["EUR", "EUR"]})
    >>> p = ce.valuation.resources_profile(res)
    >>> p.classification, p.herfindahl
    ('hybride', 0.5)
    """
    _check_arguments(resources, concentration_over, lang)
    table = _valued_resources(resources, proxies or {}, date)
    counted = table if include_non_monetary else table[table["category"] != "non_monetary"]
    total = counted["value_eur"].sum()
    if total <= 0:
        raise ValuationError("parameter `resources`: expected a positive total value, got 0")
    by_cat = counted.groupby("category")["value_eur"].sum()
    cats = ["market", "non_market", "non_monetary"]
    shares = pd.DataFrame({"category": cats})
    shares["label"] = [_LABELS[lang][c] for c in cats]
    shares["value_eur"] = [float(by_cat.get(c, 0.0)) for c in cats]
    shares["share"] = shares["value_eur"] / total
    conc = counted if concentration_over == "all" else counted[counted["category"] != "non_monetary"]
    by_funder = conc.groupby("source", sort=False)["value_eur"].sum().reset_index()
    by_funder["share"] = by_funder["value_eur"] / by_funder["value_eur"].sum()
    by_funder = by_funder.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)
    public_share = None
    if "funder_type" in counted.columns:
        public_share = float(counted.loc[counted["funder_type"] == "public", "value_eur"].sum() / total)
    t_market = reference_value("seuil_part_marchande", date)
    t_non_market = reference_value("seuil_part_non_marchande", date)
    s_m = float(shares.loc[0, "share"])
    s_n = float(shares.loc[1, "share"])
    if s_m > t_market.value:
        cls = "marchande"
    elif s_n >= t_non_market.value:
        cls = "non_marchande"
    else:
        cls = "hybride"
    return ResourcesProfile(
        table=table,
        shares=shares,
        by_funder=by_funder,
        herfindahl=_herfindahl(by_funder["value_eur"].to_numpy(float)),
        largest_funder=str(by_funder.loc[0, "source"]),
        largest_funder_share=float(by_funder.loc[0, "share"]),
        public_share=public_share,
        classification=cls,
        thresholds={"seuil_part_marchande": (t_market.value, t_market.source),
                    "seuil_part_non_marchande": (t_non_market.value, t_non_market.source)},
        lang=lang,
    )


def _check_arguments(resources: Any, concentration_over: str, lang: str) -> None:
    """A non-empty resources table with its columns, a known concentration basis and language."""
    if not isinstance(resources, pd.DataFrame) or resources.empty:
        raise ValuationError(f"parameter `resources`: expected a non-empty DataFrame, got {type(resources).__name__}")
    missing = [c for c in ("source", "category", "amount") if c not in resources.columns]
    if missing:
        raise ValuationError(f"parameter `resources`: expected columns source, category, amount (+ unit), missing {missing}")
    if concentration_over not in ("monetary", "all"):
        raise ValuationError(f"parameter `concentration_over`: expected 'monetary' or 'all', got {concentration_over!r}")
    if lang not in _LABELS:
        raise ValuationError(f"parameter `lang`: expected 'fr' or 'en', got {lang!r}")


def _valued_resources(resources: pd.DataFrame, proxies: dict[str, Any], date: Any) -> pd.DataFrame:
    """One row per resource with its category and value in euros (amount × proxy); cost and
    financing lines of the socio-economic model left out; every invalid row reported."""
    measure = "unit_of_measure" if "unit_of_measure" in resources.columns else "unit"
    issues: list[Issue] = []
    rows = []
    for i, row in resources.reset_index(drop=True).iterrows():
        where = f"resources row {i} (source {row['source']!r})"
        cat = CATEGORIES.get(str(row["category"]).strip().lower())
        if cat is None and str(row["category"]).strip() in _line_categories():
            cat = _line_categories()[str(row["category"]).strip()]
            if cat is None:  # a cost or financing line of the socio-economic model: not a resource
                continue
        if cat is None:
            issues.append(Issue(where, "category", "market, non_market or non_monetary", repr(row["category"])))
        amount = pd.to_numeric(pd.Series([row["amount"]]), errors="coerce").iloc[0]
        if pd.isna(amount) or amount < 0:
            issues.append(Issue(where, "amount", "a non-negative number", repr(row["amount"])))
            continue
        unit = str(row[measure]) if measure in resources.columns and pd.notna(row[measure]) else "EUR"
        proxy = row["proxy"] if "proxy" in resources.columns and _present(row["proxy"]) else proxies.get(unit)
        if unit in _EUR and proxy is None:
            value, source, pval = float(amount), "montant en euros", 1.0
        elif proxy is None:
            issues.append(Issue(where, "proxy", f"a proxy in EUR per {unit} (column `proxy` or `proxies`)", "nothing"))
            continue
        else:
            try:
                pval, source = resolve_value(proxy, date)
            except (ValuationError, ValueError, TypeError) as err:
                issues.append(Issue(where, "proxy", "a number or a catalogue name", f"{proxy!r} ({err})"))
                continue
            value = float(amount) * pval
        rec = {"source": row["source"], "category": cat, "amount": float(amount), "unit": unit,
               "proxy_value": pval, "proxy_source": source, "value_eur": value}
        if "funder_type" in resources.columns:
            rec["funder_type"] = row["funder_type"]
        rows.append(rec)
    if issues:
        raise ValuationError("parameter `resources`: invalid resources table", issues=issues)
    return pd.DataFrame(rows)

def _line_categories() -> dict:
    """Category of each line of the socio-economic model (None for costs and financing)."""
    from coopeval.valuation.finances import finance_lines

    lines = finance_lines()
    return {r.line: (r.category if r.block == "resource" else None) for r in lines.itertuples()}


def _present(value: Any) -> bool:
    return value is not None and (isinstance(value, str) or not pd.isna(value))


def typology_position(cases: pd.DataFrame, *, lang: str = "fr") -> pd.DataFrame:
    """Place cooperations on the report's typology.

    Parameters
    ----------
    cases : DataFrame
        One row per cooperation: ``unit``, ``stage`` (emergence, creation,
        consolidation, changement_echelle — French spellings accepted),
        ``modelled`` (bool: follows an existing model such as TZCLD, PTCE, AMAP,
        cooperative supermarket), ``systemic`` (position on the targeted → systemic
        gradient, in [0, 1]) and optional ``model`` (classification of
        :func:`resources_profile`).

    Returns
    -------
    DataFrame
        ``unit, stage, stage_label, modelled, systemic, quadrant, quadrant_label``
        (+ ``model``): the quadrant crosses modelled / non-modelled with targeted
        (``systemic`` < 1/2) / systemic (``systemic`` >= 1/2).

    Notes
    -----
    The report places cooperations on a plane with abscissa « ciblé – systémique »
    and ordinate « modélisé – non modélisé », stressing that these are ideal types
    on a gradient; the stage follows the cycle émergence, création, consolidation,
    changement d'échelle.

    References
    ----------
    Le Labo de l'ESS (2024). *Vers une société de la coopération*, sections « Un
    deuxième critère : la dimension systémique » and « Diversité des stades
    d'avancement des coopérations territoriales ».
    """
    if not isinstance(cases, pd.DataFrame) or cases.empty:
        raise ValuationError(f"parameter `cases`: expected a non-empty DataFrame, got {type(cases).__name__}")
    missing = [c for c in ("unit", "stage", "modelled", "systemic") if c not in cases.columns]
    if missing:
        raise ValuationError(f"parameter `cases`: expected columns unit, stage, modelled, systemic, missing {missing}")
    stage_fr = {"emergence": "émergence", "creation": "création", "consolidation": "consolidation",
                "changement_echelle": "changement d'échelle"}
    stage_en = {"emergence": "emergence", "creation": "creation", "consolidation": "consolidation",
                "changement_echelle": "scaling up"}
    issues = []
    rows = []
    for i, row in cases.reset_index(drop=True).iterrows():
        where = f"cases row {i} (unit {row['unit']!r})"
        stage = _STAGE_ALIASES.get(str(row["stage"]).strip().lower())
        if stage is None:
            issues.append(Issue(where, "stage", f"one of {STAGES}", repr(row["stage"])))
        sysv = pd.to_numeric(pd.Series([row["systemic"]]), errors="coerce").iloc[0]
        if pd.isna(sysv) or not 0 <= sysv <= 1:
            issues.append(Issue(where, "systemic", "a position in [0, 1] (0 = targeted, 1 = systemic)", repr(row["systemic"])))
        if not isinstance(row["modelled"], (bool, np.bool_)):
            issues.append(Issue(where, "modelled", "True or False", repr(row["modelled"])))
        if stage is None or pd.isna(sysv) or not isinstance(row["modelled"], (bool, np.bool_)):
            continue
        modelled = bool(row["modelled"])
        systemic = sysv * 2 >= 1
        key = ("modelise" if modelled else "non_modelise") + ("_systemique" if systemic else "_cible")
        fr = ("modélisée" if modelled else "non modélisée") + (", systémique" if systemic else ", ciblée")
        en = ("modelled" if modelled else "non-modelled") + (", systemic" if systemic else ", targeted")
        rec = {"unit": row["unit"], "stage": stage,
               "stage_label": (stage_en if lang == "en" else stage_fr)[stage],
               "modelled": modelled, "systemic": float(sysv), "quadrant": key,
               "quadrant_label": en if lang == "en" else fr}
        if "model" in cases.columns:
            rec["model"] = row["model"]
        rows.append(rec)
    if issues:
        raise ValuationError("parameter `cases`: invalid typology table", issues=issues)
    return pd.DataFrame(rows)
