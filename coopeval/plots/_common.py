"""Shared helpers of the plotting modules: input checks, labels, axes, style."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import pandas as pd

from coopeval.errors import CoopevalError, Issue, PlotError
from coopeval.i18n import check_lang, labels, t
from coopeval.plots import palette

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

    from coopeval.framework import Framework

#: Matplotlib settings for figures read at A4 width (small but legible fonts).
RC: dict[RcKeyType, Any] = {
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
}


def check_frame(df: object, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """Check that ``df`` is a non-empty DataFrame with ``columns``; raise PlotError listing all gaps."""
    if not isinstance(df, pd.DataFrame):
        raise PlotError(f"parameter `{name}`: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    issues = [Issue(f"parameter `{name}`", c, "a column", "no such column") for c in missing]
    if df.empty:
        issues.append(Issue(f"parameter `{name}`", "rows", "at least one row", "an empty table"))
    if issues:
        raise PlotError(
            f"parameter `{name}`: expected a table with columns {list(columns)}, "
            f"got columns {list(df.columns)}",
            issues=issues,
        )
    return df


def check_choice(name: str, value: object, choices: Iterable[object]) -> object:
    """Raise PlotError unless ``value`` is one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        raise PlotError(f"parameter `{name}`: expected one of {choices}, got {value!r}")
    return value


def lang_of(lang: str) -> str:
    """Validated language (``fr`` or ``en``)."""
    try:
        return check_lang(lang)
    except CoopevalError as err:  # i18n raises the base class; plots raise PlotError
        raise PlotError(f"parameter `lang`: expected 'fr' or 'en', got {lang!r}") from err


def label(node: str, fw: Framework | None, lang: str) -> str:
    """Label of a node in ``lang`` (the id with spaces if there is no framework)."""
    if node == "overall":
        return t("overall", lang)
    if fw is not None and node in fw:
        return fw.label(node, lang)
    return str(node).replace("_", " ")


def display_name(names: Mapping[Any, str] | None, key: object) -> str:
    """``names[key]`` if given, else ``key`` as text (units, waves, groups shown to readers)."""
    return (names or {}).get(key, str(key))


def unit_colours(units: Iterable[object], highlight: object | None) -> list[str]:
    """One colour per unit: :data:`palette.HIGHLIGHT` for ``highlight``, the first series colour otherwise."""
    return [palette.HIGHLIGHT if u == highlight else palette.SERIES[0] for u in units]


def new_axes(ax, figsize: tuple[float, float], *, polar: bool = False):
    """``ax`` if given, else the axes of a new figure of ``figsize`` inches."""
    if ax is not None:
        if polar and getattr(ax, "name", "") != "polar":
            raise PlotError(f"parameter `ax`: expected polar axes (projection='polar'), got {ax.name!r} axes")
        return ax
    with plt.rc_context(RC):
        fig = plt.figure(figsize=figsize)
        return fig.add_subplot(projection="polar" if polar else None)


def wrap(text: str, width: int = 28) -> str:
    """Break a long label on spaces so that it fits in ``width`` characters a line."""
    words, lines, cur = str(text).split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join(lines)


def style(ax) -> None:
    """Apply the small-font A4 style to an existing axes."""
    ax.tick_params(labelsize=RC["xtick.labelsize"])
    ax.title.set_fontsize(RC["axes.titlesize"])
    ax.xaxis.label.set_fontsize(RC["axes.labelsize"])
    ax.yaxis.label.set_fontsize(RC["axes.labelsize"])


def styled(func):
    """Decorator: draw inside ``plt.rc_context(RC)`` so that every text gets the A4 font sizes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with plt.rc_context(RC):
            return func(*args, **kwargs)

    return wrapper


def label_or(key: str, lang: str, default: str) -> str:
    """The :mod:`coopeval.i18n` label ``key`` in ``lang`` if the key exists, else ``default``."""
    return t(key, lang) if key in labels() else default


def college_label(college: object, lang: str) -> str:
    """Display name of a college (:func:`coopeval.i18n.deliberation.college_name`), else the id itself."""
    from coopeval.i18n.deliberation import college_name

    return college_name(str(college), lang)
