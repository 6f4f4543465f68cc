"""French Likert labels and the coercion of raw cell values to numbers.

Survey tools and paper questionnaires typed into spreadsheets give answers either
as numeric codes (``1`` … ``5``) or as labels (``"Plutôt d'accord"``). This module
maps the usual French (and English) five-point agreement labels to their rank,
case- and accent-insensitively, and parses numbers written the French way
(``"3,5"``). Non-answers (``"Ne sais pas"``, ``"NSP"``, ``"Sans réponse"``, empty)
become missing values, never zero.

Example
-------
>>> from coopeval.data.likert import likert_rank
>>> likert_rank("PLUTOT D'ACCORD"), likert_rank("Tout à fait d’accord")
(3, 4)
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

__all__ = ["LIKERT_LABELS_FR", "MISSING_LABELS", "normalise_text", "likert_rank", "parse_number"]

#: The canonical French five-point agreement scale, in order (rank 0 … 4).
LIKERT_LABELS_FR = (
    "Pas du tout d'accord",
    "Plutôt pas d'accord",
    "Ni d'accord ni pas d'accord",
    "Plutôt d'accord",
    "Tout à fait d'accord",
)

# Normalised variants (see normalise_text) -> rank 0..4.
_VARIANTS = {
    0: [
        "pas du tout d accord", "pas du tout", "tout a fait en desaccord", "fortement en desaccord",
        "totalement en desaccord", "strongly disagree",
    ],
    1: [
        "plutot pas d accord", "pas d accord", "plutot en desaccord", "en desaccord",
        "plutot pas", "disagree",
    ],
    2: [
        "ni d accord ni pas d accord", "ni d accord ni en desaccord", "neutre", "sans avis",
        "ni l un ni l autre", "moyennement d accord", "neither agree nor disagree", "neutral",
    ],
    3: ["plutot d accord", "d accord", "agree", "plutot oui"],
    4: [
        "tout a fait d accord", "tout a fait", "totalement d accord", "entierement d accord",
        "fortement d accord", "strongly agree",
    ],
}
_RANK = {v: r for r, vs in _VARIANTS.items() for v in vs}

#: Normalised labels meaning "no answer" (→ missing value).
MISSING_LABELS = frozenset(
    {
        "", "ne sais pas", "je ne sais pas", "nsp", "ns", "sans reponse", "non reponse",
        "pas de reponse", "ne se prononce pas", "nr", "na", "n a", "nan", "none", "don t know",
        "no answer",
    }
)
_BINARY = {"oui": 1.0, "non": 0.0, "yes": 1.0, "no": 0.0, "vrai": 1.0, "faux": 0.0,
           "true": 1.0, "false": 0.0}


@functools.lru_cache(maxsize=4096)
def _normalise(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def normalise_text(text: object) -> str:
    """Lower-case, accent-free, single-spaced version of ``text``.

    Apostrophes (straight or typographic), hyphens and punctuation become spaces,
    so ``"Plutôt  d’accord."`` and ``"plutot d'accord"`` compare equal.
    """
    return _normalise(str(text))


def likert_rank(label: object) -> int | None:
    """Rank 0 … 4 of a five-point agreement label, or ``None`` if not recognised."""
    return _RANK.get(normalise_text(label))


def is_missing(value: object) -> bool:
    """True for ``None``, NaN and the non-answer labels of :data:`MISSING_LABELS`."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return normalise_text(value) in MISSING_LABELS
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def parse_number(value: object) -> float | None:
    """A float from a number or a numeric text (``"3,5"``, ``" 1 200 "``), else ``None``.

    Booleans are refused (``None``) so that ``True`` is not silently read as 1.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if hasattr(value, "dtype") and getattr(value, "dtype", None) is not None:  # numpy scalar
        try:
            v = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return None if math.isnan(v) or math.isinf(v) else v
    if not isinstance(value, str):
        return None
    s = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+,\d+", s):
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s):
        return None
    return float(s)


def binary_code(value: object) -> float | None:
    """1.0 / 0.0 for ``oui``/``non`` (and English, vrai/faux) labels, else ``None``."""
    if isinstance(value, str):
        return _BINARY.get(normalise_text(value))
    return None
