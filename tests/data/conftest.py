"""Fixtures shared by the tests of ``coopeval.data``."""

from __future__ import annotations

from pathlib import Path

import pytest

REF = Path(__file__).resolve().parents[1] / "reference" / "data"

#: Question codes of the fixture exports -> framework items (see make_limesurvey_fixtures.py).
LS_ITEMS = {
    "G01Q01[SQ001]": "appartenance_membre",
    "G01Q01[SQ002]": "appartenance_fierte",
    "G01Q01[SQ003]": "appartenance_isolement",
    "G01Q02[SQ001]": "relations_rencontres",
    "G01Q02[SQ002]": "relations_entraide",
    "G01Q02[SQ003]": "relations_mixite",
    "G02Q01[SQ001]": "influence_ecoute",
    "G02Q01[SQ002]": "influence_information",
    "G02Q01[SQ003]": "influence_confisquee",
}


@pytest.fixture
def ref_dir() -> Path:
    return REF


@pytest.fixture
def ls_mapping() -> dict:
    return {**LS_ITEMS, "G00Q01": "college"}


@pytest.fixture
def ls_options() -> dict:
    """Keyword arguments common to both fixture exports."""
    colleges = {"A1": "habitants", "A2": "salarie_es", "A3": "benevoles",
                "Habitant·e": "habitants", "Salarié·e": "salarie_es", "Bénévole": "benevoles"}
    return {"unit": "La Butinerie", "wave": 2024, "recode": {"college": colleges}}


@pytest.fixture
def ls_codes() -> dict:
    return {f"AO0{i}": i for i in range(1, 6)}


@pytest.fixture
def secret() -> str:
    return "projet-butinerie-2024-secret-de-test-0001"
