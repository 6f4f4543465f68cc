"""Cells of ``notebooks/05_valorisation_sroi.ipynb``: ``.venv/bin/python notebooks/_build/05_valorisation_sroi.py`` writes it (see ``_nb.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nb import notebook, write_notebook  # noqa: E402

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Valoriser les externalités, SROI et modèle socio-économique
*(Valuing externalities, SROI and socio-economic models)*

Le rapport du Labo de l'ESS *Vers une société de la coopération* (2024) insiste sur deux faits :

- les coopérations territoriales produisent des **externalités positives** que personne ne paie
  (lien social, santé, alimentation, emploi, climat) — La Butinerie cherche à les **internaliser** par
  des conventions avec leurs bénéficiaires ; les Territoires zéro chômeur de longue durée reposent sur
  la **réaffectation des coûts évités** du chômage de longue durée ;
- leurs **modèles socio-économiques sont hybrides** : ventes, subventions, dons, et une importante
  économie **non monétaire** (bénévolat, mises à disposition, dons en nature, échanges).

Ce carnet montre comment coopeval calcule ces grandeurs **de façon transparente** :

1. le **catalogue des valeurs de référence** (SMIC, heure de bénévolat, valeur de l'action pour le
   climat, coûts évités, taux d'actualisation) — chaque valeur a sa source, sa date et son unité ;
2. le **modèle socio-économique** des cas du rapport (parts marchande / non marchande / non
   monétaire, concentration des financements, classement) ;
3. l'**internalisation des externalités** de La Butinerie ;
4. le **multiplicateur de circulation** de L'Abeille ;
5. les **coûts évités** d'une entreprise à but d'emploi, avec le contrefactuel explicite ;
6. un **SROI** avec analyse de sensibilité et Monte Carlo ;
7. **La Butinerie** : son modèle hybride par piliers, sa mise sous tension, son registre des
   externalités et la fiche « qui pourrait co-financer quoi » par bénéficiaire — puis les mêmes
   chiffres dans sa restitution, lus dans l'évaluation de son projet.

> Une valeur monétaire n'est jamais « la » valeur d'une coopération : c'est une convention, à
> débattre avec les parties prenantes. Le rapport rappelle que l'évaluation de l'utilité sociale est
> multidimensionnelle et délibérative ; la monétarisation n'en est qu'un éclairage."""),
    ("code", """\
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import coopeval as ce

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 160)"""),
    ("md", """\
## 1. Le catalogue des valeurs de référence *(Reference values)*

Aucune valeur monétaire n'est écrite dans le code de coopeval : elles sont toutes dans des fichiers
YAML (`indicators/catalogues/`), avec valeur, unité, date de validité, source et notes. Un test
échoue si un nombre apparaît dans le code de `coopeval.valuation`."""),
    ("code", """\
cat = ce.valuation.catalogue()
cat[["name", "label", "unit", "method", "first", "last", "latest_value"]]"""),
    ("md", """\
Les valeurs se lisent **à une date**. Le SMIC horaire brut suit les revalorisations légales
(méthode « en escalier ») ; l'heure de bénévolat est, par convention prudente, valorisée au SMIC
brut (le règlement ANC 2018-06 laisse le choix de la méthode, qui doit être indiquée)."""),
    ("code", """\
smic = ce.valuation.reference_value("smic_horaire_brut", date="2023-06-15")
print(f"{smic.label()} au 15/06/2023 : {smic.value} {smic.unit} (en vigueur depuis le {smic.valid_from})")
print("Source :", smic.source)
heure = ce.valuation.reference_value("heure_benevole_smic_brut", date="2023-06-15")
print(f"{heure.label()} : {heure.value} {heure.unit}")"""),
    ("md", """\
La **valeur de l'action pour le climat** (commission Quinet, 2019) est publiée pour 2018 (54 €),
2020 (87 €), 2030, 2040 et 2050, en euros 2018 ; entre deux points publiés, coopeval interpole
linéairement (le point 2020 du rapport est justement la droite de 2018 à 2030, arrondie) : la valeur
est donc définie pour **chaque année de 2018 à 2050**, et jamais extrapolée au-delà. La mise à jour de
2025 est aussi au catalogue, en euros 2023, de 2030 à 2050."""),
    ("code", """\
years = np.arange(2018, 2051)
carbone = pd.DataFrame({
    "année": years,
    "Quinet 2019 (€2018/tCO2e)": [ce.valuation.reference_value("valeur_action_climat_2019", date=int(y)).value for y in years],
    "Quinet 2025 (€2023/tCO2e)": [ce.valuation.reference_value("valeur_action_climat_2025", date=int(y)).value
                                  if y >= 2030 else np.nan for y in years],
})
ax = carbone.plot(x="année", marker=".", figsize=(7, 3.5))
ax.set_ylabel("€ par tonne de CO2e")
ax.set_title("Valeur de l'action pour le climat")
carbone.iloc[::5]"""),
    ("md", """\
Une valeur utilisée **hors de sa période de validité** n'est jamais appliquée en silence : un coût
évité publié en 2013 et utilisé en 2023 est ajusté par l'**indice des prix à la consommation de
l'Insee** (moyennes annuelles, `indicators/indices/ipc_insee.yaml`) et signalé ; le SMIC du catalogue,
connu jusqu'au 1er janvier 2025, est signalé en 2026. Chaque résultat porte la **version du
catalogue** qui l'a produit."""),
    ("code", """\
vac = ce.valuation.reference_value("valeur_action_climat_2019", date=2026)
print(f"Valeur de l'action pour le climat en 2026 : {vac.value:.1f} {vac.unit}")
atd = ce.valuation.reference_value("cout_privation_emploi_atd_2013", date="2023-06-01")
print(f"Coût ATD 2013 lu en 2023 : {atd.value:,.0f} € (× {atd.adjustment_factor:.4f}) — signalements : {atd.flags}")
smic = ce.valuation.reference_value("smic_horaire_brut", date="2026-03-01")
print(f"SMIC au 1er mars 2026 : {smic.value} € — signalements : {smic.flags}")
print("Version du catalogue :", ce.valuation.catalogue_version())
ce.valuation.price_index().tail(5)"""),
    ("md", """\
Un collectif peut **déclarer ses propres proxys**, toujours avec une source (sinon coopeval refuse)."""),
    ("code", """\
ce.valuation.add_proxy(
    "loyer_m2_mois_hypothese", 15.0, "EUR/m2/mois",
    source="Hypothèse pédagogique du carnet : à remplacer par un loyer de marché documenté",
    label_fr="Loyer de référence d'un local (hypothèse)",
)
ce.valuation.catalogue().query("origin == 'user'")[["name", "label", "unit", "latest_value", "source"]]"""),
    ("md", """\
## 2. Le modèle socio-économique des cas du rapport *(Socio-economic models)*

Le jeu de données `cas_rapport_2024` reprend les ressources citées par le rapport, avec la section
et la citation d'où vient chaque montant. Certaines ressources ne sont pas chiffrées par le rapport
(montant vide) : nous les montrons, sans les inventer."""),
    ("code", """\
cas = ce.datasets.load("cas_rapport_2024")
ressources = cas["resources"]
ressources[ressources["case"].isin(["tetris", "la_butinerie", "jadopte_un_projet"])][
    ["case", "source", "category", "amount", "unit", "year"]]"""),
    ("md", """\
### T.E.T.R.I.S. : un tiers d'autofinancement

Section « Un modèle économique hybride au service d'une logique d'expérimentation » : activités
marchandes « qui lui assurent un autofinancement à hauteur de 207 000 € (soit environ un tiers du
coût de fonctionnement du lieu) » ; « 600 000 € de frais de fonctionnement » ; aides publiques
« près de 400 000 € en 2022 »."""),
    ("code", """\
def ressources_chiffrees(case, unit="euros"):
    r = ressources[(ressources["case"] == case) & (ressources["unit"] == unit)].copy()
    r["unit"] = "EUR"
    return r[["source", "category", "amount", "unit"]]

figures = cas["figures"].set_index(["case", "indicator"])["value"]
tetris = ce.valuation.resources_profile(ressources_chiffrees("tetris"))
frais = figures["tetris", "frais_fonctionnement"]
print(f"Autofinancement : {tetris.self_financing(frais):.1%} des frais de fonctionnement "
      f"(le rapport : « environ un tiers », {figures['tetris', 'part_autofinancement']:.0%})")
print("Classement :", tetris.label)
tetris.shares"""),
    ("md", """\
Le lieu (9 500 m²) est prêté par commodat et entièrement équipé par des réciprocités : ces ressources
non monétaires ne sont pas chiffrées par le rapport. Pour en montrer l'ordre de grandeur, on peut
les valoriser avec un proxy déclaré — ici le loyer **hypothétique** de 15 €/m²/mois, sur une
surface utile elle aussi hypothétique de 1 000 m² pendant 12 mois. C'est une illustration, pas un
résultat."""),
    ("code", """\
tetris_nm = pd.concat([
    ressources_chiffrees("tetris"),
    pd.DataFrame({"source": ["commodat du lieu (hypothèse : 1 000 m² × 12 mois)"], "category": ["non_monetaire"],
                  "amount": [1000 * 12], "unit": ["m2_mois"], "proxy": ["loyer_m2_mois_hypothese"]}),
], ignore_index=True)
p = ce.valuation.resources_profile(tetris_nm)
p.shares"""),
    ("md", """\
### J'adopte un projet : dépendance aux subventions publiques

Section « L'impact et le modèle socio-économique de J'adopte un projet » : budget de 255 000 €,
« dépendante de subventions publiques (à 53%) », essaimage et commissions « environ 25% du budget ».
Le rapport ne ventile pas les 22 % restants : nous les comptons comme ressources non marchandes
privées (**hypothèse**)."""),
    ("code", """\
budget = figures["jadopte_un_projet", "budget"]
parts = ressources[ressources["case"] == "jadopte_un_projet"][["source", "category", "amount"]].copy()
reste = 1 - parts["amount"].sum()
parts = pd.concat([parts, pd.DataFrame({"source": ["non ventilé (hypothèse)"], "category": ["non_marchand"],
                                         "amount": [reste]})], ignore_index=True)
parts["amount"] = parts["amount"] * budget
parts["funder_type"] = ["public", "users", "private"]
jadopte = ce.valuation.resources_profile(parts)
print(f"Part des subventions publiques : {jadopte.public_share:.0%}")
print(f"Premier financeur : {jadopte.largest_funder} ({jadopte.largest_funder_share:.0%}), "
      f"indice de Herfindahl : {jadopte.herfindahl:.2f}")
print("Classement :", jadopte.label)"""),
    ("md", """\
### Les classements du rapport retrouvés

Avec les seuils documentés du catalogue (part marchande > 50 % : marchand ; part non marchande
≥ 80 % : non marchand ; sinon hybride), les cas dont le rapport donne les ressources sont classés
comme le rapport le fait. La Butinerie : le rapport donne un budget de 230 000 €, dont 100 000 € de
chiffre d'affaires, 40 000 € de la Ville et 25 000 € de la Biocoop ; le solde (65 000 €) est compté
comme non marchand (**hypothèse** : ADEME et Fondation de France sont cités)."""),
    ("code", """\
butinerie = pd.DataFrame({
    "source": ["activités et prestations", "Ville de Pantin", "Biocoop", "solde du budget (hypothèse)"],
    "category": ["marchand", "non_marchand", "non_marchand", "non_marchand"],
    "amount": [100_000, 40_000, 25_000, figures["la_butinerie", "budget"] - 165_000],
})
ptce = ressources[(ressources["case"] == "ptce_pays_de_france") & (ressources["year"] == 2023)][
    ["source", "category", "amount"]]
cafoutch = ressources[(ressources["case"] == "super_cafoutch") & (ressources["unit"] == "euros")][
    ["source", "category", "amount"]]
profils = {"T.E.T.R.I.S.": (tetris, "tetris"),
           "La Butinerie": (ce.valuation.resources_profile(butinerie), "la_butinerie"),
           "PTCE Pays de France (2023)": (ce.valuation.resources_profile(ptce), "ptce_pays_de_france"),
           "Super Cafoutch": (ce.valuation.resources_profile(cafoutch), "super_cafoutch")}
rapport = cas["cases"].set_index("case")["economic_model"]
pd.DataFrame([{"coopération": nom, "part marchande": p.share("market"), "part non marchande": p.share("non_market"),
               "Herfindahl": p.herfindahl, "classement coopeval": p.classification,
               "classement du rapport": rapport[case]} for nom, (p, case) in profils.items()]).round(2)"""),
    ("md", """\
Les libellés diffèrent (« marchande » / « marchand ») mais les classes coïncident. Pour Super
Cafoutch, les subventions datent de l'émergence (2018) et le chiffre d'affaires de 2023 : le profil
mêle deux années, ce qu'un collectif évitera avec ses propres comptes.

### Où se place chaque coopération ?

La typologie du rapport croise le stade d'avancement, le caractère modélisé ou non, et un gradient
ciblé ↔ systémique. Les positions numériques sur le gradient ci-dessous sont une **lecture** du
rapport (qui ne les chiffre pas)."""),
    ("code", """\
positions = pd.DataFrame({
    "unit": ["La Butinerie", "Super Cafoutch", "PTCE Pays de France", "L'Après M"],
    "stage": ["creation", "creation", "emergence", "emergence"],
    "modelled": [True, True, True, False],
    "systemic": [0.6, 0.3, 0.7, 0.2],
    "model": [profils["La Butinerie"][0].classification, profils["Super Cafoutch"][0].classification,
              profils["PTCE Pays de France (2023)"][0].classification, None],
})
ce.valuation.typology_position(positions)"""),
    ("md", """\
## 3. L'internalisation des externalités de La Butinerie

Section « Un modèle économique hybride, prenant en compte la valeur créée sur le territoire et les
externalités positives générées par le projet » : conventions avec la Ville de Pantin (40 000 €),
l'ARS (parcours alimentation-santé) et Solimut (accès aux droits et à l'alimentation). Le rapport
ne chiffre ni les conventions ARS et Solimut ni la valeur des externalités : coopeval compte ce qui
est couvert et dit ce qui manque. La dernière ligne est une **hypothèse** : une externalité
(le lien social pour les habitant·es orienté·es par les services sociaux du Département) sans
convention."""),
    ("code", """\
ext = pd.DataFrame({
    "externality": ["bien vivre alimentaire, lien social", "parcours alimentation-santé",
                    "accès aux droits et à l'alimentation", "lien social (hypothèse)"],
    "beneficiary": ["Ville de Pantin", "ARS", "Solimut", "Département"],
    "covered": [True, True, True, False],
    "convention_amount": [40_000, np.nan, np.nan, np.nan],
})
intern = ce.valuation.internalisation(ext)
intern["summary"]"""),
    ("md", """\
## 4. L'Abeille : le multiplicateur de circulation

Section « Les monnaies locales et citoyennes » : « avec 114 000 euros de fonds de garantie en 2022,
les 114 000 Abeilles ont permis l'échange, en Abeilles, de 254 000 euros de produits et services »,
et le rapport ajoute qu'« avec une même quantité d'euros, on produit 4 fois plus d'échanges »."""),
    ("code", """\
m = ce.valuation.circulation_multiplier(figures["labeille", "echanges_relocalises"],
                                        figures["labeille", "fonds_garantie"])
print(f"Multiplicateur calculé : {m:.2f} (échanges / fonds de garantie)")
print(f"Multiplicateur annoncé par le rapport : {figures['labeille', 'multiplicateur_echanges']:.0f}")"""),
    ("md", """\
Les chiffres publiés donnent **2,2** et non 4. L'écart peut venir d'une autre définition (par exemple
des échanges comptés sur plusieurs années, ou des euros de la réserve réinvestis localement par la
NEF et comptés une seconde fois) : c'est une question à poser au collectif. Avec une masse en
circulation de 114 000 Abeilles, la **vitesse de circulation** annuelle est la même, 2,2 ; à partir
des transactions, `ce.valuation.velocity` la calcule par période."""),
    ("md", """\
## 5. Les coûts évités d'une entreprise à but d'emploi (TZCLD)

Le montant du coût évité dépend du **contrefactuel** : ATD Quart Monde (2013) chiffre ce que coûte
une personne qui *reste* privée d'emploi ; le comité scientifique (2025) estime les coûts évités par
rapport à des personnes *comparables hors expérimentation*. coopeval exige que le contrefactuel soit
écrit. Exemple **hypothétique** : une EBE de 60 salarié·es à 0,8 ETP en moyenne."""),
    ("code", """\
atd = ce.valuation.avoided_costs(60, basis="person", counterfactual="les personnes restent privées durablement d'emploi",
                                 reference="cout_privation_emploi_atd_2013")
comite = ce.valuation.avoided_costs(60, basis="person", fte_per_person=0.8,
                                    counterfactual="personnes comparables hors expérimentation (comité scientifique)",
                                    reference="couts_evites_tzcld_comite_2025", cost="cout_brut_etp_ebe_igas_igf_2019")
pd.concat([atd, comite])[["reference", "unit_cost", "unit", "count_in_reference_basis", "avoided_cost",
                          "avoided_cost_low", "avoided_cost_high", "gross_cost", "net_balance", "counterfactual"]]"""),
    ("md", """\
## 6. Un SROI avec ses incertitudes *(SROI with sensitivity and Monte Carlo)*

Le SROI (guide du SROI Network, 2012) rapporte la valeur actuelle des effets à celle des apports :
impact = quantité × proxy × (1 − effet d'aubaine) × (1 − déplacement) × (1 − attribution), diminué
chaque année du taux d'érosion, actualisé au taux public de France Stratégie (4,5 %, catalogue).

L'exercice ci-dessous est **illustratif** : le rapport ne publie pas les quantités d'effets de La
Butinerie. Les quantités, les proxys (déclarés comme tels) et leurs fourchettes sont des
**hypothèses** à remplacer par celles qu'un collectif débattrait. Seule l'heure d'accueil des
bénévoles vient du catalogue (SMIC)."""),
    ("code", """\
ce.valuation.add_proxy("repas_convivial_hypothese", 8.0, "EUR/repas",
                       source="Hypothèse : prix libre orienté moyen d'un déjeuner (à documenter)", low=5.0, high=12.0)
ce.valuation.add_proxy("atelier_sante_hypothese", 300.0, "EUR/personne/an",
                       source="Hypothèse : coût d'un accompagnement nutrition évité (à documenter)")
effets = pd.DataFrame({
    "stakeholder": ["habitant·es isolé·es", "habitant·es isolé·es", "participant·es ateliers", "membres bénévoles"],
    "outcome": ["repas partagés (lien social)", "confiance en soi", "meilleure alimentation", "compétences d'accueil"],
    "quantity": [4000, 40, 60, 470],
    "proxy": ["repas_convivial_hypothese", 150.0, "atelier_sante_hypothese", "heure_benevole_smic_brut"],
    "deadweight": [0.3, 0.2, 0.25, 0.1],
    "attribution": [0.2, 0.3, 0.4, 0.0],
    "displacement": [0.1, 0.0, 0.0, 0.0],
    "drop_off": [0.0, 0.3, 0.2, 0.0],
    "duration": [1, 2, 3, 1],
    "proxy_low": [5.0, 80.0, 150.0, np.nan], "proxy_high": [12.0, 250.0, 450.0, np.nan],
    "deadweight_low": [0.1, 0.1, 0.1, np.nan], "deadweight_high": [0.5, 0.4, 0.5, np.nan],
    "attribution_low": [0.1, 0.1, 0.2, np.nan], "attribution_high": [0.4, 0.5, 0.6, np.nan],
})
apports = pd.DataFrame({"input": ["budget de fonctionnement (part cantine, hypothèse)", "heures bénévoles valorisées"],
                        "value": [30_000.0, 470 * heure.value], "year": [0, 0]})
res = ce.valuation.sroi(effets, apports, date="2023-06-15")
res.summary().round(3)"""),
    ("code", """\
res.by_outcome[["stakeholder", "outcome", "impact", "present_value", "share", "proxy_source"]].round(2)"""),
    ("md", """\
**Sensibilité (diagramme en tornade)** : chaque paramètre est porté tour à tour aux bornes de sa
fourchette, les autres restant à leur valeur de base ; le taux d'actualisation varie entre le taux
sans risque (2,5 %) et le taux de référence (4,5 %) du catalogue."""),
    ("code", """\
tornade = res.sensitivity()
top = tornade.head(8).iloc[::-1]
fig, ax = plt.subplots(figsize=(7, 3.8))
labels = top["outcome"].str.slice(0, 22) + " · " + top["parameter"]
ax.barh(labels, top["ratio_high"] - top["ratio_base"], left=top["ratio_base"], color="#4c72b0", label="borne haute")
ax.barh(labels, top["ratio_low"] - top["ratio_base"], left=top["ratio_base"], color="#dd8452", label="borne basse")
ax.axvline(res.ratio, color="black", lw=1)
ax.set_xlabel("ratio SROI")
ax.legend(loc="lower right")
tornade.head(8).round(3)"""),
    ("md", """\
**Monte Carlo** : tous les paramètres munis d'une fourchette sont tirés ensemble (loi uniforme), ce
qui donne une distribution du ratio et la probabilité qu'il dépasse 1."""),
    ("code", """\
tirages = res.monte_carlo(5000, seed=2024)
q = tirages["ratio"].quantile([0.05, 0.5, 0.95])
print(f"Ratio médian {q[0.5]:.2f}, intervalle à 90 % [{q[0.05]:.2f} ; {q[0.95]:.2f}], "
      f"P(ratio > 1) = {(tirages['ratio'] > 1).mean():.0%}")
ax = tirages["ratio"].plot.hist(bins=40, figsize=(6, 3), color="#55a868")
ax.axvline(1, color="black", ls="--")
ax.set_xlabel("ratio SROI")"""),
    ("md", """\
## 7. La Butinerie : modèle hybride, mise sous tension, qui pourrait co-financer quoi
*(La Butinerie: hybrid model, stress test, co-financing)*

Le rapport décrit un modèle « fragile en raison de prêts à rembourser (287 000 € d'emprunts) et de
charges élevées (100 000 € de charges salariales et 75 000 € de charges fixes et impôts en 2023) »,
avec « un réel potentiel […] en valorisant les externalités positives du projet ». Le jeu de données
`la_butinerie` reprend ces chiffres, chacun avec sa citation ; ce que le rapport ne dit pas reste vide,
et deux hypothèses déclarées (colonne `basis`) complètent le budget résumé de 230 000 €."""),
    ("code", """\
but = ce.datasets.load("la_butinerie")
but["finances"][["line", "source", "amount", "unit_of_measure", "basis"]]"""),
    ("md", """\
Le **modèle socio-économique** se lit par les sept piliers du rapport (ventes, cotisations,
contributions de membres, dons, subventions publiques, mécénat, non monétaire), les charges et le
financement. Les indicateurs : hybridation (0 = un seul pilier), dépendance au principal financeur,
autofinancement, couverture des charges par les ressources propres, part des ressources non
monétaires valorisées, service de la dette."""),
    ("code", """\
from coopeval.i18n import t

modele = ce.valuation.socio_economic_model(but["finances"])
indic = modele.indicators.assign(indicateur=lambda d: [t("sem_" + c) for c in d["indicator"]])
print("Classement :", modele.classification["classification"].iloc[0],
      "— principal financeur :", modele.largest_funder["source"].iloc[0])
indic[["indicateur", "value"]].round(3)"""),
    ("md", """\
Le service de la dette est **inconnu** (le rapport ne donne ni échéancier ni taux) et aucune
ressource non monétaire n'est chiffrée (heures d'accueil mises à disposition, invendus) : coopeval
l'écrit au lieu de compter zéro. Mise **sous tension**, le modèle montre sa fragilité : sans la Ville
de Pantin il manque 40 000 € ; si l'emprunt était exigé, il manquerait 287 000 €, plus d'une année
de ressources. La baisse d'un tiers du bénévolat ne se voit pas ici, faute de bénévolat valorisé."""),
    ("code", """\
tension = ce.valuation.stress_test(but["finances"])
ax = ce.plots.stress_bars(tension, unit="la_butinerie", wave="2023")
tension.query("indicator == 'cash_balance'")[["scenario", "baseline", "stressed", "change"]]"""),
    ("md", """\
Et le **profil d'utilité sociale** ? Les indicateurs économiques du référentiel
`cooperation_territoriale` (autofinancement, résultat net, dépendance au principal financeur, part
non monétaire valorisée) se calculent à partir du modèle : la dimension « économie » est recalculée
sous chaque scénario. Le départ de la Ville de Pantin la fait baisser (le résultat devient négatif)
même si la dépendance au principal financeur diminue ; l'emprunt exigé ne change aucun indicateur du
référentiel (la trésorerie disponible n'est pas connue) : seul le solde de trésorerie ci-dessus le
montre."""),
    ("code", """\
profil = ce.valuation.stress_profile(but["finances"], "cooperation_territoriale")
profil.query("node == 'economie'")[["scenario", "baseline", "stressed", "change"]].round(1)"""),
    ("md", """\
Le **registre des externalités** relie chaque effet utile à son bénéficiaire et aux conventions déjà
signées. Aucune quantité n'est donnée par le rapport : les valeurs restent « à quantifier » — c'est
la liste de ce que la coopération doit mesurer avant de négocier. Le tableau « qui pourrait
co-financer quoi » et une fiche d'une page par bénéficiaire préparent cette négociation."""),
    ("code", """\
registre = ce.valuation.externality_ledger(but["externalites"], but["conventions"], year=2023)
ce.report.cofinancing_table(registre)"""),
    ("code", """\
import tempfile
from pathlib import Path

from IPython.display import HTML

dossier = Path(tempfile.mkdtemp())
fiches = ce.report.write_cofinancing_sheets(registre, dossier, cooperation="La Butinerie")
print([f.name for f in fiches])
HTML(ce.report.cofinancing_sheet(registre, "ARS Île-de-France", cooperation="La Butinerie"))"""),
    ("md", """\
**Dans la restitution** *(in the restitution)* : le collectif ne reçoit pas un tableau à part. On range
le cas dans un projet — ressources, charges et emprunts par poste ; registre et conventions ; les
indicateurs économiques que donnent ses finances — et on ouvre l'**évaluation du projet**, le même
modèle que lisent le tableau de bord et la ligne de commande. Le rapport de restitution montre alors
« Le modèle socio-économique sous tension » et « Qui pourrait co-financer quoi » ; sans finances ou
sans registre, une phrase dit ce qui manque."""),
    ("code", """\
projet = ce.Project.create(dossier / "la_butinerie.coopeval", framework="cooperation_territoriale")
projet.add_units(pd.DataFrame({"unit": ["la_butinerie"], "name": ["La Butinerie"]}))
postes = but["finances"].dropna(subset=["amount"]).rename(columns={"line": "category"})
projet.import_resources(postes[["unit", "wave", "source", "category", "amount", "unit_of_measure"]])
projet.import_observations(modele.framework_observations()[["unit", "wave", "indicator", "value"]])
projet.import_ledger(but["externalites"], but["conventions"], wave="2023")
evaluation = ce.Evaluation.from_project(projet, n=200)
evaluation.stress_of("la_butinerie", 2023).query("indicator == 'cash_balance'")[["scenario", "baseline", "stressed"]]"""),
    ("code", """\
rapport = ce.report.restitution(evaluation, "La Butinerie", 2023, path=dossier / "restitution_la_butinerie.html")
print("Sections du rapport :", [s for s in ce.report.SECTIONS if f'<h2 id="{s}">' in rapport])
HTML(ce.report.stress_html(evaluation.stress_of("la_butinerie", 2023), "la_butinerie", 2023, name="La Butinerie")
     + ce.report.ledger_html(evaluation.ledger_of("la_butinerie", 2023), name="La Butinerie", wave=2023))"""),
    ("md", """\
**Répondre une fois à plusieurs financeurs** : la grille de compte rendu d'un financeur est un
fichier YAML (ici le budget par comptes de la demande de subvention des associations, Cerfa
n° 12156). Les lignes que la grille ne reprend pas (les emprunts) sont listées, jamais perdues. Le
trésorier saisit les chiffres dans un classeur Excel dont l'onglet *Postes* donne les comptes du plan
comptable associatif (ANC 2018-06) de chaque poste."""),
    ("code", """\
vue = ce.valuation.funder_view(but["finances"], "cerfa_12156_budget", unit="la_butinerie", wave="2023")
classeur = ce.valuation.finances_template(dossier / "budget_la_butinerie.xlsx", units=["la_butinerie"], waves=["2024"])
print("Classeur à remplir :", classeur.name)
vue[["grid_line", "label", "detail", "amount"]]"""),
    ("md", """\
## À retenir

- chaque valeur monétaire utilisée ici a une **source** (catalogue) ou est **déclarée comme
  hypothèse** ; coopeval refuse un proxy sans source ;
- les chiffres du rapport se retrouvent (autofinancement de T.E.T.R.I.S., dépendance de J'adopte un
  projet, classements), et le calcul révèle un écart (multiplicateur de L'Abeille) à discuter ;
- un ratio SROI sans fourchette ni contrefactuel écrit ne dit pas grand-chose : la sensibilité et le
  Monte Carlo montrent ce qui pèse, pour que le collectif en débatte."""),
    ("code", """\
ce.valuation.reset_user_catalogue()"""),
]



def build():
    """The notebook of ``CELLS``, unexecuted."""
    return notebook(CELLS)


if __name__ == "__main__":
    write_notebook(CELLS, "05_valorisation_sroi.ipynb")
