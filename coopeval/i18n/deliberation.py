"""Sentences of the deliberation pages (participant and facilitator), French first.

Numerical and store code returns codes (``"expired"``, ``"submitted"``…); these tables
turn them into the sentences a person reads. :func:`msg` for the participant's
messages, :data:`SAATY_CHOICES` for the pairwise scale, :func:`college_name` for a
college's readable name.

>>> msg("expired")
"Ce lien a expiré. Demandez un nouveau lien à l'animateur·rice."
"""

from __future__ import annotations

from coopeval.errors import bad_param
from coopeval.i18n import labels as i18n_labels

__all__ = ["MESSAGES", "SAATY_CHOICES", "SAATY_CHOICES_EN", "msg", "college_name", "saaty_choices"]

#: Saaty's scale as a participant reads it, for a pair (A, B): value of A over B.
SAATY_CHOICES = ((9.0, "Extrêmement plus : {a}"), (7.0, "Beaucoup plus : {a}"), (5.0, "Nettement plus : {a}"),
                 (3.0, "Un peu plus : {a}"), (1.0, "Autant l'une que l'autre"), (1 / 3, "Un peu plus : {b}"),
                 (1 / 5, "Nettement plus : {b}"), (1 / 7, "Beaucoup plus : {b}"), (1 / 9, "Extrêmement plus : {b}"))
#: The same in English.
SAATY_CHOICES_EN = ((9.0, "Extremely more: {a}"), (7.0, "Much more: {a}"), (5.0, "Clearly more: {a}"),
                    (3.0, "A little more: {a}"), (1.0, "As much as each other"), (1 / 3, "A little more: {b}"),
                    (1 / 5, "Clearly more: {b}"), (1 / 7, "Much more: {b}"), (1 / 9, "Extremely more: {b}"))
#: Consistency ratio above which the page asks to review a pairwise comparison (Saaty 1980).
MESSAGES: dict[str, dict[str, str]] = {
    "missing": {"fr": "Ce lien est incomplet : il manque votre code personnel. Ouvrez le lien reçu de "
                      "l'animateur·rice, en entier.",
                "en": "This link is incomplete: your personal code is missing. Open the whole link you received."},
    "unknown": {"fr": "Ce lien n'est pas reconnu. Vérifiez qu'il est complet ou demandez un nouveau lien "
                      "à l'animateur·rice.",
                "en": "This link is not recognised. Check that it is complete or ask the facilitator for a new one."},
    "revoked": {"fr": "Ce lien a été remplacé par un nouveau lien : ouvrez le dernier lien reçu de "
                      "l'animateur·rice.",
                "en": "This link was replaced by a new one: open the latest link you received from the "
                      "facilitator."},
    "expired": {"fr": "Ce lien a expiré. Demandez un nouveau lien à l'animateur·rice.",
                "en": "This link has expired. Ask the facilitator for a new one."},
    "no_round": {"fr": "Aucun tour de pondération n'est ouvert en ce moment : votre réponse ne peut pas être "
                       "enregistrée. Revenez quand l'animateur·rice ouvrira le prochain tour.",
                 "en": "No weighting round is open at the moment: your answer cannot be stored. Come back when "
                       "the facilitator opens the next round."},
    "closed": {"fr": "Le tour est clos : votre réponse n'a pas été enregistrée.",
               "en": "The round is closed: your answer was not stored."},
    "submitted": {"fr": "Ce lien a déjà servi pour ce tour : votre réponse est enregistrée et ne peut pas être "
                        "envoyée une seconde fois. Vous pourrez la réviser au tour suivant.",
                  "en": "This link has already been used in this round: your answer is stored and cannot be sent "
                        "twice. You may revise it in the next round."},
    "unsupported": {"fr": "La méthode « {method} » choisie pour votre collège ne se remplit pas sur cette page. "
                          "Voyez l'animateur·rice.",
                    "en": "The method '{method}' chosen for your college cannot be filled in on this page. "
                          "See the facilitator."},
    "invalid": {"fr": "Votre réponse est incomplète ou incohérente : {detail}",
                "en": "Your answer is incomplete or inconsistent: {detail}"},
    "thanks": {"fr": "Merci ! Votre réponse est enregistrée (tour {round}).",
               "en": "Thank you! Your answer is stored (round {round})."},
    "no_project": {"fr": "Aucun projet n'est ouvert sur ce serveur : prévenez l'animateur·rice.",
                   "en": "No project is open on this server: tell the facilitator."},
    "error": {"fr": "Votre réponse n'a pas pu être enregistrée ; réessayez dans un instant.",
              "en": "Your answer could not be stored; try again in a moment."},
}


def msg(key: str, lang: str = "fr", **values: object) -> str:
    """The message ``key`` in ``lang`` (``"fr"`` default, ``"en"``), placeholders filled."""
    if key not in MESSAGES:
        bad_param("key", f"one of {', '.join(MESSAGES)}", key)
    text = MESSAGES[key]["en" if lang == "en" else "fr"]
    return text.format(**values) if values else text


def saaty_choices(lang: str = "fr") -> tuple[tuple[float, str], ...]:
    """Saaty's scale as a participant reads it in ``lang`` (value of A over B, sentence)."""
    return SAATY_CHOICES_EN if lang == "en" else SAATY_CHOICES


def college_name(college: str, lang: str = "fr") -> str:
    """A college's readable name (label ``college_<id>`` of ``coopeval/i18n/labels.yaml``), else its id.

    >>> college_name("salarie_es"), college_name("salarie_es", "en"), college_name("voisins")
    ('Salarié·es', 'Employees', 'voisins')
    """
    entry = i18n_labels().get(f"college_{college}")
    if not entry:
        return str(college)
    return str(entry.get("en" if lang == "en" else "fr") or entry.get("fr") or college)
