"""The profile tab of the restitution dashboard: the overall score and rank with their
uncertainty, the profile figures (radar over the waves, bars) and their numbers as a table."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import pandas as pd

from coopeval.i18n import fmt, t
from coopeval.widgets.restitution.common import _figure_html

if TYPE_CHECKING:
    from coopeval.evaluation import Evaluation


class ProfileTab:
    """The profile tab (mixed into :class:`~coopeval.widgets.restitution.RestitutionApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        ev: Evaluation
        lang: str
        headline: Any
        profile_out: Any
        profile_table: Any

    def _draw_headline(self, unit: str, wave: Any) -> None:
        """The overall score and rank, with their intervals."""
        ev, lang = self.ev, self.lang
        overall = ev.overall(wave=wave).set_index("unit")
        row = overall.loc[unit]
        score_iv, rank_iv = self._intervals(unit, wave)
        rank = (f" — {html.escape(t('rank_among', lang, n=int(row['n_units'])))} : "
                f"<span class='ce-overall-rank'>{int(row['rank'])}</span>"
                f"{rank_iv}") if int(row["n_units"]) > 1 else ""  # no ranking among one cooperation
        self.headline.value = (
            f"<p class='ce-overall'><b>{html.escape(t('overall_score', lang))} :</b> "
            f"<span class='ce-overall-score'>{fmt(row['score'], lang)}</span> / 100{score_iv}{rank}</p>"
        )

    def _draw_profile(self, unit: str, wave: Any) -> None:
        from coopeval import plots

        ev, lang = self.ev, self.lang
        names = ev.units.set_index("unit")["name"].to_dict()
        shown_waves = ev.waves[: ev.waves.index(wave) + 1]
        summary = self._summary()

        def radar() -> Any:
            return plots.radar(ev.scores(), unit, overlay="wave", fw=ev.fw, lang=lang, waves=shown_waves,
                               names=names)

        def bars() -> Any:  # beside the radar on a desktop: narrower than A4 (its text not shrunk)
            ax = None if plots.phone.on_phone() else plt.subplots(figsize=(5.6, 4.6), layout="tight")[1]
            return plots.score_bars(summary, unit, wave, fw=ev.fw, lang=lang, names=names, ax=ax)

        alt = self._profile_alt(unit, wave)
        self.profile_out.value = (f"<div class='ce-figs'><div>{_figure_html(radar, alt, 'ce-fig-radar')}</div>"
                                  f"<div>{_figure_html(bars, alt, 'ce-fig-bars')}</div></div>")

    def _profile_alt(self, unit: str, wave: Any) -> str:
        """The profile figures in one sentence: each dimension's score (the text alternative)."""
        ev, lang = self.ev, self.lang
        sc = ev.scores()
        dims = sc[(sc["unit"] == unit) & (sc["wave"].astype(str) == str(wave)) & (sc["level"] == "dimension")]
        name = ev.units.set_index("unit")["name"].get(unit, unit)
        parts = "; ".join(f"{ev.fw.label(r.node, lang)} {fmt(r.score, lang)}" for r in dims.itertuples())
        head = "Profile of" if lang == "en" else "Profil de"
        return f"{head} {name}, {t('wave_n', lang, wave=wave)} — {t('score', lang)} (0–100): {parts}."

    def _intervals(self, unit: str, wave: Any) -> tuple[str, str]:
        """The headline's interval texts (what was varied, degenerate intervals explained)."""
        from coopeval.i18n import uncertainty as words

        try:
            mc = self.ev.uncertainty()  # the specification's draws, as the report
        except Exception:  # noqa: BLE001 - intervals are optional in the display
            return "", ""
        s = mc.summary
        s = s[(s["unit"] == unit) & (s["wave"] == wave) & (s["node"] == "overall")]
        if s.empty:
            return "", ""
        r, lang = s.iloc[0], self.lang
        score = words.score_text(r["score_low"], r["score_high"], mc.settings, lang)
        rank = words.rank_text(r["rank_low"], r["rank_high"], mc.settings, lang)
        return (f" <span class='ce-overall-interval'>({html.escape(score)})</span>",
                f" <span class='ce-rank-interval'>({html.escape(rank)})</span>")

    def _summary(self) -> pd.DataFrame:
        try:
            return self.ev.uncertainty().summary
        except Exception:  # noqa: BLE001 - intervals are optional in the display
            return self.ev.scores()

    def _draw_profile_table(self, unit: str, wave: Any) -> None:
        """The profile's numbers as a table (read by the cross-door test)."""
        ev, lang = self.ev, self.lang
        prof = ev.profile(unit, wave, lang)
        rows = "".join(f"<tr data-node='{html.escape(r.node)}'><td>{html.escape(r.label)}</td>"
                       f"<td class='num'>{fmt(r.score, lang)}</td></tr>" for r in prof.itertuples())
        self.profile_table.value = (f"<table class='ce-profile-table'><thead><tr><th>{html.escape(t('dimension', lang))}"
                                    f"</th><th>{html.escape(t('score', lang))}</th></tr></thead><tbody>{rows}"
                                    "</tbody></table>")
