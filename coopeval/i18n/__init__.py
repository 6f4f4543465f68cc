"""French and English labels for everything a person reads (French by default).

Labels live in ``labels.yaml`` beside this module, one key per message with its ``fr`` and
``en`` texts; ``{name}`` placeholders are filled by :func:`t`.

Example
-------
>>> from coopeval.i18n import t
>>> t("score")
'Score'
>>> t("wave_n", wave=2)
'Vague 2'
>>> t("wave_n", lang="en", wave=2)
'Wave 2'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from coopeval.errors import CoopevalError, bad_param

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"


@cache
def labels() -> dict[str, dict[str, str]]:
    """All labels: ``{key: {"fr": ..., "en": ...}}``."""
    data = yaml.safe_load((Path(__file__).parent / "labels.yaml").read_text(encoding="utf-8"))
    return data


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"fr"`` or ``"en"``, else raise ``CoopevalError``."""
    if lang not in LANGS:
        bad_param("lang", "'fr' or 'en'", lang)
    return lang


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    check_lang(lang)
    entry = labels().get(key)
    if entry is None:
        raise CoopevalError(f"label key: expected one of the keys of coopeval/i18n/labels.yaml, got {key!r}")
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


__all__ = ["LANGS", "DEFAULT_LANG", "labels", "check_lang", "t"]


def fmt(value: float, lang: str = DEFAULT_LANG, digits: int = 1, signed: bool = False) -> str:
    """A number as a person reads it — the one number formatter of coopeval (reports, dashboards,
    figures): ``1 234,5`` in French (narrow no-break space between thousands, decimal comma),
    ``1,234.5`` in English, a true minus sign, ``–`` if missing.

    >>> fmt(53.24), fmt(53.24, "en"), fmt(-1.5, signed=True), fmt(float("nan"))
    ('53,2', '53.2', '−1,5', '–')
    >>> fmt(1234.5), fmt(1234.5, "en"), fmt(287000, digits=0)
    ('1\u202f234,5', '1,234.5', '287\u202f000')
    """
    check_lang(lang)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    if x != x:  # NaN
        return "–"
    text = f"{x:+,.{digits}f}" if signed else f"{x:,.{digits}f}"
    text = text.replace("-", "−")
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


__all__ += ["fmt"]


def pct(share: float, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """A share as a percentage: ``6 %`` in French (narrow no-break space), ``6%`` in English.

    >>> pct(0.0612), pct(0.0612, "en"), pct(0.5, digits=1)
    ('6\u202f%', '6%', '50,0\u202f%')
    """
    text = fmt(100 * float(share), lang, digits)
    return text if text == "–" else (f"{text}\u202f%" if lang == "fr" else f"{text}%")


def provenance(prov: dict, lang: str = DEFAULT_LANG, *, fw_title: str | None = None,
               college_names: dict | None = None) -> list[str]:
    """Sentences saying where an evaluation's numbers come from, from the codes of
    :meth:`coopeval.Evaluation.provenance`.

    >>> prov = {"weights": "deliberation", "session": "atelier", "round": 2, "n_participants": 23,
    ...         "voices": "equal", "college_shares": None, "framework_id": "tzcld",
    ...         "framework_version": "1.0", "adapted": False}
    >>> provenance(prov)[0]
    'Poids délibérés lors de la séance « atelier », tour 2, par 23 participant·es ; voix des collèges : égales.'
    """
    names = college_names or {}
    if prov["weights"] == "deliberation":
        if prov.get("college_shares"):
            shares = prov["college_shares"]
            total = sum(shares.values()) or 1.0
            voices = ", ".join(f"{names.get(c, c)} {pct(v / total, lang)}" for c, v in shares.items())
        else:
            voices = t("provenance_voices_equal", lang)
        first = t("provenance_deliberation", lang, session=prov.get("session_title") or prov["session"],
                  round=prov["round"], n=prov["n_participants"], voices=voices)
    else:
        first = t("provenance_framework_weights" if prov["weights"] == "framework" else "provenance_fixed_weights",
                  lang)
    second = t("provenance_framework", lang, title=fw_title or prov["framework_id"], id=prov["framework_id"],
               version=prov["framework_version"], adapted=t("provenance_adapted", lang) if prov["adapted"] else "")
    rel = prov.get("relative_goalposts") or []
    if not rel:
        return [first, second]
    per = sorted({r["per"] for r in rel if r.get("per")})
    n_base = sum(1 for r in rel if r.get("relative_to") == "baseline")
    parts = ([t("provenance_relative_per", lang, n=sum(1 for r in rel if r.get("per")), variables=", ".join(per))]
             if per else []) + ([t("provenance_relative_baseline", lang, n=n_base)] if n_base else [])
    return [first, second, t("provenance_relative", lang, parts=" ; ".join(parts) if lang == "fr"
                             else "; ".join(parts))]


__all__ += ["pct", "provenance"]
