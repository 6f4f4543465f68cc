"""One evaluation round assembled: what a restitution dashboard or a script needs.

:class:`Evaluation` gathers a framework, observations, survey responses, the judgements of
a deliberation and the resources of the socio-economic model — from a project store or
from the bundled sample data — and answers the questions of a restitution with tested
package functions: indicator values (survey scales scored, groups under the minimum size
hidden), deliberated weights, scores and ranks, change since the previous wave, "what if"
scores under other dimension weights or college voices, uncertainty intervals from the
spread of stakeholder views, contested criteria.

It holds no computation of its own beyond assembling and caching: scoring is
:func:`coopeval.score`, weights are :func:`coopeval.weighting.aggregate`, survey scales are
:func:`coopeval.data.score_scales`, uncertainty is :func:`coopeval.uncertainty`.

Example
-------
>>> import coopeval as ce
>>> ev = ce.evaluation.Evaluation.sample()
>>> table = ev.what_if({"social": 2.0})
>>> list(table.columns)
['unit', 'wave', 'score', 'rank', 'n_units']
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from coopeval.data.disclosure import check_college_shares, college_blocks
from coopeval.errors import CoopevalError, bad_param
from coopeval.framework import ROOT, Framework

__all__ = ["Evaluation"]


class Evaluation:
    """The inputs of one evaluation, and the restitution's questions answered on them.

    Parameters
    ----------
    fw : Framework
    observations : DataFrame
        ``unit, wave, indicator, value`` (non-survey indicators).
    responses : DataFrame, optional
        ``respondent, unit, wave, college, item, value``; scored into the survey indicators.
    judgements : DataFrame, optional
        ``session, round, participant, college, method, node, value``; the last round of the
        first session gives the deliberated weights.
    resources : DataFrame, optional
        ``unit, wave, source, category, amount, unit_of_measure``.
    units : DataFrame, optional
        ``unit, name, …`` (display names).
    min_group : int, default 5
        No value computed from fewer respondents (or participants) is shown.
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
        min_group: int = 5,
        min_answered: float = 0.5,
    ):
        if not isinstance(fw, Framework):
            bad_param("fw", "a Framework", type(fw).__name__)
        if not isinstance(min_group, int) or min_group < 1:
            bad_param("min_group", "a positive integer", min_group)
        self.fw = fw
        self.observations = observations
        self.responses = responses
        self.judgements = judgements
        self.resources = resources
        self._units = units
        self.min_group = min_group
        self.min_answered = min_answered
        #: How other cooperations are called: ``"anonymised"`` or ``"named"`` (project setting ``cooperation_names``).
        self.naming = "anonymised"

    # ------------------------------------------------------------------ constructors
    @classmethod
    def sample(cls) -> Evaluation:
        """The bundled sample: ``panel_synthetique`` and ``deliberation_exemple``."""
        import coopeval as ce

        panel = ce.datasets.load("panel_synthetique")
        judgements = ce.datasets.load("deliberation_exemple")
        if isinstance(judgements, dict):
            judgements = judgements["judgements"]
        return cls(
            ce.load_framework("cooperation_territoriale"),
            panel["observations"],
            panel["responses"],
            judgements,
            panel.get("resources"),
            panel.get("units"),
        )

    @classmethod
    def from_project(cls, project: Any, *, session: str | None = None) -> Evaluation:
        """Assemble an evaluation from a :class:`coopeval.Project` (researcher role)."""
        fw = project.framework()
        obs = project.observations()
        responses = project.responses()
        judgements = project.judgements(session=session)
        units = project.units()
        resources = None
        getter = getattr(project, "resources", None)
        if callable(getter):
            resources = getter()
        ev = cls(fw, obs, responses if len(responses) else None,
                 judgements if len(judgements) else None, resources, units)
        ev.naming = project.setting("cooperation_names") or "anonymised"  # issue 16: dashboard and report alike
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

    @cached_property
    def waves(self) -> list:
        """The waves, in order."""
        return sorted(self.values["wave"].unique().tolist())

    @cached_property
    def survey_values(self) -> pd.DataFrame:
        """Survey indicators per unit and wave: ``unit, wave, indicator, value, n``; a value
        from fewer than ``min_group`` respondents is hidden (NaN)."""
        cols = ["unit", "wave", "indicator", "value", "n"]
        if self.responses is None or not len(self.responses):
            return pd.DataFrame(columns=cols)
        from coopeval.data import score_scales

        sc = score_scales(self.responses, self.fw, min_answered=self.min_answered, by=("unit", "wave"))
        sc = sc.rename(columns={"score": "value"})
        sc.loc[sc["n"] < self.min_group, "value"] = np.nan
        return sc[cols]

    @cached_property
    def values(self) -> pd.DataFrame:
        """All indicator values: observations plus scored survey indicators."""
        obs = self.observations[["unit", "wave", "indicator", "value"]]
        survey = self.survey_values[["unit", "wave", "indicator", "value"]]
        known = set(self.fw.indicator_ids)
        out = pd.concat([obs, survey], ignore_index=True)
        return out[out["indicator"].isin(known)].reset_index(drop=True)

    # ------------------------------------------------------------------ weights
    def weightset(self, college_shares: Mapping[str, float] | None = None):
        """Deliberated weights (last round), colleges combined with ``college_shares``
        (equal voices by default); the framework's defaults when there are no judgements."""
        from coopeval.weighting import WeightSet, aggregate

        if self.judgements is None or not len(self.judgements):
            return WeightSet.from_local(self.fw)
        key = None if college_shares is None else tuple(sorted(college_shares.items()))
        cache = self.__dict__.setdefault("_ws_cache", {})
        if key not in cache:
            last = self.judgements["round"].max()
            session = self.judgements["session"].iloc[0]
            sizes = self.judgements[self.judgements["round"] == last].groupby("college")["participant"].nunique()
            check_college_shares(college_shares, sizes.to_dict(), self.min_group)  # issue 16: no small college alone
            cache[key] = aggregate(self.judgements, self.fw, by="college", college_shares=college_shares,
                                   session=session, round=last)
        return cache[key]

    @cached_property
    def colleges(self) -> list[str]:
        """Colleges of the deliberation."""
        if self.judgements is None:
            return []
        return sorted(self.judgements["college"].dropna().unique().tolist())

    def dimension_weights(self, college_shares: Mapping[str, float] | None = None) -> pd.Series:
        """Deliberated local weights of the dimensions."""
        return self.weightset(college_shares).local[self.fw.dimension_ids]

    def weights_by_college(self, level: str = "dimension") -> pd.DataFrame:
        """``college, node, weight, n_participants`` at ``level``; colleges with fewer than
        ``min_group`` participants are left out, and so are the colleges pooled with them
        (:func:`coopeval.data.disclosure.college_blocks`: no hidden college recoverable by
        subtraction from the combined weights)."""
        ws = self.weightset()
        bc = ws.by_college
        if bc is None or not len(bc):
            return pd.DataFrame(columns=["college", "node", "weight", "n_participants"])
        nodes = set(self.fw.nodes.loc[self.fw.nodes["level"] == level, "node"])
        out = bc[bc["node"].isin(nodes)].copy()
        counts = ws.by_participant.groupby("college")["participant"].nunique()
        out["n_participants"] = out["college"].map(counts).fillna(0).astype(int)
        shown, _pooled = college_blocks(counts.to_dict(), self.min_group)  # issue 16: none recoverable by difference
        return out[out["college"].isin(shown)].reset_index(drop=True)

    def contested(self, lang: str = "fr") -> pd.DataFrame:
        """Contested nodes of the deliberation (see :func:`coopeval.weighting.contested_nodes`)."""
        from coopeval.weighting import contested_nodes

        ws = self.weightset()
        if ws.by_participant is None or not len(ws.by_participant):
            return pd.DataFrame()
        return contested_nodes(ws, lang=lang)

    # ------------------------------------------------------------------ scores
    def scores(self, weights: Any = None, **options: Any) -> pd.DataFrame:
        """:func:`coopeval.score` on all values (deliberated weights by default)."""
        import coopeval as ce

        cache = self.__dict__.setdefault("_score_cache", {})
        if weights is None and not options:
            if "default" not in cache:
                cache["default"] = ce.score(self.values, self.fw, weights=self.weightset())
            return cache["default"]
        return ce.score(self.values, self.fw, weights=weights, **options)

    def profile(self, unit: str, wave: Any, lang: str = "fr") -> pd.DataFrame:
        """Dimension scores of one unit and wave: ``node, label, score, coverage``."""
        self._check_unit_wave(unit, wave)
        sc = self.scores()
        rows = sc[(sc["unit"] == unit) & (sc["wave"] == wave) & (sc["level"] == "dimension")]
        out = rows[["node", "score", "coverage"]].reset_index(drop=True)
        out.insert(1, "label", [self.fw.label(n, lang) for n in out["node"]])
        return out

    def overall(self, weights: Any = None, wave: Any = None) -> pd.DataFrame:
        """Overall score and rank of every unit: ``unit, wave, score, rank, n_units``
        (rank 1 = highest score within the wave; ties share the best rank)."""
        sc = self.scores(weights) if weights is not None else self.scores()
        out = sc[sc["level"] == "overall"][["unit", "wave", "score"]].copy()
        if wave is not None:
            out = out[out["wave"] == wave]
        out["rank"] = out.groupby("wave")["score"].rank(ascending=False, method="min")
        out["n_units"] = out.groupby("wave")["score"].transform("count").astype(int)
        return out.sort_values(["wave", "rank", "unit"]).reset_index(drop=True)

    def change(self, unit: str, wave: Any, lang: str = "fr") -> pd.DataFrame:
        """Change of the dimension and overall scores since the previous wave:
        ``node, label, previous, current, change`` (empty for the first wave)."""
        self._check_unit_wave(unit, wave)
        i = self.waves.index(wave)
        cols = ["node", "label", "previous", "current", "change"]
        if i == 0:
            return pd.DataFrame(columns=cols)
        prev = self.waves[i - 1]
        sc = self.scores()
        sc = sc[(sc["unit"] == unit) & sc["level"].isin(["dimension", "overall"])]
        wide = sc.pivot_table(index="node", columns="wave", values="score", aggfunc="first")
        order = self.fw.dimension_ids + [ROOT]
        wide = wide.reindex(order)
        out = pd.DataFrame({"node": order, "previous": wide[prev].to_numpy(), "current": wide[wave].to_numpy()})
        out["change"] = out["current"] - out["previous"]
        out.insert(1, "label", [self.fw.label(n, lang) for n in out["node"]])
        return out[cols]

    def what_if(
        self,
        dimension_weights: Mapping[str, float] | None = None,
        college_shares: Mapping[str, float] | None = None,
        wave: Any = None,
    ) -> pd.DataFrame:
        """Overall scores and ranks if the dimensions weighed ``dimension_weights`` and/or the
        colleges had ``college_shares`` of the voice.

        ``dimension_weights`` are in percent (as on the dashboard's sliders); dimensions not
        given keep their deliberated weight in percent; the whole is then rescaled to 100 %.

        Returns :meth:`overall`'s columns ``unit, wave, score, rank, n_units``.
        """
        ws = self.weightset(college_shares)
        local = ws.local.copy()
        if dimension_weights:
            unknown = [d for d in dimension_weights if d not in self.fw.dimension_ids]
            if unknown:
                bad_param("dimension_weights", f"dimension ids ({', '.join(self.fw.dimension_ids)})", unknown)
            dims = pd.Series({d: float(dimension_weights.get(d, 100 * local[d])) for d in self.fw.dimension_ids})
            if (dims < 0).any() or dims.sum() <= 0:
                bad_param("dimension_weights", "non-negative weights, not all zero", dict(dimension_weights))
            local[self.fw.dimension_ids] = (dims / dims.sum()).to_numpy()
        return self.overall(weights=local.to_dict(), wave=wave)

    def uncertainty(self, n: int = 2000, seed: int = 0, sensitivity: bool = False) -> Any:
        """Monte Carlo over the spread of stakeholder views (:func:`coopeval.uncertainty`);
        Sobol shares only when ``sensitivity=True`` (they cost more samples)."""
        import coopeval as ce

        cache = self.__dict__.setdefault("_mc_cache", {})
        key = (n, seed, sensitivity)
        if key not in cache:
            cache[key] = ce.uncertainty(self.values, self.fw, weights=self.weightset(), n=n, seed=seed,
                                        sensitivity=sensitivity)
        return cache[key]

    def resources_of(self, unit: str, wave: Any) -> pd.DataFrame:
        """Resources of one unit and wave (empty when none are known)."""
        if self.resources is None:
            return pd.DataFrame(columns=["source", "category", "amount", "unit_of_measure"])
        r = self.resources
        return r[(r["unit"].astype(str) == str(unit)) & (r["wave"] == wave)].reset_index(drop=True)

    def resources_profile(self, unit: str, wave: Any, lang: str = "fr") -> Any:
        """:func:`coopeval.valuation.resources_profile` of one unit and wave (volunteer hours
        valued at the catalogue's ``heure_benevole_smic_brut``), or None without resources."""
        from coopeval.valuation import resources_profile

        res = self.resources_of(unit, wave)
        if res.empty:
            return None
        return resources_profile(res, proxies={"h": "heure_benevole_smic_brut"}, lang=lang)

    def resources_in_euros(self, unit: str) -> pd.DataFrame:
        """Resources of one unit over the waves, valued in euros (``wave, source, category,
        amount``), for the stacked bars of the socio-economic model."""
        from coopeval.report.inputs import resources_in_euros

        if self.resources is None:
            return pd.DataFrame(columns=["wave", "source", "category", "amount"])
        res = self.resources[self.resources["unit"].astype(str) == str(unit)]
        if res.empty:
            return pd.DataFrame(columns=["wave", "source", "category", "amount"])
        return resources_in_euros(res, by="wave")

    def indicators_of(self, unit: str, wave: Any, parent: str, lang: str = "fr") -> pd.DataFrame:
        """Indicators under ``parent`` for one unit and wave: ``indicator, label, value, unit,
        score`` (raw value, its unit of measure, and its normalised score)."""
        self._check_unit_wave(unit, wave)
        leaves = self.fw.leaves(parent)
        ind = self.fw.indicators.set_index("indicator").loc[leaves]
        vals = self.values[(self.values["unit"] == unit) & (self.values["wave"] == wave)]
        vals = vals.set_index("indicator")["value"]
        sc = self.scores()
        sc = sc[(sc["unit"] == unit) & (sc["wave"] == wave) & (sc["level"] == "indicator")]
        sc = sc.set_index("node")["score"]
        return pd.DataFrame({
            "indicator": leaves,
            "label": [self.fw.label(i, lang) for i in leaves],
            "value": [vals.get(i, np.nan) for i in leaves],
            "unit": ind["unit"].tolist(),
            "score": [sc.get(i, np.nan) for i in leaves],
        })

    def _check_unit_wave(self, unit: str, wave: Any) -> None:
        if unit not in set(self.units["unit"]):
            raise CoopevalError(
                f"parameter `unit`: expected one of {', '.join(self.units['unit'])}, got {unit!r}"
            )
        if wave not in self.waves:
            raise CoopevalError(f"parameter `wave`: expected one of {self.waves}, got {wave!r}")
