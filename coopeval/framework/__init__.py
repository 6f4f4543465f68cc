"""Indicator frameworks: dimensions > criteria > indicators, as validated YAML trees.

>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> sorted(fw.indicators["kind"].unique())
['binary', 'grid', 'likert', 'ordinal', 'quantitative']
"""

from coopeval.framework.registry import list_frameworks, load_framework
from coopeval.framework.tree import INDICATOR_COLUMNS, NODE_COLUMNS, ROOT, Framework

__all__ = ["Framework", "list_frameworks", "load_framework", "INDICATOR_COLUMNS", "NODE_COLUMNS", "ROOT"]
