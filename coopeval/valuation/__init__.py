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

from coopeval.valuation.avoided_costs import avoided_costs
from coopeval.valuation.catalogue import (
    ReferenceValue,
    add_proxy,
    catalogue,
    load_catalogue,
    reference_value,
    reset_user_catalogue,
)
from coopeval.valuation.externalities import internalisation
from coopeval.valuation.in_euros import resources_in_euros
from coopeval.valuation.local_currency import circulation_multiplier, velocity
from coopeval.valuation.resources import ResourcesProfile, resources_profile, typology_position
from coopeval.valuation.sroi import SROIResult, sroi

__all__ = [
    "ReferenceValue",
    "reference_value",
    "catalogue",
    "add_proxy",
    "load_catalogue",
    "reset_user_catalogue",
    "sroi",
    "SROIResult",
    "avoided_costs",
    "resources_profile",
    "resources_in_euros",
    "ResourcesProfile",
    "typology_position",
    "internalisation",
    "circulation_multiplier",
    "velocity",
]
