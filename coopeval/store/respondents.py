"""Respondents of an import of responses, in the store: their integer ids (schema 11) and their
one college in a unit and wave.

Validation (:mod:`coopeval.data.validate.responses`) already refuses a table that puts a
respondent in two colleges for the same unit and wave; :func:`check_colleges` holds the same rule
across imports, against the responses already stored (a second import used to add a respondent's
answers under another college: the scale and college results then counted them in both).
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from coopeval.errors import StoreError
from coopeval.store import checks
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.rows import ensure_keys, key_rows

__all__ = ["check_colleges", "respondent_ids"]

#: Codes and distinct values of a checked column (``distinct[codes]`` is the column).
Coded = tuple[np.ndarray, np.ndarray]


def respondent_ids(conn: sa.Connection, people: list[str]) -> np.ndarray:
    """The ``id`` of each pseudonym of ``people`` in ``respondents``; a new one is written first,
    stamped with the time of its first import (schema 11, issue 21)."""
    ensure_keys(conn, S.respondents, "respondent", set(people), created_at=M.now())
    found = dict(key_rows(conn, S.respondents, "respondent", people, "id"))
    missing = [p for p in people if p not in found]
    if missing:  # the import's own check, as for units and waves (tests/store/test_import_speed.py)
        raise StoreError(f"responses: expected every respondent of the rows in table respondents, found "
                         f"{len(missing)} missing ({missing[0]!r}); nothing was written")
    return np.array([found[p] for p in people], dtype=np.int64)


def check_colleges(conn: sa.Connection, ids: np.ndarray, people: np.ndarray, coded: dict[str, Coded],
                   source: str | None) -> None:
    """Raise :class:`StoreError` when a row puts a respondent, in a unit and wave, in another college
    than their responses already stored there (one college per respondent, unit and wave).

    ``ids`` and ``people`` are the id and pseudonym of each distinct respondent, ``coded`` the codes
    of the import's ``respondent`` (into them), ``unit``, ``wave`` and ``college``. Only the stored
    responses of the import's respondents in the import's waves are read (through the unique key,
    which starts with the respondent): none for new respondents.
    """
    waves = coded["wave"][1].tolist()
    stored = key_rows(conn, S.responses, "respondent_id", sorted(set(ids.tolist())), "unit", "wave", "college",
                      distinct=True, within={"wave": waves})
    if not stored:
        return
    college_of = {(rid, unit, wave): college for rid, unit, wave, college in stored}
    (r, _), (u, units), (w, _), (c, colleges) = (coded[k] for k in ("respondent", "unit", "wave", "college"))
    # the first row of each respondent, unit and wave (one college each: validated)
    _, first = np.unique(np.stack([ids[r], u, w]), axis=1, return_index=True)
    for i in np.sort(first):
        key = (int(ids[r[i]]), units[u[i]], waves[w[i]])
        if key in college_of and college_of[key] != colleges[c[i]]:
            raise StoreError(
                f"responses: {checks._where(source, int(i))} (respondent={people[r[i]]!r}, unit={key[1]!r}, "
                f"wave={key[2]!r}): expected college {college_of[key]!r}, the college of this respondent's "
                f"responses already stored for this unit and wave (one college per respondent, unit and wave), "
                f"got {colleges[c[i]]!r}; nothing was written")
