"""Scoring: normalisation, per-node aggregation, missing-data policy, profiles.

>>> import pandas as pd, coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> obs = pd.DataFrame({"unit": ["a", "b"], "wave": 1, "indicator": "part_cdi", "value": [0.2, 0.8]})
>>> sc = ce.score(obs, fw, min_coverage=0)
>>> sorted(sc["level"].unique())
['criterion', 'dimension', 'indicator', 'overall']
"""

from coopeval.scoring.aggregate import AGGREGATIONS
from coopeval.scoring.coinr import from_coinr
from coopeval.scoring.engine import SCORE_COLUMNS, score
from coopeval.scoring.goalposts import BEYOND_COLUMNS, beyond_goalposts
from coopeval.scoring.noncompensatory import rank_noncompensatory
from coopeval.scoring.normalise import NORMALISATIONS, normalise
from coopeval.scoring.profiles import changes, profiles

__all__ = [
    "AGGREGATIONS",
    "BEYOND_COLUMNS",
    "beyond_goalposts",
    "NORMALISATIONS",
    "SCORE_COLUMNS",
    "changes",
    "from_coinr",
    "normalise",
    "profiles",
    "rank_noncompensatory",
    "score",
]
