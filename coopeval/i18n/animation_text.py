"""Every sentence of the facilitator page (``animation.ipynb``): ``key: (French, English)``."""

from __future__ import annotations

__all__ = ["TEXT", "_t"]

#: Every text of the page: ``key: (French, English)``.
TEXT: dict[str, tuple[str, str]] = {
    "m_points": ("100 points à répartir", "100 points to share"), "m_ranking": ("classement", "ranking"),
    "m_simos": ("cartes (Simos)", "cards (Simos)"), "m_direct": ("note de 0 à 10", "rating from 0 to 10"),
    "m_ahp": ("comparaisons par paires", "pairwise comparisons"),
    "m_swing": ("écarts du pire au meilleur (swing)", "swings from worst to best"),
    "m_framework": ("référentiel (propositions et vote)", "framework (proposals and vote)"),  # issue 22
    "s_open": ("ouvert", "open"), "s_closed": ("clos", "closed"), "s_planned": ("prévu", "planned"),
    "title": ("Animation des tours : référentiel et pondération", "Running the rounds: framework and weighting"),
    "intro": ("Créez une session, distribuez les liens personnels, ouvrez un tour, suivez les réponses et "
              "l'accord du groupe, puis clore le tour et ouvrez le suivant avec le retour anonyme. Aucune "
              "réponse individuelle n'est affichée ici.",
              "Create a session, hand out the personal links, open a round, follow the answers and the "
              "group's agreement, then close the round and open the next one with the anonymous feedback. "
              "No individual answer is shown here."),
    "session": ("Session", "Session"), "new_session": ("Nouvelle session", "New session"),
    "new_placeholder": ("ex. atelier_2026", "e.g. workshop_2026"), "title_field": ("Titre", "Title"),
    "title_placeholder": ("Atelier de pondération", "Weighting workshop"),
    "create": ("Créer la session", "Create the session"), "college": ("Collège", "College"),
    "count": ("Nombre", "Number"), "server": ("Adresse des liens", "Links address"),
    "server_note": ("Les liens commencent par cette adresse, celle du serveur vue depuis les téléphones "
                    "(modifiable si besoin).", "The links start with this address, the server's as phones see it "
                    "(editable if needed)."),
    "login_title": ("Animation des tours — accès réservé", "Running the rounds — restricted access"),
    "login_intro": ("Cette page est réservée à l'animateur·rice : saisissez le code animateur·rice du projet "
                    "(affiché par <code>coopeval serve</code> au premier lancement, ou créé par "
                    "<code>coopeval secret</code>).",
                    "This page is for the facilitator: enter the project's facilitator secret (shown by "
                    "<code>coopeval serve</code> on its first start, or made by <code>coopeval secret</code>)."),
    "login_field": ("Code animateur·rice", "Facilitator secret"), "login": ("Entrer", "Enter"),
    "h_all_links": ("Tous les liens émis", "Every link issued"),
    "links_kept": ("Les liens restent disponibles ici à tout moment, pour cette session : {sheet} ou {download}, "
                   "puis remettez à chaque personne son lien, et à elle seule.",
                   "The links stay available here at any time for this session: {sheet} or {download}, then "
                   "hand each person their own link, and to them only."),
    "no_links": ("Aucun lien émis pour cette session.", "No link issued for this session yet."),
    "lost": ("illisible (émis avant le code actuel) : remplacez-le", "unreadable (issued before the current "
             "secret): replace it"),
    "h_expires": ("Expire le", "Expires"), "never": ("jamais", "never"), "expired": ("expiré", "expired"),
    "reissue_who": ("Lien perdu de", "Lost link of"), "choose_who": ("— choisir —", "— choose —"),
    "choose_who_first": ("Choisissez d'abord la personne dont le lien est perdu.",
                         "First choose the person whose link is lost."), "reissue": ("Remplacer le lien", "Replace the link"),
    "reissued": ("Nouveau lien pour {who} (ci-dessous) : l'ancien ne fonctionne plus.",
                 "New link for {who} (below): the old one no longer works."),
    "auto": ("La page se met à jour toute seule quand des réponses arrivent.",
             "The page updates itself when answers arrive."),
    "issue": ("Créer les liens personnels", "Create the personal links"),
    "open": ("Ouvrir le tour suivant", "Open the next round"),
    "close": ("Clore le tour en cours", "Close the current round"),
    "refresh": ("Actualiser", "Refresh"), "shown_round": ("Tour affiché", "Round shown"),
    "h_session": ("1. Session", "1. Session"),
    "h_people": ("2. Participant·es et liens personnels", "2. Participants and personal links"),
    "h_rounds": ("3. Tours", "3. Rounds"),
    "methods_next": ("Méthode par collège pour le prochain tour :", "Method per college for the next round:"),
    "h_follow": ("4. Suivi des réponses et de l'accord", "4. Answers and agreement"),
    "created": ("Session « {session} » créée.", "Session '{session}' created."),
    "pick_session": ("Choisissez ou créez d'abord une session.", "Choose or create a session first."),
    "links_made": ("{n} liens créés pour le collège « {college} » (liste ci-dessous).",
                   "{n} links created for college '{college}' (list below)."),
    "links_note": ("<b>Ces liens ne seront plus affichés</b> (le projet ne garde qu'une empreinte) : "
                   "{sheet} ou {download}, puis remettez à chaque personne son lien, et à elle seule.",
                   "<b>These links will not be shown again</b> (the project keeps only a fingerprint): "
                   "{sheet} or {download}, then hand each person their own link, and to them only."),
    "download": ("téléchargez la liste (CSV)", "download the list (CSV)"),
    "sheet": ("téléchargez la feuille à imprimer (cartes avec QR codes, A4)",
              "download the sheet to print (cards with QR codes, A4)"),
    "h_participant": ("Participant·e", "Participant"), "h_link": ("Lien personnel", "Personal link"),
    "label_colon": ("{label} :", "{label}:"),  # a column's name before its cell on a phone
    "opened": ("Tour {round} ouvert.", "Round {round} open."),
    "none_open": ("Aucun tour n'est ouvert.", "No round is open."),
    "closed": ("Tour {round} clos : les réponses arrivées après sont refusées.",
               "Round {round} closed: later answers are refused."),
    "no_session": ("Aucune session pour l'instant.", "No session yet."),
    "free": ("au choix de chaque participant·e", "each participant's choice"),
    "registered": ("{n} participant·es inscrit·es.", "{n} participants registered."),
    "no_round_yet": ("Aucun tour pour l'instant.", "No round yet."),
    "h_round": ("Tour", "Round"), "h_state": ("État", "State"), "h_received": ("Réponses reçues", "Answers received"),
    "h_methods": ("Méthodes", "Methods"), "round_n": ("Tour {round}", "Round {round}"),
    "not_yet": ("Pas encore de tour.", "No round yet."),
    "received_in": ("Réponses reçues au tour {round}", "Answers received in round {round}"),
    "h_answered": ("Ont répondu", "Answered"), "h_registered": ("Inscrit·es", "Registered"),
    "no_answer": ("Aucune réponse pour ce tour.", "No answer in this round."),
    "h_agreement": ("Accord du groupe, dimension par dimension (et critère par critère s'ils ont été pondérés)",
                    "Group agreement, dimension by dimension (and criterion by criterion if they were weighted)"),
    "h_by_college": ("Accord au sein de chaque collège", "Agreement within each college"),
    "no_college": ("Aucun collège ne peut encore être affiché seul (il lui faut {k} réponses, et qu'aucun collège "
                   "plus petit ne puisse être retrouvé par différence).",
                   "No college can be shown alone yet (it needs {k} answers, and no smaller college may be "
                   "recoverable by difference)."),
    "college_note": ("Dans chaque case : part des membres du collège à ± 25 % de la médiane du collège, puis la "
                     "dispersion (CV) ; en orange, une dimension contestée dans le collège.",
                     "In each cell: share of the college's members within ± 25 % of the college's median, then "
                     "the dispersion (CV); in orange, a dimension contested within the college."),
    "ne_cell": ("non estimable", "not estimable"),
    "ne_one_member_per_method": (
        "« Non estimable » : chaque membre a utilisé une méthode différente ; l'écart entre les membres ne peut "
        "donc pas être distingué de l'effet de la méthode (pour le mesurer, il faut au moins deux membres par "
        "méthode).",
        "“Not estimable”: each member used a different method, so the differences between members cannot be "
        "told apart from the effect of the method (measuring them needs at least two members per method)."),
    "hidden": ("Non affichés (moins de {k} réponses, ou regroupés avec un collège qui en a moins, pour qu'il ne "
               "puisse pas être retrouvé par différence) : {colleges}.",
               "Not shown (fewer than {k} answers, or pooled with a college that has fewer, so that it cannot be "
               "recovered by difference): {colleges}."),
    "h_contested": ("Dimensions contestées", "Contested dimensions"), "none": ("Aucune.", "None."),
    "h_rule": ("Règle d'arrêt", "Stopping rule"),
    "rule": ("Fixée avant la session (empreinte {fp}) : arrêter quand au moins {consensus} des dimensions (et "
             "critères pondérés) font consensus, ou quand au plus {changed} des réponses changent d'un tour à "
             "l'autre, ou après {rounds} tours.",
             "Set before the session (fingerprint {fp}): stop when at least {consensus} of the dimensions (and "
             "weighted criteria) reach consensus, or when at most {changed} of the answers change from one "
             "round to the next, or after {rounds} rounds."),
    "h_consensus": ("Dimensions en consensus", "Dimensions in consensus"),
    "h_changed": ("Réponses modifiées", "Answers changed"), "h_decision": ("Décision", "Decision"),
    "h_reason": ("Raison", "Reason"), "stop": ("arrêter", "stop"), "go_on": ("continuer", "go on"),
    "a_node": ("Dimension (› critère)", "Dimension (› criterion)"), "a_n": ("Réponses", "Answers"),
    "a_median": ("Médiane", "Median"), "a_iqr": ("Moitié centrale", "Middle half"),
    "a_cv": ("Dispersion (CV)", "Dispersion (CV)"),
    "a_agree": ("Accord (± 25 % de la médiane)", "Agreement (± 25 % of the median)"),
    "a_p": ("Écart entre collèges (p)", "Colleges differ (p)"), "a_contested": ("Contestée", "Contested"),
    "yes": ("oui", "yes"), "no": ("non", "no"),
    "no_project": ("Aucun projet n'est ouvert : lancez Voilà avec la variable COOPEVAL_PROJECT (chemin du "
                   "projet, par exemple <code>COOPEVAL_PROJECT=evaluation.coopeval voila dashboards/</code>).",
                   "No project is open: start Voilà with the COOPEVAL_PROJECT variable (the project's path, e.g. "
                   "<code>COOPEVAL_PROJECT=evaluation.coopeval voila dashboards/</code>)."),
}


def _t(key: str, lang: str = "fr", **values: object) -> str:
    text = TEXT[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text
