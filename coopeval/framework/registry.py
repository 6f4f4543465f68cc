"""Built-in frameworks: listing and loading by id or path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coopeval.errors import FrameworkError, bad_param
from coopeval.framework.tree import Framework
from coopeval.resources import indicators_dir


def _builtin_files() -> dict[str, Path]:
    folder = indicators_dir() / "frameworks"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def list_frameworks() -> pd.DataFrame:
    """The built-in frameworks.

    Returns
    -------
    DataFrame
        One row per built-in: ``id, title_fr, title_en, n_dimensions, n_criteria,
        n_indicators, n_survey_indicators, version``.

    Examples
    --------
    >>> import coopeval as ce
    >>> ce.list_frameworks()["id"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['cooperation_territoriale', 'gadrey_2004', 'loi_ess_2014', 'monnaie_locale',
     'tiers_lieu', 'tzcld']
    """
    rows = []
    for fid in _builtin_files():
        fw = load_framework(fid)
        levels = fw.nodes["level"].value_counts()
        ind = fw.indicators
        rows.append(
            {
                "id": fid,
                "title_fr": fw.title_fr,
                "title_en": fw.title_en,
                "n_dimensions": int(levels.get("dimension", 0)),
                "n_criteria": int(levels.get("criterion", 0)),
                "n_indicators": len(ind),
                "n_survey_indicators": int((ind["source"] == "survey").sum()),
                "version": fw.version,
            }
        )
    return pd.DataFrame(rows)


_CACHE: dict[str, Framework] = {}


def load_framework(id_or_path: str | Path) -> Framework:
    """Load a built-in framework by id, or a framework YAML file by path.

    Parameters
    ----------
    id_or_path : str or Path
        A built-in id (see :func:`list_frameworks`) or the path of a ``.yaml`` file.

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkError
        Unknown id, missing file, or an invalid file (all its problems listed, each
        with file, line and key).

    Examples
    --------
    >>> import coopeval as ce
    >>> fw = ce.load_framework("tzcld")
    >>> fw.indicators[["dimension", "indicator", "kind"]].head(2)  # doctest: +SKIP
    """
    if isinstance(id_or_path, Path) or str(id_or_path).endswith((".yaml", ".yml")) or "/" in str(id_or_path):
        return Framework.from_yaml(Path(id_or_path))
    if not isinstance(id_or_path, str):
        bad_param("id_or_path", "a built-in framework id or a YAML path", id_or_path, FrameworkError)
    files = _builtin_files()
    if id_or_path not in files:
        bad_param("id_or_path", f"a built-in framework id ({', '.join(files)}) or a YAML path",
                  id_or_path, FrameworkError)
    if id_or_path not in _CACHE:
        fw = Framework.from_yaml(files[id_or_path])
        fw.source = f"builtin:{id_or_path}"
        _CACHE[id_or_path] = fw
    return _CACHE[id_or_path]
