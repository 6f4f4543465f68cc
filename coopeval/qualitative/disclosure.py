"""Disclosure control of qualitative evidence: who an extract may be attributed to, and counted for.

A quote shown « — élu·es, vague 2 » from a college of three people points at one of them; a
theme count per college hides the small college's cell, but the same count per wave (another
output) minus the colleges shown gives it back by subtraction (issue 16). The rule, applied
once here and used by every output (:func:`~coopeval.qualitative.extracts_for`,
:func:`~coopeval.qualitative.theme_summary`, the report and the dashboard):

* the **people group** of an extract is its speaker's college *within its cooperation and
  wave* (the speakers of the whole table in that cooperation and wave, consented or not,
  whatever the criterion asked for — so a filter never changes it);
* the colleges of a cooperation and wave are split as the weights are
  (:func:`coopeval.data.disclosure.college_blocks`, one owner of the rule): a college with
  at least ``min_group`` speakers keeps its name; the colleges under the minimum, with the
  smallest others when needed, are pooled into **« autres collèges »**
  (:data:`OTHER_COLLEGES`), a block of at least two colleges and ``min_group`` speakers;
* when a cooperation and wave has fewer than ``min_group`` speakers in all, its extracts
  are attributed to nobody and **counted nowhere** (``counted`` false).

Every published count is then a sum of counts of blocks of at least ``min_group`` speakers,
so no difference between two outputs (per wave or per college, with or without a filter)
isolates a smaller group. What this cannot do: hide what the *text* of a quote says about
its author (a name, a role held by one person) — consent and the researcher's reading
cover that.

>>> import pandas as pd
>>> ex = pd.DataFrame({"extract": ["e1", "e2", "e3"], "unit": "u1", "wave": 1,
...                    "speaker": ["s1", "s2", "s3"], "college": ["habitants", "elus", "salaries"]})
>>> sizes = {"habitants": 6, "elus": 2, "salaries": 5}   # speakers of each college (others not shown)
>>> ex = pd.concat([ex, pd.DataFrame([{"extract": f"x{c}{i}", "unit": "u1", "wave": 1, "speaker": f"{c}{i}",
...                  "college": c} for c, n in sizes.items() for i in range(n)])], ignore_index=True)
>>> attribution(ex, 5).head(3)[["extract", "group", "group_size", "counted"]].to_dict("records")
[{'extract': 'e1', 'group': 'habitants', 'group_size': 7, 'counted': True}, {'extract': 'e2', 'group': 'autres_colleges', 'group_size': 9, 'counted': True}, {'extract': 'e3', 'group': 'autres_colleges', 'group_size': 9, 'counted': True}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.data.disclosure import college_blocks
from coopeval.errors import DataError, bad_param

__all__ = ["OTHER_COLLEGES", "ATTRIBUTION_COLUMNS", "attribution"]

#: Code of the pooled colleges (label ``college_autres_colleges`` in :mod:`coopeval.i18n`: « autres collèges »).
OTHER_COLLEGES = "autres_colleges"
#: Columns of :func:`attribution`.
ATTRIBUTION_COLUMNS = ["extract", "group", "group_size", "counted"]
_NONE = "\x00"  # speakers without a college: a group of their own, never named


def attribution(extracts: pd.DataFrame, min_group: int) -> pd.DataFrame:
    """The group each extract may be attributed to and counted for (see the module's rule).

    Parameters
    ----------
    extracts : DataFrame
        ``extract, unit, wave, speaker, college`` (the extracts contract).
    min_group : int
        Minimum number of different speakers behind an attribution or a count.

    Returns
    -------
    DataFrame
        One row per extract, in order: ``extract``; ``group`` — the college, or
        :data:`OTHER_COLLEGES` for a pooled college, or missing (no college given, or every
        college of the cooperation and wave pooled); ``group_size`` — different speakers of
        that group (of the whole cooperation and wave when ``group`` is missing);
        ``counted`` — false when the cooperation and wave has fewer than ``min_group``
        speakers (the extract then enters no count).
    """
    if isinstance(min_group, bool) or not isinstance(min_group, (int, np.integer)) or min_group < 1:
        bad_param("min_group", "a positive integer", min_group, DataError)
    if not len(extracts):
        return pd.DataFrame(columns=ATTRIBUTION_COLUMNS)
    ex = extracts.assign(_college=extracts["college"].astype(object).where(extracts["college"].notna(), _NONE)
                         .astype(str), _cell=extracts["unit"].astype(str) + "\x01" + extracts["wave"].astype(str))
    groups: dict[tuple[str, str], tuple[object, int, bool]] = {}
    for cell, g in ex.groupby("_cell", sort=False):
        sizes = g.groupby("_college")["speaker"].nunique().to_dict()
        total = int(g["speaker"].nunique())
        shown, pooled = college_blocks(sizes, int(min_group))
        block = sum(int(sizes[c]) for c in pooled)
        for c in sizes:
            if c in shown:
                groups[cell, c] = (None if c == _NONE else c, int(sizes[c]), True)
            elif shown:  # a block of >= 2 colleges and >= min_group speakers, named « autres collèges »
                groups[cell, c] = (OTHER_COLLEGES, block, True)
            else:        # every college pooled: nobody named; counted only if the cell is large enough
                groups[cell, c] = (None, total, total >= min_group)
    rows = [groups[cell, c] for cell, c in zip(ex["_cell"], ex["_college"], strict=True)]
    out = pd.DataFrame(rows, columns=["group", "group_size", "counted"], index=ex.index)
    out.insert(0, "extract", ex["extract"])
    return out.reset_index(drop=True)
