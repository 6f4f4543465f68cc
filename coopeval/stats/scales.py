"""Survey items mapped to indicator scales: reverse coding and scale scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.contracts import RESPONSE_COLUMNS
from coopeval.data.scales import item_means, reverse_code
from coopeval.errors import StatsError, bad_param
from coopeval.framework import Framework
from coopeval.stats._checks import (
    check_choice,
    drop_missing,
    numeric_column,
    require_frame,
    warn,
)

__all__ = ["code_items", "scale_scores"]




def code_items(responses: pd.DataFrame, fw: object, *, reverse: bool = True) -> pd.DataFrame:
    """Attach each response to its indicator scale and reverse-code reversed items.

    Parameters
    ----------
    responses : DataFrame
        Responses in long form; needs ``respondent, item, value`` (``unit, wave, college``
        are kept when present).
    fw : Framework
        Gives ``fw.items`` (``indicator, item, reverse``) and ``fw.indicators``
        (``indicator, lower, upper``).
    reverse : bool, default True
        Reverse-code items flagged ``reverse`` in the framework.

    Returns
    -------
    DataFrame
        The responses with missing values dropped, items unknown to the framework dropped
        (with a :class:`StatsWarning`), and an ``indicator`` column; ``value`` is reverse-coded
        where needed.

    Notes
    -----
    A reversed item scored :math:`x` on an indicator with bounds :math:`[l, u]` becomes
    :math:`l + u - x` (e.g. 2 on a 1–5 scale becomes 4).

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> r = pd.DataFrame({"respondent": ["r1", "r1"], "item": ["appartenance_membre",
    ...                   "appartenance_isolement"], "value": [4, 2]})
    >>> code_items(r, fw)["value"].tolist()
    [4.0, 4.0]
    """
    require_frame(responses, "responses", ["respondent", "item", "value"])
    if not hasattr(fw, "items") or not hasattr(fw, "indicators"):
        bad_param("fw", "a coopeval Framework", type(fw).__name__, StatsError)
    data = responses.copy()
    data["value"] = numeric_column(data, "value", "responses")
    data = drop_missing(data, "value", "responses")
    items = fw.items[["indicator", "item", "reverse"]]
    known = data["item"].isin(items["item"])
    if not known.any():
        raise StatsError(
            "parameter `responses`: expected items of the framework in column `item`, found "
            f"none of them (e.g. {list(data['item'].drop_duplicates()[:5])})"
        )
    if not known.all():
        unknown = sorted(map(str, data.loc[~known, "item"].unique()))
        warn(f"{len(unknown)} item(s) not in framework {getattr(fw, 'id', '')!r} ignored: {unknown[:10]}")
    data = data[known].merge(items, on="item", how="left")
    if reverse and data["reverse"].any():
        bounds = fw.indicators.set_index("indicator")[["lower", "upper"]]
        b = bounds.reindex(data["indicator"]).to_numpy()
        rev = data["reverse"].to_numpy(bool)
        data.loc[rev, "value"] = reverse_code(data.loc[rev, "value"].to_numpy(), b[rev, 0], b[rev, 1])
    return data.drop(columns="reverse")


def scale_scores(
    responses: pd.DataFrame,
    fw: Framework,
    *,
    level: str = "respondent",
    min_items: float = 0.5,
) -> pd.DataFrame:
    """Indicator scale scores from survey items (mean of the reverse-coded items).

    Parameters
    ----------
    responses : DataFrame
        Responses ``respondent, unit, wave, college, item, value``.
    fw : Framework
        Framework giving the items of each indicator scale.
    level : {"respondent", "unit"}, default "respondent"
        ``"respondent"``: one score per respondent, unit, wave and indicator;
        ``"unit"``: the mean of those respondent scores per unit, wave and indicator.
    min_items : float, default 0.5
        Minimum share of a scale's items a respondent must have answered for a score
        (the rule of :func:`coopeval.data.scales.item_means`).

    Returns
    -------
    DataFrame
        ``level="respondent"``: ``respondent, unit, wave, college, indicator, value, n_items``;
        ``level="unit"``: ``unit, wave, indicator, value, n`` (``n`` respondents) —
        the Observations contract, plus ``n``.

    Notes
    -----
    Score of respondent :math:`r` on scale :math:`s`:
    :math:`\\bar x_{rs} = \\frac{1}{|I_{rs}|}\\sum_{i\\in I_{rs}} x_{ri}` over the answered
    items :math:`I_{rs}` (reversed items coded :math:`l + u - x`), given when
    :math:`|I_{rs}| \\ge` ``min_items`` :math:`\\cdot k_s` for a scale of :math:`k_s` items.
    Reverse coding and this minimum-answered rule are those of :mod:`coopeval.data.scales`
    (:func:`~coopeval.data.scales.reverse_code`, :func:`~coopeval.data.scales.item_means`),
    so that ``scale_scores`` and :func:`coopeval.data.score_scales` agree; unlike the latter,
    missing values and unknown items (with a warning) are dropped rather than raised on.
    Repeated answers of a respondent to one item count once (their mean).

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> r = pd.DataFrame({"respondent": "r1", "unit": "u1", "wave": 1, "college": "habitants",
    ...     "item": ["appartenance_membre", "appartenance_fierte", "appartenance_isolement"],
    ...     "value": [4, 5, 2]})
    >>> scale_scores(r, fw)[["indicator", "value"]].to_dict("records")
    [{'indicator': 'sentiment_appartenance', 'value': 4.333333333333333}]
    """
    check_choice(level, "level", ["respondent", "unit"])
    require_frame(responses, "responses", RESPONSE_COLUMNS)
    data = code_items(responses, fw)
    keys = ["respondent", "unit", "wave", "college", "indicator"]
    per_item = data.groupby([*keys, "item"], dropna=False, sort=True)["value"].mean()
    frames = []
    for indicator, sub in per_item.groupby(level="indicator", sort=True):
        wide = sub.unstack("item").reindex(columns=fw.items.loc[fw.items["indicator"] == indicator, "item"])
        value, n_items = item_means(wide.to_numpy(float), min_items)
        frame = wide.index.to_frame(index=False).assign(value=value, n_items=n_items)
        frames.append(frame[~np.isnan(value)])
    out = pd.concat(frames, ignore_index=True).sort_values(keys, kind="stable").reset_index(drop=True)
    if level == "respondent":
        return out
    unit = out.groupby(["unit", "wave", "indicator"], sort=True).agg(value=("value", "mean"), n=("value", "size"))
    return unit.reset_index()
