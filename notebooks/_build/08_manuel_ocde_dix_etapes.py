"""Cells of ``notebooks/08_manuel_ocde_dix_etapes.ipynb``: ``.venv/bin/python notebooks/_build/08_manuel_ocde_dix_etapes.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Les dix étapes du Manuel OCDE/JRC sur un exemple publié
*(The ten steps of the OECD/JRC Handbook on a published example)*

Le *Handbook on Constructing Composite Indicators* (OCDE & JRC, 2008) décrit dix étapes pour
construire un indice composite. Son implémentation de référence, le paquet R **COINr** (JRC),
publie un exemple complet : l'indice de connectivité durable des pays de l'ASEM (51 pays,
49 indicateurs, 8 sous-piliers, 2 piliers). Ce carnet refait chaque étape avec coopeval sur ces
données et vérifie, quand COINr les documente, que les nombres sont les siens.

Pour une coopération territoriale, les mêmes étapes valent : un collectif qui pondère fortement
un critère doit pouvoir voir s'il pèse vraiment sur le score (étape 8).

Les données ASEM (licence MIT, COINr) sont lues dans `tests/reference/scoring/coinr_asem/` du dépôt."""),
    ("code", """\
import tempfile
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

import coopeval as ce
from coopeval.scoring import (
    coinr_denominators,
    coinr_units,
    denominate,
    importance,
    imputation_draws,
    impute,
    optimise_weights,
    screen,
    treat,
)

pd.set_option("display.width", 160)
# the repository's copy of COINr's ASEM tables, found from wherever the notebook runs
# (notebooks/, or the documentation build's copy under docs/generated/)
ASEM = Path("tests") / "reference" / "scoring" / "coinr_asem"
REF = next(d / ASEM for d in (Path.cwd(), *Path.cwd().parents) if (d / ASEM).is_dir())
idata = pd.read_csv(REF / "asem_idata.csv")
imeta = pd.read_csv(REF / "asem_imeta.csv")
idata.shape, imeta.shape"""),
    ("md", """\
## 1. Cadre théorique *(Theoretical framework)*

L'arbre de COINr (`iMeta`) devient un référentiel coopeval : piliers → dimensions, sous-piliers →
critères, indicateurs avec leur sens (1 ou -1) et leurs poids. Les poids **effectifs** (produit des
poids locaux jusqu'à l'indice) sont ceux de `get_eff_weights` de COINr (0,02 pour *Goods*)."""),
    ("code", """\
fw, obs = ce.from_coinr(idata, imeta)
print("\\n".join(fw.tree(lang="en").splitlines()[:8]))
fw.default_weights("global")[["goods", "renew"]].round(4)"""),
    ("md", """\
## 2. Sélection des données *(Data selection)*

**Dénomination** : les volumes (échanges, vols, brevets…) sont divisés par une variable de taille
(PIB, population, surface, énergie), comme le prévoit la colonne `Denominator` d'`iMeta`.
**Filtrage** par couverture : un pays n'est retenu que s'il renseigne au moins 85 % des
indicateurs ; la raison de chaque exclusion est donnée (COINr exclut BRN, LAO et MMR)."""),
    ("code", """\
valeurs, par = coinr_denominators(idata, imeta)
den = denominate(obs, par, valeurs)
print(den.report.head())
filtre = screen(obs, fw, min_coverage=0.85, min_indicator_coverage=0.8)
filtre.units.loc[~filtre.units["included"], ["unit", "coverage", "reason"]]"""),
    ("md", """\
## 3. Imputation des données manquantes *(Imputation of missing data)*

Chaque valeur imputée est rapportée (unité, indicateur, méthode, groupe, nombre de donneurs).
Comme l'exemple de COINr : moyenne par groupe Europe / Asie. L'imputation multiple (MICE,
statsmodels) donne plusieurs jeux complétés : leur dispersion est une source d'incertitude."""),
    ("code", """\
groupes = coinr_units(idata, imeta).set_index("unit")["EurAsia_group"]
imp = impute(den.data, fw, "mean", groups=groupes)
print(imp.summary().query("n_missing > 0").head())
imp.report.head()"""),
    ("md", """\
## 4. Analyse multivariée et valeurs extrêmes *(Multivariate analysis, outliers)*

Corrélations entre indicateurs (redondances, corrélations négatives dans un même groupe), puis
traitement des valeurs extrêmes selon la règle de COINr : si |asymétrie| ≥ 2 et kurtosis ≥ 3,5,
winsorisation d'au plus 5 points, sinon transformation logarithmique. Le rapport dit, indicateur
par indicateur, ce qui a été fait (les asymétries et kurtosis sont celles que COINr imprime)."""),
    ("code", """\
complet = screen(imp.data.drop(columns="imputed"), fw, min_coverage=0.9).data
corr = ce.stats.structure.indicator_correlations(complet, fw, method="pearson")
print(corr.query("same_dimension").sort_values("r")[["indicator_a", "indicator_b", "r", "n"]].head(3).to_string())
trt = treat(complet)
trt.report.query("treatment != 'none'")[["indicator", "skew", "kurt", "n_winsorised", "treatment"]].head(8)"""),
    ("md", """\
## 5. Normalisation *(Normalisation)*

Min-max sur les données (0–100), le sens des indicateurs appliqué. Avec une seule unité (une seule
coopération évaluée) ou un indicateur constant, une normalisation sur les données n'a pas de sens :
coopeval le dit (avertissement) et laisse le score manquant au lieu d'un 50 trompeur."""),
    ("code", """\
seule = trt.data[trt.data["unit"] == "FRA"]
with warnings.catch_warnings(record=True) as avert:
    warnings.simplefilter("always")
    ce.score(seule, fw, normalisation="minmax", min_coverage=0)
print(str(avert[0].message)[:160], "...")"""),
    ("md", """\
## 6. Pondération et agrégation *(Weighting and aggregation)*

Moyenne arithmétique pondérée à chaque niveau. Les six premiers pays et leurs scores sont ceux que
publie COINr (`get_results` de l'exemple complet), à l'arrondi près."""),
    ("code", """\
sc = ce.score(trt.data, fw, normalisation="minmax", aggregation="arithmetic", min_coverage=0)
large = sc.pivot(index="unit", columns="node", values="score")
large[["overall", "conn", "sust"]].sort_values("overall", ascending=False).head(6).round(2)"""),
    ("md", """\
## 7. Incertitude et sensibilité *(Uncertainty and sensitivity analysis)*

Deux sources : le choix de méthode (normalisation min-max ou rang, agrégation arithmétique ou
géométrique) et l'imputation (5 jeux MICE). Intervalles de rang du score global."""),
    ("code", """\
mc = ce.uncertainty(trt.data, fw, n=100, seed=0, normalisation="minmax",
                    normalisations=["minmax", "rank"], aggregations=["arithmetic", "geometric"],
                    output_range=(1, 100), min_coverage=0, sensitivity=False)
rangs = mc.summary.query("node == 'overall'").set_index("unit")[["rank", "rank_low", "rank_high"]]
tirages = imputation_draws(den.data, fw, n=5, seed=1, n_burn=5)
rang_imp = pd.concat({k: ce.score(treat(d.drop(columns=["imputed", "draw"])).data, fw, normalisation="minmax",
                                  min_coverage=0).query("node == 'overall'").set_index("unit")["score"]
                      .rank(ascending=False) for k, d in tirages.groupby("draw")}, axis=1)
rangs["rank_min_mice"], rangs["rank_max_mice"] = rang_imp.min(axis=1), rang_imp.max(axis=1)
rangs.sort_values("rank").head(8)"""),
    ("md", """\
## 8. Retour aux données : poids nominaux et importance effective *(Back to the data)*

Un poids nominal dit peu de l'influence réelle d'un critère : elle dépend aussi des corrélations
et des dispersions. Le **rapport de corrélation** (part de variance du score expliquée par le
critère seul, Becker et al. 2017) est comparé au poids : `ratio` < 1, le critère pèse moins que
prévu. Puis les poids des deux piliers qui leur donnent une importance égale (COINr trouve
0,39 / 0,61)."""),
    ("code", """\
imp8 = importance(sc, fw, level="criterion")
print(imp8[["node", "weight", "pearson", "correlation_ratio", "importance", "ratio"]].round(3).to_string())
opt = optimise_weights(trt.data, fw, normalisation="minmax", min_coverage=0)
opt.report.round(3)"""),
    ("md", """\
## 9. Liens avec d'autres indicateurs *(Links to other indicators)*

Corrélation de rang entre l'indice et le PIB par habitant (variables de dénomination d'ASEM)."""),
    ("code", """\
taille = idata.set_index("uCode")
pib_hab = taille["GDP"] / taille["Population"]
print(round(large["overall"].corr(pib_hab.reindex(large.index), method="spearman"), 2))"""),
    ("md", """\
## 10. Présentation et export *(Visualisation, COINr export)*

Les rangs et leurs intervalles, puis l'export vers COINr (`iData`, `iMeta`) : relu par
`from_coinr`, il redonne le même référentiel et les mêmes scores."""),
    ("code", """\
premiers = rangs.sort_values("rank").index[:15]
ax = ce.plots.ranks.caterpillar(mc.summary[mc.summary["unit"].isin(premiers)], lang="fr")
idata2, imeta2 = ce.to_coinr(fw, obs, units=coinr_units(idata, imeta), denominators=valeurs, by=par)
with tempfile.TemporaryDirectory() as dossier:
    idata2.to_csv(Path(dossier) / "iData.csv", index=False)
    imeta2.to_csv(Path(dossier) / "iMeta.csv", index=False)
    fw2, obs2 = ce.from_coinr(pd.read_csv(Path(dossier) / "iData.csv"), pd.read_csv(Path(dossier) / "iMeta.csv"))
print(fw2.hash == fw.hash)
plt.close("all")"""),
    ("md", """\
### Références

- OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*. Paris : OECD.
- Becker, W. et al. (2022). COINr: An R package for developing composite indicators. *JOSS*, 7(78), 4567.
- Becker, W., Saisana, M., Paruolo, P., Vandecasteele, I. (2017). Weights and importance in composite
  indicators: Closing the gap. *Ecological Indicators*, 80, 12–22."""),
]

if __name__ == "__main__":
    write_notebook(CELLS, "08_manuel_ocde_dix_etapes.ipynb")
