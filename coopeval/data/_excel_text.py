"""French and English texts of the Excel data-entry template (written by
:mod:`coopeval.data.excel_writer`, read back by :mod:`coopeval.data.excel`).

Everything a collective reads in the workbook is here, in both languages: sheet
names, column headers, the instructions, the kind of each indicator, the help
texts and the messages of Excel data validation. Translations of the framework's
units of measurement and ordinal level labels come from
``coopeval/i18n/labels.yaml`` (keys ``measure_*`` and ``level_*``, looked up by
their French text); a text without translation is shown in French.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from coopeval.i18n import fmt as i18n_fmt
from coopeval.i18n import labels

#: Data-entry sheet and reference sheet, per language.
DATA_SHEETS = {"fr": "Saisie", "en": "Data"}
REF_SHEETS = {"fr": "Indicateurs", "en": "Indicators"}

#: Columns of the data sheet: (key, width, editable) and their headers per language.
COLUMNS = [
    ("unit", 22, False), ("wave", 10, False), ("dimension", 16, False),
    ("indicator", 30, False), ("label", 48, False), ("measure", 18, False),
    ("kind", 13, False), ("lower", 10, False), ("upper", 10, False), ("help", 40, False),
    ("value", 12, True), ("source", 24, True), ("note", 32, True),
]
HEADERS = {
    "fr": ["Structure", "Vague", "Dimension", "Indicateur (code)", "Libellé",
           "Unité de mesure", "Type", "Minimum", "Maximum", "Aide à la saisie", "Valeur",
           "Source", "Commentaire"],
    "en": ["Cooperation", "Wave", "Dimension", "Indicator (code)", "Label",
           "Unit of measurement", "Type", "Minimum", "Maximum", "Input help", "Value",
           "Source", "Comment"],
}
REF_HEADERS = {
    "fr": ["Dimension", "Critère", "Indicateur", "Libellé", "Unité", "Type", "Sens",
           "Minimum", "Maximum"],
    "en": ["Dimension", "Criterion", "Indicator", "Label", "Unit", "Type", "Direction",
           "Minimum", "Maximum"],
}
KINDS = {
    "fr": {"quantitative": "nombre", "likert": "score", "ordinal": "niveau",
           "binary": "oui/non", "grid": "grille"},
    "en": {"quantitative": "number", "likert": "score", "ordinal": "level",
           "binary": "yes/no", "grid": "grid"},
}
DIRECTIONS = {"fr": {"increase": "hausse", "decrease": "baisse", "target": "cible"},
              "en": {"increase": "increase", "decrease": "decrease", "target": "target"}}
YES_NO = {"fr": ("oui", "non"), "en": ("yes", "no")}

INSTRUCTIONS = {
    "fr": [
        ("Modèle de saisie des indicateurs", "title"),
        ("Référentiel : {title} (identifiant « {id} », version {version}).", ""),
        ("", ""),
        ("Comment remplir ce fichier", "h"),
        ("1. La feuille « Saisie » contient une ligne par structure, par vague d'évaluation "
         "et par indicateur.", ""),
        ("2. Saisissez uniquement la colonne « Valeur » (et, si vous le souhaitez, « Source » "
         "et « Commentaire »). Les autres colonnes sont protégées : ne les modifiez pas.", ""),
        ("3. Respectez l'unité de mesure et les bornes (colonnes « Minimum » et « Maximum ») ; "
         "les décimales peuvent s'écrire avec une virgule.", ""),
        ("4. Pour les indicateurs « oui/non » et « niveau », choisissez la valeur dans la liste "
         "déroulante ; la colonne « Aide à la saisie » rappelle la signification des niveaux.",
         ""),
        ("5. Laissez la cellule vide si la donnée n'est pas disponible : une cellule vide n'est "
         "pas un zéro, elle sera traitée comme une donnée manquante.", ""),
        ("6. N'ajoutez, ne supprimez et ne renommez ni lignes, ni colonnes, ni feuilles.", ""),
        ("7. Ne saisissez aucune donnée personnelle (nom, adresse, courriel, téléphone).", ""),
        ("", ""),
        ("Et ensuite ?", "h"),
        ("Renvoyez le fichier à la personne qui coordonne l'évaluation. Elle l'importera avec "
         "coopeval (ce.data.read_excel) : chaque erreur éventuelle sera signalée avec la "
         "feuille et la cellule concernées.", ""),
        ("", ""),
        ("Structures : {units}", ""),
        ("Vagues : {waves}", ""),
        ("Nombre d'indicateurs : {n}", ""),
    ],
    "en": [
        ("Indicator data-entry template", "title"),
        ("Framework: {title} (identifier “{id}”, version {version}).", ""),
        ("", ""),
        ("How to fill in this file", "h"),
        ("1. The “Data” sheet has one row per cooperation, per evaluation wave and per "
         "indicator.", ""),
        ("2. Fill in only the “Value” column (and, if you wish, “Source” and “Comment”). The "
         "other columns are protected: do not change them.", ""),
        ("3. Respect the unit of measurement and the bounds (columns “Minimum” and "
         "“Maximum”); decimals are written with a point.", ""),
        ("4. For “yes/no” and “level” indicators, choose the value from the drop-down list; "
         "the “Input help” column recalls what each level means.", ""),
        ("5. Leave the cell empty when the figure is not available: an empty cell is not a "
         "zero, it will be treated as missing data.", ""),
        ("6. Do not add, delete or rename rows, columns or sheets.", ""),
        ("7. Do not enter any personal data (name, address, e-mail, phone number).", ""),
        ("", ""),
        ("What next?", "h"),
        ("Send the file back to the person coordinating the evaluation. They will import it "
         "with coopeval (ce.data.read_excel): any error will be reported with its sheet and "
         "cell.", ""),
        ("", ""),
        ("Cooperations: {units}", ""),
        ("Waves: {waves}", ""),
        ("Number of indicators: {n}", ""),
    ],
}

#: Location texts used in error messages of :func:`coopeval.data.read_excel`.
WHERE = {"fr": "sheet '{sheet}', cell {cell}", "en": "sheet '{sheet}', cell {cell}"}
WHERE_ROW = {"fr": "sheet '{sheet}', row {row}", "en": "sheet '{sheet}', row {row}"}

_HELP = {
    "fr": {"between": "{whole} entre {lo} et {hi}", "number": "nombre",
           "whole": "nombre entier", "ge": "nombre supérieur ou égal à {lo}",
           "le": "nombre inférieur ou égal à {hi}", "binary": "oui ou non"},
    "en": {"between": "{whole} between {lo} and {hi}", "number": "number",
           "whole": "whole number", "ge": "number greater than or equal to {lo}",
           "le": "number less than or equal to {hi}", "binary": "yes or no"},
}
_DV = {
    "fr": {"title": "Valeur refusée", "binary": "Choisissez « oui » ou « non » dans la liste.",
           "ordinal": "Choisissez un niveau entre {lo} et {hi} dans la liste.",
           "range": "Entrez un nombre entre {lo} et {hi}."},
    "en": {"title": "Value refused", "binary": "Choose “yes” or “no” from the list.",
           "ordinal": "Choose a level between {lo} and {hi} from the list.",
           "range": "Enter a number between {lo} and {hi}."},
}


def fmt(x: float, lang: str) -> str:
    """A bound as a person reads it: ``2,5`` in French, ``2.5`` in English (as many decimals as it
    has, through the one number formatter :func:`coopeval.i18n.fmt`)."""
    text = f"{x:g}"
    digits = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return i18n_fmt(x, lang, digits)


@cache
def _translations(prefix: str) -> dict[str, str]:
    """French text -> English text of the ``labels.yaml`` keys starting with ``prefix``."""
    return {e["fr"]: e["en"] for k, e in labels().items()
            if k.startswith(prefix) and e.get("fr") and e.get("en")}


def measure(text: object, lang: str) -> object:
    """The unit of measurement ``text`` (French in frameworks) in ``lang``."""
    if lang == "fr" or not isinstance(text, str):
        return text
    return _translations("measure_").get(text, text)


def level(text: str, lang: str) -> str:
    """An ordinal level label (French in frameworks) in ``lang``."""
    return text if lang == "fr" else _translations("level_").get(text, text)


def help_text(kind: str, lower: float, upper: float, levels: dict | None, lang: str) -> str:
    """The *help* cell of a row: allowed values in words, or the meaning of the levels."""
    h = _HELP[lang]
    if kind == "binary":
        return h["binary"]
    if kind == "grid" and levels:  # a progress grid: each level with its descriptor
        return "\n".join(f"{k} = {v[f'label_{lang}']} : {v[f'descriptor_{lang}']}" if lang == "fr"
                         else f"{k} = {v[f'label_{lang}']}: {v[f'descriptor_{lang}']}" for k, v in sorted(levels.items()))
    if kind == "ordinal" and levels:
        return " ; ".join(f"{k} = {level(v, lang)}" for k, v in sorted(levels.items())) \
            if lang == "fr" else "; ".join(f"{k} = {level(v, lang)}"
                                           for k, v in sorted(levels.items()))
    has_lo, has_hi = pd.notna(lower), pd.notna(upper)
    if has_lo and has_hi:
        whole = h["whole"] if kind in ("ordinal", "grid") else h["number"]
        return h["between"].format(whole=whole, lo=fmt(lower, lang), hi=fmt(upper, lang))
    if has_lo:
        return h["ge"].format(lo=fmt(lower, lang))
    if has_hi:
        return h["le"].format(hi=fmt(upper, lang))
    return h["number"]


def validation_text(key: str, lang: str, **values: object) -> str:
    """Message of Excel data validation ``key`` (title, binary, ordinal, range)."""
    return _DV[lang][key].format(**values)
