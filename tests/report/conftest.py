"""Inputs of the restitution report built from the bundled ``panel_synthetique`` dataset.

The report reads one :class:`coopeval.Evaluation` (observations, survey scales, the bundled
``deliberation_exemple`` session — 25 participants, 5 colleges of 5 — and resources); the
expected numbers below are read from the same evaluation, through its own methods.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

matplotlib.use("Agg")

UNIT, WAVE = "u01", 3


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def panel_inputs(fw):
    import coopeval as ce

    panel = ce.datasets.load("panel_synthetique")
    res = panel["resources"]
    valued = ce.report.resources_in_euros(res[res["unit"] == UNIT], date="2024-06-01")
    outcomes = pd.DataFrame({"outcome": ["retour à l'emploi", "heures de bénévolat"], "quantity": [6, 2574],
                             "proxy": ["cout_privation_emploi_atd_2015", "heure_benevole_smic_brut"],
                             "deadweight": [0.3, 0.1], "deadweight_low": [0.2, 0.0], "deadweight_high": [0.5, 0.2],
                             "attribution": [0.2, 0.0], "duration": [2, 1]})
    evaluation = ce.Evaluation(fw, panel["observations"], panel["responses"], ce.datasets.load("deliberation_exemple"),
                               panel["resources"], panel["units"], n=200,
                               uncertainty={"normalisations": ["goalposts", "minmax"]})
    return {
        "fw": fw,
        "evaluation": evaluation,
        "panel": panel,
        # the numbers of the report are the evaluation's: scores with survey scales and deliberated weights
        "scores": evaluation.scores(),
        "weights": evaluation.weightset(),
        "agreement": ce.weighting.agreement_table(evaluation.weightset()),
        "uncertainty": evaluation.uncertainty(),
        "resources": valued,
        "sroi": ce.valuation.sroi(outcomes, inputs=150000.0, date="2024-06-01"),
        "names": dict(zip(panel["units"]["unit"], panel["units"]["name"], strict=True)),
    }


def _full_report(inputs, lang: str = "fr", path=None) -> str:
    import coopeval as ce

    return ce.report.restitution(
        inputs["evaluation"], UNIT, WAVE, sroi=inputs["sroi"],
        typology=pd.DataFrame({"unit": [UNIT], "systemic": [0.7], "modelled": [True]}),
        sources=["panel_synthetique (données synthétiques, coopeval)"], lang=lang, path=path)


@pytest.fixture(scope="session")
def make_report(panel_inputs):
    """``make_report(lang="fr", path=None)``: the full report of u01, wave 3, with every section."""
    return lambda lang="fr", path=None: _full_report(panel_inputs, lang, path)


@pytest.fixture(scope="session")
def report_fr(make_report):
    return make_report()
