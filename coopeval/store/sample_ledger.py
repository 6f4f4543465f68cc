"""The sample project's externality ledger (issue 18): who could co-finance what, for three cooperations.

Modelled on the founding report (Le Labo de l'ESS, 2024), which asks to « faire reconnaître et
financer les externalités positives produites sur le territoire par les coopérations
territoriales »: La Butinerie builds conventions with the beneficiaries of its positive
externalities (the town's social services, the ARS for a « parcours alimentation-santé », its
unsold food cooked rather than thrown away — dataset ``la_butinerie``); the report's
Territoires zéro chômeur de longue durée hire people durably deprived of employment, whose
avoided public costs the catalogue prices (TZCLD scientific committee, 2025). The sample gives such a ledger to a tiers-lieu (``u01``), an EBE
(``u10``) and a tiers-lieu with a canteen (``u12``), for every wave of ``panel_synthetique``:

* **quantities** are the panel's own observations of that cooperation and wave (waste diverted,
  emissions avoided, jobs in FTE), so the ledger never contradicts the scores' data; a missing
  observation leaves the item « à quantifier »;
* **proxies** are entries of the reference-value catalogue with their sources (ADEME's cost of
  a tonne of residual household waste, the value for climate action, the TZCLD committee's
  avoided costs per FTE, the Cour des comptes' cost of an emergency visit); where the catalogue
  has no value (food insecurity, social welcome) or no count exists, nothing is invented: the
  item stays unvalued, as the ledger contract allows;
* **convention amounts** are the panel's own resource lines (the subsidy of the town or of the
  State of that wave), or unknown.

Volunteering is not in the ledger: it is already a non-monetary *resource* of the socio-economic
model (valued at the SMIC hour); counting it again as a useful effect would count an input as
an outcome.

>>> from coopeval import datasets
>>> led, conv = sample_ledger(datasets.load("panel_synthetique"))
>>> sorted(led["unit"].unique()), len(led), len(conv)
(['u01', 'u10', 'u12'], 24, 12)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["sample_ledger"]

_WASTE = "déchets détournés de l'enfouissement (réemploi, recyclage)"
_WASTE_NOTE = ("Coût évité par la collectivité si ces tonnes auraient sinon été collectées comme ordures "
               "ménagères résiduelles (contrefactuel à confirmer).")
_CLIMATE = "émissions de gaz à effet de serre évitées"
_WELCOME = "accueil d'habitant·es orienté·es par les services sociaux"
_KITCHEN = "cuisine collective et repas partagés pour des habitant·es orienté·es par les services sociaux"
_NO_REFERENCE = "Aucune valeur de référence publiée dans le catalogue : effet à décrire, non chiffré."
_HEALTH = "parcours alimentation-santé (passages aux urgences évités)"
_JOBS = "emplois pour des personnes privées durablement d'emploi"
_TOWN = "Commune et intercommunalité"
_STATE = "État et Département (fonds d'expérimentation ETCLD)"

#: unit, externality, beneficiary, beneficiary_type, indicator giving the quantity (None: not counted),
#: unit of measure, catalogue proxy (None: no published value), note.
LEDGER = [
    ("u01", _WELCOME, _TOWN, "municipality", None, "personnes", None, _NO_REFERENCE),
    ("u01", _WASTE, _TOWN, "municipality", "dechets_detournes", "t", "cout_aide_omr_ademe_2006", _WASTE_NOTE),
    ("u01", _CLIMATE, "climat", "climate", "emissions_evitees", "tCO2e", "valeur_action_climat_2019", None),
    ("u10", _JOBS, _STATE, "public_body", "emplois_etp", "ETP", "couts_evites_tzcld_comite_2025",
     "Coûts publics évités estimés par le comité scientifique TZCLD (contrefactuel : personnes comparables "
     "hors expérimentation)."),
    ("u10", _WASTE, _TOWN, "municipality", "dechets_detournes", "t", "cout_aide_omr_ademe_2006", _WASTE_NOTE),
    ("u12", _KITCHEN, _TOWN, "municipality", None, "repas", None, _NO_REFERENCE),
    ("u12", _HEALTH, "ARS Île-de-France", "public_body", None, "passages", "cout_passage_urgences_cour_des_comptes_2011",
     "Passages évités à compter avec l'ARS (contrefactuel à établir) avant toute valeur."),
    ("u12", "invendus cuisinés plutôt que jetés (émissions évitées)", "climat", "climate", "emissions_evitees",
     "tCO2e", "valeur_action_climat_2019", None),
]

#: unit, beneficiary, convention, externalities covered (``*``: all of the beneficiary's), resource line
#: giving the amount of the wave (None: amount unknown), period.
CONVENTIONS = [
    ("u01", _TOWN, "convention d'objectifs (subvention de fonctionnement)", _WELCOME,
     "subvention commune ou intercommunalité", "annuelle"),
    ("u10", _STATE, "habilitation TZCLD (contribution au développement de l'emploi)", _JOBS, "subvention État",
     "annuelle"),
    ("u12", _TOWN, "convention triennale", "*", "subvention commune ou intercommunalité", "triennale"),
    ("u12", "ARS Île-de-France", "premier conventionnement (parcours alimentation-santé)", _HEALTH, None, None),
]


def sample_ledger(panel: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ledger and conventions of the sample (contract of :meth:`coopeval.Project.import_ledger`)
    for every wave of ``panel`` (``observations`` and ``resources`` of ``panel_synthetique``)."""
    obs = panel["observations"]
    value = obs.assign(wave=obs["wave"].astype(str)).set_index(["unit", "wave", "indicator"])["value"]
    res = panel.get("resources")
    amount = (res.assign(wave=res["wave"].astype(str)).groupby(["unit", "wave", "source"])["amount"].sum()
              if res is not None else pd.Series(dtype=float))
    units = set(obs["unit"].astype(str))
    waves = sorted(obs["wave"].astype(str).unique(), key=lambda w: (len(w), w))
    ledger = [{"unit": u, "wave": w, "externality": e, "beneficiary": b, "beneficiary_type": bt,
               "quantity": float(value.get((u, w, ind), np.nan)) if ind else np.nan, "unit_of_measure": uom,
               "proxy": proxy, "note": note}
              for w in waves for u, e, b, bt, ind, uom, proxy, note in LEDGER if u in units]
    conventions = [{"unit": u, "wave": w, "beneficiary": b, "convention": c, "covers": covers,
                    "amount": float(amount.get((u, w, line), np.nan)) if line else np.nan, "period": period}
                   for w in waves for u, b, c, covers, line, period in CONVENTIONS if u in units]
    return pd.DataFrame(ledger), pd.DataFrame(conventions)
