"""Uncertainty: vectorised Monte Carlo over weights and method choices, ranks, sensitivity.

``coopeval.uncertainty`` is both a package and callable: ``ce.uncertainty(obs, fw, ...)``
runs :func:`coopeval.uncertainty.engine.uncertainty`.

>>> import coopeval as ce
>>> from coopeval.uncertainty import UncertaintyResult, uncertainty
>>> callable(ce.uncertainty) and ce.uncertainty.uncertainty is uncertainty
True
"""

from __future__ import annotations

import sys
import types
from typing import Any

from coopeval.uncertainty.engine import uncertainty
from coopeval.uncertainty.result import UncertaintyResult

__all__ = ["UncertaintyResult", "uncertainty"]


class _CallableModule(types.ModuleType):
    """The package, callable as :func:`uncertainty`."""

    def __call__(self, *args: Any, **kwargs: Any) -> UncertaintyResult:
        return uncertainty(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
