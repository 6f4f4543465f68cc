"""One-page co-financing sheet per beneficiary (« qui pourrait co-financer quoi »).

Built from an :class:`coopeval.valuation.ExternalityLedger`: the useful effects the
beneficiary benefits from, their estimated value (range) in euros of the ledger's
year, the conventions already signed with it and what they cover, what no convention
covers yet, and the method with the catalogue version. French by default.

Example
-------
>>> import coopeval as ce
>>> b = ce.datasets.load("la_butinerie")
>>> led = ce.valuation.externality_ledger(b["externalites"], b["conventions"], year=2023)
>>> html = ce.report.cofinancing_sheet(led, "ARS Île-de-France", cooperation="La Butinerie")
>>> "parcours alimentation-santé" in html and "à quantifier" in html
True
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coopeval.errors import ReportError
from coopeval.i18n import check_lang, fmt, t
from coopeval.report.html import esc, page, table_html

__all__ = ["cofinancing_sheet", "cofinancing_table", "write_cofinancing_sheets"]


def _eur(x: float, lang: str) -> str:
    if pd.isna(x):
        return "–"
    text = f"{x:,.0f}".replace(",", "\u202f" if lang == "fr" else ",")
    return f"{text}\u00a0€" if lang == "fr" else f"€{text}"


def _range(v: float, lo: float, hi: float, lang: str) -> str:
    """« 191 760 € (175 440 € – 208 080 €) »; one amount when the reference value has no range."""
    if pd.isna(v):
        return t("cofin_to_quantify", lang)
    if _eur(lo, lang) == _eur(v, lang) == _eur(hi, lang):
        return _eur(v, lang)
    return f"{_eur(v, lang)} ({_eur(lo, lang)} – {_eur(hi, lang)})"


def _flags(codes: str, lang: str) -> str:
    return ", ".join(t(f"flag_{c}", lang) for c in str(codes).split() if c)


def cofinancing_table(ledger, *, lang: str = "fr") -> pd.DataFrame:
    """The « qui pourrait co-financer quoi » table, formatted for people to read.

    Returns
    -------
    DataFrame
        One row per beneficiary, columns labelled in ``lang``: beneficiary, kind,
        effects, estimated value (range), conventions, amount, what no convention covers.
    """
    lang = check_lang(lang)
    rows = []
    for _, r in ledger.cofinancing.iterrows():
        amount = _eur(r["convention_amount"], lang) if r["conventions"] else "–"
        if r["n_amount_unknown"] and pd.isna(r["convention_amount"]):  # no amount known: not « 0 € »
            amount = t("cofin_amount_unknown", lang)
        elif r["n_amount_unknown"]:
            amount += f" (+ {r['n_amount_unknown']} {t('cofin_amount_unknown', lang)})"
        rows.append({
            t("col_beneficiary", lang): r["beneficiary"],
            t("col_kind", lang): t(f"beneficiary_{r['beneficiary_type']}", lang),
            t("col_externality", lang): r["externalities"],
            t("cofin_value", lang, year=ledger.year): _range(r["value"], r["value_low"], r["value_high"], lang)
            + (f" — {r['n_to_quantify']} {t('cofin_to_quantify', lang)}" if r["n_to_quantify"] and pd.notna(r["value"]) else ""),
            t("col_convention", lang): r["conventions"] or "–",
            t("col_amount", lang): amount,
            t("cofin_uncovered", lang): r["uncovered"] or "–",
        })
    return pd.DataFrame(rows)


def cofinancing_sheet(ledger, beneficiary: str, *, cooperation: str, lang: str = "fr",
                      path: str | Path | None = None) -> str:
    """A one-page HTML sheet for a negotiation with one beneficiary.

    Parameters
    ----------
    ledger : ExternalityLedger
    beneficiary : str
        A beneficiary of the ledger.
    cooperation : str
        Name of the cooperation, as printed.
    lang : {"fr", "en"}
    path : str or Path, optional
        Where to write the HTML.

    Returns
    -------
    str
        The self-contained HTML document.
    """
    lang = check_lang(lang)
    try:
        info = ledger.beneficiary(beneficiary)
    except Exception as err:
        raise ReportError(str(err)) from err
    ent, conv = info["entries"], info["conventions"]
    effects = pd.DataFrame({
        t("col_externality", lang): ent["externality"],
        t("col_quantity", lang): [("–" if pd.isna(q) else f"{fmt(q, lang, digits=0)} {u if pd.notna(u) else ''}".strip())
                                  for q, u in zip(ent["quantity"], ent["unit_of_measure"], strict=True)],
        t("cofin_value", lang, year=info["year"]): [_range(v, lo, hi, lang) for v, lo, hi in
                                                     zip(ent["value"], ent["value_low"], ent["value_high"], strict=True)],
        t("col_source", lang): [s or "–" for s in ent["proxy_source"]],
        t("col_flags", lang): [_flags(f, lang) or "–" for f in ent["flags"]],
    })
    body = [f"<h1>{esc(t('cofin_sheet_title', lang, cooperation=cooperation, beneficiary=beneficiary))}</h1>",
            f"<p>{esc(t('cofin_intro', lang, cooperation=cooperation, beneficiary=beneficiary))}</p>",
            f"<h2>{esc(t('cofin_effects', lang))}</h2>", table_html(effects),
            f"<h2>{esc(t('cofin_conventions', lang))}</h2>"]
    if conv.empty:
        body.append(f"<p>{esc(t('cofin_no_convention', lang))}</p>")
    else:
        body.append(table_html(pd.DataFrame({
            t("col_convention", lang): conv["convention"],
            t("col_covers", lang): conv["covers"].replace("*", "tout" if lang == "fr" else "all"),
            t("col_amount", lang): [_eur(a, lang) if pd.notna(a) else t("cofin_amount_unknown", lang)
                                    for a in conv["amount"]],
        })))
    uncovered = ent.loc[ent["conventions"] == "", "externality"].tolist()
    body.append(f"<h2>{esc(t('cofin_uncovered', lang))}</h2>")
    body.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in uncovered) + "</ul>" if uncovered else "<p>–</p>")
    body.append(f'<p class="small">{esc(t("cofin_method", lang, version=info["catalogue_version"]))}</p>')
    html = page(t("cofin_sheet_title", lang, cooperation=cooperation, beneficiary=beneficiary), "\n".join(body), lang)
    if path is not None:
        Path(path).write_text(html, encoding="utf-8")
    return html


def write_cofinancing_sheets(ledger, folder: str | Path, *, cooperation: str, lang: str = "fr") -> list[Path]:
    """Write one sheet per beneficiary that can sign a convention (not households, not the climate)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, r in enumerate(ledger.cofinancing.itertuples()):
        if r.can_sign:
            p = folder / f"fiche_cofinancement_{i + 1}.html"
            cofinancing_sheet(ledger, r.beneficiary, cooperation=cooperation, lang=lang, path=p)
            paths.append(p)
    return paths
