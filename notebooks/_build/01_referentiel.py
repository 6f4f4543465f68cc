"""Cells of ``notebooks/01_referentiel.ipynb``: ``.venv/bin/python notebooks/_build/01_referentiel.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Construire et adapter un référentiel avec un collectif
*(Building and adapting an indicator framework with a collective)*

Un **référentiel d'évaluation** dit ce qu'un collectif veut regarder pour rendre compte de son
utilité sociale : des **dimensions** (social, écologie, territoire…), découpées en **critères**,
eux-mêmes mesurés par des **indicateurs** (un comptage, une part, une réponse à un questionnaire,
une observation). Le rapport du Labo de l'ESS *Vers une société de la coopération* (2024) demande
une évaluation **multidimensionnelle**, **délibérative** (les parties prenantes décident de ce qui
compte) et **procédurale** (répétée dans le temps).

Ce carnet montre comment, avec coopeval :

1. choisir un référentiel de départ parmi les référentiels intégrés ;
2. le lire (arbre, tableau des indicateurs, questions d'enquête) ;
3. l'adapter « sur-mesure » à une coopération — ici **La Butinerie**, tiers-lieu du bien vivre
   alimentaire à Pantin, étudié dans le rapport — en gardant la trace de chaque choix ;
4. l'enregistrer en YAML, le relire, et comprendre les messages d'erreur de validation."""),
    ("code", """\
import tempfile
from pathlib import Path

import pandas as pd

import coopeval as ce

pd.set_option("display.max_colwidth", 70)
pd.set_option("display.width", 160)"""),
    ("md", """\
## 1. Les référentiels intégrés *(Built-in frameworks)*

coopeval fournit six référentiels, chacun avec ses références : le référentiel par défaut
`cooperation_territoriale`, les conditions d'utilité sociale de la loi ESS de 2014 (`loi_ess_2014`),
les familles de critères de Jean Gadrey (`gadrey_2004`), et trois référentiels propres à un type de
coopération : monnaie locale, tiers-lieu, Territoires zéro chômeur de longue durée."""),
    ("code", """\
catalogue = ce.list_frameworks()
catalogue[["id", "title_fr", "n_dimensions", "n_criteria", "n_indicators", "n_survey_indicators"]]"""),
    ("md", """\
## 2. Lire le référentiel par défaut *(Reading the default framework)*

`ce.load_framework` prend l'identifiant d'un référentiel intégré (ou le chemin d'un fichier YAML).
La vue en arbre montre la structure dimensions > critères > indicateurs, avec les identifiants
entre crochets."""),
    ("code", """\
fw = ce.load_framework("cooperation_territoriale")
print(fw)
print(fw.tree())"""),
    ("md", """\
D'où vient ce référentiel ? Chaque référentiel cite ses sources."""),
    ("code", """\
print(fw.title("fr"))
fw.references[["key", "citation"]]"""),
    ("md", """\
Le **tableau des indicateurs** est le contrat de données de coopeval : une ligne par indicateur,
avec son unité, sa nature (`kind` : quantitatif, ordinal, échelle de Likert, binaire), son sens
(`direction` : plus c'est haut mieux c'est, l'inverse, ou une cible), ses bornes, une éventuelle
transformation (log…) et la **source** de la donnée (enquête, comptes, observation, registre)."""),
    ("code", """\
fw.indicators.head(8)"""),
    ("code", """\
# Combien d'indicateurs de chaque nature et de chaque source, par dimension ?
pd.crosstab(fw.indicators["dimension"], fw.indicators["source"], margins=True, margins_name="total")"""),
    ("md", """\
Les indicateurs issus d'une **enquête** sont calculés à partir de plusieurs questions (*items*).
Certaines sont formulées à l'envers (`reverse=True`) pour limiter les réponses « toujours d'accord » :
leur score sera retourné avant d'être moyenné."""),
    ("code", """\
fw.items[fw.items["indicator"].isin(["sentiment_appartenance", "influence_percue"])]"""),
    ("md", """\
## 3. Adapter le référentiel à La Butinerie *(Adapting it to a cooperation)*

La Butinerie (Pantin) est un tiers-lieu ouvert en 2022 et porté par une SCIC de 160 sociétaires :
un magasin Biocoop, un café-forum, une cantine à prix libre orienté et une cuisine partagée. Son
modèle socio-économique cherche à faire reconnaître les effets utiles du lieu par conventions avec
ceux qui en bénéficient (Ville de Pantin, ARS, une mutuelle). Imaginons la séance où le collectif
adapte le référentiel par défaut. Chaque opération renvoie un **nouveau** référentiel, validé à
nouveau ; l'original n'est jamais modifié.

**Choisir les dimensions** (`select`) : le collectif garde six dimensions sur sept ; la création
d'emplois (3 ETP) n'est pas au cœur du projet."""),
    ("code", """\
butinerie = fw.select(dimensions=["social", "ecologie", "territoire", "gouvernance", "economie", "externalites"])
print(butinerie)"""),
    ("md", """\
**Retirer des indicateurs** (`drop`) que le collectif ne pourra pas renseigner de façon fiable :
les émissions évitées demanderaient un bilan carbone que personne ne sait faire aujourd'hui, et les
heures de formation ne sont pas suivies par le lieu."""),
    ("code", """\
butinerie = butinerie.drop(["emissions_evitees", "heures_formation"])
print(butinerie)"""),
    ("md", """\
**Ajouter un critère propre au projet** (`extend`) : le bien vivre alimentaire, avec deux
indicateurs. Le nouveau nœud s'écrit en YAML (ou en dictionnaire Python) et il est validé comme
n'importe quel nœud d'un fichier."""),
    ("code", """\
critere_alimentation = '''
id: bien_vivre_alimentaire
label_fr: Bien vivre alimentaire
label_en: Good food for all
indicators:
  - id: repas_servis
    label_fr: Repas servis à la cantine à prix libre orienté
    label_en: Meals served at the guided pay-what-you-can canteen
    unit: repas par an
    kind: quantitative
    direction: increase
    lower: 0
    upper: 30000
    transform: log1p
    source: register
  - id: parcours_alimentation_sante
    label_fr: Parcours alimentation-santé conventionné avec l'agence régionale de santé
    label_en: Food-and-health programme under an agreement with the regional health agency
    unit: oui/non
    kind: binary
    direction: increase
    source: observation
'''
butinerie = butinerie.extend("social", critere_alimentation)
print(butinerie)"""),
    ("md", """\
**Préciser un indicateur** (`override`) : pour La Butinerie, « le territoire » des achats, c'est
l'Île-de-France ; et la part du principal financeur ne devrait pas dépasser 40 % (une cible plutôt
qu'un « moins c'est mieux »)."""),
    ("code", """\
butinerie = butinerie.override(
    "achats_territoire",
    label_fr="Part des achats auprès de producteurs d'Île-de-France",
    label_en="Share of purchases from Île-de-France producers",
)
butinerie = butinerie.override("dependance_principal_financeur", direction="target", target=0.4)
butinerie.indicators.set_index("indicator").loc[
    ["achats_territoire", "dependance_principal_financeur"], ["label_fr", "direction", "target"]
]"""),
    ("md", """\
**Pondérer** (`reweight`) : après discussion, le collectif donne un poids double au social et à
l'écologie. Ces poids par défaut ne remplacent pas une pondération délibérée par collège (voir le
module `ce.weighting`) ; ils servent de point de départ."""),
    ("code", """\
butinerie = butinerie.reweight({"social": 2, "ecologie": 2})
print(butinerie.tree(weights=True))"""),
    ("md", """\
## 4. La traçabilité des choix *(Lineage)*

Le référentiel adapté garde la mémoire de son origine (identifiant, version et empreinte du
référentiel de base) et de chaque modification, dans l'ordre. C'est ce qui permet, plus tard, de
comparer des coopérations évaluées avec des variantes d'un même référentiel."""),
    ("code", """\
lineage = butinerie.lineage
print("base :", lineage["base"], "version", lineage["base_version"])
print("empreinte de la base :", lineage["base_hash"][:16], "…")
pd.DataFrame([{"op": c["op"], "détail": {k: v for k, v in c.items() if k != "op"}} for c in lineage["changes"]])"""),
    ("md", """\
## 5. Enregistrer et relire le référentiel *(Saving and reloading)*

Le référentiel adapté s'écrit dans un fichier YAML lisible, à relire et à discuter avec le
collectif (ou à versionner avec git). Ici on l'écrit dans un dossier temporaire."""),
    ("code", """\
with tempfile.TemporaryDirectory() as dossier:
    chemin = Path(dossier) / "butinerie.yaml"
    butinerie.to_yaml(chemin)
    relu = ce.load_framework(chemin)
    texte = chemin.read_text(encoding="utf-8")

print("identique après relecture :", relu == butinerie)
print("traçabilité conservée :", relu.lineage == butinerie.lineage)
print(texte[texte.index("  - id: bien_vivre_alimentaire"):][:900])"""),
    ("md", """\
## 6. Quand le fichier contient une erreur *(What a validation error looks like)*

Un référentiel mal écrit n'est jamais accepté en silence : coopeval lève une `ce.CoopevalError`
qui liste **tous** les problèmes du fichier, chacun avec sa ligne, la clé en cause, ce qui était
attendu et ce qui a été trouvé. Voici un petit référentiel volontairement fautif, avec quatre
erreurs sur quatre indicateurs : une direction écrite en français, des bornes inversées, un libellé
anglais manquant et une question d'enquête placée sur un indicateur issu des comptes."""),
    ("code", """\
referentiel_fautif = '''
id: essai
title_fr: Essai
title_en: Trial
dimensions:
  - id: social
    label_fr: Social
    label_en: Social
    indicators:
      - id: repas
        label_fr: Repas servis
        label_en: Meals served
        unit: repas
        kind: quantitative
        direction: augmenter
        source: register
      - id: convives
        label_fr: Convives par jour
        label_en: Diners per day
        unit: personnes
        kind: quantitative
        direction: increase
        lower: 100
        upper: 0
        source: register
      - id: ateliers
        label_fr: Ateliers de cuisine
        unit: ateliers par an
        kind: quantitative
        direction: increase
        source: register
      - id: budget_alimentaire
        label_fr: Budget alimentaire
        label_en: Food budget
        unit: euros
        kind: quantitative
        direction: increase
        source: accounts
        items:
          - id: budget_question
            label_fr: Combien dépensez-vous ?
            label_en: How much do you spend?
'''
try:
    ce.Framework.from_yaml(referentiel_fautif)
except ce.CoopevalError as erreur:
    print(erreur)
    probleme = erreur"""),
    ("md", """\
Les mêmes problèmes existent sous forme de tableau, pratique pour les corriger un à un :"""),
    ("code", """\
probleme.to_frame()"""),
    ("md", """\
## 7. Décider ensemble de ce qui compte : le registre des décisions *(The register of decisions)*

Adapter un référentiel n'est pas qu'une affaire de chercheur·e : le rapport demande que les parties
prenantes puissent « débattre sur ce qui compte ou pas ». Dans un projet coopeval, un **tour
« référentiel »** recueille des propositions anonymes (garder, retirer, renommer, reformuler un
critère ou un indicateur, en ajouter un en disant ce qu'il mesure et pourquoi, fixer une borne ou une
cible), que les participant·es votent par collège ; l'animation enregistre l'issue, appliquée au
référentiel avec les méthodes vues plus haut (`drop`, `extend`, `override`). Chaque décision — d'un
tour, d'une instance (assemblée générale, conseil), de l'animation ou de l'équipe d'évaluation —
entre dans un **registre** qu'on ne peut ni modifier ni effacer : date, qui a décidé, pourquoi, votes
par collège (un collège de moins de 5 votant·es n'est pas affiché séparément), version du référentiel
avant et après. Le projet d'exemple contient un tel tour."""),
    ("code", """\
dossier_projet = tempfile.mkdtemp()
projet = ce.Project.create_sample(Path(dossier_projet) / "exemple.coopeval")
registre = projet.decisions()
registre[["at", "wave", "op", "target", "outcome", "decided_by", "decider", "reason", "version_before",
          "version_after"]]"""),
    ("md", """\
Les votes de chaque décision sont enregistrés par collège, petits groupes déjà masqués (ici les
financeurs, deux personnes, et le plus petit collège affiché avec eux, pour qu'on ne puisse pas les
retrouver par soustraction) :"""),
    ("code", """\
registre.loc[registre["op"] == "remove", "votes"].iloc[0]"""),
    ("md", """\
Les versions du référentiel sont numérotées dans le projet, et chaque résultat enregistré dit avec
quelle version il a été calculé :"""),
    ("code", """\
_, resultat = projet.score(weights="framework")
print(projet.framework_versions()[["number", "framework_id", "version", "parent"]])
projet.results()[["id", "kind", "framework_number"]].tail(1)"""),
    ("md", """\
Les **bornes** (goalposts) décident elles aussi des scores. Une borne absolue (0 à 2 000
participant·es) serait la même pour un tiers-lieu de village et pour un pôle régional : dans les
référentiels intégrés, les comptages sont donc bornés **par rapport à la première vague de la
coopération elle-même** (la moitié donne 0, le maintien 50, le double 100), et les autres bornes
citent leur source quand il en existe une (liste et règles dans `indicators/goalposts_sans_source.md`,
guide « Bornes relatives »). Le collectif peut fixer les siennes, en regardant ce que la coopération
a atteint lors de ses propres vagues (ici, pour une borne relative, le rapport à sa vague de départ) ;
la décision, sa source et le vote sont enregistrés :"""),
    ("code", """\
reperes = projet.goalpost_references(unit="u01")
print(reperes[reperes["indicator"] == "participants_actifs"][["wave", "upper", "goalpost_source", "median",
                                                            "max", "own"]])
projet.decide("goalpost", "participants_actifs", by="body", decider="assemblée générale", wave=3,
              value={"upper": 1.5, "goalpost_source": "valeurs atteintes en vagues 1 et 2 (projet)"},
              reason="Viser +50 % depuis notre départ", votes={"habitants": {"for": 18, "against": 3}})
projet.decisions()[["op", "target", "reason", "votes", "version_after"]].tail(1)"""),
    ("md", """\
Le même registre est rendu aux collectifs dans le rapport de restitution, section « Ce que nous
avons décidé de mesurer » (`ce.report.restitution(projet.evaluation(), ...)`)."""),
    ("code", """\
projet.close()"""),
    ("md", """\
## 8. Et ensuite ? *(Next steps)*

Le référentiel adapté sert ensuite à préparer la collecte (questionnaires et tableurs de saisie),
à recueillir les pondérations des parties prenantes et à calculer les scores. Pour un tiers-lieu,
on peut aussi partir du référentiel intégré `tiers_lieu` plutôt que du référentiel par défaut :"""),
    ("code", """\
print(ce.load_framework("tiers_lieu").tree())"""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "01_referentiel.ipynb")
