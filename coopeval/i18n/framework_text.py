"""Issue 22: every sentence of the framework round from a phone (:mod:`coopeval.web.framework_page`) and of
its facilitator panel (:mod:`coopeval.widgets.framework_round`): ``key: (French, English)``."""

from __future__ import annotations

__all__ = ["TEXT", "_t"]

#: Every text of the pages: ``key: (French, English)``.
TEXT: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- participant page
    "page": ("Ce que nous mesurons", "What we measure"),
    "title": ("Ce que nous mesurons — tour {round}", "What we measure — round {round}"),
    "howto": ("Voici ce que l'évaluation mesure aujourd'hui. Ouvrez un élément pour proposer de le garder, de le "
              "retirer, de le renommer, de le reformuler ou de lui fixer un objectif. Vous pouvez aussi proposer "
              "un nouvel élément en bas de page. Vos propositions sont anonymes : le groupe les verra sans savoir "
              "qui les a faites, puis votera.",
              "This is what the evaluation measures today. Open an item to propose keeping, removing, renaming "
              "or rewording it, or setting it a target. You can also propose a new item at the bottom of the "
              "page. Your proposals are anonymous: the group will see them without knowing who made them, then "
              "vote."),
    "kind_criterion": ("critère", "criterion"), "kind_indicator": ("indicateur", "indicator"),
    "measured_in": ("Mesuré en : {unit}.", "Measured in: {unit}."),
    "dir_increase": ("Plus c'est haut, mieux c'est.", "The higher, the better."),
    "dir_decrease": ("Plus c'est bas, mieux c'est.", "The lower, the better."),
    "dir_target": ("Le mieux est d'atteindre la cible.", "Best is to reach the target."),
    "bounds": ("Bornes actuelles : de {lower} (score 0) à {upper} (score 100).",
               "Current goalposts: from {lower} (score 0) to {upper} (score 100)."),
    "bounds_ratio": ("Bornes actuelles : la valeur est comparée à celle de la première vague renseignée chez vous ; "
                     "×{lower} donne le score 0, ×{upper} le score 100 (une valeur inchangée donne {stable}).",
                     "Current goalposts: the value is compared with your first wave with data; ×{lower} scores 0, "
                     "×{upper} scores 100 (an unchanged value scores {stable})."),
    "bounds_difference": ("Bornes actuelles : on mesure l'écart à la première vague renseignée chez vous ; "
                          "{lower} donne le score 0, {upper} le score 100.",
                          "Current goalposts: the change since your first wave with data; {lower} scores 0, "
                          "{upper} scores 100."),
    "bounds_per": ("Bornes actuelles, par {per} : de {lower} (score 0) à {upper} (score 100).",
                   "Current goalposts, per {per}: from {lower} (score 0) to {upper} (score 100)."),
    "rule_relative": ("Règle des bornes : relative à votre propre point de départ, faute de repère publié pour toutes "
                      "les tailles de structure ; vous pouvez la changer.",
                      "Goalpost rule: relative to your own starting point, for want of a published reference for "
                      "every size of organisation; you may change it."),
    "target_now": ("Cible actuelle : {target}.", "Current target: {target}."),
    "bound_source": ("Source des bornes : {source}.", "Source of the goalposts: {source}."),
    "no_source": ("Ces bornes n'ont pas de source indiquée : c'est à vous d'en décider.",
                  "These goalposts state no source: it is for you to decide."),
    "refs_title": ("Repères : les vagues précédentes", "References: earlier waves"),
    "ref_own": ("Vague {wave} : {own} chez vous.", "Wave {wave}: {own} here."),
    "ref_range": ("Vague {wave} : médiane {median} (de {min} à {max}, {n} structure(s)).",
                  "Wave {wave}: median {median} (from {min} to {max}, {n} organisation(s))."),
    "your_proposal": ("Votre proposition", "Your proposal"),
    "op_keep": ("Garder tel quel", "Keep as it is"), "op_remove": ("Proposer de le retirer", "Propose removing it"),
    "op_rename": ("Le renommer", "Rename it"), "op_reword": ("Le reformuler (dire ce qu'il veut dire)",
                                                            "Reword it (say what it means)"),
    "op_goalpost": ("Changer ses bornes", "Change its goalposts"),
    "op_target": ("Lui fixer une cible", "Set it a target"),
    "new_text": ("Nouveau nom ou nouvelle formulation", "New name or wording"),
    "lower": ("Borne basse (score 0)", "Lower goalpost (score 0)"),
    "upper": ("Borne haute (score 100)", "Upper goalpost (score 100)"),
    "lower_ratio": ("Borne basse, en multiple de la première vague (score 0, ex. 0,5)",
                    "Lower goalpost, as a multiple of the first wave (score 0, e.g. 0.5)"),
    "upper_ratio": ("Borne haute, en multiple de la première vague (score 100, ex. 2)",
                    "Upper goalpost, as a multiple of the first wave (score 100, e.g. 2)"),
    "target": ("Cible", "Target"),
    "why": ("Pourquoi ? (facultatif)", "Why? (optional)"),
    "send_one": ("Envoyer cette proposition", "Send this proposal"),
    "h_add": ("Proposer un nouvel élément", "Propose a new item"),
    "add_where": ("Où le placer ?", "Where does it go?"),
    "add_name": ("Son nom", "Its name"),
    "add_measures": ("Ce qu'il mesure", "What it measures"),
    "add_why": ("Pourquoi il compte pour vous", "Why it matters to you"),
    "send_add": ("Proposer ce nouvel élément", "Propose this new item"),
    "h_group": ("Propositions du groupe (anonymes)", "The group's proposals (anonymous)"),
    "no_group": ("Aucune proposition pour l'instant.", "No proposal yet."),
    "reload": ("Actualiser la page", "Reload the page"),
    "sent": ("Merci : votre proposition est enregistrée, sans votre nom. Vous pouvez en faire d'autres.",
             "Thank you: your proposal is recorded, without your name. You may make others."),
    "duplicate": ("Cette proposition est déjà sur la table : elle sera soumise au vote du groupe.",
                  "This proposal is already on the table: the group will vote on it."),
    "need_text": ("Écrivez le nouveau nom ou la nouvelle formulation.", "Write the new name or wording."),
    "need_number": ("Donnez un nombre (par exemple 250 ou 0,5).", "Give a number (for example 250 or 0.5)."),
    "need_add": ("Donnez au moins le nom du nouvel élément et ce qu'il mesure.",
                 "Give at least the new item's name and what it measures."),
    "need_choice": ("Choisissez une proposition.", "Choose a proposal."),
    "bad_bounds": ("La borne basse doit être plus petite que la borne haute.",
                   "The lower goalpost must be smaller than the upper one."),
    "refused": ("Votre proposition n'a pas pu être enregistrée : le tour est peut-être clos. Actualisez la page.",
                "Your proposal could not be recorded: the round may be closed. Reload the page."),
    # vote phase
    "vote_title": ("Vote sur les propositions — tour {round}", "Vote on the proposals — round {round}"),
    "vote_howto": ("Voici les propositions du groupe, sans le nom de qui les a faites. Pour chacune, votez pour, "
                   "contre, ou abstenez-vous. Vous pouvez changer votre vote tant que le tour est ouvert. Les votes "
                   "sont comptés par collège.",
                   "Here are the group's proposals, without the name of who made them. For each, vote for, "
                   "against, or abstain. You can change your vote while the round is open. Votes are counted by "
                   "college."),
    "v_for": ("Pour", "For"), "v_against": ("Contre", "Against"), "v_abstain": ("Abstention", "Abstain"),
    "send_votes": ("Envoyer mes votes", "Send my votes"),
    "voted": ("Merci : {n} vote(s) enregistré(s). Vous pouvez les changer jusqu'à la clôture du tour.",
              "Thank you: {n} vote(s) recorded. You can change them until the round closes."),
    "need_vote": ("Votez sur au moins une proposition.", "Vote on at least one proposal."),
    "no_proposal_to_vote": ("Il n'y a aucune proposition à voter.", "There is no proposal to vote on."),
    "why_given": ("Pourquoi : «\u00a0{why}\u00a0»", "Why: “{why}”"),
    "measures_given": ("Ce qu'il mesure : {measures}", "What it measures: {measures}"),
    # a proposal in plain words
    "d_keep": ("Garder «\u00a0{node}\u00a0»", "Keep “{node}”"),
    "d_remove": ("Retirer «\u00a0{node}\u00a0»", "Remove “{node}”"),
    "d_rename": ("Renommer «\u00a0{node}\u00a0» en «\u00a0{text}\u00a0»", "Rename “{node}” as “{text}”"),
    "d_reword": ("Reformuler «\u00a0{node}\u00a0» : «\u00a0{text}\u00a0»", "Reword “{node}”: “{text}”"),
    "d_add": ("Ajouter «\u00a0{text}\u00a0» dans «\u00a0{node}\u00a0»", "Add “{text}” under “{node}”"),
    "d_goalpost": ("Bornes de «\u00a0{node}\u00a0» : de {lower} à {upper}", "Goalposts of “{node}”: from {lower} to {upper}"),
    "d_target": ("Cible de «\u00a0{node}\u00a0» : {target}", "Target of “{node}”: {target}"),
    # ---------------------------------------------------------------- facilitator panel
    "f_h": ("5. Ce que nous mesurons : tour sur le référentiel", "5. What we measure: framework round"),
    "f_intro": ("Un tour sur le référentiel : les participant·es proposent depuis leur téléphone (garder, retirer, "
                "renommer, reformuler, ajouter, fixer des bornes), puis votent par collège sur les propositions "
                "anonymes ; vous enregistrez ensuite les décisions dans le registre.",
                "A framework round: participants propose from their phone (keep, remove, rename, reword, add, "
                "set goalposts), then vote by college on the anonymous proposals; you then record the decisions "
                "in the register."),
    "f_open": ("Ouvrir un tour sur le référentiel", "Open a framework round"),
    "f_vote": ("Ouvrir le vote", "Open the vote"),
    "f_record": ("Enregistrer les décisions", "Record the decisions"),
    "f_wave": ("À partir de la vague", "From wave"),
    "f_opened": ("Tour {round} ouvert sur le référentiel : les liens personnels ouvrent le formulaire de "
                 "propositions.", "Framework round {round} opened: the personal links open the proposals form."),
    "f_vote_opened": ("Vote ouvert (tour {round}) : les téléphones montrent les propositions à voter.",
                      "Vote opened (round {round}): the phones show the proposals to vote on."),
    "f_recorded": ("{n} décision(s) enregistrée(s) dans le registre : référentiel version {number}.",
                   "{n} decision(s) recorded in the register: framework version {number}."),
    "f_no_round": ("Aucun tour sur le référentiel n'est ouvert dans cette session.",
                   "No framework round is open in this session."),
    "f_no_proposal": ("Aucune proposition pour l'instant.", "No proposal yet."),
    "f_phase_propose": ("Phase : propositions (tour {round}).", "Phase: proposals (round {round})."),
    "f_phase_vote": ("Phase : vote (tour {round}).", "Phase: vote (round {round})."),
    "f_h_props": ("Propositions et votes par collège", "Proposals and votes by college"),
    "f_col_n": ("N°", "No."), "f_col_proposal": ("Proposition", "Proposal"),
    "f_col_votes": ("Votes (pour / contre / abst.)", "Votes (for / against / abst.)"),
    "f_col_outcome": ("Décision", "Decision"), "f_col_reason": ("Raison", "Reason"),
    "f_adopted": ("adoptée", "adopted"), "f_rejected": ("rejetée", "rejected"),
    "f_votes_cell": ("{college} : {for_} / {against} / {abstain}", "{college}: {for_} / {against} / {abstain}"),
    "f_hidden": ("{college} : masqué (moins de {n})", "{college}: hidden (fewer than {n})"),
    "f_reason_ph": ("La raison retenue par le groupe", "The reason the group gave"),
    "f_no_vote_yet": ("pas encore de vote", "no vote yet"), "f_all": ("Ensemble", "All"),
    "f_unit": ("Unité", "Unit"), "f_lower": ("Borne basse", "Lower goalpost"),
    "f_upper": ("Borne haute", "Upper goalpost"),
    "f_need_bounds": ("Pour ajouter «\u00a0{name}\u00a0» (n° {pid}), donnez son unité et ses bornes (basse < haute) : "
                      "sans elles, le score ne peut pas le situer. Rien n'a été enregistré.",
                      "To add “{name}” (no. {pid}), give its unit and goalposts (lower < upper): without them the "
                      "score cannot place it. Nothing was recorded."),
    "f_bounds_source": ("décidé par le groupe (tour sur le référentiel)", "decided by the group (framework round)"),
    "f_already": ("Le tour sur le référentiel de cette session est déjà enregistré dans le registre : créez une "
                  "nouvelle session pour un nouveau tour.", "This session's framework round is already recorded in "
                  "the register: create a new session for a new round."),
    "m_framework": ("référentiel (propositions et vote)", "framework (proposals and vote)"),
}


def _t(key: str, lang: str = "fr", **values: object) -> str:
    """The text ``key`` in ``lang`` (French unless ``"en"``), with ``values`` filled in.

    >>> _t("d_keep", node="Lien social").replace(chr(160), " ")
    'Garder « Lien social »'
    """
    text = TEXT[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text
