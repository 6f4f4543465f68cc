"""The specification of an evaluation: everything that decides its numbers, as plain data.

An :class:`EvaluationSpec` names the framework version, the weight source, the scoring and
uncertainty options and the privacy threshold. It is serialisable (:meth:`EvaluationSpec.to_dict`,
JSON), stored by :class:`coopeval.Project` with every result, and enough — with the stored
data — to rebuild the result (:meth:`coopeval.Project.recompute`).

:func:`framework_identity` is what a specification records of its framework version; the
keyword options of :class:`coopeval.Evaluation` (``min_group=6``, ``weights=...``) are merged
into its specification here too.

Example
-------
>>> from coopeval.evaluation import EvaluationSpec, WeightSource
>>> spec = EvaluationSpec(weights=WeightSource("deliberation", session="atelier", round=2))
>>> spec.to_dict()["weights"]
{'kind': 'deliberation', 'session': 'atelier', 'round': 2, 'college_shares': None, 'values': None}
>>> EvaluationSpec.from_dict(spec.to_dict()) == spec
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from coopeval.errors import CoopevalError, bad_param

if TYPE_CHECKING:
    from coopeval.framework import Framework

__all__ = ["EvaluationSpec", "WeightSource", "WEIGHT_KINDS", "framework_identity"]

#: Where weights come from: a deliberation session's round, the framework's defaults, or
#: fixed local weights given by the user.
WEIGHT_KINDS = ("deliberation", "framework", "fixed")


@dataclass(frozen=True)
class WeightSource:
    """Where the weights of an evaluation come from.

    Parameters
    ----------
    kind : {"deliberation", "framework", "fixed"}
        ``deliberation``: the judgements of ``session`` at ``round``, aggregated by college and
        combined with ``college_shares`` (None: equal voices); ``framework``: the weights
        written in the framework; ``fixed``: the local weights ``values`` (node → weight).
    session, round
        The deliberation session and round (None: resolved to the latest when the
        evaluation is assembled; a stored specification always names them).
    college_shares : dict, optional
        Voice of each college (e.g. the statutory voting shares of a SCIC); None for equal voices.
    values : dict, optional
        Local weights when ``kind == "fixed"``.
    """

    kind: str = "deliberation"
    session: str | None = None
    round: int | None = None
    college_shares: dict[str, float] | None = None
    values: dict[str, float] | None = None

    def __post_init__(self) -> None:
        if self.kind not in WEIGHT_KINDS:
            bad_param("weights.kind", f"one of {', '.join(WEIGHT_KINDS)}", self.kind)
        if self.round is not None and (isinstance(self.round, bool) or not float(self.round).is_integer()):
            bad_param("weights.round", "a round number (integer)", self.round)
        if self.round is not None:
            object.__setattr__(self, "round", int(self.round))
        if self.college_shares is not None:
            shares = _mapping("weights.college_shares", self.college_shares)
            if any(v < 0 for v in shares.values()) or sum(shares.values()) <= 0:
                bad_param("weights.college_shares", "non-negative voices, not all zero", self.college_shares)
            object.__setattr__(self, "college_shares", shares)
        if self.kind == "fixed":
            if self.values is None:
                bad_param("weights.values", "local weights {node: weight} when kind is 'fixed'", None)
            object.__setattr__(self, "values", _mapping("weights.values", self.values))
        elif self.values is not None:
            bad_param("weights.values", "None unless kind is 'fixed'", self.values)


def _mapping(name: str, value: Any) -> dict[str, float]:
    try:
        items = dict(value).items()
        return {str(k): float(v) for k, v in items}
    except (TypeError, ValueError):
        bad_param(name, "a mapping of names to numbers", value)
    return {}  # pragma: no cover


@dataclass(frozen=True)
class EvaluationSpec:
    """Everything that decides the numbers of an evaluation (see the module docstring).

    Parameters
    ----------
    framework : dict, optional
        Identity of the framework version: ``id, version, hash, adapted, lineage`` (filled
        by :class:`coopeval.Evaluation` from the framework it is given).
    weights : WeightSource
        The weight source (default: the latest round of the latest deliberation session,
        equal college voices; the framework's weights when there is no deliberation).
    normalisation : str, optional
        Normalisation of :func:`coopeval.score`; None: the framework's declared default
        (``goalposts`` when it declares none).
    aggregation : str or dict, optional
        Aggregation per node (``{"overall": "geometric"}``) or for all; None: the framework's
        declared methods (arithmetic where none is declared).
    min_coverage : float, default 0.5
        Missing-data policy of :func:`coopeval.score`.
    min_answered : float, default 0.5
        Share of a scale's items a respondent must answer (:func:`coopeval.data.score_scales`).
    min_group : int, default 5
        No value computed from fewer respondents or participants is shown.
    waves : list, optional
        Waves scored (None: all).
    n, seed : int
        Monte Carlo draws and seed of :meth:`coopeval.Evaluation.uncertainty`.
    uncertainty : dict, optional
        Other options of :func:`coopeval.uncertainty` (``normalisations``, ``aggregations``,
        ``sensitivity``, ``output_range``…), stored as JSON.
    """

    framework: dict | None = None
    weights: WeightSource = field(default_factory=WeightSource)
    normalisation: str | None = None
    aggregation: Any = None
    min_coverage: float = 0.5
    min_answered: float = 0.5
    min_group: int = 5
    waves: tuple | None = None
    n: int = 2000
    seed: int = 0
    uncertainty: dict | None = None

    def __post_init__(self) -> None:
        if isinstance(self.weights, dict):
            object.__setattr__(self, "weights", WeightSource(**self.weights))
        if not isinstance(self.weights, WeightSource):
            bad_param("weights", "a WeightSource or its dict", self.weights)
        if isinstance(self.min_group, bool) or not isinstance(self.min_group, int) or self.min_group < 1:
            bad_param("min_group", "a positive integer", self.min_group)
        for name in ("min_coverage", "min_answered"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                bad_param(name, "a share between 0 and 1", value)
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 1:
            bad_param("n", "a positive number of Monte Carlo draws", self.n)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            bad_param("seed", "an integer seed", self.seed)
        if self.normalisation is not None and not isinstance(self.normalisation, str):
            bad_param("normalisation", "a normalisation name or None", self.normalisation)
        if isinstance(self.aggregation, list):  # ("generalised", p) read back from JSON
            object.__setattr__(self, "aggregation", tuple(self.aggregation))
        if self.uncertainty is not None:
            if not isinstance(self.uncertainty, dict):
                bad_param("uncertainty", "a dict of options of coopeval.uncertainty", self.uncertainty)
            for key, value in self.uncertainty.items():
                try:
                    json.dumps(value)
                except (TypeError, ValueError):
                    bad_param(key, "a value that can be stored with the result (JSON: text, number, list)",
                              type(value).__name__)
        if self.waves is not None:
            waves = [self.waves] if isinstance(self.waves, (str, int)) else list(self.waves)
            object.__setattr__(self, "waves", tuple(waves))

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict:
        """Plain data (JSON-compatible)."""
        out = asdict(self)
        out["waves"] = None if self.waves is None else list(self.waves)
        if isinstance(self.aggregation, tuple):
            out["aggregation"] = list(self.aggregation)
        return out

    def to_json(self) -> str:
        """Canonical JSON (sorted keys)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> EvaluationSpec:
        """Inverse of :meth:`to_dict`; unknown keys are refused."""
        if not isinstance(data, dict):
            bad_param("spec", "a dict of specification fields", data)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise CoopevalError(f"parameter `spec`: expected fields among {', '.join(sorted(known))}, "
                                f"got unknown {', '.join(unknown)}")
        data = dict(data)
        if isinstance(data.get("weights"), dict):
            data["weights"] = WeightSource(**data["weights"])
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> EvaluationSpec:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def replace(self, **changes: Any) -> EvaluationSpec:
        """A copy with some fields changed (``weights`` may be given as a dict of its fields,
        merged into the current weight source)."""
        if isinstance(changes.get("weights"), dict):
            changes["weights"] = replace(self.weights, **changes["weights"])
        return replace(self, **changes)


def framework_identity(fw: Framework) -> dict:
    """``id, version, hash, adapted, lineage`` of a framework version."""
    lineage = fw.lineage
    return {"id": fw.id, "version": str(fw.version), "hash": fw.hash,
            "adapted": bool(lineage["base"]), "lineage": lineage}


_SPEC_FIELDS = {"normalisation", "aggregation", "min_coverage", "min_answered", "min_group", "waves", "n", "seed",
                "uncertainty"}
_WEIGHT_FIELDS = {"session", "round", "college_shares"}


def _build_spec(spec: EvaluationSpec | dict | None, options: dict) -> EvaluationSpec:
    """The specification of an :class:`~coopeval.Evaluation`: ``spec`` (or the default) with the
    keyword options given beside it (``min_group=6``, ``session="atelier"``, ``weights=...``)."""
    if spec is None:
        spec = EvaluationSpec()
    elif isinstance(spec, dict):
        spec = EvaluationSpec.from_dict(spec)
    elif not isinstance(spec, EvaluationSpec):
        bad_param("spec", "an EvaluationSpec, its dict, or None", type(spec).__name__)
    unknown = sorted(set(options) - _SPEC_FIELDS - _WEIGHT_FIELDS - {"weights"})
    if unknown:
        raise CoopevalError(f"Evaluation: unexpected option(s) {', '.join(unknown)}; expected among "
                            f"{', '.join(sorted(_SPEC_FIELDS | _WEIGHT_FIELDS | {'weights'}))}")
    weight_changes = {k: options[k] for k in _WEIGHT_FIELDS if k in options}
    changes = {k: options[k] for k in _SPEC_FIELDS if k in options}
    if "weights" in options:
        w = options["weights"]
        changes["weights"] = w if isinstance(w, WeightSource) else _weights_option(w)
    if weight_changes:
        base = changes.get("weights", spec.weights)
        if "session" in weight_changes or "round" in weight_changes:
            base = WeightSource("deliberation", base.session, base.round, base.college_shares)
        changes["weights"] = replace(base, **weight_changes)
    return spec.replace(**changes) if changes else spec


def _weights_option(w: Any) -> WeightSource:
    """``weights=`` as a user writes it: "framework", "deliberation", a dict/Series of local weights."""
    if isinstance(w, str):
        return WeightSource(w)
    if isinstance(w, pd.Series):
        w = w.to_dict()
    if isinstance(w, Mapping):
        return WeightSource("fixed", values=dict(w))
    local = getattr(w, "local", None)
    if isinstance(local, pd.Series):
        return WeightSource("fixed", values=local.to_dict())
    bad_param("weights", "'deliberation', 'framework', a dict of local weights or a WeightSource", type(w).__name__)
    return WeightSource()  # pragma: no cover
