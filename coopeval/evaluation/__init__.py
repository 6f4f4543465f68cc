"""One evaluation model: the specification, its resolution, and the numbers every door reads.

- :class:`EvaluationSpec` / :class:`WeightSource` (:mod:`coopeval.evaluation.spec`): what decides the numbers, as data;
- :func:`canonical_waves` (:mod:`coopeval.evaluation.inputs`): the inputs in one representation (waves, units, ledger);
- :func:`resolve_weights` (:mod:`coopeval.evaluation.resolve`): which session, round and college voices by default;
- :class:`Evaluation` (:mod:`coopeval.evaluation.model`, :mod:`coopeval.evaluation.queries`): inputs + specification → weights, scores,
  uncertainty, and the restitution's questions.

Example
-------
>>> import coopeval as ce
>>> ev = ce.Evaluation.sample()
>>> ev.provenance()["n_participants"], ev.provenance()["voices"]
(25, 'equal')
"""

from coopeval.evaluation.model import Evaluation, canonical_waves, framework_identity
from coopeval.evaluation.resolve import resolve_weights
from coopeval.evaluation.spec import WEIGHT_KINDS, EvaluationSpec, WeightSource

__all__ = ["Evaluation", "EvaluationSpec", "WeightSource", "WEIGHT_KINDS", "resolve_weights", "canonical_waves",
           "framework_identity"]
