"""Cells of ``notebooks/07_galerie_figures.ipynb``: ``.venv/bin/python notebooks/_build/07_galerie_figures.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Galerie des figures de coopeval
*(Gallery of coopeval's figures)*

Ce carnet montre **toutes les figures** de `ce.plots` sur les données fournies avec coopeval :

- `panel_synthetique` — 12 coopérations fictives évaluées sur 3 vagues (observations, enquête,
  ressources) ;
- `deliberation_exemple` — un atelier de pondération de 25 participant·es en 5 collèges ;
- `cas_rapport_2024` — les cas du rapport du Labo de l'ESS *Vers une société de la coopération*
  (2024), pour la carte de typologie.

Chaque fonction prend une table « tidy » de coopeval et renvoie l'objet matplotlib dessiné ; les
libellés sont en français par défaut (`lang="en"` pour l'anglais), chaque dimension garde la
même couleur (palette d'Okabe & Ito, lisible par les personnes daltoniennes) et les tailles par
défaut tiennent dans la largeur d'une page A4. Le carnet se termine par le **rapport de
restitution** HTML (et PDF) d'une coopération."""),
    ("code", """\
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import coopeval as ce
from coopeval.plots import palette

fw = ce.load_framework("cooperation_territoriale")
panel = ce.datasets.load("panel_synthetique")
noms = dict(zip(panel["units"]["unit"], panel["units"]["name"], strict=True))
scores = ce.score(panel["observations"], fw)
scores.head()"""),
    ("md", """\
## 0. Une couleur par dimension *(One colour per dimension)*

Les sept dimensions du référentiel par défaut ont une couleur fixe ; un critère ou un indicateur
prend la couleur de sa dimension (`palette.colour_of`)."""),
    ("code", """\
couleurs = palette.dimension_colours(fw)
fig, ax = plt.subplots(figsize=(palette.A4_WIDTH, 1.2))
for i, col in enumerate(couleurs.values()):
    ax.bar(i, 1, color=col)
ax.set_xticks(range(len(couleurs)), [fw.label(d) for d in couleurs], rotation=20, ha="right", fontsize=7)
ax.set_yticks([])
plt.show()"""),
    ("md", """\
## 1. Profil d'une coopération *(Profile of a cooperation)*

Le radar superpose les vagues d'une coopération (sa trajectoire)…"""),
    ("code", """\
ce.plots.radar(scores, unit="u01", fw=fw, names=noms)
plt.show()"""),
    ("md", "… ou plusieurs coopérations pour une même vague."),
    ("code", """\
ce.plots.radar(scores, wave=3, overlay="unit", units=["u01", "u02", "u03"], fw=fw, names=noms)
plt.show()"""),
    ("md", """\
## 2. Scores avec leur incertitude *(Scores with their uncertainty)*

Les poids délibérés de l'atelier (`deliberation_exemple`) et deux choix de normalisation
alimentent une simulation de Monte-Carlo (`ce.uncertainty`) ; les barres donnent la médiane et
l'intervalle à 90 %."""),
    ("code", """\
poids = ce.weighting.aggregate(ce.datasets.load("deliberation_exemple"), fw)
mc = ce.uncertainty(panel["observations"], fw, weights=poids, n=500, seed=0,
                    normalisations=["goalposts", "minmax"], sensitivity=False)
mc.summary.head()"""),
    ("code", """\
ce.plots.score_bars(mc.summary, "u01", 3, fw=fw, names=noms)
plt.show()"""),
    ("md", "Au niveau des critères (sans intervalle ici : les scores de `ce.score`)."),
    ("code", """\
ce.plots.score_bars(scores, "u01", 3, level="criterion", fw=fw, names=noms)
plt.show()"""),
    ("md", """\
## 3. Rangs et probabilités d'être en tête *(Ranks and top-k probabilities)*"""),
    ("code", """\
ce.plots.caterpillar(mc.summary, wave=3, names=noms, highlight="u01")
plt.show()"""),
    ("code", """\
ce.plots.topk_bars(mc.top_k, 3, wave=3, names=noms, highlight="u01")
plt.show()"""),
    ("md", """\
## 4. Voix des collèges et désaccords *(College voices and disagreement)*

Points : chaque participant·e ; losanges : moyenne du collège ; trait noir : poids retenu. Les
dimensions « débattues » (`ce.weighting.agreement_table`) sont surlignées."""),
    ("code", """\
accord = ce.weighting.agreement_table(poids)
accord[["parent", "node", "cv", "pct_agreement", "college_p_value", "contested"]]"""),
    ("code", """\
ce.plots.weights_by_college(poids, parent="overall", agreement=accord, fw=fw)
plt.show()"""),
    ("code", """\
ce.plots.agreement_heatmap(accord[accord["parent"] == "overall"], fw=fw)
plt.show()"""),
    ("md", """\
Les critères de la dimension « Social » n'ont été pondérés que par trois personnes de chaque
collège : moins de 5, aucun collège n'est dessiné (ni ses points, ni sa moyenne) et une note le
dit ; seul le poids retenu l'est. La figure applique par défaut la règle des petits groupes de
`ce.weighting.aggregate` (`coopeval.data.disclosure`) ; `disclose_small_colleges=True` montre la
vue brute du chercheur ou de la chercheuse, avec un avertissement : à ne pas publier."""),
    ("code", """\
ce.plots.weights_by_college(poids, parent="social", agreement=accord, fw=fw)
plt.show()"""),
    ("md", """\
## 5. Typologie du rapport *(The report's typology)*

Le rapport place les coopérations sur deux axes, « ciblée – systémique » et « modélisée – non
modélisée ». Il ne renseigne les deux positions que pour une partie des cas : une position non
renseignée est dessinée au milieu de son axe avec un marqueur creux. Les cas sans aucune des deux
positions sont laissés de côté."""),
    ("code", """\
cas = ce.datasets.load("cas_rapport_2024", table="cases")
cas = cas.rename(columns={"case": "unit", "scope": "systemic"})
connus = cas[cas["systemic"].notna() | cas["modelled"].notna()]
ce.plots.typology_map(connus, names=dict(zip(cas["unit"], cas["name"], strict=True)))
plt.show()"""),
    ("md", """\
## 6. Modèle socio-économique *(Resources by category)*

Les heures de bénévolat sont d'abord valorisées en euros (`ce.report.resources_in_euros`, qui
appelle `ce.valuation.resources_profile` avec la valeur de référence du catalogue), puis empilées
avec les ressources marchandes et non marchandes. `resources_in_euros` regroupe par vague
(`by="wave"`) ou par coopération (`by="unit"`)."""),
    ("code", """\
res = panel["resources"]
v3 = ce.report.resources_in_euros(res[res["wave"] == 3], by="unit", date="2024-06-01")
ce.plots.resource_bars(v3, by="unit", share=True, names=noms)
plt.show()"""),
    ("code", """\
u01 = ce.report.resources_in_euros(res[res["unit"] == "u01"], date="2024-06-01")
ce.plots.resource_bars(u01, by="wave", names={w: f"Vague {w}" for w in (1, 2, 3)})
plt.show()"""),
    ("md", """\
## 7. SROI : construction de la valeur et sensibilité *(SROI waterfall and tornado)*

Exemple **illustratif** (quantités inventées, valeurs de référence du catalogue) : retours à
l'emploi valorisés au coût de la privation d'emploi (ATD Quart Monde 2015), heures de bénévolat
au SMIC, avec des fourchettes sur l'effet d'aubaine."""),
    ("code", """\
effets = pd.DataFrame({
    "outcome": ["retour à l'emploi", "heures de bénévolat"],
    "quantity": [6, 2574],
    "proxy": ["cout_privation_emploi_atd_2015", "heure_benevole_smic_brut"],
    "deadweight": [0.3, 0.1], "deadweight_low": [0.2, 0.0], "deadweight_high": [0.5, 0.2],
    "attribution": [0.2, 0.0], "duration": [2, 1],
})
sroi = ce.valuation.sroi(effets, inputs=150_000.0, date="2024-06-01")
ce.plots.waterfall(sroi)
plt.show()"""),
    ("code", """\
ce.plots.tornado(sroi.sensitivity())
plt.show()"""),
    ("md", """\
Sur un téléphone, le rapport de restitution montre la même construction dessinée en travers de
l'écran, une ligne par effet, sans texte sous 9 points ; `ce.plots.phone.for_phone()` la dessine
ainsi *(the waterfall drawn for a phone)*."""),
    ("code", """\
with ce.plots.phone.for_phone():
    ce.plots.waterfall(sroi)
plt.show()"""),
    ("md", """\
## 8. Le référentiel et ses poids *(Framework tree with weights)*

À gauche, le poids de chaque élément dans son groupe ; la barre donne son poids dans le score
d'ensemble. Ici avec les poids délibérés de l'atelier."""),
    ("code", """\
ce.plots.framework_tree(fw, poids)
plt.show()"""),
    ("md", "## 9. En anglais *(In English)*"),
    ("code", """\
ce.plots.radar(scores, unit="u01", fw=fw, names=noms, lang="en")
plt.show()"""),
    ("md", """\
## 10. Le rapport de restitution *(The restitution report)*

`ce.report.restitution` lit une évaluation (`ce.Evaluation`, le modèle unique que lisent aussi le
tableau de bord, le projet et la ligne de commande) et assemble ces figures, avec pour chacune une
explication en langage courant,
dans un document HTML autonome (images intégrées) ; `ce.report.to_pdf` l'imprime en PDF avec
Chromium. Les groupes de moins de 5 personnes ne sont jamais montrés."""),
    ("code", """\
# le rapport lit une évaluation : observations, échelles d'enquête, délibération, ressources —
# les mêmes chiffres que le tableau de bord et la ligne de commande
evaluation = ce.Evaluation(fw, panel["observations"], panel["responses"], ce.datasets.load("deliberation_exemple"),
                           panel["resources"], panel["units"], n=500)
print(" ".join(ce.i18n.provenance(evaluation.provenance(), fw_title=fw.title())))
dossier = Path(tempfile.mkdtemp())
html = ce.report.restitution(
    evaluation, "La Ruche des Coteaux", 3, sroi=sroi,
    sources=["panel_synthetique (données synthétiques)", "deliberation_exemple (atelier synthétique)"],
    path=dossier / "restitution_u01_v3.html",
)
print(f"{len(html) / 1e6:.1f} Mo, {html.count('<figure>')} figures")"""),
    ("code", """\
if Path(ce.report.pdf.CHROMIUM).exists():
    pdf = ce.report.to_pdf(dossier / "restitution_u01_v3.html", dossier / "restitution_u01_v3.pdf")
    print(pdf.name, f"{pdf.stat().st_size / 1e6:.1f} Mo")
else:
    print("Chromium absent : export PDF non testé ici")"""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "07_galerie_figures.ipynb")
