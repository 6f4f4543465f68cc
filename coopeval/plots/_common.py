"""Shared helpers of the plotting modules: input checks, labels, axes, style."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import pandas as pd

from coopeval.errors import CoopevalError, Issue, PlotError
from coopeval.i18n import check_lang, labels, t
from coopeval.plots import palette, phone

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
_SIZES = ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize")


def rc() -> dict[RcKeyType, Any]:
    """The settings figures are drawn with now: :data:`RC`, its fonts enlarged inside
    :func:`coopeval.plots.phone.for_phone`."""
    return {k: phone.text_size(v) if k in _SIZES else v for k, v in RC.items()}


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
    """``ax`` if given, else the axes of a new figure of ``figsize`` inches (for A4; a phone's
    size inside :func:`coopeval.plots.phone.for_phone`)."""
    if ax is not None:
        if polar and getattr(ax, "name", "") != "polar":
            raise PlotError(f"parameter `ax`: expected polar axes (projection='polar'), got {ax.name!r} axes")
        return ax
    with plt.rc_context(rc()):
        fig = plt.figure(figsize=phone.figsize(figsize), layout=None if polar else phone.layout())
        return fig.add_subplot(projection="polar" if polar else None)


def wrap(text: str, width: int = 28) -> str:
    """Break a long label on spaces so that it fits in ``width`` characters a line (for A4;
    about half as many on a phone, :func:`coopeval.plots.phone.wrap_width`, where a word too
    long for a line is also broken after its hyphens: « socio- / économique »)."""
    width = phone.wrap_width(width)
    words = [(w, " ") for w in str(text).split()]  # each word with what joins it to the one before
    if phone.on_phone():
        words = [(part, glue if i == 0 else "") for w, glue in words
                 for i, part in enumerate(_at_hyphens(w) if len(w) > width else [w])]
    lines, cur = [], ""
    for w, glue in words:
        if cur and len(cur) + len(glue) + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur}{glue}{w}".strip()
    lines.append(cur)
    return "\n".join(lines)


def _at_hyphens(word: str) -> list[str]:
    """``"socio-économique"`` → ``["socio-", "économique"]`` (each part keeps its hyphen)."""
    parts = word.split("-")
    return [p + "-" for p in parts[:-1]] + [parts[-1]]


def title(ax, text: str) -> None:
    """The title of a figure: over the axes on A4; over the whole figure on a phone, wrapped to its
    width (the constrained layout keeps it inside; over the axes, beside long row labels, it ran
    past the figure's right edge)."""
    if phone.on_phone():
        ax.get_figure(root=True).suptitle(wrap(text, 60), fontsize=rc()["axes.titlesize"])
    else:
        ax.set_title(text)


def legend_below(ax, handles: list, labels: list[str], text: str, *, ncol: int = 3) -> None:
    """For a phone's narrow figure (no free corner, no room beside the axes): the title over the
    figure and the legend in rows under it, inside the figure's constrained layout."""
    title(ax, text)
    ax.get_figure(root=True).legend(handles, labels, loc="outside lower center", ncol=ncol, frameon=False,
                                    columnspacing=1.0, handlelength=1.2)


def style(ax) -> None:
    """Apply the small-font A4 style (or the phone's, :func:`rc`) to an existing axes."""
    now = rc()
    ax.tick_params(labelsize=now["xtick.labelsize"])
    ax.title.set_fontsize(now["axes.titlesize"])
    ax.xaxis.label.set_fontsize(now["axes.labelsize"])
    ax.yaxis.label.set_fontsize(now["axes.labelsize"])


def styled(func):
    """Decorator: draw inside ``plt.rc_context(rc())`` so that every text gets the A4 font sizes
    (the phone's inside :func:`coopeval.plots.phone.for_phone`)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with plt.rc_context(rc()):
            return func(*args, **kwargs)

    return wrapper


def label_or(key: str, lang: str, default: str) -> str:
    """The :mod:`coopeval.i18n` label ``key`` in ``lang`` if the key exists, else ``default``."""
    return t(key, lang) if key in labels() else default


def college_label(college: object, lang: str) -> str:
    """Display name of a college (:func:`coopeval.i18n.deliberation.college_name`), else the id itself."""
    from coopeval.i18n.deliberation import college_name

    return college_name(str(college), lang)
