"""Cells of ``notebooks/04_scores_incertitude.ipynb``: ``.venv/bin/python notebooks/_build/04_scores_incertitude.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Scores, profils et incertitude
*(Scores, profiles and uncertainty)*

Le rapport du Labo de l'ESS *Vers une société de la coopération* (2024) demande une évaluation
**multidimensionnelle** : une coopération territoriale produit des résultats sociaux, écologiques,
territoriaux, démocratiques et économiques qui ne se résument pas à un chiffre. Ce carnet montre
donc d'abord des **profils** (où sommes-nous forts, où faibles, qu'est-ce qui a changé depuis le
dernier tour ?), puis, pour celles et ceux qui en ont besoin (financeurs, chercheur·es), un
**indice composite** — en montrant à quel point il dépend de choix contestables : les poids des
parties prenantes, la normalisation, l'agrégation.

Plan :

1. les données et la règle des données manquantes (la couverture est toujours affichée) ;
2. les scores à chaque niveau de l'arbre, et les profils par dimension ;
3. les évolutions entre vagues ;
4. l'effet des choix de méthode, y compris un classement **non compensatoire** (Copeland) ;
5. le Monte Carlo sur les poids des collèges et les méthodes : intervalles de rang, probabilité
   d'être dans les 3 premiers, probabilité de progression, parts de variance."""),
    ("code", """\
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import coopeval as ce
from coopeval.scoring import changes, profiles, rank_noncompensatory

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
fw = ce.load_framework("cooperation_territoriale")
fw"""),
    ("md", """\
## 1. Les données *(The data)*

Le jeu `panel_synthetique` suit 12 coopérations fictives (tiers-lieux, PTCE, SCIC, épiceries…)
sur 3 vagues d'évaluation. Les observations sont en format long : `unit, wave, indicator, value`.
S'il n'est pas disponible, un petit panel est généré ici."""),
    ("code", """\
try:
    panel = ce.datasets.load("panel_synthetique")
    obs, unites = panel["observations"], panel["units"]
except Exception:  # pragma: no cover - repli si le jeu de données n'est pas installé
    rng = np.random.default_rng(0)
    ind = fw.indicators
    obs = pd.DataFrame([(f"u{u:02d}", w, r.indicator, rng.uniform(r.lower, r.upper))
                        for u in range(1, 13) for w in (1, 2, 3) for r in ind.itertuples()],
                       columns=["unit", "wave", "indicator", "value"])
    unites = pd.DataFrame({"unit": sorted(obs["unit"].unique())}).assign(name=lambda d: d["unit"])
noms = unites.set_index("unit")["name"]
print(obs.shape, "observations ;", obs["value"].isna().sum(), "valeurs manquantes")
obs.head()"""),
    ("md", """\
## 2. Scores et couverture *(Scores and coverage)*

`ce.score` normalise chaque indicateur (ici avec les **bornes du référentiel**, plafonnées, après
la transformation éventuelle — log1p pour les volumes — et le sens : plus c'est haut, mieux
c'est), puis agrège nœud par nœud : critères, dimensions, score global (`overall`).

**Données manquantes** : un nœud est calculé sur ses enfants disponibles (poids rééchelonnés)
s'ils portent au moins la moitié de son poids (`min_coverage=0.5`) ; sinon il est manquant. La
colonne `coverage` le dit toujours : rien n'est silencieux."""),
    ("code", """\
sc = ce.score(obs, fw, normalisation="goalposts", aggregation="arithmetic", min_coverage=0.5)
print(sc["level"].value_counts().to_dict())
couverture = sc[sc["level"] == "dimension"].pivot_table(index="node", columns="wave", values="coverage",
                                                         aggfunc="mean")
couverture.round(2)"""),
    ("md", """\
Le **profil** d'une coopération : une ligne par coopération et par vague, une colonne par
dimension (libellés en français)."""),
    ("code", """\
prof = profiles(sc, level="dimension", fw=fw)
derniere = prof[prof["wave"] == prof["wave"].max()].set_index("unit").drop(columns="wave")
derniere.index = derniere.index.map(noms)
derniere.round(1)"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(9, 5))
im = ax.imshow(derniere.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=100, aspect="auto")
ax.set_xticks(range(derniere.shape[1]), derniere.columns, rotation=35, ha="right")
ax.set_yticks(range(derniere.shape[0]), derniere.index)
fig.colorbar(im, ax=ax, label="score (0–100)")
ax.set_title("Profils par dimension, dernière vague")
fig.tight_layout()"""),
    ("md", """\
## 3. Évolutions entre vagues *(Changes between waves)*

`changes` compare deux vagues consécutives, nœud par nœud. Comme la normalisation par bornes ne
dépend pas des données, les vagues restent **comparables** (avec `minmax`, la normalisation est
calculée sur les vagues réunies pour la même raison)."""),
    ("code", """\
evol = changes(sc, level="dimension")
evol["coop"] = evol["unit"].map(noms)
evol["dimension"] = evol["node"].map(lambda n: fw.label(n))
tableau = evol.pivot_table(index="coop", columns=["wave_to", "dimension"], values="change")
print("Plus fortes progressions :")
evol.nlargest(5, "change")[["coop", "dimension", "wave_from", "wave_to", "score_from", "score_to", "change"]].round(1)"""),
    ("md", """\
## 4. Les choix de méthode comptent *(Method choices matter)*

Même données, quatre façons de composer le score global : moyenne arithmétique (compensatoire),
géométrique entre dimensions (une dimension faible pèse davantage), minimum (aucune
compensation), et un **classement non compensatoire** de Copeland (les coopérations sont
comparées deux à deux, chaque indicateur « vote » avec son poids). La normalisation minmax
(1–100), calculée vague par vague (`minmax_wave`), évite les zéros dans la moyenne géométrique.
On donne **toutes les vagues** et on garde la dernière dans le résultat : les comptages du
référentiel sont bornés par rapport à la première vague de chaque coopération, qui doit donc
faire partie des observations (voir le guide « Bornes relatives »).

Les observations sont vérifiées et mises en tableau **une seule fois** (`ce.prepare`) : chaque
variante les reprend sans refaire les contrôles, et la normalisation commune n'est calculée
qu'une fois. Les scores sont exactement ceux qu'on obtient depuis le tableau long."""),
    ("code", """\
vague = obs["wave"].max()
donnees = ce.prepare(obs, fw)  # vérifiées et mises en tableau une fois pour toutes les variantes
memes = ce.score(donnees, fw, normalisation="minmax_wave", output_range=(1, 100)).equals(
    ce.score(obs, fw, normalisation="minmax_wave", output_range=(1, 100)))
print("mêmes scores que depuis le tableau long :", memes)
rangs = {}
for nom, agg in {"arithmétique": "arithmetic", "géométrique entre dimensions": {"overall": "geometric"},
                 "minimum entre dimensions": {"overall": "minimum"}}.items():
    s = ce.score(donnees, fw, normalisation="minmax_wave", aggregation=agg, output_range=(1, 100))
    glob = s[(s["node"] == "overall") & (s["wave"] == vague)].set_index("unit")["score"]
    rangs[nom] = glob.rank(ascending=False, method="min").astype(int)
cop = rank_noncompensatory(obs, fw, method="copeland", normalisation="minmax_wave")
cop = cop[cop["wave"] == vague].set_index("unit")
rangs["Copeland (non compensatoire)"] = cop["rank"]
comparaison = pd.DataFrame(rangs)
comparaison.index = comparaison.index.map(noms)
comparaison.sort_values("arithmétique")"""),
    ("md", """\
## 5. Monte Carlo : les poids des collèges et les méthodes *(Monte Carlo)*

Les poids ne sont pas un chiffre unique : ils viennent d'une délibération entre collèges
(habitant·es, salarié·es, bénévoles, collectivités, financeurs) qui ne sont pas d'accord sur tout.
On nomme ce qu'on fait varier (`sources=`, détaillé en section 6) : ici la **diversité des avis
exprimés** (`"views"` : à chaque tirage, les poids d'une personne de chaque collège prise au
hasard, chaque collège gardant sa voix) et les **choix de méthode** (`"methods"` : une
normalisation et une agrégation parmi des choix défendables). Chaque tirage re-classe toutes les
coopérations ; on en garde les **intervalles**, et `mc.settings["sources_varied"]` dit ce qui a
réellement varié.

Le calcul est vectorisé (des milliers de tirages en quelques secondes) et découpé en paquets à
mémoire bornée ; `executor=` permet de l'envoyer sur un cluster (`dask.distributed`)."""),
    ("code", """\
try:
    jug = ce.datasets.load("deliberation_exemple")
    voix = {"habitants": 0.30, "salarie_es": 0.20, "benevoles": 0.20, "collectivites": 0.15, "financeurs": 0.15}
    # three people per college weighted « Social »'s criteria: unequal voices need min_group <= 3
    ws = ce.weighting.aggregate(jug, fw, by="college", college_shares=voix, share_bounds=(0.10, 0.50),
                                min_group=3)
except Exception:  # pragma: no cover - repli : poids par défaut, seules les méthodes varient
    ws = None
mc = ce.uncertainty(
    obs, fw, weights=ws, n=2000, seed=2025, sources=["views", "methods"],
    normalisations=["goalposts", "minmax"],
    aggregations=["arithmetic", {"overall": "geometric"}],
    output_range=(1, 100), nodes="dimensions", sensitivity_n=1000,
)
print("a varié :", mc.settings["sources_varied"])
mc"""),
    ("code", """\
res = mc.summary[(mc.summary["node"] == "overall") & (mc.summary["wave"] == vague)].copy()
res["coop"] = res["unit"].map(noms)
res = res.sort_values("rank_median")
res[["coop", "score", "score_low", "score_median", "score_high", "rank", "rank_low", "rank_median",
     "rank_high"]].round(1)"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(8, 5))
y = np.arange(len(res))
ax.hlines(y, res["rank_low"], res["rank_high"], color="tab:blue", lw=4, alpha=0.6, label="intervalle à 90 %")
ax.plot(res["rank_median"], y, "o", color="tab:blue", label="rang médian")
ax.plot(res["rank"], y, "x", color="black", label="rang nominal")
ax.set_yticks(y, res["coop"])
ax.invert_yaxis()
ax.set_xlabel("rang (1 = meilleur score global)")
ax.set_title(f"Intervalles de rang, vague {vague}")
ax.legend(loc="lower right")
fig.tight_layout()"""),
    ("md", """\
Probabilité d'être dans les 3 premières, et probabilité que le score global ait **progressé**
entre les deux dernières vagues (les mêmes poids et méthodes s'appliquent aux deux vagues d'un
tirage : c'est la progression qui est incertaine, pas la règle)."""),
    ("code", """\
top3 = mc.top_k[(mc.top_k["node"] == "overall") & (mc.top_k["k"] == 3) & (mc.top_k["wave"] == vague)]
prog = mc.improvement[(mc.improvement["node"] == "overall") & (mc.improvement["wave_to"] == vague)]
synthese = top3.set_index("unit")[["probability"]].rename(columns={"probability": "P(top 3)"})
synthese["P(progression)"] = prog.set_index("unit")["probability"]
synthese.index = synthese.index.map(noms)
synthese.sort_values("P(top 3)", ascending=False).round(2)"""),
    ("md", """\
**Qu'est-ce qui fait varier le score global et le rang ?** Avec des sources nommées,
`mc.decomposition` partage la variance du score (`quantity="score"`) et du rang (`"rank"`) de
chaque coopération entre les sources (indices de Sobol du premier ordre `first_order` et
totaux `total`, estimateurs de Saltelli 2010 et Jansen 1999, vérifiés contre SALib)."""),
    ("code", """\
dec = mc.decomposition
dec[dec["node"] == "overall"].groupby(["quantity", "source"])[["first_order", "total"]].mean().round(2)"""),
    ("code", """\
from coopeval.i18n import uncertainty as mots

u = res["unit"].iloc[len(res) // 2]
print(mots.share_sentence(dec, u, vague, noms[u], min_share=0.0))"""),
    ("md", """\
## 6. Les sources d'incertitude, une par une *(The sources of uncertainty)*

Chaque source se fait varier seule ou avec d'autres (`sources=[...]`) ; le résultat enregistre
ce qui a été demandé et ce qui a réellement varié, et les phrases du rapport de restitution en
sont tirées (`coopeval.i18n.uncertainty`).

| source | ce qui varie | l'intervalle… |
|---|---|---|
| `views` | les poids d'une personne de chaque collège prise au hasard (voix des collèges gardées) | montre l'étendue de ce qui a été dit ; **ne rétrécit pas** avec plus de participant·es |
| `sampling` | les participant·es rééchantillonné·es dans leur collège (bootstrap des moyennes) | couvre le poids moyen du collège entier ; **rétrécit** en 1/√n |
| `methods` | normalisation et agrégation tirées parmi des choix défendables | couvre les méthodes admissibles |
| `measurement` | score d'enquête x̄ + (s/√n)·T(n−1) | un score sur 6 répondant·es est moins sûr qu'un score sur 60 |

Le défaut d'une restitution (`Evaluation.uncertainty`) est la diversité des avis. Les tests
de calibration (`tests/uncertainty/test_calibration.py`) vérifient que les intervalles à 90 %
couvrent la vérité 88 à 92 % du temps pour chaque source."""),
    ("code", """\
from coopeval.uncertainty.sources import measurement_error

ev = ce.evaluation.Evaluation.sample()
me = measurement_error(ev.responses, fw)
print(me[["n", "se"]].describe().round(2).loc[["min", "50%", "max"]])
lignes = []
for src in (["views"], ["sampling"], ["methods"], ["measurement"], ["views", "sampling", "methods", "measurement"]):
    m = ce.uncertainty(ev.values, fw, weights=ev.weightset(), n=500, seed=1, sources=src, measurement=me,
                       nodes=["overall"], sensitivity=False)
    s = m.summary[m.summary["wave"] == vague]
    lignes.append({"sources": " + ".join(src),
                   "largeur du score (médiane)": (s["score_high"] - s["score_low"]).median(),
                   "largeur du rang (moyenne)": (s["rank_high"] - s["rank_low"]).mean()})
pd.DataFrame(lignes).round(2)"""),
    ("md", """\
La diversité des avis donne des intervalles plus larges que l'erreur d'échantillonnage sur les
moyennes : les deux ne répondent pas à la même question (« que pensent les personnes ? » contre
« à quel point connaît-on la moyenne du collège ? »). Un intervalle de largeur nulle n'est
jamais imprimé « 41–41 » : le rapport écrit par exemple « tous les tirages donnent le même
rang : les avis exprimés ne changent pas le classement »."""),
    ("code", """\
print(mots.rank_text(10, 10, {"sources_varied": ["views"]}))
print(mots.uncertainty_sentence(mc.settings))"""),
    ("md", """\
## À retenir *(Take-aways)*

- Les **profils** par dimension et leurs **évolutions** sont le résultat principal ; le score
  global n'est qu'un résumé, et il est montré avec son incertitude.
- La couverture des données est affichée à chaque niveau ; la règle (50 % du poids) est explicite.
- Les écarts de rang entre méthodes, et les intervalles du Monte Carlo, disent quels classements
  sont robustes et lesquels dépendent de choix que le collectif peut débattre.
- On dit toujours **ce qui a varié** : la diversité des avis, l'erreur d'échantillonnage, les
  choix de méthode, l'erreur de mesure — et quelle part de l'incertitude vient de chacun."""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "04_scores_incertitude.ipynb")
