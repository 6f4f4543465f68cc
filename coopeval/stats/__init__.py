"""Research statistics on tidy coopeval data, wrapping pingouin and statsmodels.

Every function takes tidy data (Responses, Observations or Scores) and returns a tidy
DataFrame with documented snake_case columns (``estimate, ci_low, ci_high, p_value, n`` …).
Statistics that cannot be computed on degenerate input are NaN with a :class:`StatsWarning`,
or raise :class:`coopeval.errors.StatsError`.

- reliability of survey scales: :func:`scale_reliability` (alpha, omega, item statistics);
- agreement between raters: :func:`rater_agreement` (ICC, Krippendorff's alpha);
- change across waves: :func:`wave_change` (paired tests), :func:`wave_mixed_model`;
- differences between colleges: :func:`college_differences`, :func:`college_posthoc`,
  :func:`college_summary` (small-group rule, ``min_group=5``);
- structure of a framework: :func:`framework_structure` (:func:`indicator_correlations`,
  :func:`dimension_pca`);
- helpers: :func:`scale_scores`, :func:`code_items`.

>>> import coopeval as ce
>>> sorted(n for n in ce.stats.__all__ if not n[0].isupper())[:3]
['code_items', 'college_differences', 'college_posthoc']
"""

from coopeval.stats._checks import StatsWarning
from coopeval.stats.agreement import rater_agreement
from coopeval.stats.change import wave_change, wave_mixed_model
from coopeval.stats.colleges import MIN_GROUP, college_differences, college_posthoc, college_summary
from coopeval.stats.reliability import omega_one_factor, scale_reliability
from coopeval.stats.scales import code_items, scale_scores
from coopeval.stats.structure import (
    FrameworkStructure,
    dimension_pca,
    framework_structure,
    indicator_correlations,
)

__all__ = [
    "StatsWarning",
    "MIN_GROUP",
    "FrameworkStructure",
    "code_items",
    "scale_scores",
    "scale_reliability",
    "omega_one_factor",
    "rater_agreement",
    "wave_change",
    "wave_mixed_model",
    "college_differences",
    "college_posthoc",
    "college_summary",
    "indicator_correlations",
    "dimension_pca",
    "framework_structure",
]
