"""Valuation: reference values, SROI, avoided costs, resources, externalities, local currencies.

Every monetary reference value comes from the YAML catalogues of
``indicators/catalogues/`` (value, unit, date of validity, source); the code of
this subpackage holds no monetary literal.

Example
-------
>>> import coopeval as ce
>>> ce.valuation.reference_value("smic_horaire_brut", date="2024-12-01").value
11.88
"""

from coopeval.valuation.accounts import from_accounts, from_resources
from coopeval.valuation.avoided_costs import avoided_costs
from coopeval.valuation.catalogue import ReferenceValue, add_proxy, reference_value
from coopeval.valuation.catalogue_entries import (
    catalogue,
    load_catalogue,
    reset_user_catalogue,
)
from coopeval.valuation.externalities import internalisation
from coopeval.valuation.finances import SocioEconomicModel, finance_lines, socio_economic_model
from coopeval.valuation.finances_template import finances_template, read_finances
from coopeval.valuation.funder_grid import funder_grids, funder_view, load_grid
from coopeval.valuation.in_euros import resources_in_euros
from coopeval.valuation.ledger import BENEFICIARY_TYPES, ExternalityLedger, externality_ledger
from coopeval.valuation.local_currency import circulation_multiplier, velocity
from coopeval.valuation.price_index import adjust_for_inflation, price_factor, price_index
from coopeval.valuation.resources import ResourcesProfile, resources_profile, typology_position
from coopeval.valuation.sroi import SROIResult, sroi
from coopeval.valuation.stress import scenarios, stress_profile, stress_test
from coopeval.valuation.versioning import catalogue_version

__all__ = [
    "ReferenceValue",
    "reference_value",
    "catalogue",
    "add_proxy",
    "load_catalogue",
    "reset_user_catalogue",
    "catalogue_version",
    "price_index",
    "price_factor",
    "adjust_for_inflation",
    "sroi",
    "SROIResult",
    "avoided_costs",
    "resources_profile",
    "resources_in_euros",
    "ResourcesProfile",
    "typology_position",
    "internalisation",
    "finance_lines",
    "from_accounts",
    "from_resources",
    "socio_economic_model",
    "SocioEconomicModel",
    "stress_test",
    "stress_profile",
    "finances_template",
    "read_finances",
    "externality_ledger",
    "funder_view",
    "funder_grids",
    "load_grid",
    "ExternalityLedger",
    "BENEFICIARY_TYPES",
    "scenarios",
    "circulation_multiplier",
    "velocity",
]
