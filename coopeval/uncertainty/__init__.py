"""Uncertainty: vectorised Monte Carlo over weights and method choices, ranks, sensitivity.

``ce.uncertainty`` is the function :func:`coopeval.uncertainty.engine.uncertainty` (its
signature and documentation show in Jupyter); the package's other names are imported from
here (``from coopeval.uncertainty import UncertaintyResult``).

>>> import inspect
>>> import coopeval as ce
>>> from coopeval.uncertainty import UncertaintyResult, uncertainty
>>> ce.uncertainty is uncertainty and "n" in inspect.signature(ce.uncertainty).parameters
True
"""

from __future__ import annotations

from coopeval.uncertainty.engine import uncertainty
from coopeval.uncertainty.result import UncertaintyResult

__all__ = ["UncertaintyResult", "uncertainty"]
