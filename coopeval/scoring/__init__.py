"""Scoring: data preparation (denominate, impute, screen, treat), relative goalposts, normalisation, per-node aggregation,
missing-data policy, profiles, effective importance, COINr import and export.

>>> import pandas as pd, coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> obs = pd.DataFrame({"unit": ["a", "b"], "wave": 1, "indicator": "part_cdi", "value": [0.2, 0.8]})
>>> sc = ce.score(obs, fw, min_coverage=0)
>>> sorted(sc["level"].unique())
['criterion', 'dimension', 'indicator', 'overall']
"""

from coopeval.scoring.aggregate import AGGREGATIONS
from coopeval.scoring.coinr import coinr_denominators, coinr_units, from_coinr, to_coinr
from coopeval.scoring.denominate import denominate
from coopeval.scoring.engine import SCORE_COLUMNS, score
from coopeval.scoring.goalposts import BEYOND_COLUMNS, beyond_goalposts
from coopeval.scoring.impute import imputation_draws, impute
from coopeval.scoring.influence import correlation_ratio, importance, optimise_weights
from coopeval.scoring.matrix import DataMatrix, prepare
from coopeval.scoring.noncompensatory import rank_noncompensatory
from coopeval.scoring.normalise import NORMALISATIONS, ScoringWarning, normalise
from coopeval.scoring.profiles import changes, profiles
from coopeval.scoring.relative import Relativisation, relativise
from coopeval.scoring.screen import screen
from coopeval.scoring.treat import treat

__all__ = [
    "AGGREGATIONS",
    "BEYOND_COLUMNS",
    "beyond_goalposts",
    "NORMALISATIONS",
    "SCORE_COLUMNS",
    "ScoringWarning",
    "changes",
    "coinr_denominators",
    "DataMatrix",
    "coinr_units",
    "correlation_ratio",
    "denominate",
    "from_coinr",
    "imputation_draws",
    "importance",
    "impute",
    "normalise",
    "optimise_weights",
    "prepare",
    "profiles",
    "rank_noncompensatory",
    "Relativisation",
    "relativise",
    "score",
    "screen",
    "to_coinr",
    "treat",
]
