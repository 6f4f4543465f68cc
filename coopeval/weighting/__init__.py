"""Deliberative weighting: elicitation methods, aggregation by college, agreement, Delphi.

Elicitation methods (one module each), usable at any node of the framework tree:
:func:`direct`, :func:`points`, :func:`rank_weights`, :func:`ahp`, :func:`simos`,
:func:`swing`. Judgements of a session (long table ``session, round, participant,
college, method, node, value``, see :mod:`coopeval.weighting.judgements`) are turned
into a :class:`WeightSet` by :func:`aggregate`; agreement (:func:`kendall_w`,
:func:`icc`, :func:`krippendorff_alpha`, :func:`agreement_table`) and Delphi rounds
(:func:`consensus`, :func:`stability`, :func:`feedback`, :class:`StoppingRule`) help
the collective discuss its disagreements.
"""

from coopeval.weighting.aggregate import aggregate, validate_college_shares
from coopeval.weighting.agreement import (
    agreement_table,
    college_disagreement,
    contested_nodes,
    group_agreement,
    icc,
    kendall_w,
    krippendorff_alpha,
)
from coopeval.weighting.ahp import RANDOM_INDEX_SAATY_1980, AHPResult, aggregate_matrices, ahp
from coopeval.weighting.delphi import StoppingRule, consensus, delphi_status, feedback, stability
from coopeval.weighting.direct import direct, points
from coopeval.weighting.judgements import (
    JUDGEMENT_COLUMNS,
    METHODS,
    participant_weights,
    validate_judgements,
)
from coopeval.weighting.method_effect import college_method_overlap, method_effects
from coopeval.weighting.ranking import rank_weights
from coopeval.weighting.simos import simos
from coopeval.weighting.swing import swing, swing_table
from coopeval.weighting.weightset import WeightSet

__all__ = [
    "AHPResult",
    "JUDGEMENT_COLUMNS",
    "METHODS",
    "RANDOM_INDEX_SAATY_1980",
    "StoppingRule",
    "WeightSet",
    "aggregate",
    "aggregate_matrices",
    "agreement_table",
    "ahp",
    "college_disagreement",
    "college_method_overlap",
    "consensus",
    "contested_nodes",
    "delphi_status",
    "direct",
    "feedback",
    "group_agreement",
    "icc",
    "kendall_w",
    "krippendorff_alpha",
    "method_effects",
    "participant_weights",
    "points",
    "rank_weights",
    "simos",
    "stability",
    "swing",
    "swing_table",
    "validate_college_shares",
    "validate_judgements",
]
