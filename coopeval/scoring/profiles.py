"""Profiles (wide tables per unit and wave) and changes between waves, from Scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.contracts import sort_waves
from coopeval.errors import Issue, ScoringError, bad_param
from coopeval.framework import Framework

__all__ = ["changes", "profiles"]

_LEVELS = ("indicator", "criterion", "dimension", "overall")


def _check_scores(scores: pd.DataFrame) -> None:
    if not isinstance(scores, pd.DataFrame):
        raise ScoringError(f"parameter `scores`: expected the DataFrame of ce.score, got {type(scores).__name__}")
    missing = [c for c in ("unit", "wave", "level", "node", "score") if c not in scores.columns]
    if missing:
        raise ScoringError("parameter `scores`", issues=[Issue("scores", c, "a column of the Scores contract", "absent")
                                                         for c in missing])


def profiles(
    scores: pd.DataFrame, *, level: str = "dimension", fw: Framework | None = None, lang: str = "fr"
) -> pd.DataFrame:
    """Wide table: one row per unit and wave, one column per node of a level.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`coopeval.score`.
    level : str
        ``indicator``, ``criterion``, ``dimension`` or ``overall``.
    fw : Framework, optional
        When given, columns are the nodes' labels in ``lang`` (else node ids), in framework order.
    lang : ``"fr"`` or ``"en"``

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, wave`` then one column per node (score; NaN when missing).

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> from coopeval.scoring import profiles
    >>> fw = ce.load_framework("cooperation_territoriale").select(dimensions=["economie"])
    >>> obs = pd.DataFrame({"unit": "a", "wave": 1, "indicator": ["autofinancement", "part_ressources_non_monetaires"],
    ...                     "value": [0.5, 0.2]})
    >>> profiles(ce.score(obs, fw, min_coverage=0), level="criterion", fw=fw).columns.tolist()
    ['unit', 'wave', 'Solidité financière', 'Hybridation des ressources']
    """
    _check_scores(scores)
    if level not in _LEVELS:
        bad_param("level", f"one of {', '.join(_LEVELS)}", level, ScoringError)
    sub = scores[scores["level"] == level]
    wide = sub.pivot_table(index=["unit", "wave"], columns="node", values="score", dropna=False, sort=False)
    if fw is not None:
        order = [n for n in ["overall", *fw.node_ids] if n in wide.columns]
        wide = wide[order]
        wide.columns = [fw.label(n, lang) if n != "overall" else fw.title(lang) for n in order]
    wide.columns.name = None
    return wide.reset_index()


def changes(
    scores: pd.DataFrame,
    *,
    level: str | None = None,
    from_wave: object | None = None,
    to_wave: object | None = None,
) -> pd.DataFrame:
    """Changes of scores between waves.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`coopeval.score` with at least two waves.
    level : str, optional
        Keep one level only.
    from_wave, to_wave : optional
        Compare these two waves only; by default every pair of consecutive waves.

    Returns
    -------
    pandas.DataFrame
        ``unit, level, node, wave_from, wave_to, score_from, score_to, change,
        coverage_changed`` (``change = score_to - score_from``; NaN when either is missing;
        ``coverage_changed`` True when the node's data coverage differs between the two waves,
        so that a change due to different data is not read as a change of the cooperation).
        Waves are in order (``10`` after ``2``, :func:`coopeval.contracts.sort_waves`).

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> from coopeval.scoring import changes
    >>> fw = ce.load_framework("cooperation_territoriale").select(indicators=["part_cdi"])
    >>> obs = pd.DataFrame({"unit": "a", "wave": [1, 2], "indicator": "part_cdi", "value": [0.4, 0.5]})
    >>> changes(ce.score(obs, fw), level="overall")[["wave_from", "wave_to", "change"]].round(1).to_numpy().tolist()
    [[1.0, 2.0, 10.0]]
    >>> obs2 = pd.concat([obs, pd.DataFrame({"unit": "a", "wave": [2], "indicator": "autofinancement", "value": [0.5]})])
    >>> fw2 = ce.load_framework("cooperation_territoriale").select(indicators=["part_cdi", "autofinancement"])
    >>> changes(ce.score(obs2, fw2, min_coverage=0), level="overall")["coverage_changed"].tolist()
    [True]
    """
    _check_scores(scores)
    waves = sort_waves(scores["wave"].unique().tolist())
    if (from_wave is None) != (to_wave is None):
        bad_param("from_wave/to_wave", "both or neither", (from_wave, to_wave), ScoringError)
    if from_wave is not None:
        for name, wv in (("from_wave", from_wave), ("to_wave", to_wave)):
            if wv not in waves:
                bad_param(name, f"one of the waves {waves}", wv, ScoringError)
        pairs = [(from_wave, to_wave)]
    else:
        if len(waves) < 2:
            bad_param("scores", "scores of at least two waves", waves, ScoringError)
        pairs = list(zip(waves[:-1], waves[1:], strict=True))
    sub = scores if level is None else scores[scores["level"] == level]
    key = ["unit", "level", "node"]
    has_cov = "coverage" in sub.columns
    cols = [*key, "score"] + (["coverage"] if has_cov else [])
    out = []
    for a, b in pairs:
        left = sub[sub["wave"] == a][cols].rename(columns={"score": "score_from", "coverage": "cov_from"})
        right = sub[sub["wave"] == b][cols].rename(columns={"score": "score_to", "coverage": "cov_to"})
        m = left.merge(right, on=key, how="outer")
        m.insert(3, "wave_from", a)
        m.insert(4, "wave_to", b)
        m["change"] = m["score_to"] - m["score_from"]
        if has_cov:
            m["coverage_changed"] = ~np.isclose(m.pop("cov_from").astype(float), m.pop("cov_to").astype(float),
                                                equal_nan=True)
        else:
            m["coverage_changed"] = False
        out.append(m)
    res = pd.concat(out, ignore_index=True)
    res["change"] = res["change"].astype(float).where(np.isfinite(res["change"].astype(float)))
    return res
