"""Cells of ``notebooks/09_qualitatif_cycle.ipynb``: ``.venv/bin/python notebooks/_build/09_qualitatif_cycle.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Méthodes mixtes et cycle d'apprentissage
*(Mixed methods and the learning cycle)*

Le rapport du Labo de l'ESS (2024) demande que les résultats d'une coopération soient
« révélés par des indicateurs autres que monétaires et quantifiables », valorisés « via des
indicateurs qualitatifs et quantitatifs », et que l'évaluation soit « une démarche d'amélioration
continue » : restitution, puis « intégration des enseignements de l'évaluation dans la pratique
de la coopération ». Ce carnet montre comment coopeval tient ensemble :

1. les **preuves qualitatives** — extraits d'entretiens, de groupes de discussion, de réponses
   libres — importées, **codées** et vérifiées (**accord entre codeur·ses**) ;
2. ces extraits **à côté des chiffres**, sous les règles d'une restitution (consentement,
   personne d'identifiable, règle des petits groupes) ;
3. les **grilles de progrès** (« émergent » … « consolidé ») ;
4. les **actions décidées** après une restitution et ce qu'elles sont devenues à la vague suivante.

Les données sont **synthétiques** : `qualitatif_exemple` (verbatims écrits pour l'exemple, aucun
entretien réel) sur les coopérations de `panel_synthetique` — voir le `README.md` du jeu de données."""),
    ("code", """\
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import coopeval as ce

pd.set_option("display.max_colwidth", 90)
fw = ce.load_framework("cooperation_territoriale")
q = ce.datasets.load("qualitatif_exemple")
{name: len(df) for name, df in q.items()}"""),
    ("md", """\
## 1. Le contrat des extraits et la grille de codage

Un extrait est une ligne `extract, unit, wave, source, date, speaker, college, consent, text` ;
`speaker` est un **pseudonyme** (le magasin le remplace encore par un pseudonyme à clé), `consent`
dit si l'extrait peut être cité. La grille de codage (`codebook`) relie chaque code à un
**critère ou indicateur** du référentiel (`node`), ou à rien pour un thème libre."""),
    ("code", """\
q["codebook"]"""),
    ("code", """\
q["extracts"].head(3)"""),
    ("md", """\
## 2. Importer des transcriptions codées

Un dossier de fichiers `.txt` : un en-tête `clé: valeur` (coopération, vague, personnes
interrogées avec leur collège et leur accord), une ligne vide, puis les tours de parole
`Nom : texte`. Les codes s'écrivent dans le texte, `[[code: lien_social, entraide]]`. Deux
codeur·ses codent chacun·e une copie de la même transcription (même `source`, autre `coder`)."""),
    ("code", """\
folder = Path(tempfile.mkdtemp())
head = '''unit: u01
wave: 3
date: 2026-03-12
source: entretien_demo
speaker Alice: habitants, oui
speaker Bruno: benevoles, non
interviewer: Enquêtrice
coder: {coder}

Enquêtrice : Qu'est-ce qui a changé depuis l'an dernier ?
'''
(folder / "entretien_demo_c1.txt").write_text(head.format(coder="c1") + '''\
Alice : On vient aux AG maintenant, il y a une garde d'enfants. [[code: participation_ag]]
Bruno : On est toujours aussi peu à porter le lieu. [[code: epuisement_benevole]]
''', encoding="utf-8")
(folder / "entretien_demo_c2.txt").write_text(head.format(coder="c2") + '''\
Alice : On vient aux AG maintenant, il y a une garde d'enfants. [[code: participation_ag, lien_social]]
Bruno : On est toujours aussi peu à porter le lieu. [[code: epuisement_benevole]]
''', encoding="utf-8")
demo = ce.qualitative.read_transcripts(folder)
demo["extracts"][["extract", "speaker", "college", "consent", "text"]]"""),
    ("code", """\
demo["codes"]"""),
    ("md", """\
## 3. Accord entre codeur·ses

Pour chaque code, chaque codeur·se l'a donné ou non à chaque extrait : `intercoder_agreement`
rend l'accord observé, le **kappa de Cohen** (1960) et l'**alpha de Krippendorff** (nominal),
code par code puis sur l'ensemble (`__pooled__`). La fonction est testée contre l'exemple publié
de Krippendorff (2011, α = 0,095) et contre `sklearn.metrics.cohen_kappa_score`. Dans
l'exemple, la vague 2 de `u01` et `u02` a été codée deux fois."""),
    ("code", """\
ce.qualitative.intercoder_agreement(q["codes"]).round(3)"""),
    ("md", """\
## 4. Dans le magasin du projet

Les extraits entrent dans le projet en une transaction ; les locuteur·rices y sont
pseudonymisé·es avec la clé du projet, comme les répondant·es aux questionnaires. Les extraits
et les codes ne sont lisibles que par le rôle *researcher* ; la grille de codage et les actions
(des décisions du collectif) sont lisibles par le collectif."""),
    ("code", """\
project = ce.Project.create(Path(tempfile.mkdtemp()) / "eval.coopeval", framework=fw)
project.set_codebook(q["codebook"])
project.import_extracts(q["extracts"], q["codes"], source="qualitatif_exemple")
project.import_extracts(demo["extracts"], demo["codes"], source=str(folder))
project.add_actions(q["actions"])
project.extracts()[["extract", "speaker", "college", "consent"]].tail(3)"""),
    ("md", """\
## 5. Des extraits à côté des scores

`Evaluation.sample()` assemble le panel, la délibération et ces preuves qualitatives.
`ev.extracts(critère, coopération, vague)` rend les extraits qui éclairent un critère, **sous les
règles d'une restitution** : seulement les extraits consentis, jamais le locuteur ni la source, et
le collège n'est montré que si au moins 5 personnes de ce collège se sont exprimées dans cette
coopération et cette vague. Un collège plus petit (ici, les 2 élu·es du collège « collectivités »)
est regroupé avec le plus petit des autres en **« autres collèges »** (`autres_colleges`) : sinon,
le compte par vague moins les collèges montrés le redonnerait par soustraction."""),
    ("code", """\
ev = ce.evaluation.Evaluation.sample()
score = ev.scores().query("unit == 'u01' and wave == 2 and node == 'participation_decisions'")["score"].item()
print(f"Participation aux décisions, u01, vague 2 : {score:.0f} / 100")
ev.extracts("participation_decisions", "u01", 2)[["label", "college", "college_hidden", "text"]].head(6)"""),
    ("md", """\
Le **résumé par thème** compte les extraits et les personnes par thème, collège et vague, avec les
mêmes regroupements ; une case où moins de 5 personnes se sont exprimées est **supprimée** (NaN,
`suppressed`)."""),
    ("code", """\
themes = ce.qualitative.theme_summary(q["extracts"], q["codes"], q["codebook"], by=["college", "wave"])
themes.head(8)"""),
    ("code", """\
ax = ce.plots.theme_bars(ev.themes("u01"))
plt.show()"""),
    ("md", """\
## 6. Grilles de progrès

Le référentiel par défaut offre deux **grilles** (indicateurs de type `grid`) : gouvernance
partagée et coopération entre acteurs. Chaque niveau (1 à 4) a un **descripteur** ; la validation
du YAML exige un descripteur par niveau. Une grille est **ordinale** : les observations sont des
niveaux entiers, normalisés comme les autres indicateurs ordinaux (bornes du référentiel, niveaux
supposés également espacés ; la normalisation `rank` n'utilise que leur ordre)."""),
    ("code", """\
from coopeval.framework.grids import describe_level, grid_levels

grid_levels(fw).query("indicator == 'grille_gouvernance'")[["level", "label_fr", "descriptor_fr"]]"""),
    ("code", """\
levels = ev.values.query("unit == 'u01' and indicator == 'grille_gouvernance'")
[(w, describe_level(fw, "grille_gouvernance", v)["label"]) for w, v in zip(levels["wave"], levels["value"], strict=True)]"""),
    ("md", """\
## 7. Actions décidées et suivi à la vague suivante

Après chaque restitution, le collectif note les actions décidées (quoi, critères liés, qui, pour
quand). À la vague suivante, `ev.actions(coopération, vague)` met chaque action décidée plus tôt
à côté de l'évolution de ses critères liés (l'indicateur dans son unité, le critère en score) ;
la phrase vient de `coopeval.i18n`. Une évolution ne prouve pas que l'action en est la cause."""),
    ("code", """\
from coopeval.report.learning import follow_up_texts

follow = ev.actions("u01", 3)
for text in follow_up_texts(follow, ev.fw)["text"]:
    print("•", text)"""),
    ("code", """\
ax = ce.plots.action_timeline(q["actions"], unit="u01", waves=ev.waves)
plt.show()"""),
    ("md", """\
## 8. La restitution

Le rapport de restitution (`ce.report.restitution`) et le tableau de bord de restitution (onglet
« Paroles et actions ») montrent les chiffres, les extraits, les grilles et le suivi des actions
ensemble, sous les mêmes règles."""),
    ("code", """\
import re

doc = ce.report.restitution(ev, "u01", 3)
re.findall(r'<h2 id="(\\w+)"', doc)"""),
]


def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "09_qualitatif_cycle.ipynb")
