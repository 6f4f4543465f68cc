"""The evaluation model: inputs and a specification assembled into weights, scores and uncertainty.

:class:`Evaluation` is the only place where a framework version, observations, survey scales
and a weight source are put together. The store (:meth:`coopeval.Project.score`,
:meth:`coopeval.Project.uncertainty`), the command line, the restitution report and the
dashboards all read it, so that a collective sees the same number through every door.

It computes nothing of its own: scoring is :func:`coopeval.score`, weights are
:func:`coopeval.weighting.aggregate`, survey scales are :func:`coopeval.data.score_scales`,
uncertainty is :func:`coopeval.uncertainty`. Its inputs are put in one representation by
:mod:`coopeval.evaluation.inputs`, its keyword options merged into its specification by
:mod:`coopeval.evaluation.spec`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, cast

import numpy as np
import pandas as pd

from coopeval.contracts import match_wave, sort_waves, wave_key
from coopeval.errors import CoopevalError, bad_param
from coopeval.evaluation.inputs import _ledger_inputs, _with_waves, canonical_waves
from coopeval.evaluation.queries import RestitutionQueries
from coopeval.evaluation.resolve import resolve_weights
from coopeval.evaluation.spec import EvaluationSpec, _build_spec, framework_identity
from coopeval.framework import ROOT, Framework

__all__ = ["Evaluation", "canonical_waves", "framework_identity"]


class Evaluation(RestitutionQueries):
    """One evaluation: its inputs, its specification, and the numbers every door shows.

    Parameters
    ----------
    fw : Framework
    observations : DataFrame
        ``unit, wave, indicator, value`` (non-survey indicators).
    responses : DataFrame, optional
        ``respondent, unit, wave, college, item, value``; scored into the survey indicators.
    judgements : DataFrame, optional
        ``session, round, participant, college, method, node, value`` of every session.
    resources : DataFrame, optional
        ``unit, wave, source, category, amount, unit_of_measure``.
    units : DataFrame, optional
        ``unit, name, …`` (display names).
    spec : EvaluationSpec or dict, optional
        The specification; fields may also be given as keywords (``min_group=6``,
        ``session="atelier"``, ``round=1``, ``college_shares={...}``, ``normalisation=...``).
    sessions, rounds : DataFrame, optional
        Session and round records of a project (creation dates, statuses, stored college voices),
        used to resolve the default weight source (see :mod:`coopeval.evaluation.resolve`).
    evidence : coopeval.qualitative.Evidence, optional
        Qualitative evidence (extracts, codes, codebook) and the actions decided after earlier
        restitutions, shown beside the numbers.
    decisions : DataFrame, optional
        The register of decisions on what is measured (:meth:`coopeval.Project.decisions`),
        shown back in the restitution (« Ce que nous avons décidé de mesurer »).
    externalities, conventions : DataFrame, optional
        The externality ledger and the conventions signed with its beneficiaries
        (:meth:`coopeval.Project.ledger`: ``unit, wave, externality, beneficiary,
        beneficiary_type, quantity, unit_of_measure, proxy…`` and ``unit, wave, beneficiary,
        convention, covers, amount…``), shown in the restitution as « Qui pourrait
        co-financer quoi » (:meth:`ledger_of`).

    Examples
    --------
    >>> import coopeval as ce
    >>> ev = ce.Evaluation.sample()
    >>> ev.spec.weights.session, ev.spec.weights.round
    ('atelier_2025', 2)
    >>> table = ev.what_if({"social": 2.0})
    >>> list(table.columns)
    ['unit', 'wave', 'score', 'rank', 'n_units']
    """

    def __init__(
        self,
        fw: Framework,
        observations: pd.DataFrame,
        responses: pd.DataFrame | None = None,
        judgements: pd.DataFrame | None = None,
        resources: pd.DataFrame | None = None,
        units: pd.DataFrame | None = None,
        *,
        spec: EvaluationSpec | dict | None = None,
        sessions: pd.DataFrame | None = None,
        rounds: pd.DataFrame | None = None,
        evidence: Any = None,
        decisions: pd.DataFrame | None = None,
        externalities: pd.DataFrame | None = None,
        conventions: pd.DataFrame | None = None,
        **options: Any,
    ):
        if not isinstance(fw, Framework):
            bad_param("fw", "a Framework", type(fw).__name__)
        if not isinstance(observations, pd.DataFrame):
            bad_param("observations", "a DataFrame unit, wave, indicator, value", type(observations).__name__)
        spec = _build_spec(spec, options)
        self.fw = fw
        self.observations = cast(pd.DataFrame, _with_waves(observations))  # a DataFrame in, a DataFrame out
        self.responses = _with_waves(responses) if responses is not None and len(responses) else None
        self.judgements = judgements if judgements is not None and len(judgements) else None
        self.resources = _with_waves(resources)
        self._units = units
        self._sessions = sessions
        self.evidence = evidence  # extracts, codes, codebook and actions (coopeval.qualitative.Evidence)
        #: How other cooperations are called: ``"anonymised"`` or ``"named"`` (project setting
        #: ``cooperation_names``), the same in the dashboard and the report.
        self.naming = "anonymised"
        self.decisions = decisions if decisions is not None and len(decisions) else None
        self.externalities, self.conventions = _ledger_inputs(externalities, conventions)  # issue 18
        weights = resolve_weights(spec.weights, self.judgements, sessions, rounds)
        identity = framework_identity(fw)
        if spec.framework is not None and spec.framework.get("hash") not in (None, identity["hash"]):
            raise CoopevalError(f"parameter `spec`: expected the framework version {spec.framework.get('hash')!r} "
                                f"it names, got a framework with hash {identity['hash']!r}")
        self.spec = spec.replace(framework=identity, weights=weights)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def sample(cls, **options: Any) -> Evaluation:
        """The bundled sample: ``panel_synthetique`` and ``deliberation_exemple``."""
        from coopeval import datasets
        from coopeval.framework import load_framework
        from coopeval.qualitative import Evidence

        panel = datasets.load("panel_synthetique")
        judgements = datasets.load("deliberation_exemple")
        grids = datasets.load("qualitatif_exemple", table="grids")  # synthetic progress grids
        observations = pd.concat([panel["observations"], grids], ignore_index=True)
        return cls(load_framework("cooperation_territoriale"), observations, panel["responses"],
                   judgements, panel.get("resources"), panel.get("units"), evidence=Evidence.sample(), **options)

    @classmethod
    def from_project(cls, project: Any, spec: EvaluationSpec | dict | None = None, *,
                     decisions: pd.DataFrame | None = None, **options: Any) -> Evaluation:
        """Assemble an evaluation from a :class:`coopeval.Project`.

        The framework is the one the specification names (by hash), else the project's
        latest; the weight source defaults to the latest closed round of the latest session,
        with the college voices stored with that session. ``decisions`` defaults to the
        project's register of decisions; the externality ledger and its conventions are the
        project's (:meth:`coopeval.Project.ledger`, issue 18).
        """
        from coopeval.qualitative import Evidence

        if "min_group" not in options and (spec is None or isinstance(spec, dict) and "min_group" not in spec) \
                and hasattr(project, "min_group"):  # the project's setting min_group_size
            options["min_group"] = project.min_group()
        spec = _build_spec(spec, options)
        ref = (spec.framework or {}).get("hash")
        fw = project.framework(ref)
        resources = project.resources()
        externalities, conventions = project.ledger() if hasattr(project, "ledger") else (None, None)
        ev = cls(fw, project.observations(), project.responses(), project.judgements(),
                   resources if len(resources) else None, project.units(), spec=spec,
                   sessions=project.sessions(), rounds=project.rounds(), evidence=Evidence.from_project(project),
                   decisions=project.decisions() if decisions is None and hasattr(project, "decisions")
                   else decisions, externalities=externalities, conventions=conventions)
        ev.naming = project.setting("cooperation_names") or "anonymised"  # issue 16
        return ev

    # ------------------------------------------------------------------ inputs
    @cached_property
    def units(self) -> pd.DataFrame:
        """``unit, name`` of every unit observed (name = id when none is given)."""
        ids = sorted(self.values["unit"].astype(str).unique())
        out = pd.DataFrame({"unit": ids})
        if self._units is not None and "name" in self._units:
            names = self._units.assign(unit=self._units["unit"].astype(str)).set_index("unit")["name"]
            out["name"] = out["unit"].map(names).fillna(out["unit"])
        else:
            out["name"] = out["unit"]
        return out

    def unit_id(self, unit: str) -> str:
        """The id of a unit given by its id or its display name."""
        units = self.units
        if str(unit) in set(units["unit"]):
            return str(unit)
        by_name = units[units["name"].str.casefold() == str(unit).casefold()]
        if len(by_name) == 1:
            return str(by_name["unit"].iloc[0])
        raise CoopevalError(f"parameter `unit`: expected a cooperation id or name "
                            f"({', '.join(units['unit'])}), got {unit!r}")

    @cached_property
    def waves(self) -> list:
        """The waves scored, in order (``10`` after ``2``)."""
        return sort_waves(self.values["wave"])

    def wave(self, wave: Any) -> Any:
        """The wave as this evaluation writes it (``2025`` and ``"2025"`` are the same wave)."""
        found = match_wave(wave, self.waves)
        if found is None:
            raise CoopevalError(f"parameter `wave`: expected one of {', '.join(map(str, self.waves))}, got {wave!r}")
        return found

    @cached_property
    def survey_values(self) -> pd.DataFrame:
        """Survey indicators per unit and wave: ``unit, wave, indicator, value, n``; a value
        from fewer than ``min_group`` respondents is hidden (NaN)."""
        cols = ["unit", "wave", "indicator", "value", "n"]
        if self.responses is None:
            return pd.DataFrame(columns=cols)
        from coopeval.data import score_scales

        sc = score_scales(self.responses, self.fw, min_answered=self.spec.min_answered, by=("unit", "wave"))
        sc = sc.rename(columns={"score": "value"})
        sc.loc[sc["n"] < self.min_group, "value"] = np.nan
        return sc[cols]

    @cached_property
    def history(self) -> pd.DataFrame:
        """Every indicator value of every wave, whatever ``spec.waves`` says: observations plus
        scored survey indicators, with the reference variables the framework declares (raw
        values: scoring divides and compares them, see :meth:`relative_goalposts`)."""
        obs = self.observations[["unit", "wave", "indicator", "value"]]
        survey = self.survey_values[["unit", "wave", "indicator", "value"]]
        # indicators, and the reference variables of relative goalposts (members, inhabitants…, issue 22)
        known = set(self.fw.indicator_ids) | set(self.fw.reference_variables["variable"])
        out = pd.concat([obs, survey], ignore_index=True)
        out = out[out["indicator"].isin(known)]
        out = out.assign(unit=out["unit"].astype(str))
        return out.reset_index(drop=True)

    @cached_property
    def values(self) -> pd.DataFrame:
        """The values scored: :attr:`history` in the waves of the specification. When those are
        not all the waves and goalposts are relative to a cooperation's baseline, a ``baseline``
        column holds each baseline found in the whole history (:mod:`coopeval.scoring.relative`),
        so that wave 3 scores the same whether it is evaluated alone or with the others (issue 22)."""
        out = self.history
        if self.spec.waves is None:
            return out
        keep = {wave_key(w) for w in self.spec.waves}
        kept = np.array([wave_key(w) in keep for w in out["wave"]], dtype=bool)
        if kept.all():
            return out
        if (self.fw.relative_goalposts["relative_to"] == "baseline").any():
            base = self.relative_goalposts().baselines[["unit", "indicator", "baseline"]]
            out = out.merge(base.astype({"unit": str}), on=["unit", "indicator"], how="left")
        return out[kept].reset_index(drop=True)

    @cached_property
    def prepared(self) -> Any:
        """:attr:`values` checked and pivoted once (:func:`coopeval.prepare`), each normalisation
        computed once: every score and Monte Carlo of this evaluation (the « Et si… ? » sliders
        among them) starts from it."""
        from coopeval.scoring import prepare

        return prepare(self.values, self.fw)

    @property
    def min_group(self) -> int:
        """No value computed from fewer respondents or participants is shown."""
        return self.spec.min_group

    # ------------------------------------------------------------------ weights
    def weightset(self, college_shares: Mapping[str, float] | None = None):
        """The weights of the specification (``college_shares`` given here replace the voices)."""
        from coopeval.weighting import WeightSet, aggregate

        src = self.spec.weights
        if src.kind == "framework":
            return WeightSet.from_local(self.fw)
        if src.kind == "fixed":  # nodes not given keep the framework's weight, as in coopeval.score
            raw = self.fw.nodes.set_index("node")["weight"].drop(ROOT, errors="ignore").astype(float)
            raw.update(pd.Series(src.values, dtype=float))
            return WeightSet.from_local(self.fw, raw)
        # issue 16: aggregate and with_college_shares refuse voices isolating a college under min_group
        shares = src.college_shares if college_shares is None else dict(college_shares)
        if shares is not None:  # voices (e.g. statutory 40/30/30) as shares summing to one
            total = sum(shares.values())
            shares = {c: v / total for c, v in shares.items()} if total > 0 else shares
        key = None if shares is None else tuple(sorted(shares.items()))
        cache = self.__dict__.setdefault("_ws_cache", {})
        if key is not None and key not in cache:  # other voices: recombine cached college weights (issue 21)
            if None not in cache:
                cache[None] = aggregate(self.judgements, self.fw, by="college", session=src.session, round=src.round,
                                        min_group=self.min_group)
            cache[key] = cache[None].with_college_shares(shares)
        if key not in cache:
            cache[key] = aggregate(self.judgements, self.fw, by="college", college_shares=shares,
                                   session=src.session, round=src.round, min_group=self.min_group)
        return cache[key]

    @cached_property
    def colleges(self) -> list[str]:
        """Colleges of the deliberation session and round used."""
        src = self.spec.weights
        if src.kind != "deliberation":
            return []
        j = cast(pd.DataFrame, self.judgements)  # a deliberation source has judgements (resolve_weights)
        j = j[(j["session"].astype(str) == src.session) & (j["round"].astype(int) == src.round)]
        return sorted(j["college"].dropna().unique().tolist())

    # ------------------------------------------------------------------ scores and uncertainty
    def score_options(self) -> dict:
        """Keyword arguments given to :func:`coopeval.score` (normalisation, aggregation, coverage)."""
        out: dict[str, Any] = {"min_coverage": self.spec.min_coverage}
        if self.spec.normalisation is not None:
            out["normalisation"] = self.spec.normalisation
        if self.spec.aggregation is not None:
            out["aggregation"] = self.spec.aggregation
        return out

    def scores(self, weights: Any = None, **options: Any) -> pd.DataFrame:
        """:func:`coopeval.score` of all values with the specification's weights and options
        (other ``weights`` or options give a variant, e.g. for « Et si… ? »)."""
        from coopeval.scoring import score

        cache = self.__dict__.setdefault("_score_cache", {})
        if weights is None and not options:
            if "default" not in cache:
                cache["default"] = score(self.prepared, self.fw, weights=self.weightset(), **self.score_options())
            return cache["default"]
        merged = {**self.score_options(), **options}
        return score(self.prepared, self.fw, weights=self.weightset() if weights is None else weights, **merged)

    def uncertainty(self, n: int | None = None, seed: int | None = None, sensitivity: bool | None = None,
                    **options: Any) -> Any:
        """:func:`coopeval.uncertainty` over the spread of the stakeholders' views, with the
        specification's weights, options (``spec.uncertainty``), ``n`` and ``seed``; arguments
        given here win. Sobol shares only when ``sensitivity=True`` (they cost more samples).

        The named ``sources`` varied (:mod:`coopeval.uncertainty.sources`) default to the
        diversity of the views expressed (``("views",)``), plus ``"methods"`` when the options
        list ``normalisations`` or ``aggregations``; with ``"measurement"`` the standard errors of
        the survey indicators come from the responses. ``sources=None`` gives the WeightSet's own
        sampling. With ``sensitivity=True`` the variance is decomposed between the sources."""
        from coopeval.uncertainty.engine import uncertainty as monte_carlo
        from coopeval.uncertainty.sources import DEFAULT_SOURCES, check_sources, measurement_error

        n = self.spec.n if n is None else n
        seed = self.spec.seed if seed is None else seed
        cache = self.__dict__.setdefault("_mc_cache", {})
        key = (n, seed, sensitivity, tuple(sorted(options.items(), key=str)))
        if key not in cache:
            merged = {**self.score_options(), "sensitivity": False, **(self.spec.uncertainty or {}), **options}
            if sensitivity is not None:
                merged["sensitivity"] = sensitivity
            if "sources" not in merged:  # issue 15: a restitution varies the diversity of views
                lists = merged.get("normalisations") is not None or merged.get("aggregations") is not None
                merged["sources"] = (*DEFAULT_SOURCES, "methods") if lists else DEFAULT_SOURCES
            if (merged["sources"] is not None and "measurement" in check_sources(merged["sources"])
                    and merged.get("measurement") is None):
                merged["measurement"] = (
                    measurement_error(self.responses, self.fw, min_answered=self.spec.min_answered)
                    if self.responses is not None else pd.DataFrame(columns=["unit", "wave", "indicator", "se", "n"]))
            cache[key] = monte_carlo(self.prepared, self.fw, weights=self.weightset(), n=n, seed=seed, **merged)
        return cache[key]

    def relative_goalposts(self) -> Any:
        """What the relative goalposts did to the values scored (issue 22): the
        :class:`coopeval.scoring.relative.Relativisation` of :attr:`values` — ``report`` (one row
        per indicator: declaration and counts of values computed or lost) and ``baselines``
        (each unit's baseline wave and value), over the whole :attr:`history`. Scoring applies
        the same step itself. The baseline is a cooperation's first wave with data, whichever
        waves the specification keeps (``spec.waves``)."""
        from coopeval.scoring.relative import relativise

        if "_relativisation" not in self.__dict__:
            self.__dict__["_relativisation"] = relativise(self.history, self.fw)
        return self.__dict__["_relativisation"]

    # ------------------------------------------------------------------ provenance
    def provenance(self) -> dict:
        """Where the numbers come from, as codes (sentences: :func:`coopeval.i18n.provenance`).

        Returns
        -------
        dict
            ``weights`` (``deliberation``, ``framework`` or ``fixed``), ``session``
            (and ``session_title`` when the project names it), ``round``,
            ``n_participants``, ``colleges``, ``voices`` (``equal`` or ``custom``),
            ``college_shares``, ``framework_id``, ``framework_version``, ``framework_hash``,
            ``adapted``, ``normalisation``, ``aggregation``, ``relative_goalposts`` (one dict
            ``indicator, per, scale, relative_to, change`` per indicator whose goalposts are
            relative, see :mod:`coopeval.scoring.relative`; empty list when none).
        """
        src = self.spec.weights
        out = {"weights": src.kind, "session": src.session, "round": src.round, "n_participants": 0,
               "colleges": list(self.colleges), "voices": "equal" if src.college_shares is None else "custom",
               "college_shares": src.college_shares}
        if src.kind == "deliberation":
            j = cast(pd.DataFrame, self.judgements)  # a deliberation source has judgements (resolve_weights)
            j = j[(j["session"].astype(str) == src.session) & (j["round"].astype(int) == src.round)]
            out["n_participants"] = int(j["participant"].nunique())
            s = self._sessions
            if s is not None and "title" in s and len(s[s["session"].astype(str) == src.session]):
                title = s.loc[s["session"].astype(str) == src.session, "title"].iloc[0]
                out["session_title"] = title if isinstance(title, str) and title else None
        fw = cast(dict, self.spec.framework)  # filled by __init__ (framework_identity)
        out.update(framework_id=fw["id"], framework_version=fw["version"], framework_hash=fw["hash"],
                   adapted=fw["adapted"], normalisation=self.spec.normalisation or self.fw.method["normalisation"],
                   aggregation=self.spec.aggregation or self.fw.method["aggregation"],
                   relative_goalposts=self.fw.relative_goalposts.to_dict("records"))
        return out
