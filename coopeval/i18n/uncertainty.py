"""Truthful words about uncertainty, generated from what a Monte Carlo actually varied.

Every sentence a report or a dashboard prints about an interval comes from here, and is
built from ``UncertaintyResult.settings["sources_varied"]`` — never a fixed claim. A
degenerate interval (every draw the same) is explained in plain words instead of being
printed as « 41–41 ».

Examples
--------
>>> from coopeval.i18n.uncertainty import rank_text, score_text
>>> settings = {"sources_varied": ["views"], "level": 0.9}
>>> rank_text(10, 10, settings)
'tous les tirages donnent le même rang : les avis exprimés ne changent pas le classement'
>>> rank_text(3, 5, settings)
'rangs possibles : 3 à 5'
>>> score_text(38.2, 44.9, settings) == "intervalle à 90\u202f% : 38–45"
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from coopeval.i18n import DEFAULT_LANG, fmt, t

__all__ = ["is_degenerate", "rank_text", "score_text", "share_sentence", "uncertainty_sentence", "varied",
           "what_varied"]

_PLURAL = {"views": True, "methods": True, "sampling": False, "measurement": False, "weights_other": True,
           "unknown": True}


def varied(settings: Mapping[str, Any] | None) -> list[str]:
    """The sources a result varied (``settings["sources_varied"]``; older results: from
    ``weights_vary`` and the method options)."""
    if not settings:
        return []
    if settings.get("sources_varied") is not None:
        return [s if s in _PLURAL else "weights_other" for s in settings["sources_varied"]]
    out = ["weights_other"] if settings.get("weights_vary") else []
    if len(settings.get("normalisations", [])) * len(settings.get("aggregations", [])) > 1:
        out.append("methods")
    return out


def _join(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('word_and', lang)} {items[-1]}"


def _method_name(m: Any) -> str:
    if isinstance(m, (tuple, list)) and len(m) == 2:
        return f"{m[0]} p = {m[1]:g}"
    return str(m)


def what_varied(settings: Mapping[str, Any] | None, lang: str = DEFAULT_LANG) -> str:
    """« la diversité des avis exprimés (…) et les choix de méthode (…) »: what was varied."""
    parts = []
    given = settings or {}
    for s in varied(settings):
        if s == "methods":
            parts.append(t("src_methods", lang,
                           normalisations=", ".join(map(_method_name, given.get("normalisations", []))),
                           aggregations=", ".join(map(_method_name, given.get("aggregations", [])))))
        else:
            parts.append(t(f"src_{s}", lang))
    return _join(parts, lang)


def _subjects(settings, lang) -> tuple[str, str]:
    src = varied(settings)
    plural = len(src) > 1 or (len(src) == 1 and _PLURAL[src[0]])
    return _join([t(f"subj_{s}", lang) for s in src], lang), t("verb_change_pl" if plural else "verb_change_sg",
                                                                 lang)


def is_degenerate(low: float, high: float, tol: float = 1e-9) -> bool:
    """True when an interval has no width (every draw gave the same value)."""
    return bool(np.isfinite(low) and np.isfinite(high) and abs(high - low) <= tol)


def score_text(low: float, high: float, settings: Mapping[str, Any] | None, lang: str = DEFAULT_LANG,
               digits: int = 0) -> str:
    """« intervalle à 90 % : 38–45 », or why every draw gives the same score."""
    if not varied(settings):
        return t("nothing_varied", lang)
    if is_degenerate(low, high, 0.5 * 10.0**-digits):
        subjects, verb = _subjects(settings, lang)
        return t("same_score", lang, subjects=subjects, verb=verb)
    label = t("interval_at", lang, level=_pct((settings or {}).get("level", 0.9), lang))
    sep = " : " if lang == "fr" else ": "
    return f"{label}{sep}{fmt(low, lang, digits)}–{fmt(high, lang, digits)}"


def _pct(x: float, lang: str) -> str:
    from coopeval.i18n import pct  # the one number formatter

    return pct(x, lang)


def rank_text(low: float, high: float, settings: Mapping[str, Any] | None, lang: str = DEFAULT_LANG) -> str:
    """« rangs possibles : 3 à 5 », or « tous les tirages donnent le même rang : … »."""
    if not varied(settings):
        return t("nothing_varied", lang)
    if is_degenerate(low, high):
        subjects, verb = _subjects(settings, lang)
        return t("same_rank", lang, subjects=subjects, verb=verb)
    return t("rank_range", lang, lo=fmt(low, lang, 0), hi=fmt(high, lang, 0))


def uncertainty_sentence(settings: Mapping[str, Any] | None, lang: str = DEFAULT_LANG) -> str:
    """The annex sentence: how the intervals were made and what they vary."""
    n, seed = (settings or {}).get("n"), (settings or {}).get("seed")
    if not varied(settings):
        return t("report_uncertainty_nothing", lang, n=n, seed=seed)
    level = _pct((settings or {}).get("level", 0.9), lang)
    return t("report_uncertainty_text", lang, n=n, seed=seed, what=what_varied(settings, lang), level=level)


def share_sentence(decomposition, unit: Any, wave: Any, name: str, lang: str = DEFAULT_LANG,
                   node: str = "overall", min_share: float = 0.5) -> str:
    """« 70 % de l'incertitude sur le rang de … vient de … » for the source with the largest
    first-order share of the rank variance, when it is at least ``min_share``; else ``""``."""
    if decomposition is None or not len(decomposition):
        return ""
    d = decomposition[(decomposition["unit"] == unit) & (decomposition["wave"] == wave)
                      & (decomposition["node"] == node) & (decomposition["quantity"] == "rank")]
    d = d[d["variance"] > 0].dropna(subset=["first_order"])
    if d.empty:
        return ""
    top = d.loc[d["first_order"].idxmax()]
    if top["first_order"] < min_share:
        return ""
    share = _pct(min(float(top["first_order"]), 1.0), lang)
    subject = t(f"subj_{top['source']}" if top["source"] in _PLURAL else "subj_weights_other", lang)
    return t("report_uncertainty_share", lang, share=share, name=name, subject=subject)
