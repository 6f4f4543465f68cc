"""Cells of ``notebooks/03_ponderation.ipynb``: ``.venv/bin/python notebooks/_build/03_ponderation.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Une séance de pondération délibérative
*(A deliberative weighting session)*

Évaluer l'utilité sociale d'une coopération, c'est d'abord décider **ce qui compte, et combien**.
Le rapport du Labo de l'ESS *Vers une société de la coopération* (2024) demande que cette décision
soit **délibérative** : les parties prenantes en débattent et la prennent ensemble. Dans une SCIC ou
un PTCE, elles sont organisées en **collèges** (habitant·es, salarié·es, bénévoles, collectivités,
financeurs…) dont les statuts fixent la voix — dans une SCIC, chaque collège détient entre 10 % et
50 % des droits de vote.

Les personnes n'expriment pas toutes l'importance de la même façon : certaines trient des cartes,
d'autres répartissent 100 points, d'autres comparent deux à deux. Et le **désaccord est une
information** : il faut le mesurer, le montrer, le remettre en discussion au tour suivant, et le
porter jusque dans les résultats sous forme d'incertitude.

Ce carnet suit une séance fictive mais réaliste (`deliberation_exemple` : 25 participant·es,
5 collèges, 2 tours) :

1. les méthodes d'élicitation, une par une ;
2. la validation des jugements recueillis ;
3. les poids par collège, puis combinés selon la voix de chaque collège ;
4. l'accord entre participant·es et les nœuds **disputés** ;
5. les tours Delphi : consensus, stabilité, règle d'arrêt fixée à l'avance, retour anonymisé ;
6. les poids comme **distribution**, pour le moteur d'incertitude."""),
    ("code", """\
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import coopeval as ce

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 60)
fw = ce.load_framework("cooperation_territoriale")
fw.children("overall")"""),
    ("md", """\
## 1. Les méthodes d'élicitation *(Elicitation methods)*

Chaque méthode transforme les réponses d'une personne sur les **enfants d'un nœud** (les
dimensions sous la racine, les critères d'une dimension…) en poids locaux qui somment à 1.

**Répartir 100 points** et **noter de 0 à 10** : le poids est proportionnel aux points ou à la note."""),
    ("code", """\
pd.DataFrame({
    "100 points": ce.weighting.points({"social": 40, "emploi": 25, "ecologie": 20, "economie": 15}),
    "note 0-10": ce.weighting.direct({"social": 9, "emploi": 7, "ecologie": 8, "economie": 5}),
}).round(3)"""),
    ("md", """\
**Classer** du plus au moins important : les poids de substitution *rank-order centroid*
(Barron & Barrett, 1996) sont ceux qui, en moyenne, se trompent le moins quand on ne connaît que
l'ordre. On peut aussi utiliser la somme des rangs ou les rangs réciproques ; les ex-æquo se
partagent les positions."""),
    ("code", """\
classement = ["social", ("emploi", "ecologie"), "economie"]
pd.DataFrame({m: ce.weighting.rank_weights(classement, method=m)
              for m in ["roc", "rank_sum", "reciprocal"]}).round(4)"""),
    ("md", """\
**Le jeu de cartes de Simos** (révisé par Figueira & Roy, 2002) : on pose les cartes du moins au
plus important, on met ensemble les ex-æquo, on glisse des **cartes blanches** pour marquer un
écart plus grand, et l'on dit combien de fois le plus important compte plus que le moins important
(le rapport *z*). Voici l'exemple publié par Figueira & Roy (12 critères, z = 6,5) : la procédure
d'arrondi donne des poids qui somment exactement à 100."""),
    ("code", """\
cartes = [["c", "g", "l"], "d", ["b", "f", "i", "j"], "e", ["a", "h"], "k"]
simos = ce.weighting.simos(cartes, blanks=[0, 1, 0, 0, 0], z=6.5, decimals=1)
simos.to_frame("poids (%)").T, simos.sum()"""),
    ("md", """\
**Comparer deux à deux** (AHP, Saaty 1980) : « le social est-il plus important que l'économie, et
de combien ? ». Le vecteur propre principal (ou la moyenne géométrique des lignes) donne les poids ;
le **ratio de cohérence** (CR, table d'indices aléatoires de Saaty 1980) dit si les jugements se
tiennent (CR < 0,10), l'indice de cohérence géométrique (GCI) complète. Le jugement qui contribue le
plus à l'incohérence n'est pas supprimé : il est **remis en discussion** avec la valeur que suggèrent
les autres jugements. Ici, « écologie 2 fois plus importante qu'économie » contredit les autres
réponses, qui suggèrent plutôt l'inverse (1/3)."""),
    ("code", """\
m = [[1, 3, 5, 2],
     [1 / 3, 1, 2, 1 / 2],
     [1 / 5, 1 / 2, 1, 2],
     [1 / 2, 2, 1 / 2, 1]]
res = ce.weighting.ahp(m, ["social", "emploi", "ecologie", "economie"])
display(res.weights.round(3).to_frame().T)
display(res.summary().round(3))
res.worst"""),
    ("md", """\
**SWING** : on part de la situation où tous les indicateurs sont à leur pire niveau, et l'on demande
quelle amélioration (« passer du pire au meilleur ») on choisirait en premier (100 points), puis la
valeur des suivantes. Les bornes sont celles du référentiel (`lower`, `upper`) — les mêmes que celles
de la normalisation, sinon les poids ne voudraient pas dire la même chose."""),
    ("code", """\
display(ce.weighting.swing_table(fw, "qualite_emploi"))
ce.weighting.swing({"part_cdi": 100, "ecart_salaires": 40, "qualite_vie_travail": 70}).round(3)"""),
    ("md", """\
## 2. Les jugements d'une séance et leur validation *(Judgements and validation)*

Les réponses sont rangées dans une table longue : `session, round, participant, college, method,
node, value` (+ `reason`, la justification donnée). Le codage de `value` dépend de la méthode
(points donnés ; rang avec 1 = le plus important ; position de la carte de Simos avec
`__blanc__` pour une carte blanche ; paire `a|b` et jugement de Saaty en AHP…), voir
`help(ce.weighting.judgements)`."""),
    ("code", """\
jug = ce.datasets.load("deliberation_exemple")
print(jug.shape)
display(jug.head(8))
jug.groupby(["round", "method"])["participant"].nunique().unstack()"""),
    ("md", """\
Toute erreur est signalée **en une fois**, avec la ligne, la personne et le nœud : jugement
incomplet, hors échelle, AHP non réciproque, collège ou nœud inconnu…"""),
    ("code", """\
abime = jug.copy()
p02 = abime.index[(abime["participant"] == "p02") & (abime["round"] == 1)]
ahp = abime.index[(abime["method"] == "ahp") & (abime["round"] == 1)]
abime.loc[0, "node"] = "bien_vivre"                 # p01 : nœud absent du référentiel
abime.loc[p02, "college"] = "elu_es"                # p02 : collège inconnu
abime.loc[ahp[0], "value"] = 12                     # AHP : jugement hors de l'échelle de Saaty
inverse = abime.loc[[ahp[1]]].assign(node="|".join(reversed(abime.at[ahp[1], "node"].split("|"))))
abime = pd.concat([abime, inverse])                 # AHP : paire inverse non réciproque (même valeur)
abime = abime.drop(abime.index[(abime["participant"] == "p03") & (abime["node"] == "social")])  # p03 : incomplet
try:
    ce.weighting.validate_judgements(abime, fw, colleges=sorted(jug["college"].unique()))
except ce.WeightingError as err:
    display(err.to_frame())"""),
    ("md", """\
## 3. Poids par collège, puis combinés *(Weights by college, then combined)*

Chaque collège a d'abord ses propres poids (moyenne de ses membres), puis les collèges sont combinés
selon leur voix. Par défaut les voix sont égales ; on peut donner les parts statutaires, validées
(somme 1, chacune entre 10 % et 50 % comme dans une SCIC). Des voix inégales ne sont acceptées que si
aucun petit collège n'en ressort seul, **dans chaque groupe de critères** : ici trois personnes par
collège seulement ont pondéré les critères de « Social », d'où `min_group=3` (avec 5, le minimum par
défaut, seules des voix égales passent)."""),
    ("code", """\
voix = {"habitants": 0.30, "salarie_es": 0.20, "benevoles": 0.20, "collectivites": 0.15, "financeurs": 0.15}
ws = ce.weighting.aggregate(jug, fw, by="college", college_shares=voix, share_bounds=(0.10, 0.50), min_group=3)
dims = fw.children("overall")
par_college = ws.by_college[ws.by_college["parent"] == "overall"].pivot(
    index="college", columns="node", values="weight")[dims]
par_college.loc["combiné (voix statutaires)"] = ws.local[dims]
par_college.round(3)"""),
    ("code", """\
try:
    ce.weighting.aggregate(jug, fw, college_shares={"habitants": 0.60, "salarie_es": 0.15, "benevoles": 0.05,
                                                    "collectivites": 0.15, "financeurs": 0.05},
                           share_bounds=(0.10, 0.50))
except ce.WeightingError as err:
    print(err)"""),
    ("md", """\
## 4. Accord et désaccords *(Agreement and disagreement)*

Pour chaque nœud : dispersion (écart interquartile, coefficient de variation), part des personnes
proches de la médiane, et test de Kruskal-Wallis d'une différence entre collèges. Pour chaque groupe
de nœuds frères : W de Kendall (corrigé des ex-æquo), ICC et alpha de Krippendorff."""),
    ("code", """\
accord = ce.weighting.agreement_table(ws)
accord.round(3)"""),
    ("code", """\
ce.weighting.group_agreement(ws).round(3)"""),
    ("md", """\
Les **nœuds disputés** et les **collèges qui s'écartent le plus** des poids combinés sont ce qu'il
faut remettre sur la table au tour suivant."""),
    ("code", """\
display(ce.weighting.contested_nodes(ws).round(3))
ce.weighting.college_disagreement(ws).round(3)"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(8, 3.5))
pw = ws.by_participant[ws.by_participant["parent"] == "overall"]
data = [pw.loc[pw["node"] == d, "weight"] for d in dims]
ax.boxplot(data, showfliers=True)
ax.set_xticks(range(1, len(dims) + 1), [fw.label(d) for d in dims], rotation=30, ha="right")
fin = pw[pw["college"] == "financeurs"]
ax.scatter([dims.index(n) + 1 for n in fin["node"]], fin["weight"], color="C3", s=15, label="financeurs")
ax.set_ylabel("poids local")
ax.set_title("Poids des dimensions, par participant·e (tour 2)")
ax.legend()
fig.tight_layout()"""),
    ("md", """\
## 5. Les tours Delphi *(Delphi rounds)*

La **règle d'arrêt est fixée avant la séance** et son empreinte est notée au compte rendu : on
s'arrête quand 80 % des nœuds font consensus, ou quand les réponses ne bougent presque plus, ou après
trois tours."""),
    ("code", """\
regle = ce.weighting.StoppingRule(max_rounds=3, min_consensus_share=0.8, max_changed_share=0.15)
print("empreinte de la règle :", regle.fingerprint())
ce.weighting.delphi_status(jug, fw, regle)"""),
    ("code", """\
cons = ce.weighting.consensus(jug, fw, regle)
cons.pivot(index="node", columns="round", values="consensus").loc[dims]"""),
    ("code", """\
ce.weighting.stability(jug, fw).round(3)"""),
    ("md", """\
Chaque personne reçoit un **retour anonymisé** : la distribution du groupe, sa propre position et les
raisons données par les autres — sans leur nom, et rien pour un groupe de moins de cinq personnes."""),
    ("code", """\
retour = ce.weighting.feedback(jug, fw, round=1)
retour[retour["participant"] == "p07"].round(3)"""),
    ("md", """\
## 6. Les poids comme distribution *(Weights as a distribution)*

`ws.sample(n, rng)` tire des jeux de poids qui expriment la diversité des points de vue : par
**bootstrap** (on rééchantillonne les personnes dans chaque collège) ou selon une **loi de
Dirichlet** ajustée à leurs réponses. Le bootstrap mesure l'incertitude sur le **poids collectif**
(il se resserre quand le groupe grandit) ; la Dirichlet reproduit la **diversité des points de vue
individuels** (elle reste large tant que les personnes divergent). Le moteur d'incertitude s'en sert
pour dire si le classement des coopérations tient, quels que soient les poids défendables."""),
    ("code", """\
rng = np.random.default_rng(2025)
tirages = {m: ws.sample(2000, rng, method=m) for m in ["bootstrap", "dirichlet"]}
pd.concat({m: t[dims].quantile([0.05, 0.5, 0.95]).T for m, t in tirages.items()}, axis=1).round(3)"""),
    ("code", """\
glob = ws.global_weights(tirages["bootstrap"])
resume = pd.DataFrame({"point": ws.global_weights(), "q05": glob.quantile(0.05), "q95": glob.quantile(0.95)})
resume.sort_values("point", ascending=False).head(8).round(4)"""),
    ("md", """\
## À retenir *(Take-aways)*

- Chaque personne peut utiliser la méthode qui lui parle ; toutes donnent des poids locaux
  comparables, combinés dans l'arbre du référentiel.
- Les collèges comptent selon leurs voix statutaires, vérifiées.
- Le désaccord (ici, les financeurs sur le modèle socio-économique) est mesuré, montré, discuté au
  tour suivant — et conservé dans l'incertitude des résultats plutôt qu'effacé par une moyenne."""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "03_ponderation.ipynb")
