"""Personal links of a session as the facilitator hands them out: the table of links and the
printable A4 sheet of cards with their QR codes (:func:`links_sheet`)."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd

from coopeval.errors import StoreError, bad_param
from coopeval.i18n.deliberation import college_name

__all__ = ["links_table", "qr_svg", "links_sheet"]


def links_table(tokens: pd.DataFrame, base_url: str, *,
                page: str = "coopeval/participation") -> pd.DataFrame:
    """Personal links from :meth:`Project.add_participants` tokens.

    Returns
    -------
    DataFrame
        ``participant, college, link`` with ``link = <base_url>/<page>?token=<token>`` (``page``: the light participant
        page served without a kernel, :mod:`coopeval.web.participant_page`).

    >>> t = pd.DataFrame({"participant": ["p1"], "college": ["habitants"], "token": ["abc"]})
    >>> links_table(t, "http://h:8866/")["link"].iloc[0]
    'http://h:8866/coopeval/participation?token=abc'
    """
    missing = [c for c in ("participant", "college", "token") if c not in tokens.columns]
    if missing:
        bad_param("tokens", "columns participant, college, token", ", ".join(map(str, tokens.columns)), StoreError)
    base = str(base_url).rstrip("/")
    links = [f"{base}/{page.lstrip('/')}?{urlencode({'token': t})}" for t in tokens["token"]]
    return pd.DataFrame({"participant": tokens["participant"].astype(str), "college": tokens["college"].astype(str),
                         "link": links})


def qr_svg(text: str, *, title: str | None = None, error: str = "m") -> str:
    """An inline SVG QR code encoding ``text`` (:mod:`segno`, never a Micro QR).

    The SVG has a ``viewBox`` and no fixed size (the page's CSS sizes it), the quiet
    zone of 4 modules required by ISO/IEC 18004, and error correction level ``error``
    (default M: about 15 % of the symbol may be damaged and still read).
    """
    import segno

    q = segno.make(str(text), error=error, micro=False, boost_error=False)
    return q.svg_inline(omitsize=True, border=4, title=title, svgclass="ce-qr-svg", lineclass=None)


SHEET_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Liens personnels — {session}", "Personal links — {session}"),
    "howto": ("Découpez les cartes et remettez à chaque personne la sienne, et à elle seule : le lien (ou le QR "
              "code, à photographier avec un téléphone) ouvre sa page de pondération, sans compte. Chaque lien "
              "sert une fois par tour. Cette feuille ne sera plus produite : le projet ne garde qu'une empreinte "
              "des liens.",
              "Cut the cards out and hand each person their own, and to them only: the link (or the QR code, to "
              "scan with a phone) opens their weighting page, without an account. Each link works once per "
              "round. This sheet will not be produced again: the project keeps only a fingerprint of the links."),
    "college": ("Collège", "College"),
    "code": ("Code", "Code"),
    "scan": ("QR code du lien de {who}", "QR code of {who}'s link"),
}

SHEET_CSS = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111; }
h1 { font-size: 16pt; margin: 0 0 2mm; } .ce-howto { font-size: 9.5pt; margin: 0 0 4mm; }
.ce-sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.ce-card { border: 1px dashed #777; border-radius: 2mm; padding: 3mm; height: 62mm; display: flex; gap: 3mm;
  align-items: center; break-inside: avoid; page-break-inside: avoid; overflow: hidden; }
.ce-qr { flex: 0 0 40mm; } .ce-qr svg { width: 40mm; height: 40mm; display: block; }
.ce-card-text { flex: 1 1 auto; min-width: 0; font-size: 10pt; }
.ce-card-text p { margin: 0 0 1.5mm; } .ce-who { font-size: 13pt; font-weight: 700; }
.ce-link { font-family: ui-monospace, monospace; font-size: 7pt; word-break: break-all; }
@media screen { body { max-width: 210mm; margin: 8mm auto; } }
"""


def links_sheet(links: pd.DataFrame, *, session: str = "", lang: str = "fr") -> str:
    """A printable A4 HTML sheet: one card per participant with the link and its QR code.

    Parameters
    ----------
    links : DataFrame
        ``participant, college, link`` (:func:`links_table`).
    session : str
        Named in the title.
    lang : {"fr", "en"}

    Returns
    -------
    str
        A standalone HTML document (UTF-8, print CSS for A4, 2 x 4 cards a page).
        Each card (``<section class="ce-card">``, ``data-participant`` = the
        pseudonymous id) shows the college's readable name (:func:`college_name`),
        the pseudonymous participant id (e.g. ``hab-01``, never a name), the link and
        an inline SVG QR code (:func:`qr_svg`) encoding exactly the link.

    Raises
    ------
    StoreError
        ``links`` lacks a column, or a link is empty.

    Examples
    --------
    >>> t = pd.DataFrame({"participant": ["hab-01"], "college": ["habitants"],
    ...                   "link": ["http://h:8866/voila/render/participation.ipynb?token=abc"]})
    >>> sheet = links_sheet(t, session="atelier")
    >>> sheet.count("<svg"), "Habitant·es" in sheet
    (1, True)
    """
    missing = [c for c in ("participant", "college", "link") if c not in links.columns]
    if missing:
        bad_param("links", "columns participant, college, link", ", ".join(map(str, links.columns)), StoreError)
    empty = [str(p) for p, lk in zip(links["participant"], links["link"], strict=True) if not str(lk or "").strip()]
    if empty:
        bad_param("links", "a link for every participant", f"no link for {', '.join(empty)}", StoreError)
    k = 1 if lang == "en" else 0
    esc = html.escape
    cards = []
    for r in links.itertuples():
        who, link = str(r.participant), str(r.link).strip()
        svg = qr_svg(link, title=SHEET_TEXT["scan"][k].format(who=who))
        cards.append(
            f"<section class='ce-card' data-participant='{esc(who)}'>"
            f"<div class='ce-qr'>{svg}</div><div class='ce-card-text'>"
            f"<p class='ce-college-name'>{SHEET_TEXT['college'][k]} : <b>{esc(college_name(r.college, lang))}</b></p>"
            f"<p class='ce-who'>{SHEET_TEXT['code'][k]} : {esc(who)}</p>"
            f"<p class='ce-link'><a href='{esc(link)}'>{esc(link)}</a></p></div></section>")
    title = SHEET_TEXT["title"][k].format(session=session or "").rstrip(" —")
    return (f"<!DOCTYPE html><html lang='{'en' if lang == 'en' else 'fr'}'><head><meta charset='utf-8'>"
            f"<title>{esc(title)}</title><style>{SHEET_CSS}</style></head><body>"
            f"<h1>{esc(title)}</h1><p class='ce-howto'>{esc(SHEET_TEXT['howto'][k])}</p>"
            f"<div class='ce-sheet'>{''.join(cards)}</div></body></html>")
