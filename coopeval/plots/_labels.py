"""French and English texts of the figures that are not common labels of :mod:`coopeval.i18n`."""

from __future__ import annotations

from coopeval.errors import PlotError

TEXTS: dict[str, dict[str, str]] = {
    "score_0_100": {"fr": "Score (0–100)", "en": "Score (0–100)"},
    "profile_of": {"fr": "Profil de {unit}", "en": "Profile of {unit}"},
    "profile_wave": {"fr": "Profils — vague {wave}", "en": "Profiles — wave {wave}"},
    "scores_of": {"fr": "Scores de {unit} — vague {wave}", "en": "Scores of {unit} — wave {wave}"},
    "not_computed": {"fr": "non calculé (données insuffisantes)", "en": "not computed (too few data)"},
    "small_colleges": {"fr": "Collèges de moins de {n} personnes non affichés : {k}",
                       "en": "Colleges of fewer than {n} people not shown: {k}"},
    "median_interval": {"fr": "médiane et intervalle", "en": "median and interval"},
    "participant": {"fr": "Participant·e", "en": "Participant"},
    "college_mean": {"fr": "Moyenne du collège", "en": "College mean"},
    "combined": {"fr": "Poids retenu", "en": "Combined weight"},
    "contested_mark": {"fr": "critère débattu", "en": "contested criterion"},
    "agreement_title": {"fr": "Accord entre participant·es", "en": "Agreement among participants"},
    "cv": {"fr": "Coeff. de variation", "en": "Coeff. of variation"},
    "iqr": {"fr": "Écart interquartile", "en": "Interquartile range"},
    "pct_agreement": {"fr": "Part d'accord", "en": "Share agreeing"},
    "kendall_w": {"fr": "W de Kendall", "en": "Kendall's W"},
    "college_p_value": {"fr": "p (collèges)", "en": "p (colleges)"},
    "rank_intervals": {"fr": "Rangs et leur incertitude — vague {wave}",
                       "en": "Ranks and their uncertainty — wave {wave}"},
    "rank_axis": {"fr": "Rang (1 = meilleur)", "en": "Rank (1 = best)"},
    "topk_title": {"fr": "Probabilité d'être parmi les {k} premiers",
                   "en": "Probability of being in the top {k}"},
    "probability": {"fr": "Probabilité", "en": "Probability"},
    "typology_title": {"fr": "Typologie des coopérations", "en": "Typology of cooperations"},
    "targeted": {"fr": "Ciblée", "en": "Targeted"},
    "systemic": {"fr": "Systémique", "en": "Systemic"},
    "modelled": {"fr": "Modélisée", "en": "Modelled"},
    "not_modelled": {"fr": "Non modélisée", "en": "Not modelled"},
    "not_stated": {"fr": "position non renseignée (placée au milieu)",
                   "en": "position not stated (drawn at the middle)"},
    "resources_title": {"fr": "Ressources par catégorie", "en": "Resources by category"},
    "amount_eur": {"fr": "Montant (€)", "en": "Amount (€)"},
    "share": {"fr": "Part des ressources", "en": "Share of resources"},
    "waterfall_title": {"fr": "Construction de la valeur sociale (SROI)",
                        "en": "Build-up of the social value (SROI)"},
    "total_value": {"fr": "Valeur totale", "en": "Total value"},
    "inputs": {"fr": "Investissement", "en": "Investment"},
    "present_value_eur": {"fr": "Valeur actualisée (€)", "en": "Present value (€)"},
    "ratio_text": {"fr": "Ratio SROI : {ratio} € pour 1 € investi",
                   "en": "SROI ratio: {ratio} € per 1 € invested"},
    "tornado_title": {"fr": "Sensibilité du ratio SROI", "en": "Sensitivity of the SROI ratio"},
    "sroi_ratio": {"fr": "Ratio SROI", "en": "SROI ratio"},
    "low_value": {"fr": "hypothèse basse", "en": "low assumption"},
    "high_value": {"fr": "hypothèse haute", "en": "high assumption"},
    "tree_title": {"fr": "Référentiel et poids", "en": "Framework and weights"},
    "global_weight": {"fr": "Poids dans le score d'ensemble", "en": "Weight in the overall score"},
    "waves": {"fr": "Vagues", "en": "Waves"},
}

#: Names of the SROI parameters (tornado labels).
PARAMETERS = {
    "fr": {"quantity": "quantité", "proxy": "valeur de référence", "deadweight": "effet d'aubaine",
           "displacement": "déplacement", "attribution": "attribution", "drop_off": "érosion",
           "duration": "durée", "discount_rate": "taux d'actualisation"},
    "en": {"quantity": "quantity", "proxy": "financial proxy", "deadweight": "deadweight",
           "displacement": "displacement", "attribution": "attribution", "drop_off": "drop-off",
           "duration": "duration", "discount_rate": "discount rate"},
}


def tx(key: str, lang: str = "fr", **values: object) -> str:
    """Text ``key`` in ``lang`` with placeholders filled."""
    entry = TEXTS.get(key)
    if entry is None:
        raise PlotError(f"text key: expected one of {sorted(TEXTS)}, got {key!r}")
    text = entry[lang]
    return text.format(**values) if values else text
