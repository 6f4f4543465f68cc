"""The facilitator page's tables: an HTML table, and a round's agreement as the page prints it
(French number format by default, contested nodes in orange)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from coopeval.i18n import fmt
from coopeval.i18n.animation_text import _t
from coopeval.i18n.deliberation import college_name


def _pct(x: float, digits: int = 0, lang: str = "fr") -> str:
    return "–" if x is None or not np.isfinite(x) else f"{fmt(100 * x, lang, digits=digits)}\u00a0%"


def _html_table(header: list[str], rows: list[list[str]], css: str, nums: set[int] | None = None,
                labels: list[str] | None = None) -> str:
    """An HTML table; with ``labels`` (one per column, e.g. « Collège : »), every cell carries
    its own (``data-label``), which a phone shows before the cell when the rows are laid out as
    cards (``style.CSS``)."""
    nums = nums or set()
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in header)
    label = [f" data-label='{html.escape(t, quote=True)}'" for t in labels] if labels else [""] * len(header)
    body = "".join(
        "<tr>" + "".join(f"<td class='{'num' if i in nums else ''}'{label[i]}>{c}</td>" for i, c in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table class='ce-table {css}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def node_name(node: str, parent: str, labels: dict[str, str], root: str = "overall") -> str:
    """``Label`` of a dimension, ``Parent › Label`` deeper in the tree."""
    name = labels.get(node, node)
    return name if parent == root else f"{labels.get(parent, parent)} › {name}"


def _why(r) -> str:  # noqa: ANN001
    """The reason code for which a row's ``cv`` and ``pct_agreement`` are not estimable (``""`` if they are)."""
    why = getattr(r, "not_estimable", "")
    return why if isinstance(why, str) else ""


def not_estimable_note(table: pd.DataFrame, lang: str = "fr") -> str:
    """A paragraph saying why cells read « non estimable », or ``""`` when none does."""
    whys = sorted({w for w in table.get("not_estimable", pd.Series(dtype=str)) if isinstance(w, str) and w})
    return "".join(f"<p class='ce-not-estimable'>{_t('ne_' + w, lang)}</p>" for w in whys)


def agreement_rows(table: pd.DataFrame, labels: dict[str, str], *, college: bool = False,
                   lang: str = "fr") -> list[list[str]]:
    """Rows of an agreement table as the page prints them (French number format by default)."""
    rows = []
    for r in table.itertuples():
        cells = [html.escape(college_name(str(r.college), lang))] if college else []
        name = node_name(r.node, r.parent, labels)
        cells += [
            f"<span class='ce-node' data-node='{html.escape(r.node)}'>{html.escape(name)}</span>",
            str(int(r.n)), _pct(r.median, 1, lang), f"{_pct(r.q1, 1, lang)} – {_pct(r.q3, 1, lang)}",
            *([_t("ne_cell", lang)] * 2 if _why(r) else [fmt(r.cv, lang, digits=2), _pct(r.pct_agreement, 0, lang)]),
            fmt(r.college_p_value, lang, digits=3),
            f"<span class='ce-contested'>{_t('yes', lang)}</span>" if r.contested else _t("no", lang),
        ]
        rows.append(cells)
    return rows


def college_table(bc: pd.DataFrame, labels: dict[str, str], lang: str = "fr") -> str:
    """One row per node, one column per college: ``accord % · CV`` (contested in orange), or
    « non estimable » when the members' dispersion cannot be told apart from their methods'
    (:func:`coopeval.weighting.agreement_table`), explained by :func:`not_estimable_note`."""
    colleges = sorted(bc["college"].unique())
    cells = {(r.college, r.node): (f"<span class='{'ce-contested' if r.contested else ''}'>"
                                   + (f"<span class='ce-not-estimable'>{_t('ne_cell', lang)}</span>" if _why(r) else
                                      f"{_pct(r.pct_agreement, 0, lang)} · {fmt(r.cv, lang, digits=2)}") + "</span>")
             for r in bc.itertuples()}
    order = bc.drop_duplicates("node")[["node", "parent"]]
    rows = [[html.escape(node_name(r.node, r.parent, labels))] + [cells.get((c, r.node), "–") for c in colleges]
            for r in order.itertuples()]
    return _html_table([_t("a_node", lang), *[college_name(c, lang) for c in colleges]], rows, "ce-agreement-college",
                       set(range(1, len(colleges) + 1)))


AGREEMENT_KEYS = ["a_node", "a_n", "a_median", "a_iqr", "a_cv", "a_agree", "a_p", "a_contested"]
