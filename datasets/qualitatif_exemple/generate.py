"""Seeded generator of the ``qualitatif_exemple`` dataset (synthetic qualitative evidence).

Run ``python datasets/qualitatif_exemple/generate.py [OUTDIR]`` (default: this folder).
Only numpy and pandas are needed. Everything is **synthetic**: the verbatims are written
for the example (no real interview), the speakers are pseudonyms ``s01``… of no one.

Model (see README.md): for units ``u01, u02, u03`` and waves 1–3, ``N_EXTRACTS`` extracts
per unit and wave, each by one of 17 speakers (5 ``habitants``, 5 ``benevoles``, 5
``salarie_es``, 2 ``collectivites``) drawn uniformly; consent given with probability
``P_CONSENT``. Each extract has a first code drawn with the weights ``CODES`` (its text is
one of the sentences of that code) and, with probability ``P_SECOND``, a second code of the
same family. Coder ``c1`` codes every extract; coder ``c2`` codes again wave 2 of ``u01``
and ``u02`` — keeping each code of ``c1`` with probability ``1 - P_DROP`` and adding
another code with probability ``P_ADD``. Grids: the two progress grids of the default
framework for the 12 units of ``panel_synthetique``, levels 1–4 moving up one level with
probability ``P_UP`` per wave (fixed for ``u01``). Actions: written by hand (``ACTIONS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2024
UNITS = ["u01", "u02", "u03"]
WAVES = [1, 2, 3]
DATES = {1: "2024-03-{d:02d}", 2: "2025-03-{d:02d}", 3: "2026-03-{d:02d}"}
N_EXTRACTS = 60
P_CONSENT = 0.85
P_SECOND = 0.3
P_DROP = 0.15
P_ADD = 0.12
P_UP = 0.3
SPEAKERS = [("habitants", 5), ("benevoles", 5), ("salarie_es", 5), ("collectivites", 2)]
#: code -> (label_fr, label_en, node, weight, family, sentences)
CODES = {
    "lien_social": ("Lien social", "Social ties", "lien_social", 3, "social", [
        "Au début je ne connaissais personne ici ; maintenant je dis bonjour à tout le monde.",
        "C'est devenu un endroit où l'on vient pour voir du monde, pas seulement pour acheter.",
        "Les anciens et les jeunes se croisent enfin, ça n'existait pas avant dans le quartier.",
    ]),
    "entraide": ("Entraide", "Mutual help", "nouvelles_relations", 2, "social", [
        "Quand ma voiture est tombée en panne, c'est quelqu'un du lieu qui m'a dépanné.",
        "On se garde les enfants entre familles depuis qu'on s'est rencontrés ici.",
        "Il y a toujours quelqu'un pour donner un coup de main, sans qu'on ait besoin de demander.",
    ]),
    "pouvoir_agir": ("Pouvoir d'agir", "Power to act", "pouvoir_agir", 2, "social", [
        "J'ai animé mon premier atelier l'an dernier ; je n'aurais jamais osé avant.",
        "On m'a fait confiance pour tenir la caisse, ça m'a redonné de l'assurance.",
        "J'ai appris à monter un dossier de subvention, je peux le refaire seule maintenant.",
    ]),
    "participation_ag": ("Participation aux AG", "General assembly turnout", "taux_participation_ag", 3, "gouv", [
        "Les AG, c'est toujours les mêmes qui viennent ; le soir avec les enfants, c'est compliqué.",
        "Cette année on était bien plus nombreux à l'assemblée, la garde d'enfants a aidé.",
        "Je ne vais pas aux AG, je ne savais même pas que j'avais le droit de voter.",
    ]),
    "decisions_petit_groupe": ("Décisions en petit comité", "Decisions by a small group", "influence_percue", 2,
                               "gouv", [
        "Les vraies décisions se prennent au bureau, on l'apprend après.",
        "On nous consulte, mais j'ai l'impression que c'était déjà décidé.",
        "Depuis qu'il y a un collège des habitants au conseil, on a vraiment voix au chapitre.",
    ]),
    "transparence": ("Transparence", "Transparency", "egalite_transparence", 1, "gouv", [
        "Les comptes sont affichés à l'entrée, tout le monde peut les lire.",
        "On ne sait pas bien où va l'argent des subventions.",
    ]),
    "cooperation_partenaires": ("Coopération entre structures", "Cooperation between organisations",
                                "cooperation_acteurs", 3, "terr", [
        "Avec l'association voisine on a monté un chantier commun, c'était impensable il y a deux ans.",
        "On partage maintenant un poste de coordination avec deux autres structures.",
        "Chacun reste dans son coin, les réunions inter-structures ne débouchent sur rien.",
    ]),
    "ancrage_territoire": ("Ancrage dans le territoire", "Local roots", "ancrage_local", 2, "terr", [
        "La mairie nous cite maintenant comme un exemple pour le territoire.",
        "On achète nos légumes aux maraîchers d'à côté, ça fait vivre le coin.",
    ]),
    "fragilite_financiere": ("Fragilité financière", "Financial fragility", "solidite_financiere", 1, "eco", [
        "Si la subvention de la Région s'arrête, on ferme dans six mois.",
        "On a enfin trois mois de trésorerie d'avance, on respire un peu.",
    ]),
    "epuisement_benevole": ("Épuisement des bénévoles", "Volunteer burnout", None, 2, "eco", [
        "On est cinq à tout porter, on ne tiendra pas comme ça encore longtemps.",
        "Les bénévoles s'épuisent, il faudrait au moins un salarié de plus.",
    ]),
}
#: Actions decided after each restitution (written by hand; synthetic).
ACTIONS = [
    ("a01", "u01", 1, "2024-06-20", "Relancer l'assemblée générale : convocation par SMS, garde d'enfants, AG en soirée",
     "taux_participation_ag", "bureau", "2025-03-31", "done"),
    ("a02", "u01", 1, "2024-06-20", "Ouvrir le conseil d'administration à un collège des habitant·es",
     "participation_decisions;grille_gouvernance", "conseil d'administration", "2025-06-30", "in_progress"),
    ("a03", "u01", 1, "2024-06-20", "Créer un groupe de travail sur l'épuisement des bénévoles",
     "heures_benevolat", "collège des bénévoles", "2024-12-31", "dropped"),
    ("a04", "u01", 2, "2025-06-18", "Monter deux projets communs avec les structures voisines",
     "cooperation_acteurs;grille_cooperation", "coordination", "2026-03-01", "done"),
    ("a05", "u02", 1, "2024-06-27", "Publier les comptes et les comptes rendus sur le site",
     "comptes_publies;egalite_transparence", "trésorerie", "2024-12-31", "done"),
    ("a06", "u02", 2, "2025-06-25", "Former les salarié·es à l'animation de réunions",
     "capacites_individuelles", "direction", "2026-01-31", "in_progress"),
    ("a07", "u03", 1, "2024-07-04", "Mutualiser un poste de coordination avec le PTCE voisin",
     "cooperation_acteurs", "conseil d'administration", "2025-06-30", "done"),
    ("a08", "u03", 2, "2025-07-02", "Diversifier les financements (fondations, mécénat)",
     "solidite_financiere;dependance_principal_financeur", "bureau", "2026-06-30", "in_progress"),
]
GRIDS = ["grille_gouvernance", "grille_cooperation"]
FIXED_GRIDS = {("u01", "grille_gouvernance"): [2, 2, 3], ("u01", "grille_cooperation"): [2, 2, 3]}


def _speakers() -> list[tuple[str, str]]:
    out, k = [], 0
    for college, n in SPEAKERS:
        for _ in range(n):
            k += 1
            out.append((f"s{k:02d}", college))
    return out


def _extracts(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes = list(CODES)
    weights = np.array([CODES[c][3] for c in codes], dtype=float)
    speakers = _speakers()
    ext, cod = [], []
    for unit in UNITS:
        for wave in WAVES:
            for i in range(N_EXTRACTS):
                first = codes[rng.choice(len(codes), p=weights / weights.sum())]
                family = [c for c in codes if CODES[c][4] == CODES[first][4] and c != first]
                chosen = [first]
                if rng.random() < P_SECOND and family:
                    chosen.append(family[rng.integers(len(family))])
                who, college = speakers[rng.integers(len(speakers))]
                sentences = CODES[first][5]
                eid = f"{unit}_v{wave}_{i + 1:02d}"
                kind = "entretien" if i < 40 else ("focus_groupe" if i < 52 else "question_ouverte")
                ext.append({"extract": eid, "unit": unit, "wave": wave, "source": f"{kind}_{unit}_v{wave}",
                            "date": DATES[wave].format(d=1 + i % 28), "speaker": f"{unit}_{who}",
                            "college": college, "consent": bool(rng.random() < P_CONSENT),
                            "text": sentences[rng.integers(len(sentences))]})
                cod.extend({"extract": eid, "code": c, "coder": "c1"} for c in chosen)
                if wave == 2 and unit in ("u01", "u02"):
                    second = [c for c in chosen if rng.random() >= P_DROP]
                    if rng.random() < P_ADD:
                        other = [c for c in codes if c not in chosen]
                        second.append(other[rng.integers(len(other))])
                    if not second:
                        second = [first]
                    cod.extend({"extract": eid, "code": c, "coder": "c2"} for c in second)
    return pd.DataFrame(ext), pd.DataFrame(cod)


def _grids(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for u in range(1, 13):
        unit = f"u{u:02d}"
        for grid in GRIDS:
            levels = FIXED_GRIDS.get((unit, grid))
            if levels is None:
                level = int(rng.integers(1, 4))
                levels = []
                for _ in WAVES:
                    levels.append(level)
                    level = min(4, level + int(rng.random() < P_UP))
            rows.extend({"unit": unit, "wave": w, "indicator": grid, "value": float(v)}
                        for w, v in zip(WAVES, levels, strict=True))
    return pd.DataFrame(rows)


def generate(outdir: Path) -> dict[str, pd.DataFrame]:
    """Write the five CSV tables into ``outdir`` and return them."""
    rng = np.random.default_rng(SEED)
    extracts, codes = _extracts(rng)
    tables = {
        "codebook": pd.DataFrame([{"code": c, "label_fr": v[0], "label_en": v[1], "node": v[2]}
                                  for c, v in CODES.items()]),
        "extracts": extracts,
        "codes": codes,
        "actions": pd.DataFrame(ACTIONS, columns=["action", "unit", "wave", "decided_on", "what", "criteria", "who",
                                                  "due", "status"]),
        "grids": _grids(rng),
    }
    outdir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(outdir / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    return tables


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
