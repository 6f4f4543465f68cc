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

__all__ = ["MESSAGES", "SAATY_CHOICES", "SAATY_CHOICES_EN", "msg", "college_name", "college_in_sentence", "saaty_choices", "refusal"]

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
    "wrong_method": {"fr": "la page attend la méthode « {method} » : rechargez-la.",
                     "en": "the page expects the method '{method}': reload it."},
    "check_all": {"fr": "vérifiez que chaque dimension a une réponse valable.",
                  "en": "check that every dimension has a valid answer."},
    "next_round": {"fr": "Le tour {round} est ouvert : la page est à jour, vous pouvez répondre.",
                   "en": "Round {round} is open: the page is up to date, you may answer."},
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


def college_in_sentence(name: str, lang: str = "fr") -> str:
    """A college named inside a sentence: a college id or its French label (any case, as typed in
    a decision) becomes its label in ``lang``, first letter lower case; any other name is kept as typed.

    >>> college_in_sentence("salarie_es", "en"), college_in_sentence("habitant·es", "en")
    ('employees', 'residents')
    >>> college_in_sentence("Salarié·es"), college_in_sentence("les voisin·es du quartier", "en")
    ('salarié·es', 'les voisin·es du quartier')
    """
    typed = str(name).strip()
    for key, entry in i18n_labels().items():
        if not key.startswith("college_") or key == "college_voice" or not isinstance(entry, dict):
            continue
        if typed.casefold() in (key.removeprefix("college_").casefold(), str(entry.get("fr", "")).casefold()):
            found = college_name(key.removeprefix("college_"), lang)
            return found[:1].lower() + found[1:]
    return str(name)


#: A refusal of the store, as the facilitator reads it: (start of the error, French, English).
REFUSALS: tuple[tuple[str, str, str], ...] = (
    ("parameter `session`: expected a new session id", "Cette session existe déjà : choisissez un autre nom.",
     "This session already exists: choose another name."),
    ("parameter `session`", "Choisissez ou créez d'abord une session.", "Choose or create a session first."),
    ("round: session", "Un tour est déjà ouvert : closez-le avant d'ouvrir le suivant.",
     "A round is already open: close it before opening the next one."),
    ("round: round", "Ce tour est clos et ne peut pas rouvrir : ouvrez un nouveau tour.",
     "This round is closed and cannot reopen: open a new round."),
    ("round: expected an open round", "Aucun tour n'est ouvert.", "No round is open."),
    ("participants:", "Ces participant·es ont déjà un lien : utilisez « Remplacer le lien ».",
     "These participants already have a link: use 'Replace the link'."),
    ("parameter `college`", "Choisissez un collège de la liste du projet.", "Choose a college from the project's list."),
    ("parameter `n`", "Indiquez un nombre de liens d'au moins 1.", "Give a number of links of at least 1."),
    ("parameter `participant`", "Choisissez un·e participant·e de la session.", "Choose a participant of the session."),
    ("secret: none set", "Ce projet n'a pas encore de code animateur·rice : lancez `coopeval secret` (ou "
     "`coopeval serve`) pour en créer un.", "This project has no facilitator secret yet: run `coopeval secret` "
     "(or `coopeval serve`) to create one."),
    ("secret: too many attempts", "Trop d'essais manqués : attendez quelques minutes avant de réessayer.",
     "Too many failed attempts: wait a few minutes before trying again."),
    ("secret: wrong", "Code incorrect.", "Wrong code."),
    ("setting token_ttl_hours", "Le réglage token_ttl_hours du projet n'est pas un nombre d'heures positif.",
     "The project's token_ttl_hours setting is not a positive number of hours."),
)


def refusal(error: Exception | str, lang: str = "fr") -> str:
    """A store or validation error as the facilitator reads it (French by default).

    >>> refusal("secret: wrong facilitator secret")
    'Code incorrect.'
    >>> refusal("something unexpected", "en")
    'The action could not be done (something unexpected).'
    """
    text = str(error)
    for start, fr, en in REFUSALS:
        if text.startswith(start):
            return en if lang == "en" else fr
    return (f"The action could not be done ({text})." if lang == "en"
            else f"L'action n'a pas pu être faite (détail technique : {text}).")
