"""Cells of ``notebooks/06_statistiques_these.ipynb``: ``.venv/bin/python notebooks/_build/06_statistiques_these.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Statistiques pour un chapitre de thèse
*(Research statistics for a thesis chapter)*

Vous êtes doctorant·e CIFRE ou chercheur·e embarqué·e dans une coopération territoriale. Le
collectif a construit son référentiel, répondu à des questionnaires et renseigné des indicateurs à
plusieurs **vagues**. Avant d'écrire le chapitre « résultats », un jury vous demandera :

1. vos **échelles** de questionnaire sont-elles **fiables** ? (alpha de Cronbach, oméga de McDonald)
2. les **parties prenantes s'accordent-elles** dans leurs appréciations ? (ICC, alpha de Krippendorff)
3. les choses ont-elles **changé entre les vagues** au-delà du hasard ? (tests appariés, correction
   pour comparaisons multiples, modèle mixte)
4. les **collèges voient-ils** la coopération **différemment** ? (ANOVA, Welch, Kruskal–Wallis,
   post-hoc) — sans jamais exposer un groupe de moins de 5 personnes ;
5. les **dimensions du référentiel tiennent-elles** ensemble, certains indicateurs sont-ils
   **redondants** ? (corrélations, ACP par dimension)

`coopeval.stats` répond à chacune en **un appel** qui rend un **tableau tidy** : estimation,
intervalle de confiance (`ci_low`, `ci_high`), taille d'effet, `p_value`, `n`. Les calculs sont
délégués à **pingouin** et **statsmodels** ; l'ICC et l'alpha de Krippendorff sont calculés par
coopeval (vérifiés contre pingouin et le paquet `krippendorff`), et chaque fonction est
testée contre une référence publiée (Shrout & Fleiss 1979, Krippendorff 2011, lme4…).

Les données : `panel_synthetique`, une évaluation **synthétique** de 12 coopérations sur 3 vagues,
avec des **effets construits dont on connaît la vraie valeur** (voir le `README.md` du jeu de
données). C'est l'intérêt d'un jeu synthétique : vérifier qu'une méthode retrouve ce qu'on y a mis
avant de l'appliquer à de vraies données."""),
    ("code", """\
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import coopeval as ce
from coopeval import stats

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)
pd.set_option("display.precision", 3)

fw = ce.load_framework("cooperation_territoriale")
panel = ce.datasets.load("panel_synthetique")
responses, observations = panel["responses"], panel["observations"]
print(responses.shape, observations.shape)
responses.head()"""),
    ("md", """\
Les réponses suivent le contrat `respondent, unit, wave, college, item, value` : une ligne par
réponse à un item. Les items **inversés** (« Je me sens à l'écart… ») sont stockés **tels que
répondus** ; coopeval les recode (`borne basse + borne haute − x`, soit 6 − x sur une échelle 1–5)
à partir du référentiel, qui sait quels items sont inversés :"""),
    ("code", """\
fw.items.query("reverse")[["indicator", "item", "label_fr"]]"""),
    ("md", """\
`stats.scale_scores` calcule le score de chaque répondant·e sur chaque échelle (moyenne des items
recodés, s'il ou elle a répondu à au moins la moitié des items), puis, avec `level="unit"`, la
moyenne par unité et vague — au format des observations (`unit, wave, indicator, value`)."""),
    ("code", """\
scores_repondants = stats.scale_scores(responses, fw)
scores_unites = stats.scale_scores(responses, fw, level="unit")
scores_repondants.head()"""),
    ("md", """\
## 1. Fidélité des échelles *(Scale reliability)*

`scale_reliability` rend, pour chaque échelle d'au moins deux items : l'**alpha de Cronbach** avec
son intervalle à 95 % (Feldt), l'**oméga de McDonald** (modèle à un facteur estimé par maximum de
vraisemblance, sur la matrice des corrélations), et, par item, la
**corrélation item–reste**, l'**alpha si l'item est supprimé** et la **saturation** sur le facteur.
La colonne `flag` signale ce qui est sous les seuils conventionnels (0,7 pour alpha et oméga ;
0,3 pour une corrélation item–reste ; un alpha qui *monterait* si l'on supprimait l'item)."""),
    ("code", """\
fidelite = stats.scale_reliability(responses, fw)
echelles = fidelite[fidelite["item"].isna()].pivot(
    index="indicator", columns="statistic", values="estimate")
echelles["alpha_ic95"] = (
    fidelite.query("statistic == 'cronbach_alpha'").set_index("indicator")
    .apply(lambda r: f"[{r.ci_low:.2f} ; {r.ci_high:.2f}]", axis=1))
echelles["n"] = fidelite.query("statistic == 'cronbach_alpha'").set_index("indicator")["n"]
echelles"""),
    ("md", """\
Le jeu de données a été construit avec un facteur latent par échelle, pour un alpha attendu
d'environ 0,75–0,82 : c'est ce qu'on retrouve. Les deux échelles à **deux items**
(`reconnaissance_territoire`, `bien_etre_habitants`) ont un oméga **NaN** : un modèle à un facteur
n'est pas identifié avec deux items (la colonne `note` le dit). Pour elles, rapportez l'alpha (ou
le coefficient de Spearman–Brown) et dites pourquoi.

Le détail par item d'une échelle qui contient un item inversé :"""),
    ("code", """\
fidelite.query("indicator == 'influence_percue' and item.notna()").pivot(
    index="item", columns="statistic", values="estimate")"""),
    ("md", """\
Une corrélation item–reste négative pour `influence_confisquee` trahirait un item inversé oublié :
ici elle est positive, le recodage a bien été fait. On peut aussi vérifier que la fidélité est
**stable d'une vague à l'autre** (`by="wave"`) :"""),
    ("code", """\
stats.scale_reliability(responses, fw, by="wave").query("statistic == 'cronbach_alpha'").pivot(
    index="indicator", columns="wave", values="estimate")"""),
    ("md", """\
## 2. Accord entre parties prenantes *(Agreement between stakeholders)*

Les collèges classent-ils les coopérations de la même façon ? On traite chaque **collège** comme
un « juge » et chaque **coopération** comme une « cible » : la note d'un collège pour une
coopération est la moyenne de ses membres (toutes vagues confondues). `rater_agreement` donne les
six **ICC de Shrout & Fleiss (1979)** — nommés comme dans l'article : ICC(1,1), ICC(2,1),
ICC(3,1) et leurs versions « moyenne de k juges » — avec les noms de McGraw & Wong (1996) en regard,
et l'**alpha de Krippendorff** avec un intervalle *bootstrap* (rééchantillonnage des cibles).

Choisir la forme : ICC(2,1) (accord absolu, juges aléatoires) si l'on veut savoir si une note d'un
collège vaut celle d'un autre ; ICC(3,1) (cohérence) si seul l'ordre des coopérations compte.

> Ces moyennes par collège et par coopération reposent parfois sur moins de 5 personnes : c'est
> un calcul **pour le chercheur**, pas un tableau à montrer au collectif."""),
    ("code", """\
communs = ["nouvelles_relations", "reconnaissance_territoire", "influence_percue"]
notes_colleges = (scores_repondants[scores_repondants["indicator"].isin(communs)]
                  .groupby(["indicator", "unit", "college"], as_index=False)["value"].mean())
with warnings.catch_warnings():
    warnings.simplefilter("ignore", stats.StatsWarning)  # cibles incomplètes écartées des ICC
    accord = stats.rater_agreement(notes_colleges, target="unit", rater="college",
                                   by="indicator", n_boot=500, seed=1)
accord.query("name in ['ICC(2,1)', 'ICC(3,1)', 'ICC(2,k)', \\"Krippendorff's alpha\\"]")[
    ["indicator", "name", "mcgraw_wong", "estimate", "ci_low", "ci_high", "p_value", "n_targets", "n_raters"]]"""),
    ("md", """\
Les ICC « un juge » sont modestes : un collège pris seul reflète mal le classement des
coopérations, parce que chaque moyenne repose sur peu de personnes. Les ICC « k juges » (la
moyenne des six collèges) sont nettement plus fiables — argument pour agréger les collèges
(voir `ce.weighting.aggregate`) plutôt que de s'appuyer sur l'un d'eux.

## 3. Changement entre vagues *(Change across waves)*

### 3.1 Tests appariés, indicateur par indicateur

Chaque coopération est comparée à elle-même d'une vague à l'autre (`pairs="consecutive"` :
1→2, 2→3). `wave_change` rend la différence moyenne et son intervalle, le *t* apparié, le
*d<sub>z</sub>* de Cohen (avec intervalle) et la *p*-valeur **corrigée** pour le nombre de tests
(Holm par défaut ; `correction="bh"` pour Benjamini–Hochberg) : avec 8 échelles × 2 comparaisons,
sans correction, on trouverait un « effet » par hasard presque à coup sûr."""),
    ("code", """\
changement = stats.wave_change(scores_unites, test="t", correction="holm")
changement[["variable", "wave_from", "wave_to", "n", "estimate", "ci_low", "ci_high",
            "p_value", "p_adjusted", "effect_size", "significant"]]"""),
    ("md", """\
Seule l'échelle de gouvernance `influence_percue` bouge de façon nette, d'environ **+0,3 point par
vague** — l'effet construit dans les données (+0,3). Avec 12 coopérations, la puissance est
faible : la deuxième comparaison, du même ordre de grandeur, ne survit pas toujours à la
correction. Le test de **Wilcoxon** (sans hypothèse de normalité ; taille d'effet : corrélation
bisériale de rangs, intervalle *bootstrap*) sert de contrôle de robustesse. Quand les 12
différences sont toutes positives, la corrélation bisériale vaut 1 et son intervalle *bootstrap*
dégénère en [1 ; 1] : c'est attendu, pas une erreur."""),
    ("code", """\
stats.wave_change(scores_unites, test="wilcoxon", correction="holm", seed=0).query(
    "variable == 'influence_percue'")[
    ["variable", "wave_from", "wave_to", "estimate", "ci_low", "ci_high", "p_adjusted",
     "effect_size", "effect_ci_low", "effect_ci_high"]]"""),
    ("md", """\
Les mêmes fonctions s'appliquent aux **indicateurs observés** (comptabilité, registres) — avec
30 indicateurs, la correction de Benjamini–Hochberg (contrôle du taux de fausses découvertes) est
souvent plus adaptée que Holm. Le `StatsWarning` affiché signale deux indicateurs binaires qui
n'ont changé dans aucune coopération : leur test est NaN (documenté dans la colonne `note`) au
lieu de faire planter le calcul :"""),
    ("code", """\
obs_change = stats.wave_change(observations, pairs="first_last", correction="bh")
obs_change.sort_values("p_adjusted").head(8)[
    ["variable", "n", "mean_from", "mean_to", "estimate", "p_adjusted", "effect_size"]]"""),
    ("md", """\
### 3.2 Modèle linéaire mixte

Les tests appariés jettent l'information individuelle. Le **modèle mixte** (statsmodels `MixedLM`)
utilise toutes les réponses : `score ~ vague + collège`, avec un **intercept aléatoire par
coopération** (les répondant·es d'une même coopération se ressemblent). `wave_mixed_model` rend un
tableau lisible : un terme par ligne, estimation, erreur type, *z*, *p*, intervalle, puis les
variances (entre coopérations, résiduelle)."""),
    ("code", """\
mixte = stats.wave_mixed_model(
    scores_repondants.query("indicator == 'influence_percue'"), college="college")
mixte[["term", "estimate", "std_error", "z", "p_value", "ci_low", "ci_high", "n_obs", "n_units"]]"""),
    ("code", """\
pente = mixte.set_index("term").loc["wave"]
var_u = mixte.set_index("term").loc["unit_variance", "estimate"]
var_e = mixte.set_index("term").loc["residual_variance", "estimate"]
print(f"Pente par vague : {pente.estimate:+.2f} [{pente.ci_low:.2f} ; {pente.ci_high:.2f}] "
      f"(vraie valeur +0,30)")
print(f"Part de variance entre coopérations (ICC du modèle) : {var_u / (var_u + var_e):.0%}")"""),
    ("code", """\
moyennes = scores_unites.query("indicator == 'influence_percue'").pivot(
    index="wave", columns="unit", values="value")
ax = moyennes.plot(color="0.7", legend=False, figsize=(6, 3.5), marker="o", lw=1)
moyennes.mean(axis=1).plot(ax=ax, color="#c44e52", lw=3, marker="o")
ax.set_xticks([1, 2, 3])
ax.set_xlabel("vague")
ax.set_ylabel("influence perçue (1–5)")
ax.set_title("Influence perçue par coopération (gris) et moyenne (rouge)")
plt.tight_layout()"""),
    ("md", """\
## 4. Différences entre collèges *(Differences between colleges)*

**Règle des petits groupes.** Aucun tableau montré au collectif ne doit révéler un groupe de moins
de `min_group` personnes (5 par défaut) : `college_summary` masque la moyenne de ces groupes
(`suppressed=True`, l'effectif reste visible) ; `college_differences` et `college_posthoc` les
**écartent** des tests (`small_groups="suppress"`, par défaut) et les listent, ou, pour vos seuls
yeux, les gardent en les signalant (`small_groups="flag"`).

Sur l'ensemble du panel tous les collèges dépassent 5 répondant·es ; ce n'est plus vrai pour une
coopération à une vague donnée :"""),
    ("code", """\
reco = scores_repondants.query("indicator == 'reconnaissance_territoire'")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", stats.StatsWarning)
    une_unite = stats.college_summary(reco.query("unit == 'u01' and wave == 1"), lang="fr")
une_unite  # en-têtes en français (lang="fr") : ce tableau peut être montré au collectif"""),
    ("code", """\
stats.college_summary(reco)"""),
    ("md", """\
Trois tests omnibus : l'**ANOVA** classique, l'**ANOVA de Welch** (robuste à des variances
inégales — à privilégier par défaut, Delacre et al. 2019) et **Kruskal–Wallis** (sur les rangs),
avec η² ou ε² comme taille d'effet :"""),
    ("code", """\
stats.college_differences(reco)[
    ["variable", "test", "statistic", "df1", "df2", "p_value", "effect_size", "effect_size_name",
     "n", "n_groups", "small_groups"]]"""),
    ("code", """\
posthoc = stats.college_posthoc(reco, method="games_howell")
posthoc.sort_values("p_value").head(5)[
    ["group_a", "group_b", "mean_a", "mean_b", "estimate", "std_error", "p_value", "effect_size"]]"""),
    ("md", """\
Les habitant·es notent la reconnaissance de la coopération par le territoire environ **0,5 point
plus bas** que les salarié·es — l'effet construit (−0,5). Le post-hoc de Games–Howell ajuste les
*p*-valeurs pour les 15 paires. L'écart a un sens pour le collectif : les personnes du quartier
ne perçoivent pas le projet comme le perçoivent celles qui y travaillent.

## 5. Structure du référentiel *(Structure of the framework)*

Le manuel OCDE–JRC (2008) sur les indicateurs composites recommande, **avant d'agréger**,
d'examiner les corrélations entre indicateurs (deux indicateurs quasi identiques comptent deux fois
la même chose) et la structure de chaque dimension (ACP). `framework_structure` rend les deux. Les
indicateurs « à diminuer » (`direction: decrease`) sont retournés pour qu'une corrélation positive
veuille dire « les deux vont dans le bon sens »."""),
    ("code", """\
with warnings.catch_warnings():
    warnings.simplefilter("ignore", stats.StatsWarning)
    structure = stats.framework_structure(observations, fw, method="spearman", threshold=0.9)
corr = structure.correlations
print(f"{corr['redundant'].sum()} paires |r| > 0,9 sur {len(corr)}")
corr.sort_values("r", key=abs, ascending=False).head(6)[
    ["indicator_a", "indicator_b", "same_dimension", "r", "ci_low", "ci_high", "n"]]"""),
    ("code", """\
# |r| moyen au sein d'une même dimension et entre dimensions
corr.assign(abs_r=corr["r"].abs()).groupby("same_dimension")["abs_r"].agg(["mean", "median", "size"])"""),
    ("md", """\
La paire construite comme redondante (`participants_actifs` et `heures_benevolat`, le bénévolat
valorisé à 12 h par participant·e) arrive en tête avec r ≈ 0,99 : garder les deux reviendrait à
compter deux fois la même chose. D'autres paires dépassent 0,9 parce que, dans ce panel, **tous**
les indicateurs suivent la « maturité » de la coopération : avec 12 coopérations × 3 vagues (36
cas, non indépendants), une forte corrélation entre dimensions dit « les coopérations mûres vont
mieux partout », pas nécessairement que les indicateurs mesurent la même chose. Le |r| moyen
est d'ailleurs le même au sein d'une dimension et entre dimensions : dans ce panel, les dimensions
ne se distinguent pas statistiquement — ce qui ne les rend pas inutiles, car elles portent des
**valeurs** différentes que le collectif veut voir séparément. C'est une discussion à avoir avec
le collectif, pas une suppression automatique.

L'ACP par dimension : part de variance de la première composante et saturations."""),
    ("code", """\
acp = structure.pca
premiere = acp.query("component == 1")
premiere.groupby("dimension", sort=False).agg(
    variance_expliquee=("variance_explained", "first"), valeur_propre=("eigenvalue", "first"),
    n=("n", "first"), indicateurs=("indicator", "size"))"""),
    ("code", """\
premiere.query("dimension == 'gouvernance'")[["indicator", "loading"]]"""),
    ("md", """\
Une saturation faible ou de signe opposé (ici `parite_instances`, un indicateur « cible » : la
bonne valeur est 50 %, ni plus ni moins) signale un indicateur qui ne suit pas le reste de sa
dimension — à discuter : est-il mal placé, mal orienté, ou apporte-t-il justement une information
différente ?

## 6. Écrire le résultat *(Reporting)*

Tous les nombres d'un paragraphe de thèse sont dans les tableaux ; les écrire depuis le code évite
les erreurs de recopie :"""),
    ("code", """\
a = fidelite.query("indicator == 'influence_percue' and statistic == 'cronbach_alpha'").iloc[0]
o = fidelite.query("indicator == 'influence_percue' and statistic == 'mcdonald_omega'").iloc[0]
g = posthoc.query("group_a == 'habitants' and group_b == 'salarie_es'").iloc[0]
print(
    f"L'échelle d'influence perçue (3 items) est fiable (α = {a.estimate:.2f}, IC95 % "
    f"[{a.ci_low:.2f} ; {a.ci_high:.2f}], ω = {o.estimate:.2f}, n = {a.n}). Elle progresse de "
    f"{pente.estimate:.2f} point par vague (modèle mixte, IC95 % [{pente.ci_low:.2f} ; "
    f"{pente.ci_high:.2f}], p {'< 0,001' if pente.p_value < 0.001 else f'= {pente.p_value:.3f}'}). "
    f"Les habitant·es jugent la reconnaissance territoriale plus basse que les salarié·es "
    f"(différence {g.estimate:.2f} ; Games–Howell p = {g.p_value:.3f} ; g de Hedges = {g.effect_size:.2f})."
)"""),
    ("md", """\
## À retenir

- une fonction, un tableau tidy : estimation, intervalle, taille d'effet, *p*, *n* — les nombres
  qu'un jury demande ; chaque calcul délègue à pingouin / statsmodels et est testé contre une
  référence publiée ;
- sur `panel_synthetique`, les méthodes **retrouvent les effets construits** : α ≈ 0,75–0,82,
  +0,3 point par vague sur la gouvernance, −0,5 point pour les habitant·es sur la reconnaissance
  territoriale, la paire redondante `participants_actifs` / `heures_benevolat` ;
- les cas dégénérés (une seule vague, item constant, collège d'une personne, tout manquant) donnent
  une `StatsError` explicite ou un NaN documenté avec un `StatsWarning`, jamais un plantage obscur ;
- la règle des petits groupes (`min_group=5`) protège les répondant·es dans tout ce qui est montré
  au collectif ;
- avec une douzaine de coopérations, la puissance est faible : rapportez les intervalles et les
  tailles d'effet, pas seulement les *p*-valeurs.

**Références.** Cronbach (1951) ; McDonald (1999) *Test theory* ; Shrout & Fleiss (1979)
*Psychological Bulletin* 86(2) ; McGraw & Wong (1996) *Psychological Methods* 1(1) ; Krippendorff
(2011) *Computing Krippendorff's alpha-reliability* ; Lakens (2013) *Frontiers in Psychology* 4 ;
Holm (1979) ; Benjamini & Hochberg (1995) ; Bates et al. (2015) *J. Stat. Softw.* 67(1) ;
Delacre, Leys, Mora & Lakens (2019) *International Review of Social Psychology* 32(1) ;
OCDE & JRC (2008) *Handbook on Constructing Composite Indicators*."""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "06_statistiques_these.ipynb")
