"""Plain-language texts of the restitution report (French first, English with ``lang="en"``).

Each figure comes with a « comment lire » paragraph written for members of a
collective, not for statisticians.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "title": {"fr": "Restitution de l'évaluation — {name}, vague {wave}",
              "en": "Evaluation feedback — {name}, wave {wave}"},
    "intro": {
        "fr": "Ce document restitue au collectif les résultats de l'évaluation de l'utilité sociale de "
              "{name} pour la vague {wave}. Il accompagne un temps d'échange : les chiffres ne disent pas "
              "à eux seuls ce qui compte, ils servent à en débattre. Chaque figure est suivie d'une "
              "explication pour la lire.",
        "en": "This document gives the collective the results of the social-utility evaluation of {name} "
              "for wave {wave}. It supports a discussion: figures do not say on their own what matters, "
              "they help to debate it. Each figure comes with an explanation of how to read it."},
    "h_summary": {"fr": "En bref", "en": "In short"},
    "h_profile": {"fr": "Profil par dimension", "en": "Profile by dimension"},
    "h_scores": {"fr": "Scores par dimension et leur incertitude", "en": "Scores by dimension and their uncertainty"},
    "h_criteria": {"fr": "Scores par critère", "en": "Scores by criterion"},
    "h_change": {"fr": "Évolution depuis la vague {wave}", "en": "Change since wave {wave}"},
    "h_ranks": {"fr": "Position parmi les coopérations évaluées", "en": "Position among the cooperations evaluated"},
    "h_weights": {"fr": "Voix des collèges et points de désaccord", "en": "College voices and points of disagreement"},
    "h_participation": {"fr": "Participation à l'enquête", "en": "Survey participation"},
    "h_resources": {"fr": "Modèle socio-économique", "en": "Socio-economic model"},
    "h_sroi": {"fr": "Valeur sociale monétarisée (SROI)", "en": "Monetised social value (SROI)"},
    "h_typology": {"fr": "Typologie des coopérations", "en": "Typology of cooperations"},
    "h_tree": {"fr": "Référentiel et poids", "en": "Framework and weights"},
    "h_annex": {"fr": "Annexe — méthodes et sources des données", "en": "Annex — methods and data sources"},
    "how_to_read": {"fr": "Comment lire cette figure ?", "en": "How to read this figure?"},
    "read_radar": {
        "fr": "Chaque branche de l'étoile est une dimension de l'utilité sociale ; plus le point est loin du "
              "centre, plus le score est élevé (de 0 au centre à 100 sur le cercle extérieur). Chaque "
              "couleur de ligne est une vague d'évaluation : comparer les lignes montre ce qui a bougé. "
              "La pastille colorée au bout de chaque branche est la couleur de la dimension, la même dans "
              "tout le document. Un score de 100 veut dire que l'objectif fixé par le référentiel est "
              "atteint, pas que tout est parfait.",
        "en": "Each branch of the star is a dimension of social utility; the further the point from the "
              "centre, the higher the score (0 at the centre, 100 on the outer circle). Each line colour is "
              "an evaluation wave: comparing the lines shows what moved. The coloured dot at the end of each "
              "branch is the colour of the dimension, the same throughout the document. A score of 100 "
              "means the goal set in the framework is reached, not that everything is perfect."},
    "read_bars": {
        "fr": "La longueur de chaque barre est le score de la dimension (0 à 100). Le trait noir qui la "
              "traverse montre l'incertitude : là où se situerait le score si l'on avait fait d'autres "
              "choix de calcul ou pondéré autrement les critères (9 chances sur 10 d'être dans ce trait). "
              "Un trait long invite à la prudence : deux dimensions dont les traits se chevauchent ne "
              "sont pas vraiment différentes.",
        "en": "The length of each bar is the score of the dimension (0 to 100). The black line across it "
              "shows the uncertainty: where the score would lie with other calculation choices or other "
              "weights (9 chances out of 10 of being within the line). A long line calls for caution: "
              "two dimensions whose lines overlap are not really different."},
    "read_bars_plain": {
        "fr": "La longueur de chaque barre est le score (0 à 100). Aucune analyse d'incertitude n'a été "
              "fournie : de petites différences entre barres ne doivent pas être surinterprétées.",
        "en": "The length of each bar is the score (0 to 100). No uncertainty analysis was provided: small "
              "differences between bars should not be over-interpreted."},
    "read_criteria": {
        "fr": "Chaque barre est le score d'un critère (0 à 100), dans la couleur de sa dimension. « Non "
              "calculé » signale un critère pour lequel trop peu d'indicateurs étaient renseignés.",
        "en": "Each bar is the score of a criterion (0 to 100), in the colour of its dimension. « Not "
              "computed » marks a criterion for which too few indicators had data."},
    "read_change": {
        "fr": "Le tableau compare chaque dimension à la vague précédente. Une évolution de quelques points "
              "peut venir du hasard de la collecte ; elle devient parlante si elle se répète d'une vague à "
              "l'autre.",
        "en": "The table compares each dimension with the previous wave. A change of a few points may be due "
              "to chance in the data collection; it becomes meaningful if it repeats from one wave to the next."},
    "read_ranks": {
        "fr": "Chaque ligne est une coopération évaluée avec le même référentiel ; {name} est en couleur. "
              "Le point est le rang le plus probable, le trait l'ensemble des rangs possibles selon les "
              "choix de calcul. Les autres coopérations sont anonymisées. Le classement n'est pas un "
              "palmarès : il sert à voir si une position est solide ou fragile.",
        "en": "Each line is a cooperation evaluated with the same framework; {name} is in colour. The dot is "
              "the most likely rank, the line the range of possible ranks given the calculation choices. "
              "Other cooperations are anonymised. The ranking is not a league table: it shows whether a "
              "position is solid or fragile."},
    "read_topk": {
        "fr": "Chaque barre est la probabilité d'être parmi les {k} premières coopérations, sur l'ensemble "
              "des calculs possibles.",
        "en": "Each bar is the probability of being among the first {k} cooperations, over all the possible "
              "calculations."},
    "read_weights": {
        "fr": "Chaque ligne est une dimension. Les petits ronds sont les poids donnés par chaque personne, "
              "les losanges la moyenne de chaque collège, le trait noir le poids finalement retenu. Les "
              "lignes surlignées sont les points de désaccord : les avis y sont très dispersés ou les "
              "collèges ne sont pas d'accord entre eux. Ce sont de bons sujets pour la prochaine "
              "délibération. Les collèges de moins de {n} personnes ne sont pas montrés, pour que personne "
              "ne puisse être reconnu.",
        "en": "Each line is a dimension. The small circles are the weights each person gave, the diamonds "
              "the mean of each college, the black line the weight finally retained. Highlighted lines are "
              "points of disagreement: views are very spread out or colleges disagree. They are good topics "
              "for the next deliberation. Colleges of fewer than {n} people are not shown, so that nobody "
              "can be recognised."},
    "read_heatmap": {
        "fr": "Plus la case est foncée, plus le désaccord est fort sur ce point. Les chiffres sont les "
              "mesures : coefficient de variation (dispersion), écart interquartile, part des personnes "
              "proches de l'avis médian, et p (collèges) — une valeur sous 0,05 indique que les collèges "
              "ne pensent pas la même chose.",
        "en": "The darker the cell, the stronger the disagreement on that point. The numbers are the "
              "measures: coefficient of variation (spread), interquartile range, share of people close to "
              "the median view, and p (colleges) — a value under 0.05 means the colleges think differently."},
    "read_participation": {
        "fr": "Nombre de personnes ayant répondu au questionnaire, par collège. Les collèges de moins de {n} "
              "personnes sont regroupés sous « moins de {n} » : leurs chiffres ne sont pas affichés.",
        "en": "Number of people who answered the survey, by college. Colleges of fewer than {n} people are "
              "shown as \"fewer than {n}\": their figures are not displayed."},
    "read_resources": {
        "fr": "Chaque barre est une vague ; ses couleurs montrent d'où viennent les ressources : ventes "
              "(marchand), subventions, dons et cotisations (non marchand), bénévolat, locaux prêtés et dons "
              "en nature valorisés en euros (non monétaire). Le bénévolat est valorisé au coût horaire du "
              "SMIC, une convention qui le sous-estime plutôt.",
        "en": "Each bar is a wave; its colours show where the resources come from: sales (market), "
              "subsidies, donations and contributions (non-market), volunteering, lent premises and gifts in "
              "kind valued in euros (non-monetary). Volunteering is valued at the hourly minimum wage, a "
              "convention that rather underestimates it."},
    "read_waterfall": {
        "fr": "Chaque marche ajoute la valeur d'un effet, une fois retirés ce qui serait arrivé de toute "
              "façon (effet d'aubaine) et la part due à d'autres acteurs. La barre « Valeur totale » est la "
              "somme ; comparée à l'investissement, elle donne le ratio SROI. Une part de l'utilité sociale "
              "n'a pas de prix : ce chiffre ne la résume pas.",
        "en": "Each step adds the value of one outcome, once what would have happened anyway (deadweight) "
              "and the share due to others are removed. The « Total value » bar is the sum; compared with the "
              "investment it gives the SROI ratio. Part of social utility has no price: this number does not "
              "sum it up."},
    "read_tornado": {
        "fr": "Chaque barre montre comment le ratio change quand une hypothèse passe de sa valeur basse à sa "
              "valeur haute. Les hypothèses en haut sont celles dont le résultat dépend le plus : elles "
              "méritent d'être discutées et documentées.",
        "en": "Each bar shows how the ratio changes when one assumption moves from its low to its high value. "
              "Assumptions at the top are those the result depends on most: they deserve discussion and "
              "documentation."},
    "read_typology": {
        "fr": "Le rapport du Labo de l'ESS (2024) place les coopérations selon deux axes : ciblée ou "
              "systémique (agit-elle sur un enjeu précis ou sur l'ensemble de ses causes ?) et modélisée ou "
              "non (suit-elle un modèle existant ?). Ce sont des idéaux-types : la plupart des coopérations "
              "sont entre les deux.",
        "en": "The Labo de l'ESS report (2024) places cooperations on two axes: targeted or systemic (does it "
              "act on one issue or on all its causes?) and modelled or not (does it follow an existing "
              "model?). These are ideal types: most cooperations lie in between."},
    "read_tree": {
        "fr": "Le référentiel rassemble les dimensions (en gras) et leurs critères. Entre parenthèses, le "
              "poids de chacun au sein de son groupe ; la barre montre son poids dans le score d'ensemble.",
        "en": "The framework gathers the dimensions (in bold) and their criteria. In brackets, the weight of "
              "each within its group; the bar shows its weight in the overall score."},
    "overall_score": {"fr": "Score d'ensemble", "en": "Overall score"},
    "interval": {"fr": "intervalle à 90 %", "en": "90% interval"},
    "rank_among": {"fr": "Rang parmi {n} coopérations", "en": "Rank among {n} cooperations"},
    "rank_range": {"fr": "rangs possibles : {lo} à {hi}", "en": "possible ranks: {lo} to {hi}"},
    "strongest": {"fr": "Dimension la plus forte", "en": "Strongest dimension"},
    "weakest": {"fr": "Dimension la plus faible", "en": "Weakest dimension"},
    "coverage": {"fr": "Part des indicateurs renseignés", "en": "Share of indicators with data"},
    "dimension": {"fr": "Dimension", "en": "Dimension"},
    "previous": {"fr": "Vague {wave}", "en": "Wave {wave}"},
    "difference": {"fr": "Écart (points)", "en": "Difference (points)"},
    "college": {"fr": "Collège", "en": "College"},
    "respondents": {"fr": "Répondant·es", "en": "Respondents"},
    "answers": {"fr": "Réponses", "en": "Answers"},
    "fewer_than": {"fr": "moins de {n}", "en": "fewer than {n}"},
    "total": {"fr": "Total", "en": "Total"},
    "other_unit": {"fr": "Coopération {letter}", "en": "Cooperation {letter}"},
    "classification": {"fr": "Modèle socio-économique (vague {wave}) : {label}.",
                       "en": "Socio-economic model (wave {wave}): {label}."},
    "sroi_summary": {"fr": "Ratio SROI : {ratio} € de valeur sociale pour 1 € investi (taux d'actualisation "
                           "{rate}).",
                     "en": "SROI ratio: {ratio} € of social value per 1 € invested (discount rate {rate})."},
    "annex_framework": {"fr": "Référentiel", "en": "Framework"},
    "annex_scoring": {"fr": "Calcul des scores", "en": "Scoring"},
    "annex_uncertainty": {"fr": "Incertitude", "en": "Uncertainty"},
    "annex_weights": {"fr": "Pondération", "en": "Weighting"},
    "annex_privacy": {"fr": "Protection des personnes", "en": "Protection of people"},
    "annex_sources": {"fr": "Sources des données", "en": "Data sources"},
    "annex_software": {"fr": "Logiciel", "en": "Software"},
    "scoring_text": {
        "fr": "Chaque indicateur est ramené sur une échelle de 0 à 100 ({normalisation}), puis les "
              "indicateurs sont combinés en critères, les critères en dimensions et les dimensions en score "
              "d'ensemble par moyenne pondérée ({aggregation}). Un nœud n'est calculé que si ses "
              "sous-éléments renseignés portent au moins la moitié de son poids.",
        "en": "Each indicator is brought to a 0–100 scale ({normalisation}); indicators are then combined "
              "into criteria, criteria into dimensions and dimensions into the overall score by weighted "
              "mean ({aggregation}). A node is computed only when its items with data carry at least half "
              "of its weight."},
    "uncertainty_text": {
        "fr": "Les intervalles viennent d'une simulation de Monte-Carlo ({n} tirages, graine {seed}) qui fait "
              "varier les poids selon la diversité des avis exprimés et les choix de méthode ; l'intervalle "
              "contient {level} des résultats simulés.",
        "en": "Intervals come from a Monte Carlo simulation ({n} draws, seed {seed}) that varies the weights "
              "according to the diversity of the views expressed and the method choices; the interval holds "
              "{level} of the simulated results."},
    "weights_text": {
        "fr": "Les poids ont été délibérés par {p} participant·es de {c} collèges ; les avis de chaque collège "
              "sont d'abord mis en commun ({aggregation}), puis les collèges sont combinés selon leur voix.",
        "en": "Weights were deliberated by {p} participants from {c} colleges; the views within each college "
              "are pooled first ({aggregation}), then the colleges are combined according to their voice."},
    "weights_default": {"fr": "Les poids sont ceux du référentiel (parts égales entre éléments d'un même groupe).",
                        "en": "Weights are those of the framework (equal shares within each group)."},
    "privacy_text": {
        "fr": "Aucun chiffre ni aucune figure de ce document ne porte sur un groupe de moins de {n} "
              "personnes : ces groupes sont masqués. Les identifiants des répondant·es sont pseudonymisés.",
        "en": "No number or figure in this document concerns a group of fewer than {n} people: such groups "
              "are hidden. Respondents' identifiers are pseudonymised."},
    "software_text": {"fr": "Produit avec coopeval {version} le {date}.",
                      "en": "Produced with coopeval {version} on {date}."},
    "references": {"fr": "Références", "en": "References"},
}

#: References cited in the annex.
REFERENCES = [
    "Le Labo de l'ESS (2024). Vers une société de la coopération. Paris : Le Labo de l'ESS.",
    "OECD & JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide. "
    "Paris : OECD Publishing.",
    "Nicholls J., Lawlor E., Neitzert E., Goodspeed T. (2012). A guide to Social Return on Investment. "
    "The SROI Network.",
    "Okabe M., Ito K. (2008). Color Universal Design (CUD): how to make figures and presentations that are "
    "friendly to colorblind people.",
]


def text(key: str, lang: str = "fr", **values: object) -> str:
    """The text ``key`` in ``lang`` with placeholders filled."""
    entry = TEXTS[key]
    s = entry[lang]
    return s.format(**values) if values else s
