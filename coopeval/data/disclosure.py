"""Disclosure control of the deliberated weights: no college under the minimum can be recovered.

The restitution publishes weights computed from the colleges' judgements: the combined
weights (colleges pooled with their voices, :func:`coopeval.weighting.aggregate`), the
weights of each college shown, and "what if" weights under other college voices. Hiding
the small colleges is not enough (issue 16):

* **by subtraction** — with equal voices the combined weight is the mean of the K college
  means, so when one college alone is hidden, ``K × combined − Σ shown`` is its weight;
* **by extreme voices** — ``college_shares={small: 1, others: 0}`` returns the small
  college's weights directly;
* **by comparing two outputs** — two "what if" tables whose voices differ only for a small
  college give its weights by difference.

The rule applied everywhere (:func:`college_blocks`): the colleges under the minimum, and
when needed the smallest other colleges, are **pooled** into one block of at least two
colleges and at least ``min_group`` participants. A pooled college's weights are never
shown alone; any voices given to the colleges must give every pooled college the same
share (:func:`check_college_shares`), so that only the block's mean — a statistic of at
least ``min_group`` people — ever enters a published number, whatever the voices and
however many outputs are compared. When the whole deliberation has fewer than
``min_group`` participants, every college is pooled and no voice can be changed.

The rule is applied **per group of sibling nodes** (:func:`group_sizes`,
:func:`check_college_shares_by_group`, :func:`shown_by_group`, :func:`voice_blocks`):
participants do not always weight every group (in the sample project, three people per
college weighted the criteria of « Social »), and a group's combined weights are made of
the judgements of those who weighted it only. A college's size in a group is the number
of its participants who gave weights for that group.

A group of sibling nodes weighted by fewer than ``min_group`` participants **in all**
(:func:`small_groups`) pools every college, and the mean of those few people is not used: the
scores (and every Monte Carlo draw) would let anyone with the data solve for it, so the group
keeps the framework's default weights (:func:`coopeval.weighting.aggregate`) and sets no
constraint on the voices (:func:`combined_groups`); every door that shows weights hides or
refuses them with the message of :func:`small_group_message` (« moins de 5 participant·es »).

This is the same reasoning as secondary cell suppression of tables (Hundepool et al.,
2012, *Statistical Disclosure Control*, Wiley, ch. 4), applied to a linear combination
whose coefficients (the voices) the reader may choose.

>>> shown, pooled = college_blocks({"habitants": 9, "elus": 3, "salaries": 6}, min_group=5)
>>> shown, pooled
(['habitants'], ['elus', 'salaries'])
>>> check_college_shares({"habitants": 0.0, "elus": 1.0, "salaries": 0.0},
...                      {"habitants": 9, "elus": 3, "salaries": 6}, 5)
Traceback (most recent call last):
...
coopeval.errors.WeightingError: paramètre `college_shares` : attendu la même voix pour les collèges regroupés pour protéger les petits groupes (elus, salaries), reçu elus=1, salaries=0 / parameter `college_shares`: expected the same share for the colleges pooled to protect small groups (elus, salaries), got elus=1, salaries=0
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Mapping

import pandas as pd

from coopeval.errors import CoopevalError, WeightingError, bad_param
from coopeval.framework import ROOT, Framework
from coopeval.i18n import t

__all__ = ["college_blocks", "combined_groups", "check_college_shares", "check_college_shares_by_group", "check_pooling",
           "check_pooling_by_group", "display_names", "group_sizes", "NAMING", "shown_by_group",
           "SmallGroupDisclosureWarning", "small_group_message", "small_groups", "voice_blocks",
           "warn_disclosure"]

#: Values of the project setting ``cooperation_names`` (default first).
NAMING = ("anonymised", "named")


def college_blocks(sizes: Mapping[str, int], min_group: int) -> tuple[list[str], list[str]]:
    """Split the colleges into those shown alone and those pooled into one protected block.

    Parameters
    ----------
    sizes : mapping
        Number of participants of each college.
    min_group : int
        Minimum number of participants behind a published statistic.

    Returns
    -------
    (list of str, list of str)
        ``shown``: colleges whose weights may be published alone (``>= min_group``
        participants each); ``pooled``: the colleges pooled together (empty when no
        college is small). The pooled block holds every college under the minimum plus,
        smallest first, as many other colleges as needed for at least two colleges and
        ``min_group`` participants; if even all colleges together are fewer than
        ``min_group``, every college is pooled.
    """
    order = sorted(sizes, key=lambda c: (int(sizes[c]), str(c)))
    pooled = [c for c in order if int(sizes[c]) < min_group]
    shown = [c for c in order if c not in pooled]
    if pooled:
        while shown and (len(pooled) < 2 or sum(int(sizes[c]) for c in pooled) < min_group):
            pooled.append(shown.pop(0))
    if sum(int(v) for v in sizes.values()) < min_group:
        pooled, shown = order, []
    return sorted(shown), sorted(pooled)


def _in_group(group: str | None, lang: str) -> str:
    return "" if group is None else t("disclosure_in_group", lang, group=group)


def _both(key: str, **values: object) -> str:
    """A refusal message in French, then in English (labels of :mod:`coopeval.i18n`)."""
    return " / ".join(t(key, lang, **values) for lang in ("fr", "en"))


def check_college_shares(shares: Mapping[str, float] | None, sizes: Mapping[str, int], min_group: int,
                         group: str | None = None) -> None:
    """Refuse voices that would let a pooled college's weights be recovered.

    Parameters
    ----------
    shares : mapping or None
        Voice of each college (None: equal voices, always accepted).
    sizes : mapping
        Participants of each college (in ``group`` when given).
    min_group : int
    group : str, optional
        The group of sibling nodes (its parent node) ``sizes`` are counted in, named in the error.

    Raises
    ------
    WeightingError
        The pooled colleges (see :func:`college_blocks`) do not all get the same share.
    """
    if shares is None:
        return
    _, pooled = college_blocks(sizes, min_group)
    given = {c: float(shares.get(c, 0.0)) for c in pooled}
    if len(set(given.values())) > 1:
        shown = ", ".join(f"{c}={v:g}" for c, v in given.items())
        raise WeightingError(_both("disclosure_shares_refused", pooled=", ".join(pooled), given=shown,
                                   where_fr=_in_group(group, "fr"), where_en=_in_group(group, "en")))


def check_pooling(sizes: Mapping[str, int], min_group: int, group: str | None = None) -> None:
    """Refuse pooling every participant with an equal voice when it isolates a small college.

    ``by="participant"`` gives each college a voice proportional to its size: if the pooled
    colleges (:func:`college_blocks`) differ in size, that output and the output by college
    (equal voices in the block) are two different combinations of the pooled colleges, which
    together give each of them.

    Raises
    ------
    WeightingError
        The pooled colleges do not all have the same number of participants (in ``group``).
    """
    _, pooled = college_blocks(sizes, min_group)
    if len({int(sizes[c]) for c in pooled}) > 1:
        shown = ", ".join(f"{c}={int(sizes[c])}" for c in pooled)
        raise WeightingError(_both("disclosure_pooling_refused", pooled=", ".join(pooled), sizes=shown,
                                   where_fr=_in_group(group, "fr"), where_en=_in_group(group, "en")))


# ---------------------------------------------------------------------- per group of sibling nodes
def group_sizes(by_participant: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Participants of each college who gave weights for each group of sibling nodes.

    Parameters
    ----------
    by_participant : DataFrame
        ``participant, college, parent`` (one row per node weighted, e.g.
        :attr:`WeightSet.by_participant <coopeval.weighting.WeightSet.by_participant>`).

    Returns
    -------
    dict
        ``{parent: {college: n}}``; a college that did not weight a group is absent from it.

    >>> pw = pd.DataFrame({"participant": ["a", "a", "b", "b", "a"], "college": ["x", "x", "y", "y", "x"],
    ...                    "parent": ["overall", "overall", "overall", "overall", "social"]})
    >>> group_sizes(pw)
    {'overall': {'x': 1, 'y': 1}, 'social': {'x': 1}}
    """
    if by_participant is None or not len(by_participant):
        return {}
    pw = by_participant.assign(college=by_participant["college"].astype(str),
                               parent=by_participant["parent"].astype(str))
    counts = pw.groupby(["parent", "college"], sort=True)["participant"].nunique()
    out: dict[str, dict[str, int]] = {}
    for (parent, college), n in counts.items():
        out.setdefault(str(parent), {})[str(college)] = int(n)
    return out


def combined_groups(sizes_by_group: Mapping[str, Mapping[str, int]], min_group: int) -> dict[str, Mapping[str, int]]:
    """The groups of sibling nodes whose participants' weights are combined: all but the
    :func:`small_groups`, which keep the framework's default weights
    (:func:`coopeval.weighting.aggregate`) and so set no constraint on the colleges' voices.

    >>> combined_groups({"overall": {"a": 4, "b": 3}, "social": {"a": 2, "b": 1}}, 5)
    {'overall': {'a': 4, 'b': 3}}
    """
    small = set(small_groups(sizes_by_group, min_group))
    return {g: sizes for g, sizes in sizes_by_group.items() if g not in small}


def check_college_shares_by_group(shares: Mapping[str, float] | None, sizes_by_group: Mapping[str, Mapping[str, int]],
                                  min_group: int) -> None:
    """:func:`check_college_shares` in every group of sibling nodes whose weights are combined
    (sizes from :func:`group_sizes`, groups from :func:`combined_groups`)."""
    for group, sizes in combined_groups(sizes_by_group, min_group).items():
        check_college_shares(shares, sizes, min_group, group=group)


def check_pooling_by_group(sizes_by_group: Mapping[str, Mapping[str, int]], min_group: int) -> None:
    """:func:`check_pooling` in every group of sibling nodes whose weights are combined
    (sizes from :func:`group_sizes`, groups from :func:`combined_groups`)."""
    for group, sizes in combined_groups(sizes_by_group, min_group).items():
        check_pooling(sizes, min_group, group=group)


def shown_by_group(sizes_by_group: Mapping[str, Mapping[str, int]], min_group: int) -> dict[str, list[str]]:
    """``{parent: colleges whose weights for that group may be shown alone}`` (:func:`college_blocks`)."""
    return {g: college_blocks(sizes, min_group)[0] for g, sizes in sizes_by_group.items()}


def voice_blocks(sizes_by_group: Mapping[str, Mapping[str, int]], min_group: int) -> tuple[list[str], list[str]]:
    """Colleges that may get a voice of their own, and those that must share one.

    A voice applies to every group of sibling nodes at once: a college pooled in any group
    (:func:`college_blocks` on that group's sizes) shares its voice with every other college
    pooled in any group, so that every group's pooled colleges always get the same share. The
    groups weighted by fewer than ``min_group`` people in all keep the default weights and do
    not count (:func:`combined_groups`).

    >>> voice_blocks({"overall": {"a": 9, "b": 9, "c": 9}, "social": {"a": 9, "b": 3, "c": 4}}, 5)
    (['a'], ['b', 'c'])
    """
    combined = combined_groups(sizes_by_group, min_group)
    pooled = sorted({c for sizes in combined.values() for c in college_blocks(sizes, min_group)[1]})
    every = sorted({c for sizes in combined.values() for c in sizes})
    return [c for c in every if c not in pooled], pooled


def small_groups(sizes_by_group: Mapping[str, Mapping[str, int]], min_group: int) -> list[str]:
    """The groups of sibling nodes whose combined weights may not be shown.

    In a group weighted by fewer than ``min_group`` participants in all, :func:`college_blocks`
    pools every college and no college is shown; the mean of those few people's weights would
    be recoverable from any score computed with it, so :func:`coopeval.weighting.aggregate`
    does not use it (the group keeps the framework's default weights, unless
    ``disclose_small_colleges=True``), and its weights are not shown either (doors: :meth:`coopeval.weighting.WeightSet.shown_local`,
    :meth:`coopeval.Evaluation.dimension_weights`, the figures, the facilitator's summary).

    >>> small_groups({"overall": {"a": 4, "b": 3}, "social": {"a": 2, "b": 1}}, 5)
    ['social']
    """
    return sorted(g for g, sizes in sizes_by_group.items() if sum(int(n) for n in sizes.values()) < min_group)


def small_group_message(groups: Iterable[str], min_group: int, lang: str | None = None, fw: Framework | None = None) -> str:
    """Why the combined weights of ``groups`` (from :func:`small_groups`) are not shown.

    ``lang=None`` gives French then English (the text of an error); ``"fr"`` or ``"en"`` one
    language (a note under a table or a figure). A group is named by its parent node's label
    in ``fw`` (its id without), the group of the dimensions as « les dimensions ».

    >>> small_group_message(["social"], 5, "fr")
    'Poids combinés non montrés pour « social » : moins de 5 participant·es les ont donnés (règle des petits groupes) ; les scores y gardent les poids par défaut du référentiel.'
    """
    def one(lang: str) -> str:
        names = [t("disclosure_dimensions", lang) if g == ROOT else
                 t("quoted", lang, text=fw.label(g, lang) if fw is not None and g in fw else g) for g in groups]
        return t("disclosure_small_group", lang, groups=", ".join(names), n=min_group)

    return " / ".join(one(x) for x in ("fr", "en")) if lang is None else one(lang)


class SmallGroupDisclosureWarning(UserWarning):
    """Raised as a warning whenever disclosure control is lifted (``disclose_small_colleges=True``)."""


#: Every lifting of disclosure control is logged here too (``logging.getLogger("coopeval.disclosure")``).
LOGGER = logging.getLogger("coopeval.disclosure")


def warn_disclosure(where: str, small: Iterable[str], min_group: int) -> None:
    """Audit trail of an explicit opt-out: a :class:`SmallGroupDisclosureWarning` and a log record.

    The result computed is for the researcher holding the raw data and must not be published.
    The message (``disclosure_lifted`` in :mod:`coopeval.i18n`) is in French, then in English.
    """
    small = sorted(map(str, small))
    msg = " / ".join(t("disclosure_lifted", lang, where=where, n=min_group,
                       small=", ".join(small) or t("none_word", lang)) for lang in ("fr", "en"))
    LOGGER.warning(msg)
    warnings.warn(msg, SmallGroupDisclosureWarning, stacklevel=3)


def check_min_group(min_group: object, cls: type[CoopevalError] = WeightingError) -> int:
    """``min_group`` as a positive integer, or a ``cls`` error (default :class:`WeightingError`) naming it."""
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
        bad_param("min_group", "a positive integer", min_group, cls)
    return int(min_group)


def display_names(units: Iterable[str], unit: str, names: Mapping[str, str], naming: str = "anonymised",
                  lang: str = "fr") -> dict[str, str]:
    """How every cooperation is called next to ``unit``, the same way in the dashboard and the report.

    Parameters
    ----------
    units : iterable of str
        Every cooperation shown (e.g. all units of a ranking).
    unit : str
        The cooperation the page or report is for: always called by its name.
    names : mapping
        Display name of each unit (a unit without one is called by its id).
    naming : {"anonymised", "named"}
        Project setting ``cooperation_names``: ``"anonymised"`` (default) calls the other
        cooperations « Coopération A, B… » (letters in the order of their ids, so the same
        cooperation keeps its letter on every page of a restitution), ``"named"`` by
        their names.
    lang : {"fr", "en"}

    Examples
    --------
    >>> display_names(["t1", "t2", "t3"], "t2", {"t1": "Tera", "t2": "Butinerie", "t3": "Ohé"})
    {'t1': 'Coopération A', 't2': 'Butinerie', 't3': 'Coopération B'}
    """
    if naming not in NAMING:
        raise WeightingError(f"parameter `naming`: expected one of {', '.join(NAMING)}, got {naming!r}")
    ids = sorted(dict.fromkeys(str(u) for u in units))
    if naming == "named":
        return {u: str(names.get(u, u)) for u in ids}
    others = [u for u in ids if u != str(unit)]
    letters = {u: _letter(i) for i, u in enumerate(others)}
    return {u: str(names.get(u, u)) if u == str(unit) else t("report_other_unit", lang, letter=letters[u])
            for u in ids}


def _letter(i: int) -> str:
    """A, B, … Z, AA, AB, … (spreadsheet-style, no limit on the number of cooperations)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out
