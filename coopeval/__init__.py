"""coopeval — évaluation de l'utilité sociale des coopérations territoriales.

A toolkit to evaluate the social utility of territorial cooperations (PTCE,
tiers-lieux, SCIC, local currencies, Territoires zéro chômeur…): indicator
frameworks as YAML trees, data collection and validation, deliberative weighting,
scoring with uncertainty, valuation of externalities, research statistics,
figures, reports, a project store and Voilà dashboards.

Example
-------
>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> fw.indicators.shape[0] >= 30
True

Subpackages are imported lazily: ``ce.weighting``, ``ce.data``… are loaded on
first use, so ``import coopeval`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from coopeval._version import __version__
from coopeval.errors import (
    CoopevalError,
    DataError,
    FrameworkError,
    PlotError,
    ReportError,
    ScoringError,
    StatsError,
    StoreError,
    UncertaintyError,
    ValuationError,
    WeightingError,
)
from coopeval.framework import Framework, list_frameworks, load_framework

__all__ = [
    "__version__",
    "CoopevalError",
    "DataError",
    "FrameworkError",
    "PlotError",
    "ReportError",
    "ScoringError",
    "StatsError",
    "StoreError",
    "UncertaintyError",
    "ValuationError",
    "WeightingError",
    "Framework",
    "list_frameworks",
    "load_framework",
]

#: Subpackages loaded on first attribute access.
_SUBMODULES = {
    "errors",
    "framework",
    "data",
    "datasets",
    "weighting",
    "scoring",
    "valuation",
    "stats",
    "plots",
    "report",
    "store",
    "widgets",
    "i18n",
    "cli",
    "resources",
    "evaluation",
    "qualitative",
}

#: Public functions and classes re-exported from subpackages, loaded on first use.
_LAZY_ATTRS = {
    "score": ("coopeval.scoring", "score"),
    "prepare": ("coopeval.scoring", "prepare"),
    "from_coinr": ("coopeval.scoring", "from_coinr"),
    "to_coinr": ("coopeval.scoring", "to_coinr"),
    "profiles": ("coopeval.scoring", "profiles"),
    "changes": ("coopeval.scoring", "changes"),
    "rank_noncompensatory": ("coopeval.scoring", "rank_noncompensatory"),
    "Project": ("coopeval.store", "Project"),
    "WeightSet": ("coopeval.weighting", "WeightSet"),
    "Evaluation": ("coopeval.evaluation", "Evaluation"),
}


class _Package(types.ModuleType):
    """``coopeval.uncertainty`` is the Monte Carlo *function* (a plain function whose signature
    Jupyter shows), although a subpackage of the same name holds its code: importing the
    subpackage does not replace the function on the package."""

    @property
    def uncertainty(self) -> Any:
        from coopeval.uncertainty.engine import uncertainty

        return uncertainty

    @uncertainty.setter
    def uncertainty(self, _module: Any) -> None:  # the import system records the subpackage here
        pass


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"coopeval.{name}")
        globals()[name] = module
        return module
    if name in _LAZY_ATTRS:
        module_name, attr = _LAZY_ATTRS[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'coopeval' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES | set(_LAZY_ATTRS) | {"uncertainty"})
