"""The restitution's questions answered on an :class:`coopeval.Evaluation` (mixed into it).

Profiles, change since the previous wave, « Et si… ? » variants, indicator tables, weights by
college, contested criteria, resources, the socio-economic model under stress and « qui pourrait
co-financer quoi » — each a small query over the evaluation's inputs, scores and weights, never
a computation of its own (the valuation functions compute).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from coopeval.data.disclosure import group_sizes, shown_by_group, small_group_message
from coopeval.errors import CoopevalError, WeightingError, bad_param
from coopeval.framework import ROOT
from coopeval.i18n import t

if TYPE_CHECKING:
    from coopeval.framework import Framework
    from coopeval.weighting import WeightSet

__all__ = ["RestitutionQueries"]

#: Volunteer hours valued at the catalogue's SMIC hour (the convention of the restitution).
_HOURS = {"h": "heure_benevole_smic_brut"}
#: A wave between these years is read as the year of the euros of a ledger.
_YEARS = (1900, 2200)


class _Evaluation(Protocol):
    """What the queries read of their host (:class:`coopeval.evaluation.model.Evaluation`)."""

    fw: Framework
    resources: pd.DataFrame | None
    evidence: Any

    @property
    def units(self) -> pd.DataFrame: ...

    @property
    def waves(self) -> list[Any]: ...

    @property
    def values(self) -> pd.DataFrame: ...

    @property
    def min_group(self) -> int: ...

    def wave(self, wave: Any) -> Any: ...

    def weightset(self, college_shares: Mapping[str, float] | None = ...) -> WeightSet: ...

    def small_groups(self) -> list[str]: ...

    def score_options(self) -> dict[str, Any]: ...

    def scores(self, weights: Any = ..., **options: Any) -> pd.DataFrame: ...

    def provenance(self) -> dict[str, Any]: ...

    # the queries' own, called from one another
    def overall(self, weights: Any = ..., wave: Any = ...) -> pd.DataFrame: ...

    def resources_of(self, unit: str, wave: Any) -> pd.DataFrame: ...

    def finances_of(self, unit: str | None = ..., wave: Any = ...) -> pd.DataFrame | None: ...

    def _unit_wave(self, unit: str, wave: Any) -> tuple[str, Any]: ...


class RestitutionQueries:
    """Queries of a restitution (see the module docstring); needs ``fw``, ``scores()``,
    ``weightset()``, ``units``, ``waves``, ``wave()``, ``values``, ``resources``, ``min_group``
    (and ``externalities``, ``conventions`` for :meth:`ledger_of`)."""

    # ------------------------------------------------------------------ weights
    def dimension_weights(self: _Evaluation, college_shares: Mapping[str, float] | None = None) -> pd.Series:
        """Local weights of the dimensions (deliberated, or the specification's).

        Raises
        ------
        WeightingError
            Fewer than ``min_group`` participants weighted the dimensions
            (:meth:`coopeval.weighting.WeightSet.small_groups`): their combined weights are not
            shown (message :func:`coopeval.data.disclosure.small_group_message`).
        """
        ws = self.weightset(college_shares)
        if ROOT in ws.small_groups():
            raise WeightingError(small_group_message([ROOT], self.min_group, fw=self.fw))
        return ws.local[self.fw.dimension_ids]

    def small_groups(self: _Evaluation) -> list[str]:
        """Groups of sibling nodes (their parent node) weighted by fewer than ``min_group``
        participants: no door shows their combined weights
        (:meth:`coopeval.weighting.WeightSet.small_groups`)."""
        return self.weightset().small_groups()

    def weights_by_college(self: _Evaluation, level: str = "dimension") -> pd.DataFrame:
        """``college, node, weight, n_participants`` at ``level``, decided per group of sibling
        nodes (issue 16): in each group, ``n_participants`` counts the college's participants
        who weighted it, and the colleges with fewer than ``min_group`` of them are left out,
        and so are the colleges pooled with them
        (:func:`coopeval.data.disclosure.college_blocks`: no hidden college recoverable by
        subtraction from the combined weights)."""
        ws = self.weightset()
        bc = ws.by_college
        if bc is None or not len(bc):
            return pd.DataFrame(columns=["college", "node", "weight", "n_participants"])
        nodes = set(self.fw.nodes.loc[self.fw.nodes["level"] == level, "node"])
        out = bc[bc["node"].isin(nodes)].copy()
        sizes = group_sizes(ws.by_participant)
        shown = shown_by_group(sizes, self.min_group)
        keys = list(zip(out["parent"].astype(str), out["college"].astype(str), strict=True))
        out["n_participants"] = [int(sizes.get(p, {}).get(c, 0)) for p, c in keys]
        keep = [c in shown.get(p, []) for p, c in keys]
        return out.loc[keep].reset_index(drop=True)

    def contested(self: _Evaluation, lang: str = "fr") -> pd.DataFrame:
        """Contested nodes of the deliberation (see :func:`coopeval.weighting.contested_nodes`),
        except in the groups weighted by fewer than ``min_group`` participants (:meth:`small_groups`)."""
        from coopeval.weighting import contested_nodes

        ws = self.weightset()
        pw = ws.by_participant
        if pw is None or not len(pw):
            return pd.DataFrame()
        pw = pw[~pw["parent"].astype(str).isin(ws.small_groups())]
        return contested_nodes(pw, lang=lang) if len(pw) else pd.DataFrame()

    # ------------------------------------------------------------------ scores
    def profile(self: _Evaluation, unit: str, wave: Any, lang: str = "fr") -> pd.DataFrame:
        """Dimension scores of one unit and wave: ``node, label, score, coverage``."""
        unit, wave = self._unit_wave(unit, wave)
        sc = self.scores()
        rows = sc[(sc["unit"] == unit) & (sc["wave"] == wave) & (sc["level"] == "dimension")]
        out = rows[["node", "score", "coverage"]].reset_index(drop=True)
        # the overall row is the overall score (as in the other tables), not the framework's title
        out.insert(1, "label", [t("overall_score", lang) if n == ROOT else self.fw.label(n, lang) for n in out["node"]])
        return out

    def overall(self: _Evaluation, weights: Any = None, wave: Any = None) -> pd.DataFrame:
        """Overall score and rank of every unit: ``unit, wave, score, rank, n_units``
        (rank 1 = highest score within the wave; ties share the best rank)."""
        sc = self.scores(weights) if weights is not None else self.scores()
        out = sc[sc["level"] == "overall"][["unit", "wave", "score"]].copy()
        if wave is not None:
            out = out[out["wave"] == self.wave(wave)]
        out["rank"] = out.groupby("wave")["score"].rank(ascending=False, method="min")
        out["n_units"] = out.groupby("wave")["score"].transform("count").astype(int)
        return out.sort_values(["wave", "rank", "unit"]).reset_index(drop=True)

    def change(self: _Evaluation, unit: str, wave: Any, lang: str = "fr") -> pd.DataFrame:
        """Change of the dimension and overall scores since the previous wave:
        ``node, label, previous, current, change, coverage_changed`` (empty for the first wave);
        the overall row's ``label`` is « Score d'ensemble » / "Overall score"."""
        unit, wave = self._unit_wave(unit, wave)
        i = self.waves.index(wave)
        cols = ["node", "label", "previous", "current", "change", "coverage_changed"]
        if i == 0:
            return pd.DataFrame(columns=cols)
        prev = self.waves[i - 1]
        sc = self.scores()
        sc = sc[(sc["unit"] == unit) & sc["level"].isin(["dimension", "overall"]) & sc["wave"].isin([prev, wave])]
        order = self.fw.dimension_ids + [ROOT]
        score = sc.pivot_table(index="node", columns="wave", values="score", aggfunc="first").reindex(order)
        cover = sc.pivot_table(index="node", columns="wave", values="coverage", aggfunc="first").reindex(order)
        out = pd.DataFrame({"node": order,
                            "previous": score[prev].to_numpy() if prev in score else np.nan,
                            "current": score[wave].to_numpy() if wave in score else np.nan})
        out["change"] = out["current"] - out["previous"]
        if prev in cover and wave in cover:
            out["coverage_changed"] = ~np.isclose(cover[prev].to_numpy(), cover[wave].to_numpy(), equal_nan=True)
        else:
            out["coverage_changed"] = True
        # the overall row is the overall score (as in the other tables), not the framework's title
        out.insert(1, "label", [t("overall_score", lang) if n == ROOT else self.fw.label(n, lang) for n in out["node"]])
        return out[cols]

    def what_if(
        self: _Evaluation,
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

    def indicators_of(self: _Evaluation, unit: str, wave: Any, parent: str, lang: str = "fr") -> pd.DataFrame:
        """Indicators under ``parent`` for one unit and wave: ``indicator, label, value, unit,
        score`` (raw value, its unit of measure, and its normalised score)."""
        unit, wave = self._unit_wave(unit, wave)
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

    def beyond_goalposts(self: _Evaluation, unit: str | None = None, wave: Any = None) -> pd.DataFrame:
        """Values beyond their goalposts, capped by the ``goalposts`` normalisation
        (:func:`coopeval.scoring.beyond_goalposts`); empty under another normalisation."""
        from coopeval.scoring import BEYOND_COLUMNS, beyond_goalposts

        if self.provenance()["normalisation"] != "goalposts":
            return pd.DataFrame(columns=BEYOND_COLUMNS)
        out = beyond_goalposts(self.values, self.fw)
        if unit is not None:
            out = out[out["unit"] == str(unit)]
        if wave is not None:
            out = out[out["wave"] == self.wave(wave)]
        return out.reset_index(drop=True)

    # ------------------------------------------------------------------ qualitative evidence (issue 17)
    def extracts(self: _Evaluation, node: str, unit: str | None = None, wave: Any = None, lang: str = "fr") -> pd.DataFrame:
        """Consented extracts illustrating ``node``, safe to show a collective
        (:func:`coopeval.qualitative.extracts_for` with this evaluation's ``min_group``)."""
        from coopeval.qualitative import EXTRACTS_FOR_COLUMNS, extracts_for

        ev = self.evidence
        if ev is None or not len(ev.extracts):
            return pd.DataFrame(columns=EXTRACTS_FOR_COLUMNS)
        return extracts_for(ev.extracts, ev.codes, ev.codebook, node=node, unit=unit, wave=wave, fw=self.fw,
                            min_group=self.min_group, lang=lang)

    def themes(self: _Evaluation, unit: str | None = None, by: tuple[str, ...] = ("wave",), lang: str = "fr") -> pd.DataFrame:
        """Extracts per theme (:func:`coopeval.qualitative.theme_summary`), small cells suppressed."""
        from coopeval.qualitative import theme_summary

        ev = self.evidence
        if ev is None or not len(ev.extracts):
            return pd.DataFrame(columns=["code", "label", *by, "n_extracts", "n_speakers", "suppressed"])
        return theme_summary(ev.extracts, ev.codes, ev.codebook, by=by, unit=unit, min_group=self.min_group,
                             lang=lang)

    def actions(self: _Evaluation, unit: str, wave: Any) -> pd.DataFrame:
        """Follow-up of the actions decided before ``wave`` (:func:`coopeval.qualitative.follow_up`,
        linked indicators in their own unit; sentences: :func:`coopeval.report.learning.follow_up_texts`)."""
        from coopeval.qualitative import FOLLOW_UP_COLUMNS, follow_up

        ev = self.evidence
        if ev is None or not len(ev.actions):
            return pd.DataFrame(columns=FOLLOW_UP_COLUMNS)
        return follow_up(ev.actions, self.scores(), self.fw, unit=unit, wave=wave, values=self.values)

    # ------------------------------------------------------------------ resources
    def resources_of(self: _Evaluation, unit: str, wave: Any) -> pd.DataFrame:
        """Resources of one unit and wave (empty when none are known)."""
        if self.resources is None:
            return pd.DataFrame(columns=["source", "category", "amount", "unit_of_measure"])
        r = self.resources
        return r[(r["unit"].astype(str) == str(unit)) & (r["wave"] == self.wave(wave))].reset_index(drop=True)

    def resources_profile(self: _Evaluation, unit: str, wave: Any, lang: str = "fr") -> Any:
        """:func:`coopeval.valuation.resources_profile` of one unit and wave (volunteer hours
        valued at the catalogue's ``heure_benevole_smic_brut``), or None without resources."""
        from coopeval.valuation import resources_profile

        res = self.resources_of(unit, wave)
        if res.empty:
            return None
        return resources_profile(res, proxies=_HOURS, lang=lang)

    def finances_of(self: _Evaluation, unit: str | None = None, wave: Any = None) -> pd.DataFrame | None:
        """The finance lines of the resources table (:func:`coopeval.valuation.from_resources`),
        of one unit and/or wave when given, or None when there are none."""
        from coopeval.contracts import wave_key
        from coopeval.valuation import from_resources

        if self.resources is None or self.resources.empty:
            return None
        fin = from_resources(self.resources)
        if unit is not None:
            fin = fin[fin["unit"].astype(str) == str(unit)]
        if wave is not None:
            fin = fin[[wave_key(w) == wave_key(wave) for w in fin["wave"]]]
        return fin.reset_index(drop=True) if len(fin) else None

    def socio_economic_model(self: _Evaluation, date: Any = None) -> Any:
        """:func:`coopeval.valuation.socio_economic_model` of the resources table (costs, loans
        and pillars when stored as line codes; volunteer hours valued at
        ``heure_benevole_smic_brut``), or None without resources."""
        from coopeval.valuation import socio_economic_model

        fin = self.finances_of()
        if fin is None:
            return None
        return socio_economic_model(fin, proxies=_HOURS, date=date)

    def stress_of(self: _Evaluation, unit: str, wave: Any, date: Any = None) -> pd.DataFrame | None:
        """:func:`coopeval.valuation.stress_test` of one unit's finances in one wave (the same
        lines and proxies as :meth:`socio_economic_model`), or None without finances."""
        from coopeval.valuation import stress_test

        fin = self.finances_of(unit, wave)
        if fin is None:
            return None
        return stress_test(fin, proxies=_HOURS, date=date)

    def stress_profile_of(self: _Evaluation, unit: str, wave: Any, date: Any = None) -> pd.DataFrame | None:
        """:func:`coopeval.valuation.stress_profile` of one unit and wave: the overall and dimension
        scores in the baseline and under each stress scenario, scored like :meth:`scores` (the
        evaluation's values, weights, normalisation and aggregation; the economic indicators
        derived from the finances replace the entered ones), or None without finances.

        >>> import coopeval as ce
        >>> b = ce.datasets.load("la_butinerie")
        >>> obs = ce.valuation.socio_economic_model(b["finances"]).framework_observations()
        >>> ev = ce.Evaluation(ce.load_framework("cooperation_territoriale"), obs,
        ...                    resources=b["finances"].dropna(subset=["amount"]).rename(columns={"line": "category"}))
        >>> prof = ev.stress_profile_of("la_butinerie", 2023)
        >>> sorted(prof["scenario"].unique()) == sorted(ev.stress_of("la_butinerie", 2023)["scenario"].unique())
        True
        """
        from coopeval.contracts import wave_key
        from coopeval.valuation import stress_profile

        cache = self.__dict__.setdefault("_stress_profile_cache", {})  # a dashboard redraws often
        key = (str(unit), wave_key(wave), str(date))
        if key not in cache:
            fin = self.finances_of(unit, wave)
            if fin is None:
                cache[key] = None
            else:
                prof = stress_profile(fin, self.fw, observations=self.values, proxies=_HOURS, date=date,
                                      weights=self.weightset(), **self.score_options())
                cache[key] = prof[(prof["unit"].astype(str) == str(unit))
                                  & (prof["wave"].astype(str) == str(wave))].reset_index(drop=True)
        return None if cache[key] is None else cache[key].copy()

    def ledger_of(self: _Evaluation, unit: str, wave: Any, year: int | None = None) -> Any:
        """:func:`coopeval.valuation.externality_ledger` of one unit and wave (« qui pourrait
        co-financer quoi »), in euros of ``year`` (default: the wave when it is a year, else the
        current year), or None when the evaluation holds no externality of that unit and wave.

        Examples
        --------
        La Butinerie's 2023 case (founding report; dataset ``la_butinerie``):

        >>> import coopeval as ce
        >>> b = ce.datasets.load("la_butinerie")
        >>> lines = b["finances"].dropna(subset=["amount"]).rename(columns={"line": "category"})
        >>> obs = ce.valuation.socio_economic_model(b["finances"]).framework_observations()
        >>> ev = ce.Evaluation(ce.load_framework("cooperation_territoriale"), obs, resources=lines,
        ...                    externalities=b["externalites"].assign(wave="2023"),
        ...                    conventions=b["conventions"].assign(wave="2023"))
        >>> ev.ledger_of("la_butinerie", 2023).cofinancing["beneficiary"].tolist()[:3]
        ['Ville de Pantin', 'ARS Île-de-France', 'Solimut']
        >>> ev.stress_of("la_butinerie", 2023).query("indicator == 'cash_balance'")["stressed"].tolist()
        [-40000.0, 0.0, -287000.0]
        """
        import datetime as dt

        from coopeval.contracts import wave_key
        from coopeval.valuation import externality_ledger

        led = getattr(self, "externalities", None)
        if led is None:
            return None

        def of(df: pd.DataFrame | None) -> pd.DataFrame | None:
            if df is None:
                return None
            keep = (df["unit"].astype(str) == str(unit)).to_numpy() & np.array(
                [wave_key(w) == wave_key(wave) for w in df["wave"]], dtype=bool)
            return df[keep].reset_index(drop=True)

        rows = of(led)
        if rows is None or rows.empty:
            return None
        if year is None:
            key = wave_key(wave)
            year = int(key[1]) if key[0] == 0 and float(key[1]).is_integer() and _YEARS[0] <= key[1] <= _YEARS[1] \
                else dt.date.today().year
        return externality_ledger(rows, of(getattr(self, "conventions", None)), year=int(year))

    def resources_in_euros(self: _Evaluation, unit: str) -> pd.DataFrame:
        """Resources of one unit over the waves, valued in euros (``wave, source, category,
        amount``), for the stacked bars of the socio-economic model."""
        from coopeval.valuation.in_euros import resources_in_euros

        if self.resources is None:
            return pd.DataFrame(columns=["wave", "source", "category", "amount"])
        res = self.resources[self.resources["unit"].astype(str) == str(unit)]
        if res.empty:
            return pd.DataFrame(columns=["wave", "source", "category", "amount"])
        return resources_in_euros(res, by="wave")

    # ------------------------------------------------------------------ checks
    def _unit_wave(self: _Evaluation, unit: str, wave: Any) -> tuple[str, Any]:
        if str(unit) not in set(self.units["unit"]):
            raise CoopevalError(
                f"parameter `unit`: expected one of {', '.join(self.units['unit'])}, got {unit!r}"
            )
        return str(unit), self.wave(wave)
