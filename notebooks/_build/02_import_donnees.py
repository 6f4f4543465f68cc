"""Cells of ``notebooks/02_import_donnees.ipynb``: ``.venv/bin/python notebooks/_build/02_import_donnees.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Importer les données : modèle Excel, LimeSurvey
*(Importing data: Excel templates and LimeSurvey exports)*

Une évaluation de l'utilité sociale combine deux sortes de données :

* des **observations** tenues par le collectif — emplois, heures de bénévolat, part
  d'autofinancement… —, le plus souvent dans un tableur ;
* des **réponses à un questionnaire** passé auprès des parties prenantes (habitant·es,
  salarié·es, bénévoles…), souvent avec **LimeSurvey**, l'outil d'enquête des universités.

Ce carnet montre, sur une coopération fictive inspirée de **La Butinerie** (Pantin) et de **TERA**
(Lot-et-Garonne), deux coopérations étudiées dans le rapport du Labo de l'ESS (2024) :

1. comment produire un **modèle Excel de saisie** à partir du référentiel, le faire remplir et le
   relire — avec des messages d'erreur qui nomment la feuille et la cellule ;
2. comment importer un **export LimeSurvey** (codes de questions `G01Q01[SQ001]`) ;
3. comment **pseudonymiser** les répondant·es avec un secret de projet ;
4. comment calculer les **scores d'échelles** (items → indicateurs), et **masquer les petits
   groupes** (moins de 5 personnes) avant toute restitution."""),
    ("code", """\
import csv
import os
import secrets
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

import coopeval as ce

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 160)
fw = ce.load_framework("cooperation_territoriale")
dossier = Path(tempfile.mkdtemp(prefix="coopeval-import-"))
fw"""),
    ("md", """\
## 1. Le modèle Excel de saisie *(The data-entry template)*

`ce.data.excel_template` écrit un classeur prêt à envoyer au collectif : une feuille
**Instructions** en français, une feuille **Saisie** avec une ligne par structure, vague et
indicateur (unité de mesure, bornes et aide à la saisie affichées), des listes déroulantes pour
les indicateurs oui/non et à niveaux, des plages numériques pour les autres, et des colonnes
protégées : seules *Valeur*, *Source* et *Commentaire* sont modifiables. Le fichier est écrit
de façon atomique et n'écrase jamais un fichier existant sans `overwrite=True`."""),
    ("code", """\
modele = ce.data.excel_template(fw, dossier / "saisie_2024.xlsx",
                                units=["La Butinerie", "TERA"], waves=[2024])
classeur = openpyxl.load_workbook(modele)
print(classeur.sheetnames)
for ligne in classeur["Instructions"].iter_rows(min_row=1, max_row=10, values_only=True):
    print(ligne[0] or "")"""),
    ("code", """\
saisie = classeur["Saisie"]
apercu = pd.DataFrame(list(saisie.iter_rows(min_row=2, max_row=9, values_only=True)),
                      columns=[c.value for c in saisie[1]])
apercu"""),
    ("md", """\
### Le collectif remplit le modèle
Nous simulons ici la saisie avec `openpyxl` : quelques valeurs, dont **trois erreurs
volontaires** — un texte dans une cellule numérique, une valeur hors bornes et un indicateur
dont le code a été modifié."""),
    ("code", """\
lignes = {saisie.cell(r, 4).value: r for r in range(2, 2 + len(fw.indicators))}  # La Butinerie
def remplir(indicateur, valeur, source=None):
    r = lignes[indicateur]
    saisie.cell(r, 11).value = valeur
    if source:
        saisie.cell(r, 12).value = source

remplir("participants_actifs", 420, "registre des adhésions")
remplir("emplois_etp", "6,5", "bilan social 2024")        # virgule décimale : acceptée
remplir("accessibilite_tarifaire", "oui")
remplir("niveau_demarche_environnementale", 3)
remplir("heures_benevolat", "beaucoup")                   # erreur 1 : texte
remplir("part_cdi", 80)                                   # erreur 2 : 80 au lieu de 0,80
saisie.cell(lignes["mois_tresorerie"], 4).value = "tresorerie"   # erreur 3 : code modifié
saisie.cell(lignes["mois_tresorerie"], 11).value = 4
classeur.save(modele)"""),
    ("code", """\
try:
    ce.data.read_excel(modele, fw)
except ce.DataError as erreur:
    print(erreur)"""),
    ("md", """\
Toutes les erreurs sont signalées **en une fois**, avec la feuille et la cellule. Pour examiner
la partie saine sans rien perdre, `ce.data.check_excel` renvoie les lignes valides **et** le tableau
des erreurs : aucune ligne n'est écartée en silence."""),
    ("code", """\
propre, erreurs = ce.data.check_excel(modele, fw)
display(erreurs)
propre"""),
    ("code", """\
remplir("heures_benevolat", 3200, "fiches de présence")
remplir("part_cdi", 0.8)
saisie.cell(lignes["mois_tresorerie"], 4).value = "mois_tresorerie"
classeur.save(modele)
observations = ce.data.read_excel(modele, fw)
observations"""),
    ("md", """\
### Un modèle en anglais *(An English template)*
Pour un partenaire non francophone, `lang="en"` produit le même classeur en anglais : feuilles
*Instructions*, **Data** et *Indicators*, en-têtes, libellés, unités de mesure, aides à la
saisie, listes déroulantes `yes,no` et messages. La langue est notée dans la feuille cachée
`_coopeval` : `read_excel` relit les deux modèles et situe les erreurs dans la langue du modèle
(« sheet 'Data', cell K5 »)."""),
    ("code", """\
modele_en = ce.data.excel_template(fw, dossier / "data_entry_2024.xlsx",
                                   units=["La Butinerie"], waves=[2024], lang="en")
classeur_en = openpyxl.load_workbook(modele_en)
data = classeur_en["Data"]
print(classeur_en.sheetnames)
print([c.value for c in data[1]])
lignes_en = {data.cell(r, 4).value: r for r in range(2, data.max_row + 1)}
print(data.cell(lignes_en["niveau_demarche_environnementale"], 10).value)
data.cell(lignes_en["accessibilite_tarifaire"], 11).value = "yes"
data.cell(lignes_en["emplois_etp"], 11).value = 6.5
data.cell(lignes_en["part_cdi"], 11).value = "most"          # an error, located in English
classeur_en.save(modele_en)
propre_en, erreurs_en = ce.data.check_excel(modele_en, fw)
display(erreurs_en)
propre_en"""),
    ("md", """\
## 2. Importer un export LimeSurvey *(Importing a LimeSurvey export)*

LimeSurvey exporte les réponses (menu *Réponses › Exporter*, format CSV) avec une colonne par
question ou sous-question, nommée par son **code** (`G01Q01[SQ002]` : groupe 1, question 1,
sous-question 2), précédées des colonnes système (`id`, `submitdate`, `lastpage`,
`startlanguage`, `seed`, `token`, `ipaddr`…). Nous fabriquons ici un petit export réaliste
(en « codes de réponse » `AO01` … `AO05`) pour 40 personnes de La Butinerie."""),
    ("code", """\
rng = np.random.default_rng(7)
codes_items = {
    "G01Q01[SQ001]": "appartenance_membre", "G01Q01[SQ002]": "appartenance_fierte",
    "G01Q01[SQ003]": "appartenance_isolement",
    "G02Q01[SQ001]": "influence_ecoute", "G02Q01[SQ002]": "influence_information",
    "G02Q01[SQ003]": "influence_confisquee",
}
colleges = {"A1": 26, "A2": 7, "A3": 4, "A4": 3}   # habitant·es, bénévoles, salarié·es, financeurs
entete = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "ipaddr",
          "G00Q01", *codes_items, "G03Q01", "interviewtime"]
lignes_ls = []
rid = 0
for college, effectif in colleges.items():
    for _ in range(effectif):
        rid += 1
        niveau = {"A1": 3.8, "A2": 4.2, "A3": 3.0, "A4": 3.5}[college]
        reponses = []
        for item in codes_items.values():
            inverse = fw.items.set_index("item").loc[item, "reverse"]
            x = np.clip(np.rint(rng.normal(6 - niveau if inverse else niveau, 0.8)), 1, 5)
            reponses.append("" if rng.random() < 0.06 else f"AO0{int(x)}")
        complet = rid != 12                                   # une réponse incomplète
        lignes_ls.append([rid, "2024-06-03 18:02:11" if complet else "", 3 if complet else 1,
                          "fr", int(rng.integers(1, 10**8)), f"tk{rng.integers(10**6):06d}",
                          f"192.168.1.{rid}", college, *reponses,
                          "Merci pour l'épicerie !" if rid % 9 == 0 else "", 240 + rid])
export = dossier / "results-survey-butinerie.csv"
with open(export, "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, quoting=csv.QUOTE_ALL).writerows([entete, *lignes_ls])
print(export.read_text(encoding="utf-8-sig")[:400])"""),
    ("md", """\
L'import se fait avec une **table de correspondance** code de question → item du référentiel ;
la question `G00Q01` (« Vous êtes… ») donne le **collège** de la personne. Le **secret de
projet** sert à pseudonymiser : il est conservé hors des données (ici une variable
d'environnement, générée pour la démonstration) et n'est jamais écrit dans le résultat."""),
    ("code", """\
secret = os.environ.get("COOPEVAL_SECRET") or secrets.token_hex(32)
correspondance = {**codes_items, "G00Q01": "college"}
reponses, rapport = ce.data.read_limesurvey(
    export, fw, correspondance,
    unit="La Butinerie", wave=2024,
    recode={"college": {"A1": "habitant·es", "A2": "bénévoles", "A3": "salarié·es",
                        "A4": "financeurs"}},
    answer_codes={f"AO0{i}": i for i in range(1, 6)},
    secret=secret, report=True,
)
rapport"""),
    ("md", """\
Le **rapport d'import** dit, colonne par colonne, ce qui a été repris (`mapped`), écarté
(`ignored` : colonnes système, chronométrage, questions hors correspondance) ou supprimé
(`dropped` : identifiants directs comme `token` et `ipaddr`), et combien de réponses incomplètes
ont été laissées de côté. Vérifions qu'aucun identifiant ne subsiste :"""),
    ("code", """\
brut = pd.read_csv(export, dtype=str, encoding="utf-8-sig", keep_default_na=False)
texte = reponses.to_csv()
fuites = [v for v in [*brut["token"], *brut["ipaddr"], secret] if v in texte]
print("identifiants retrouvés dans les données importées :", fuites)
print("ids LimeSurvey bruts parmi les pseudonymes :", set(brut["id"]) & set(reponses["respondent"]))
reponses.head(8)"""),
    ("md", """\
## 3. Scores d'échelles *(Scale scores)*

Chaque indicateur d'enquête est mesuré par plusieurs items, dont certains sont formulés
négativement (« Les décisions sont prises par un petit groupe ») et donc **inversés**
(x → 1 + 5 − x). Le score d'une personne est la moyenne de ses items répondus, à condition
d'avoir répondu à au moins la moitié d'entre eux (`min_answered=0.5`)."""),
    ("code", """\
par_personne = ce.data.score_scales(reponses, fw)
par_personne.head(6)"""),
    ("code", """\
par_college = ce.data.score_scales(reponses, fw, by=("unit", "wave", "college"))
par_college"""),
    ("md", """\
## 4. Masquer les petits groupes *(Small-group suppression)*

Avant toute restitution au collectif, les moyennes calculées sur **moins de 5 personnes** sont
masquées : avec 3 financeurs, une moyenne révélerait presque les réponses individuelles. Le seuil
est réglable (`min_n`)."""),
    ("code", """\
a_montrer = ce.data.suppress_small_groups(par_college, count_col="n", min_n=5)
a_montrer"""),
    ("md", """\
### Suppression secondaire *(Secondary suppression)*
Masquer un petit groupe ne suffit pas si l'on montre aussi le total : avec la ligne « ensemble »
(tous collèges) et les autres collèges visibles, la moyenne cachée se retrouve **par
différence**, n_h·m_h = N·M − Σ n_i·m_i. Avec un seuil de 4, seuls les 3 financeurs sont
masqués ; calculons ce qu'un lecteur attentif retrouverait, puis demandons `secondary=True` :
dans chaque groupe (structure, vague, indicateur), le plus petit autre collège est masqué à son
tour, de sorte que seule la somme de deux groupes cachés peut être déduite (Hundepool et al.,
2012, *Statistical Disclosure Control*, ch. 4)."""),
    ("code", """\
cles = ["unit", "wave", "indicator"]
ensemble = ce.data.score_scales(reponses, fw, by=cles[:2]).assign(college="ensemble")
tableau = pd.concat([par_college, ensemble[par_college.columns]], ignore_index=True)
tableau = tableau.sort_values(cles + ["n"], ascending=[True, True, True, False],
                              ignore_index=True)
primaire = ce.data.suppress_small_groups(tableau, min_n=4, columns=["score", "sd"], keep_count=True)

def par_difference(bloc):
    vus, cache = bloc[~bloc["suppressed"] & (bloc["college"] != "ensemble")], bloc[bloc["suppressed"]]
    tot = bloc[bloc["college"] == "ensemble"].iloc[0]
    if len(cache) != 1:
        return np.nan
    return (tot["n"] * tot["score"] - (vus["n"] * vus["score"]).sum()) / cache["n"].iloc[0]

retrouve = primaire.groupby("indicator").apply(par_difference, include_groups=False)
vrai = tableau[tableau["college"] == "financeurs"].set_index("indicator")["score"]
pd.DataFrame({"retrouvé par différence": retrouve, "moyenne des financeurs": vrai})"""),
    ("code", """\
protege = ce.data.suppress_small_groups(tableau, min_n=4, columns=["score", "sd"], keep_count=True,
                                        secondary=True, by=cles, total=("college", "ensemble"))
print("retrouvables après suppression secondaire :",
      protege.groupby("indicator").apply(par_difference, include_groups=False).notna().sum())
protege"""),
    ("md", """\
## 5. Des réponses aux observations *(From responses to observations)*

Les scores moyens par structure et vague deviennent des **observations** des indicateurs
d'enquête, que l'on réunit avec celles du modèle Excel et que l'on valide ensemble avant le
calcul des scores."""),
    ("code", """\
par_structure = ce.data.score_scales(reponses, fw, by=("unit", "wave"))
enquete = par_structure.rename(columns={"score": "value"})[["unit", "wave", "indicator", "value"]]
enquete = enquete.assign(source="enquête LimeSurvey 2024",
                         note="n = " + par_structure["n"].astype(str))
tout = pd.concat([observations, enquete], ignore_index=True)
ce.data.validate_observations(tout, fw)"""),
    ("md", """\
## À retenir *(Key points)*

* `ce.data.excel_template(fw, chemin, units=…, waves=…)` → un modèle protégé, en français
  (`lang="en"` : en anglais) ; `ce.data.read_excel(chemin, fw)` relit les deux → des
  observations validées, erreurs situées à la cellule.
* `ce.data.read_limesurvey(export, fw, correspondance, secret=…)` → des réponses pseudonymisées,
  avec un rapport de ce qui a été repris, écarté ou supprimé.
* `ce.data.score_scales(...)` → scores par personne ou par groupe, toujours avec `n` ;
  `ce.data.suppress_small_groups(...)` masque les groupes de moins de 5 personnes, et avec
  `secondary=True` un groupe de plus quand un total permettrait de retrouver le masqué.
* Le secret de projet ne doit jamais être rangé avec les données."""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "02_import_donnees.ipynb")
