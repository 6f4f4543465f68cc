"""Bundled sample datasets: ``ce.datasets.list()`` and ``ce.datasets.load(name)``.

Each dataset is a folder ``datasets/<name>/`` (shipped inside the wheel) holding
UTF-8, comma-separated CSV tables, a ``README.md`` (source, columns, licence) and a
``meta.yaml`` that gives the titles, the licence and, for every table, its columns
and their types. Types in ``meta.yaml`` are one of ``str`` (pandas ``object``),
``int`` (``int64``, no missing value), ``Int64`` (nullable integer), ``float``
(``float64``) and ``bool``. Only an empty cell is read as missing, so that codes
such as ``"NA"`` or ``"__blanc__"`` stay text.

Bundled datasets:

- ``cas_rapport_2024`` — the cooperations of the Labo de l'ESS (2024) report: typology,
  key figures and resources, each value with its report section and a verbatim quote;
- ``panel_synthetique`` — a seeded synthetic evaluation of 12 cooperations over 3 waves
  (observations, survey responses, resources) with documented built-in effects;
- ``la_butinerie`` — La Butinerie's 2023 socio-economic model, externalities and
  conventions from the same report, each value with its quote (issue 18);
- ``deliberation_exemple`` — seeded synthetic weighting judgements of 25 participants
  in 5 colleges over 2 rounds, with 5 elicitation methods.

References
----------
Le Labo de l'ESS (2024). *Vers une société de la coopération. Accompagner et financer
les coopérations territoriales au service de la transition écologique juste.* Paris.

Example
-------
>>> import coopeval as ce
>>> "panel_synthetique" in set(ce.datasets.list()["name"])
True
>>> panel = ce.datasets.load("panel_synthetique")
>>> sorted(panel)
['observations', 'resources', 'responses', 'units']
>>> panel["observations"].columns.tolist()
['unit', 'wave', 'indicator', 'value']
"""

from __future__ import annotations

import builtins
import csv
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from coopeval.errors import DataError, Issue
from coopeval.resources import datasets_dir

__all__ = ["list", "load", "path"]

_DTYPES = {"str": object, "int": "int64", "Int64": "Int64", "float": "float64", "bool": "bool"}
_LIST_COLUMNS = ["name", "title_fr", "title_en", "tables", "n_rows", "licence"]


def _names(root: Path) -> builtins.list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "meta.yaml").is_file())


def _meta(folder: Path) -> dict[str, Any]:
    with open(folder / "meta.yaml", encoding="utf-8") as fh:
        meta = yaml.safe_load(fh)
    if not isinstance(meta, dict) or not isinstance(meta.get("tables"), dict):
        raise DataError(
            f"dataset metadata {folder / 'meta.yaml'}: expected a mapping with a `tables` "
            f"mapping, got {type(meta).__name__}"
        )
    return meta


def _count_rows(csv_path: Path) -> int:
    with open(csv_path, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def path(name: str) -> Path:
    """Folder of the bundled dataset ``name``.

    Parameters
    ----------
    name : str
        Dataset name, as listed by :func:`list`.

    Returns
    -------
    pathlib.Path
        The dataset folder (CSV tables, ``README.md``, ``meta.yaml``).

    Raises
    ------
    DataError
        If ``name`` is not a bundled dataset; the message lists the available ones.

    Examples
    --------
    >>> import coopeval as ce
    >>> sorted(p.name for p in ce.datasets.path("deliberation_exemple").glob("*.csv"))
    ['judgements.csv']
    """
    root = datasets_dir()
    available = _names(root)
    if not isinstance(name, str) or name not in available:
        raise DataError(
            f"parameter `name`: expected one of the bundled datasets "
            f"{', '.join(available)}, got {name!r}"
        )
    return root / name


def list() -> pd.DataFrame:  # noqa: A001 - public name fixed by the API contract
    """Table of the bundled datasets.

    Returns
    -------
    pandas.DataFrame
        One row per dataset, sorted by name, with columns

        - ``name`` : str, the identifier to pass to :func:`load`;
        - ``title_fr``, ``title_en`` : str, titles in French and English;
        - ``tables`` : str, the table names, comma-separated;
        - ``n_rows`` : int, total number of data rows over all tables;
        - ``licence`` : str, the licence of the data.

    Examples
    --------
    >>> import coopeval as ce
    >>> ce.datasets.list().columns.tolist()
    ['name', 'title_fr', 'title_en', 'tables', 'n_rows', 'licence']
    """
    root = datasets_dir()
    rows = []
    for name in _names(root):
        meta = _meta(root / name)
        tables = builtins.list(meta["tables"])
        rows.append(
            {
                "name": name,
                "title_fr": meta.get("title_fr", ""),
                "title_en": meta.get("title_en", ""),
                "tables": ", ".join(tables),
                "n_rows": sum(_count_rows(root / name / f"{t}.csv") for t in tables),
                "licence": meta.get("licence", ""),
            }
        )
    out = pd.DataFrame(rows, columns=_LIST_COLUMNS)
    out["n_rows"] = out["n_rows"].astype("int64")
    return out


def _read_table(folder: Path, table: str, spec: dict[str, Any]) -> pd.DataFrame:
    columns = spec.get("columns") or {}
    file = folder / f"{table}.csv"
    issues = [
        Issue(f"{file}, column `{col}`", "type", f"one of {sorted(_DTYPES)}", repr(kind))
        for col, kind in columns.items()
        if kind not in _DTYPES
    ]
    if issues:
        raise DataError(f"dataset metadata {folder / 'meta.yaml'} is invalid", issues=issues)
    df = pd.read_csv(
        file,
        dtype={c: (object if k == "bool" else _DTYPES[k]) for c, k in columns.items()},
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    if builtins.list(df.columns) != builtins.list(columns):
        raise DataError(
            f"{file}, line 1: expected the columns {builtins.list(columns)} declared in "
            f"meta.yaml, found {builtins.list(df.columns)}"
        )
    for col, kind in columns.items():
        if kind == "bool":
            df[col] = df[col].map({"True": True, "False": False, "true": True, "false": False})
            df[col] = df[col].astype("bool")
    return df


def load(name: str, table: str | None = None) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """Load a bundled dataset as tidy DataFrames.

    Parameters
    ----------
    name : str
        Dataset name (see :func:`list`): ``"cas_rapport_2024"``,
        ``"panel_synthetique"`` or ``"deliberation_exemple"``.
    table : str, optional
        Only this table. By default every table is returned.

    Returns
    -------
    pandas.DataFrame or dict of str to pandas.DataFrame
        The table ``table`` if given, or the only table of a single-table dataset;
        otherwise a dict mapping each table name to its DataFrame. Columns and their
        types are documented in the dataset's ``README.md`` and ``meta.yaml``.

    Raises
    ------
    DataError
        If ``name`` or ``table`` is unknown (the message lists the available ones),
        or if a bundled file does not match its ``meta.yaml``.

    Examples
    --------
    >>> import coopeval as ce
    >>> cases = ce.datasets.load("cas_rapport_2024", table="cases")
    >>> "tera" in set(cases["case"])
    True
    """
    folder = path(name)
    meta = _meta(folder)
    tables = meta["tables"]
    if table is not None:
        if not isinstance(table, str) or table not in tables:
            raise DataError(
                f"parameter `table`: expected one of the tables of `{name}` "
                f"({', '.join(tables)}), got {table!r}"
            )
        return _read_table(folder, table, tables[table])
    frames = {t: _read_table(folder, t, spec) for t, spec in tables.items()}
    if len(frames) == 1:
        return next(iter(frames.values()))
    return frames
