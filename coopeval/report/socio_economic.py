"""The restitution's socio-economic sections: the model under stress, and « qui pourrait
co-financer quoi ».

Both read one :class:`coopeval.Evaluation` (:meth:`~coopeval.Evaluation.stress_of`,
:meth:`~coopeval.Evaluation.ledger_of`), so the report and the dashboard show the same
numbers. A section whose input is missing keeps its heading and says in a sentence what is
missing and how to enter it (a collective sees that the question was asked).

Example
-------
>>> import coopeval as ce
>>> ev = ce.Evaluation.sample(n=50)
>>> html = ce.report.ledger_html(ev.ledger_of("u01", 2), name="La Ruche des Coteaux", wave=2)
>>> 'id="ledger"' in html and "Aucun effet utile" in html
True
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from coopeval import plots
from coopeval.i18n import check_lang, fmt, t
from coopeval.report.cofinancing import cofinancing_table
from coopeval.report.html import esc, figure_html, read_box, table_html

__all__ = ["stress_html", "ledger_html", "stress_table", "stress_profile_table"]

#: The indicator of the stress figure and table.
_INDICATOR = "cash_balance"


def _heading(key: str, title: str) -> str:
    return f'<h2 id="{key}">{esc(title)}</h2>'


def stress_table(stress: pd.DataFrame, unit: str, wave: object, *, lang: str = "fr") -> pd.DataFrame:
    """The numbers of the stress figure, labelled for people to read: one row for the
    baseline, then one per scenario (cash balance and its change, in euros)."""
    from coopeval.valuation import scenarios

    lang = check_lang(lang)
    d = stress[(stress["unit"].astype(str) == str(unit)) & (stress["wave"].astype(str) == str(wave))
               & (stress["indicator"] == _INDICATOR)]
    names = scenarios(lang).set_index("scenario")["label"]
    col_event, col_cash, col_change = (t("report_stress_col_event", lang), t("sem_cash_balance", lang),
                                       t("report_stress_col_change", lang))
    rows = [{col_event: t("stress_baseline", lang), col_cash: fmt(d["baseline"].iloc[0], lang, 0) + " €",
             col_change: "–"}] if len(d) else []
    rows += [{col_event: names.get(r.scenario, r.scenario), col_cash: fmt(r.stressed, lang, 0) + " €",
              col_change: fmt(r.change, lang, 0, signed=bool(r.change)) + " €"} for r in d.itertuples()]
    return pd.DataFrame(rows, columns=[col_event, col_cash, col_change])


def stress_profile_table(profile: pd.DataFrame, labels: Mapping[str, str], *, lang: str = "fr",
                         min_change: float = 0.05) -> pd.DataFrame:
    """What each stress scenario does to the social-utility profile, for people to read: one row
    per scenario with the overall score (baseline → stressed) and the dimensions whose score
    moves by at least ``min_change`` points (:meth:`coopeval.Evaluation.stress_profile_of`).

    >>> import pandas as pd
    >>> prof = pd.DataFrame({"scenario": ["loan_called"] * 2, "level": ["dimension", "overall"],
    ...                      "node": ["economie", "overall"], "baseline": [44.0, 50.0],
    ...                      "stressed": [36.3, 48.9], "change": [-7.7, -1.1]})
    >>> stress_profile_table(prof, {"economie": "Économie"}).iloc[0].tolist()
    ['Un emprunt est exigé (remboursement immédiat)', '50,0 → 48,9 (−1,1)', 'Économie : 44,0 → 36,3 (−7,7)']
    """
    from coopeval.valuation import scenarios

    lang = check_lang(lang)
    names = scenarios(lang).set_index("scenario")["label"]

    def move(r) -> str:  # noqa: ANN001
        if pd.isna(r.baseline) or pd.isna(r.stressed):
            return "–"
        return (f"{fmt(r.baseline, lang, 1)} → {fmt(r.stressed, lang, 1)}"
                + (f" ({fmt(r.change, lang, 1, signed=True)})" if abs(r.change) >= min_change else ""))

    cols = (t("report_stress_col_event", lang), t("report_stress_col_overall", lang),
            t("report_stress_col_dimensions", lang))
    rows = []
    for scenario, d in profile.groupby("scenario", sort=False):
        overall = d[d["level"] == "overall"]
        dims = d[(d["level"] == "dimension") & (d["change"].abs() >= min_change)]
        rows.append({cols[0]: names.get(scenario, scenario),
                     cols[1]: move(next(overall.itertuples())) if len(overall) else "–",
                     cols[2]: " ; ".join(f"{labels.get(r.node, r.node)} : {move(r)}" for r in dims.itertuples())
                     or t("report_stress_no_move", lang)})
    return pd.DataFrame(rows, columns=list(cols))


def stress_html(stress: pd.DataFrame | None, unit: str, wave: object, *, name: str, lang: str = "fr",
                figure_format: str = "png", profile: pd.DataFrame | None = None,
                labels: Mapping[str, str] | None = None) -> str:
    """Section ``stress``: the cash balance in the baseline and under each stress scenario
    (figure, its numbers as a table, how to read it), or a sentence when no finances are known.

    Parameters
    ----------
    stress : DataFrame or None
        :meth:`coopeval.Evaluation.stress_of` (``unit, wave, scenario, indicator, baseline,
        stressed, change``); None when the evaluation holds no finances for the unit and wave.
    unit, wave
        The cooperation (id) and wave.
    name : str
        The cooperation's display name.
    lang : {"fr", "en"}
    figure_format : {"png", "svg"}
    profile : DataFrame, optional
        :meth:`coopeval.Evaluation.stress_profile_of`: adds what each scenario does to the
        social-utility profile (:func:`stress_profile_table`).
    labels : mapping, optional
        Dimension labels in ``lang`` (node id → label) for that table.

    Returns
    -------
    str
        HTML starting with ``<h2 id="stress">``.
    """
    lang = check_lang(lang)
    head = _heading("stress", t("stress_title", lang))
    if stress is None or stress.empty:
        return f'{head}<p class="absent">{esc(t("report_stress_absent", lang, name=name, wave=wave))}</p>'
    def draw():  # noqa: ANN202 - for the page, then for a phone
        return plots.stress_bars(stress, unit=str(unit), wave=str(wave), indicator=_INDICATOR, lang=lang)

    table = stress_table(stress, unit, wave, lang=lang)
    costs = stress[(stress["unit"].astype(str) == str(unit)) & (stress["wave"].astype(str) == str(wave))
                   & (stress["indicator"] == "costs_cash")]["baseline"]
    caveat = ""  # resources without any cost: the « balance » is only the resources, said so
    if costs.empty or not (costs.abs() > 0).any():
        caveat = f'<p class="caveat">{esc(t("report_stress_no_costs", lang))}</p>'
    return (f'<div class="fig">{head}<p>{esc(t("report_stress_intro", lang, name=name, wave=wave))}</p>{caveat}'
            f'{figure_html(draw, t("stress_title", lang), fmt=figure_format)}'
            f'{read_box(t("report_how_to_read", lang), t("report_read_stress", lang))}</div>'
            f'{table_html(table, numeric=set(table.columns[1:]))}'
            + _profile_part(profile, labels or {}, name, lang))


def _profile_part(profile: pd.DataFrame | None, labels: Mapping[str, str], name: str, lang: str) -> str:
    """The stress test's effect on the profile (issue 18), or nothing without a profile."""
    if profile is None or profile.empty:
        return ""
    table = stress_profile_table(profile, labels, lang=lang)
    return (f"<h3>{esc(t('report_stress_profile_title', lang))}</h3>"
            f"<p>{esc(t('report_stress_profile_intro', lang, name=name))}</p>{table_html(table)}")


def ledger_html(ledger, *, name: str, wave: object, lang: str = "fr") -> str:
    """Section ``ledger``: « Qui pourrait co-financer quoi » — per beneficiary, the useful effects
    it benefits from, their estimated value (range), the conventions signed and what no
    convention covers yet; or a sentence when no externality is entered.

    Parameters
    ----------
    ledger : ExternalityLedger or None
        :meth:`coopeval.Evaluation.ledger_of`.
    name : str
        The cooperation's display name.
    wave
        The wave (for the sentence when nothing is entered).
    lang : {"fr", "en"}

    Returns
    -------
    str
        HTML starting with ``<h2 id="ledger">``.
    """
    lang = check_lang(lang)
    head = _heading("ledger", t("cofin_title", lang))
    if ledger is None or ledger.cofinancing.empty:
        return f'{head}<p class="absent">{esc(t("report_ledger_absent", lang, name=name, wave=wave))}</p>'
    cof = ledger.cofinancing
    n_quantify = int(cof["n_to_quantify"].sum())
    parts = [head, f"<p>{esc(t('report_ledger_intro', lang, name=name, year=ledger.year))}</p>",
             table_html(cofinancing_table(ledger, lang=lang), css="wide")]  # 7 columns on an A4 page
    if n_quantify:
        parts.append(f"<p>{esc(t('report_ledger_to_quantify', lang, n=n_quantify, total=int(cof['n_externalities'].sum())))}</p>")
    parts.append(read_box(t("report_how_to_read_table", lang), t("report_read_ledger", lang)))
    parts.append(f'<p class="small">{esc(t("cofin_method", lang, version=ledger.catalogue_version))}</p>')
    return "".join(parts)
