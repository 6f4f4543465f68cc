"""Progress grids: indicators of kind ``grid`` whose levels carry descriptors.

A progress grid (« grille d'auto-évaluation », « démarche de progrès ») is assessed by the
collective — or by each member, the collective then agreeing on one level — on an ordered
scale whose every level is described (e.g. 1 « émergent » … 4 « consolidé »). In the
framework YAML::

    - id: grille_gouvernance
      kind: grid
      lower: 1
      upper: 4
      levels:
        1: {label_fr: émergent, label_en: emerging, descriptor_fr: "…", descriptor_en: "…"}
        ...

Validation requires a descriptor for every whole level from ``lower`` to ``upper``. A grid
is **ordinal**: observations are whole levels; normalisation maps a level with the
framework's goalposts, ``(level - lower) / (upper - lower)``, which assumes the levels are
equally spaced — the usual reading of such grids, and the same as for ``ordinal``
indicators; ``rank`` normalisation uses only their order. Wherever a level is shown,
:func:`describe_level` gives its label and descriptor.

Example
-------
>>> import coopeval as ce
>>> from coopeval.framework.grids import describe_level, grid_levels
>>> fw = ce.load_framework("cooperation_territoriale")
>>> sorted(grid_levels(fw)["indicator"].unique())
['grille_cooperation', 'grille_gouvernance']
>>> describe_level(fw, "grille_gouvernance", 4)["label"]
'consolidé'
"""

from __future__ import annotations

import pandas as pd

from coopeval.errors import FrameworkError, bad_param

__all__ = ["GRID_COLUMNS", "grid_levels", "describe_level"]

#: Columns of :func:`grid_levels`.
GRID_COLUMNS = ["indicator", "level", "label_fr", "label_en", "descriptor_fr", "descriptor_en"]


def grid_levels(fw) -> pd.DataFrame:  # noqa: ANN001
    """Every level of every grid indicator of ``fw``: :data:`GRID_COLUMNS`, by indicator then level."""
    rows = []
    for ind in fw.indicators.loc[fw.indicators["kind"] == "grid", "indicator"]:
        for level, d in sorted((fw.node(ind).get("levels") or {}).items()):
            rows.append({"indicator": ind, "level": int(level), **{k: d[k] for k in GRID_COLUMNS[2:]}})
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def describe_level(fw, indicator: str, value: float, lang: str = "fr") -> dict:  # noqa: ANN001
    """Label and descriptor of the level ``value`` of a grid indicator.

    Returns
    -------
    dict
        ``{"level": int, "label": str, "descriptor": str}``; a value that is missing or not a
        whole level gives ``{"level": None, "label": "", "descriptor": ""}``.

    Raises
    ------
    FrameworkError
        ``indicator`` is not a grid of ``fw``.
    """
    node = fw.node(indicator) if indicator in set(fw.indicator_ids) else None
    if node is None or node.get("kind") != "grid":
        grids = fw.indicators.loc[fw.indicators["kind"] == "grid", "indicator"].tolist()
        bad_param("indicator", f"a grid indicator of {fw.id} ({', '.join(grids) or 'none'})", indicator,
                  FrameworkError)
    if lang not in ("fr", "en"):
        bad_param("lang", "'fr' or 'en'", lang, FrameworkError)
    try:
        level = int(value) if float(value) == int(value) else None
    except (TypeError, ValueError):
        level = None
    d = node["levels"].get(level) if level is not None else None
    if d is None:
        return {"level": None, "label": "", "descriptor": ""}
    return {"level": level, "label": d[f"label_{lang}"], "descriptor": d[f"descriptor_{lang}"]}
