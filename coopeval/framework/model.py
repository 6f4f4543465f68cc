"""Pydantic models of one framework node (dimension, criterion, indicator, item).

These models check types, allowed values and unknown keys of *one* node; the
other checks of an indicator (bounds against target, items only on survey indicators…) are
in :mod:`coopeval.framework.indicator_checks`, those of the tree (unique ids…) in
:mod:`coopeval.framework.validate`, and :mod:`coopeval.framework.yaml_lines` maps every
problem to its file and line.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

KINDS = ("quantitative", "ordinal", "likert", "binary", "grid")
DIRECTIONS = ("increase", "decrease", "target")
SOURCES = ("survey", "accounts", "observation", "register")
TRANSFORMS = ("log", "log1p", "sqrt")
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
#: Id of the root of every framework tree (level ``overall``).
ROOT = "overall"
#: Node ids that may not be used because they name levels of the tree.
RESERVED_IDS = ("overall", "dimension", "criterion", "indicator")

Number = StrictInt | StrictFloat
#: Aggregation methods a framework may declare for a node (``[generalised, p]`` also accepted).
AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "minimum")
#: Normalisations a framework may declare as its default.
NORMALISATIONS = ("goalposts", "minmax", "minmax_wave", "zscore", "zscore_wave", "rank", "rank_wave",
                  "distance_to_target")
Aggregation = Literal["arithmetic", "geometric", "harmonic", "minimum"] | tuple[Literal["generalised"], Number]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Reference(_Strict):
    """A bibliographic reference of a framework."""

    key: str = Field(pattern=ID_PATTERN)
    citation: str = Field(min_length=3)
    url: str | None = None


class Item(_Strict):
    """A survey item (question) feeding a survey-based indicator."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    reverse: StrictBool = False


class GridLevel(_Strict):
    """One level of a progress grid (kind ``grid``): a short label and what the level looks like.

    Used as ``levels: {1: {label_fr: émergent, label_en: emerging, descriptor_fr: …,
    descriptor_en: …}, …}`` (issue 17: « grilles d'auto-évaluation », « démarche de progrès »).
    """

    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    descriptor_fr: str = Field(min_length=1)
    descriptor_en: str = Field(min_length=1)


#: Kinds of relative goalposts (issue 22): the ratio to the baseline or the difference from it.
CHANGES = ("ratio", "difference")


class RelativeGoalposts(_Strict):
    """Goalposts that apply to a relative value, not to the raw one (issue 22).

    ``goalposts: {per: membres}`` — the goalposts ``lower, upper`` apply to the value divided by
    the reference variable ``membres`` (times ``scale``: 1000 for "per 1 000 inhabitants"),
    computed by :func:`coopeval.scoring.denominate`. ``goalposts: {relative_to: baseline}`` — they
    apply to the value compared with the cooperation's own baseline, the first wave in which it
    has a value for that indicator: ``change: ratio`` (default, ``x_t / x_0``; the baseline is 1)
    or ``change: difference`` (``x_t - x_0``; the baseline is 0). Both may be combined (the
    ratio of the value per member to the baseline's value per member).
    """

    per: str | None = Field(default=None, pattern=ID_PATTERN, max_length=64)
    scale: Number | None = Field(default=None, gt=0)  # None: 1
    relative_to: Literal["baseline"] | None = None
    change: Literal["ratio", "difference"] | None = None  # None: ratio (with relative_to)


class ReferenceVariable(_Strict):
    """A reference variable (number of members, inhabitants of the territory, FTE…) by which
    indicators with ``goalposts: {per: …}`` are divided; observed like an indicator (a row of the
    observations whose ``indicator`` is its id) but not scored."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    description_fr: str | None = None
    description_en: str | None = None
    source: str | None = None


class NodeBase(_Strict):
    """Fields common to dimensions, criteria and indicators."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    label_fr: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    description_fr: str | None = None
    description_en: str | None = None
    weight: Number = Field(default=1.0, ge=0)
    references: list[str] = Field(default_factory=list)


class Indicator(NodeBase):
    """A leaf of the framework: something observed, counted or asked."""

    unit: str = Field(min_length=1)
    kind: Literal["quantitative", "ordinal", "likert", "binary", "grid"]
    direction: Literal["increase", "decrease", "target"]
    lower: Number | None = None
    upper: Number | None = None
    target: Number | None = None
    limits: tuple[Number | None, Number | None] | None = None
    #: Where the goalposts (lower, upper) or the target come from (issue 22; optional text).
    goalpost_source: str | None = None
    #: Relative goalposts: per a reference variable and/or against the own baseline (issue 22).
    goalposts: RelativeGoalposts | None = None
    transform: Literal["log", "log1p", "sqrt"] | None = None
    source: Literal["survey", "accounts", "observation", "register"]
    items: list[Item] | None = None
    levels: dict[int, GridLevel | str] | None = None


class Criterion(NodeBase):
    """A criterion groups indicators inside a dimension (its children are given apart)."""

    aggregation: Aggregation | None = None


class Dimension(NodeBase):
    """A dimension of evaluation (its children are given apart)."""

    aggregation: Aggregation | None = None


class Lineage(_Strict):
    """Where a framework comes from and what was changed."""

    base: str | None = None
    base_version: str | None = None
    base_hash: str | None = None
    changes: list[dict[str, Any]] = Field(default_factory=list)


class Header(_Strict):
    """Top-level fields of a framework file (children given apart)."""

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    version: str | StrictInt | StrictFloat = "1.0"
    title_fr: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    description_fr: str | None = None
    description_en: str | None = None
    references: list[Reference] = Field(default_factory=list)
    #: Variables by which indicators are divided (``goalposts: {per: …}``; issue 22).
    reference_variables: list[ReferenceVariable] = Field(default_factory=list)
    lineage: Lineage | None = None
    normalisation: Literal[NORMALISATIONS] | None = None  # type: ignore[valid-type]
    aggregation: Aggregation | None = None
