"""The docstring examples of coopeval.weighting run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["direct", "ranking", "ahp", "simos", "swing", "aggregate", "agreement", "delphi", "weightset",
           "judgements", "framework_round"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"coopeval.weighting.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
