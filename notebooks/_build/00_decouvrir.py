"""Cells of ``notebooks/00_decouvrir_coopeval.ipynb``: ``.venv/bin/python notebooks/_build/00_decouvrir.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Découvrir coopeval
*(Discover coopeval)*

coopeval accompagne l'**évaluation de l'utilité sociale** des coopérations territoriales
(PTCE, tiers-lieux, SCIC, monnaies locales, Territoires zéro chômeur…). Le rapport du Labo de
l'ESS *Vers une société de la coopération* (2024) demande une évaluation :

- **multidimensionnelle** — résultats sociaux, écologiques, territoriaux, démocratiques,
  économiques, externalités ;
- **délibérative** — les parties prenantes débattent et décident de ce qui compte ;
- **procédurale** — un cycle répété (des *vagues*), qui nourrit la pratique.

Ce carnet fait le tour du chemin complet en quelques cellules, sur les données d'exemple
fournies : référentiel → données → pondération → scores et incertitude → valorisation →
projet. Les carnets `01` à `07` approfondissent chaque étape."""),
    ("code", """\
import tempfile
from pathlib import Path

import pandas as pd

import coopeval as ce

pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 12)
ce.__version__"""),
    ("md", """\
## 1. Un référentiel *(a framework)*

Un référentiel est un arbre **dimensions › critères › indicateurs**, écrit en YAML et validé
strictement. Six référentiels sont fournis ; le référentiel par défaut suit la demande du
rapport."""),
    ("code", """\
ce.list_frameworks()[["id", "title_fr", "n_dimensions", "n_indicators"]]"""),
    ("code", """\
fw = ce.load_framework("cooperation_territoriale")
print(fw.tree()[:900], "…")"""),
    ("md", """\
## 2. Des données *(data)*

Les données d'exemple `panel_synthetique` décrivent 12 coopérations fictives sur 3 vagues :
des observations (comptes, registres) et les réponses de ~600 personnes à un questionnaire,
réparties en collèges (habitant·es, salarié·es, bénévoles…)."""),
    ("code", """\
ce.datasets.list()[["name", "title_fr", "tables"]]"""),
    ("code", """\
panel = ce.datasets.load("panel_synthetique")
obs, responses = panel["observations"], panel["responses"]
ce.data.validate_observations(obs, fw)          # lève une erreur claire au moindre problème
ce.data.validate_responses(responses, fw)
obs.head()"""),
    ("md", """\
Les questions d'enquête deviennent des scores d'indicateurs (items inversés recodés, part
minimale de réponses, effectif `n` derrière chaque moyenne). Aucun groupe de moins de 5
personnes n'est montré à un collectif."""),
    ("code", """\
par_college = ce.data.score_scales(responses, fw, by=("unit", "wave", "college"))
ce.data.suppress_small_groups(par_college, min_n=5).head()"""),
    ("md", """\
## 3. Une pondération délibérée *(deliberative weighting)*

25 participant·es de 5 collèges ont dit ce qui compte, chacun·e avec sa méthode (points,
classement, notes, AHP, cartes de Simos), sur deux tours. Les poids de chaque collège sont
calculés d'abord, puis combinés à voix égales — ou selon les voix statutaires."""),
    ("code", """\
judgements = ce.datasets.load("deliberation_exemple")
ws = ce.weighting.aggregate(judgements, fw, by="college", round=2)
(100 * ws.local[fw.dimension_ids]).round(1).rename("poids (%)")"""),
    ("code", """\
ce.weighting.contested_nodes(ws).head()"""),
    ("md", """\
## 4. Scores, profils et incertitude *(scores and uncertainty)*

`ce.Evaluation` rassemble une évaluation : observations, échelles d'enquête,
pondération délibérée. C'est le modèle unique : le projet (`p.score()`), la ligne de commande,
le rapport et le tableau de bord le lisent, et donnent donc les mêmes chiffres. Sa
**spécification** (`ev.spec`) dit tout ce qui décide des nombres — version du référentiel, source
des poids (séance, tour, voix des collèges), normalisation, agrégation, tirages — et le projet la
garde avec chaque résultat. Les scores vont de 0 à 100 (bornes du référentiel)."""),
    ("code", """\
ev = ce.Evaluation.sample()
print(" ".join(ce.i18n.provenance(ev.provenance(), fw_title=ev.fw.title())))
ev.spec.weights"""),
    ("code", """\
ev.overall(wave=3).head()"""),
    ("code", """\
ev.profile("u07", 3)"""),
    ("code", """\
ev.change("u07", 3)"""),
    ("md", """\
Le désaccord entre parties prenantes est une information : en tirant des pondérations qui
reflètent la dispersion réelle des avis, on obtient des intervalles de scores et de rangs."""),
    ("code", """\
mc = ev.uncertainty()  # la spécification fixe n = 2000 tirages et la graine
mc.summary.query("node == 'overall' and wave == 3").sort_values("rank_median").head()"""),
    ("code", """\
import matplotlib.pyplot as plt

ax = ce.plots.radar(ev.scores(), "u07", overlay="wave", fw=fw)
plt.show()"""),
    ("md", """\
## 5. Valorisation *(valuation)*

Les valeurs monétaires de référence (SMIC, valeur carbone, coûts évités…) viennent d'un
catalogue sourcé, jamais de nombres écrits dans le code."""),
    ("code", """\
smic = ce.valuation.reference_value("smic_horaire_brut", date="2024-06-01")
smic.value, smic.unit, smic.source[:80]"""),
    ("code", """\
res = panel["resources"].query("unit == 'u07' and wave == 3")
profil = ce.valuation.resources_profile(res, proxies={"h": "heure_benevole_smic_brut"}, date="2024-06-01")
print(profil.label, "— indice de Herfindahl :", round(profil.herfindahl, 2))
profil.shares"""),
    ("md", """\
## 6. Un projet *(a project store)*

Chaque vague d'évaluation est conservée dans un projet (un fichier SQLite par défaut,
PostgreSQL quand une équipe le partage), avec un journal de toutes les modifications. Chaque
résultat y garde ses paramètres : `verify` le recalcule et le compare au chiffre près ; sur une
autre machine, où les sommes peuvent différer d'un arrondi (1e-16), `rtol=1e-12` accepte ces
arrondis et rien de plus grand."""),
    ("code", """\
folder = Path(tempfile.mkdtemp())
project = ce.Project.create(folder / "mon_projet.sqlite", framework=fw)
project.import_observations(obs.query("wave == 1"))
table, rid = project.score()
print("recalculé à l'identique :", project.verify(rid), "— à un arrondi près :", project.verify(rid, rtol=1e-12))
project.counts()"""),
    ("md", """\
## Pour aller plus loin *(next)*

- `01_referentiel` — construire et adapter un référentiel avec un collectif ;
- `02_import_donnees` — modèle Excel, LimeSurvey, pseudonymisation ;
- `03_ponderation` — une séance de pondération délibérative ;
- `04_scores_incertitude` — scores, profils, incertitude ;
- `05_valorisation_sroi` — externalités, SROI, modèle socio-économique ;
- `06_statistiques_these` — statistiques pour un chapitre de thèse ;
- `07_galerie_figures` — toutes les figures.

Les tableaux de bord (`make run`) montrent tout cela aux collectifs, en français."""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "00_decouvrir_coopeval.ipynb")
