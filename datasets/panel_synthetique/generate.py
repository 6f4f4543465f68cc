"""Seeded generator of the ``panel_synthetique`` dataset (synthetic, documented effects).

Run ``python datasets/panel_synthetique/generate.py [OUTDIR]`` (default: this folder).
The script only needs numpy and pandas; it does not import coopeval so that the data
depend on nothing but this file. The indicator and item lists below copy the default
framework ``cooperation_territoriale`` (ids, bounds, kinds, reverse-coded items); the
test suite checks that they still agree with it.

Everything is drawn from ``numpy.random.default_rng(2024)`` in a fixed order, and the
CSV writer formats numbers explicitly, so two runs give byte-identical files.

Built-in effects (true values, see README.md):

1. wave effect: the survey scale of the governance dimension (``influence_percue``)
   rises by ``GOV_WAVE_SLOPE`` = 0.3 point per wave in every unit;
2. college effect: on ``reconnaissance_territoire`` the ``habitants`` college sits
   ``COLLEGE_GAP`` = 0.5 point below ``salarie_es``;
3. one latent factor per respondent and scale (item loading 1, item noise
   ``ITEM_SD``) so that Cronbach's alpha of each 3-item scale is about 0.7-0.85;
4. ``heures_benevolat`` = ``HOURS_PER_PARTICIPANT`` x ``participants_actifs`` (5 % noise):
   a redundant pair, correlation > 0.9 across units;
5. unit ``STRONG_UNIT`` improves strongly: its latent maturity rises by
   ``STRONG_DRIFT`` SD per wave (others ``DRIFT``), and its survey scales by
   ``STRONG_SURVEY_SLOPE`` point per wave.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2024
WAVES = (1, 2, 3)
DRIFT = 0.15
STRONG_UNIT = "u07"
STRONG_DRIFT = 0.8
STRONG_SURVEY_SLOPE = 0.5
GOV_WAVE_SLOPE = 0.3
COLLEGE_GAP = 0.5
HOURS_PER_PARTICIPANT = 12.0
ITEM_SD = 0.6
TRAIT_SD = 0.65
MISSING_OBS = 0.03
MISSING_ITEM = 0.04
RESPONDENTS_PER_UNIT_WAVE = 15.0

UNITS = [
    ("u01", "La Ruche des Coteaux", "tiers-lieu", "Lot-et-Garonne"),
    ("u02", "PTCE Vallée de l'Ondaine", "PTCE", "Loire"),
    ("u03", "SCIC Énergies citoyennes du Bocage", "SCIC", "Mayenne"),
    ("u04", "La Pive des Collines", "monnaie locale", "Drôme"),
    ("u05", "EBE Les Mains agiles", "TZCLD", "Nièvre"),
    ("u06", "Le Grenier coopératif", "supermarché coopératif", "Bouches-du-Rhône"),
    ("u07", "Tiers-lieu La Fabrique du Port", "tiers-lieu", "Charente-Maritime"),
    ("u08", "PTCE Terres nourricières", "PTCE", "Val-d'Oise"),
    ("u09", "SCIC Recyclerie du Lac", "SCIC", "Jura"),
    ("u10", "EBE Ensemble au travail", "TZCLD", "Meurthe-et-Moselle"),
    ("u11", "Le Sou des Gaves", "monnaie locale", "Pyrénées-Atlantiques"),
    ("u12", "La Cantine des Quatre Chemins", "tiers-lieu", "Seine-Saint-Denis"),
]

# indicator: (kind, lower, upper, direction, generator, centre, spread, decimals)
#   generator "lognorm": value = centre * exp(spread * latent + noise)
#   generator "logit":   fraction of [lower, upper] = sigmoid(logit(centre) + spread * latent)
#   generator "binary":  1 if logit(centre) + latent + noise > 0
#   generator "target":  0.5 + deviation shrinking with maturity
#   generator "normal":  centre + spread * latent
#   generator "derived": computed from the resources table or another indicator
INDICATORS = {
    "participants_actifs": ("quantitative", 0, 2000, "increase", "lognorm", 150, 0.6, 0),
    "heures_formation": ("quantitative", 0, 5000, "increase", "lognorm", 300, 0.7, 0),
    "beneficiaires_precaires": ("quantitative", 0, 1, "increase", "logit", 0.35, 0.6, 2),
    "accessibilite_tarifaire": ("binary", 0, 1, "increase", "binary", 0.6, 1.0, 0),
    "emplois_etp": ("quantitative", 0, 300, "increase", "lognorm", 8, 0.8, 1),
    "personnes_eloignees_emploi": ("quantitative", 0, 200, "increase", "lognorm", 4, 0.9, 0),
    "part_cdi": ("quantitative", 0, 1, "increase", "logit", 0.6, 0.6, 2),
    "ecart_salaires": ("quantitative", 1, 10, "decrease", "logit", 0.12, 0.5, 1),
    "emissions_evitees": ("quantitative", 0, 5000, "increase", "lognorm", 40, 0.9, 1),
    "dechets_detournes": ("quantitative", 0, 2000, "increase", "lognorm", 20, 0.9, 1),
    "approvisionnement_local": ("quantitative", 0, 1, "increase", "logit", 0.45, 0.7, 2),
    "niveau_demarche_environnementale": ("ordinal", 0, 4, "increase", "logit", 0.45, 1.0, 0),
    "partenaires_actifs": ("quantitative", 0, 150, "increase", "lognorm", 20, 0.6, 0),
    "diversite_partenaires": ("ordinal", 0, 6, "increase", "logit", 0.5, 0.9, 0),
    "projets_communs": ("quantitative", 0, 30, "increase", "lognorm", 3, 0.7, 0),
    "achats_territoire": ("quantitative", 0, 1, "increase", "logit", 0.4, 0.6, 2),
    "lieux_partages": ("quantitative", 0, 20000, "increase", "lognorm", 400, 0.8, 0),
    "taux_participation_ag": ("quantitative", 0, 1, "increase", "logit", 0.35, 0.6, 2),
    "colleges_representes": ("ordinal", 0, 7, "increase", "logit", 0.5, 0.8, 0),
    "parite_instances": ("quantitative", 0, 1, "target", "target", 0.5, 0.15, 2),
    "comptes_publies": ("binary", 0, 1, "increase", "binary", 0.7, 1.0, 0),
    "dispositif_evaluation": ("binary", 0, 1, "increase", "binary", 0.4, 1.0, 0),
    "autofinancement": ("quantitative", 0, 1, "increase", "derived", 0, 0, 2),
    "mois_tresorerie": ("quantitative", 0, 12, "increase", "lognorm", 3, 0.5, 1),
    "resultat_net": ("quantitative", -0.3, 0.3, "increase", "normal", 0.01, 0.03, 3),
    "dependance_principal_financeur": ("quantitative", 0, 1, "decrease", "derived", 0, 0, 2),
    "part_ressources_non_monetaires": ("quantitative", 0, 1, "increase", "logit", 0.15, 0.5, 2),
    "heures_benevolat": ("quantitative", 0, 50000, "increase", "derived", 0, 0, 0),
    "couts_publics_evites": ("quantitative", 0, 5_000_000, "increase", "lognorm", 150_000, 0.9, -2),
    "externalites_conventionnees": ("quantitative", 0, 1, "increase", "logit", 0.1, 0.6, 2),
}

# survey scales: indicator -> (dimension, [(item, reverse)], centre on the 1-5 scale)
SCALES = {
    "sentiment_appartenance": ("social", [("appartenance_membre", False), ("appartenance_fierte", False), ("appartenance_isolement", True)], 3.4),
    "nouvelles_relations": ("social", [("relations_rencontres", False), ("relations_entraide", False), ("relations_mixite", False)], 3.5),
    "pouvoir_agir": ("social", [("agir_competences", False), ("agir_confiance", False), ("agir_initiative", False)], 3.2),
    "qualite_vie_travail": ("emploi", [("qvt_sens", False), ("qvt_charge", True), ("qvt_reconnaissance", False)], 3.4),
    "changement_pratiques": ("ecologie", [("pratiques_consommation", False), ("pratiques_mobilite", False), ("pratiques_reemploi", False)], 3.1),
    "reconnaissance_territoire": ("territoire", [("reconnaissance_utile", False), ("reconnaissance_connu", False)], 3.3),
    "influence_percue": ("gouvernance", [("influence_ecoute", False), ("influence_information", False), ("influence_confisquee", True)], 2.8),
    "bien_etre_habitants": ("externalites", [("bienetre_quartier", False), ("bienetre_sante", False)], 3.3),
}

# which scales each college answers (questionnaire routing)
ROUTING = {
    "habitants": ["sentiment_appartenance", "nouvelles_relations", "pouvoir_agir", "changement_pratiques", "reconnaissance_territoire", "influence_percue", "bien_etre_habitants"],
    "salarie_es": ["sentiment_appartenance", "nouvelles_relations", "pouvoir_agir", "qualite_vie_travail", "changement_pratiques", "reconnaissance_territoire", "influence_percue"],
    "benevoles": ["sentiment_appartenance", "nouvelles_relations", "pouvoir_agir", "qualite_vie_travail", "changement_pratiques", "reconnaissance_territoire", "influence_percue"],
    "collectivites": ["nouvelles_relations", "reconnaissance_territoire", "influence_percue"],
    "financeurs": ["nouvelles_relations", "reconnaissance_territoire", "influence_percue"],
    "entreprises": ["nouvelles_relations", "reconnaissance_territoire", "influence_percue"],
}
COLLEGE_SHARES = {"habitants": 0.42, "salarie_es": 0.14, "benevoles": 0.22, "collectivites": 0.07, "financeurs": 0.06, "entreprises": 0.09}
# college offsets on reconnaissance_territoire (habitants - salarie_es = -COLLEGE_GAP)
RECO_OFFSET = {"habitants": -COLLEGE_GAP / 2, "salarie_es": COLLEGE_GAP / 2}

# monetary resources: source -> category; non-monetary: (source, unit of measure)
MONETARY_PUBLIC = ["subvention État", "subvention Région", "subvention commune ou intercommunalité"]
MONETARY_PRIVATE = ["fondations et mécénat", "cotisations et dons"]
TYPE_AUTOFIN = {"tiers-lieu": 0.45, "PTCE": 0.3, "SCIC": 0.6, "monnaie locale": 0.25, "TZCLD": 0.35, "supermarché coopératif": 0.9}
TYPE_BUDGET = {"tiers-lieu": 250_000, "PTCE": 180_000, "SCIC": 400_000, "monnaie locale": 60_000, "TZCLD": 900_000, "supermarché coopératif": 1_200_000}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p):
    return np.log(p / (1.0 - p))


def _fmt(v) -> str:
    """Deterministic text of a number: empty when missing, no trailing ``.0``."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    v = float(v)
    if v == int(v):
        return str(int(v))
    return f"{v:.10g}"


def _units(rng):
    units = pd.DataFrame(UNITS, columns=["unit", "name", "type", "territory"])
    maturity = rng.normal(0.0, 1.0, len(units))
    return units, dict(zip(units["unit"], maturity, strict=True))


def _latent(unit: str, wave: int, maturity: dict) -> float:
    drift = STRONG_DRIFT if unit == STRONG_UNIT else DRIFT
    return maturity[unit] + drift * (wave - 1)


def _resources(rng, units, maturity, hours):
    rows = []
    shares = {}
    for _, u in units.iterrows():
        budget0 = TYPE_BUDGET[u["type"]] * np.exp(rng.normal(0, 0.3))
        persist = rng.normal(0, 0.4)
        for w in WAVES:
            m = _latent(u["unit"], w, maturity)
            budget = budget0 * (1.0 + 0.05 * (w - 1)) * np.exp(0.1 * m + rng.normal(0, 0.05))
            auto = _sigmoid(_logit(TYPE_AUTOFIN[u["type"]]) + 0.4 * (m + persist) + rng.normal(0, 0.1))
            sales = round(budget * auto, -2)
            weights = rng.dirichlet([3.0, 2.0, 2.5, 1.0, 1.0])
            others = [round(budget * (1 - auto) * x, -2) for x in weights]
            monetary = [("ventes de biens et services", "marchand", sales)]
            monetary += [(s, "non_marchand", a) for s, a in zip(MONETARY_PUBLIC + MONETARY_PRIVATE, others, strict=True)]
            for source, cat, amount in monetary:
                rows.append((u["unit"], w, source, cat, amount, "euros"))
            total = sum(a for _, _, a in monetary)
            shares[(u["unit"], w)] = (sales / total, max(others) / total)
            rows.append((u["unit"], w, "bénévolat", "non_monetaire", hours[(u["unit"], w)], "h"))
            premises = round(budget * rng.uniform(0.02, 0.15), -2)
            rows.append((u["unit"], w, "mise à disposition de locaux", "non_monetaire", premises, "euros"))
            if rng.uniform() < 0.6:
                rows.append((u["unit"], w, "dons en nature", "non_monetaire", round(budget * rng.uniform(0.005, 0.04), -2), "euros"))
    cols = ["unit", "wave", "source", "category", "amount", "unit_of_measure"]
    return pd.DataFrame(rows, columns=cols), shares


def _observations(rng, units, maturity):
    unit_ids = list(units["unit"])
    idio = {(u, i): rng.normal(0, 0.5) for u in unit_ids for i in INDICATORS}
    values = {}
    for u in unit_ids:
        utype = units.loc[units["unit"] == u, "type"].iloc[0]
        for w in WAVES:
            m = _latent(u, w, maturity)
            for ind, (kind, lo, hi, direction, gen, centre, spread, dec) in INDICATORS.items():
                sign = -1.0 if direction == "decrease" else 1.0
                lat = sign * m + idio[(u, ind)]
                noise = rng.normal(0, 0.1)
                if gen == "lognorm":
                    c = centre * (10 if utype == "TZCLD" and ind in ("personnes_eloignees_emploi", "couts_publics_evites") else 1)
                    v = c * np.exp(spread * lat + noise)
                elif gen == "logit":
                    v = lo + (hi - lo) * _sigmoid(_logit(centre) + spread * lat + noise)
                elif gen == "binary":
                    v = float(_logit(centre) + lat + 0.6 * (w - 1) * (ind == "dispositif_evaluation") + noise > 0)
                elif gen == "target":
                    v = 0.5 + rng.normal(0, spread) / (1.0 + 0.5 * max(m, 0.0))
                elif gen == "normal":
                    v = centre + spread * lat + noise * 0.2
                else:
                    v = np.nan
                if kind == "ordinal":
                    v = np.rint(v)
                v = float(np.clip(v, lo, hi)) if not np.isnan(v) else v
                values[(u, w, ind)] = v if np.isnan(v) else float(np.round(v, dec))
            part = values[(u, w, "participants_actifs")]
            hrs = np.round(HOURS_PER_PARTICIPANT * part * np.exp(rng.normal(0, 0.05)))
            values[(u, w, "heures_benevolat")] = float(min(hrs, INDICATORS["heures_benevolat"][2]))
    hours = {(u, w): values[(u, w, "heures_benevolat")] for u in unit_ids for w in WAVES}
    resources, shares = _resources(rng, units, maturity, hours)
    for (u, w), (auto, dep) in shares.items():
        values[(u, w, "autofinancement")] = float(np.round(auto, 2))
        values[(u, w, "dependance_principal_financeur")] = float(np.round(dep, 2))
    rows = [(u, w, i, values[(u, w, i)]) for u in unit_ids for w in WAVES for i in INDICATORS]
    obs = pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"])
    missing = rng.uniform(size=len(obs)) < MISSING_OBS
    obs.loc[missing, "value"] = np.nan
    return obs, resources


def _responses(rng, units, maturity):
    colleges = list(COLLEGE_SHARES)
    probs = np.array([COLLEGE_SHARES[c] for c in colleges])
    probs = probs / probs.sum()
    unit_eff = {u: rng.normal(0, 0.25) for u in units["unit"]}
    size = {u: RESPONDENTS_PER_UNIT_WAVE * np.exp(rng.normal(0, 0.35)) for u in units["unit"]}
    rows = []
    rid = 0
    for u in units["unit"]:
        for w in WAVES:
            n = rng.poisson(size[u])
            draws = rng.choice(len(colleges), size=n, p=probs)
            for k in draws:
                college = colleges[k]
                rid += 1
                respondent = f"r{rid:04d}"
                general = rng.normal(0, 0.3)
                for scale in ROUTING[college]:
                    _dim, items, centre = SCALES[scale]
                    mu = centre + unit_eff[u] + 0.15 * maturity[u]
                    if scale == "influence_percue":
                        mu += GOV_WAVE_SLOPE * (w - 1)
                    if u == STRONG_UNIT:
                        mu += STRONG_SURVEY_SLOPE * (w - 1)
                    if scale == "reconnaissance_territoire":
                        mu += RECO_OFFSET.get(college, 0.0)
                    trait = mu + general + rng.normal(0, TRAIT_SD)
                    for item, reverse in items:
                        x = int(np.clip(np.rint(trait + rng.normal(0, ITEM_SD)), 1, 5))
                        value = float(6 - x if reverse else x)
                        if rng.uniform() < MISSING_ITEM:
                            value = np.nan
                        rows.append((respondent, u, w, college, item, value))
    cols = ["respondent", "unit", "wave", "college", "item", "value"]
    return pd.DataFrame(rows, columns=cols)


def generate(outdir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Draw the four tables and write them as CSV into ``outdir`` (default: here)."""
    outdir = Path(outdir) if outdir is not None else Path(__file__).resolve().parent
    outdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    units, maturity = _units(rng)
    observations, resources = _observations(rng, units, maturity)
    responses = _responses(rng, units, maturity)
    tables = {"units": units, "observations": observations, "responses": responses, "resources": resources}
    for name, df in tables.items():
        out = df.copy()
        for col in ("value", "amount"):
            if col in out:
                out[col] = out[col].map(_fmt)
        out.to_csv(outdir / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    return tables


if __name__ == "__main__":
    generate(sys.argv[1] if len(sys.argv) > 1 else None)
