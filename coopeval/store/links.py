"""Personal links of a deliberation session: fresh pseudonymous participant ids.

:func:`new_participants` makes the roster the facilitator issues links for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import CoopevalError, bad_param

__all__ = ["new_participants"]


def new_participants(college: str, n: int, existing: list[str] | None = None, *, prefix: str | None = None
                     ) -> pd.DataFrame:
    """``n`` fresh pseudonymous participant ids for ``college`` (``<prefix>-01``, ...).

    >>> new_participants("habitants", 2, ["hab-01"])["participant"].tolist()
    ['hab-02', 'hab-03']
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        bad_param("n", "a positive integer", n, CoopevalError)
    college = str(college).strip()
    if not college:
        bad_param("college", "a college name", college, CoopevalError)
    stem = prefix or college[:3].lower()
    taken = set(existing or [])
    ids, i = [], 1
    while len(ids) < n:
        pid = f"{stem}-{i:02d}"
        if pid not in taken:
            ids.append(pid)
        i += 1
    return pd.DataFrame({"participant": ids, "college": college})

