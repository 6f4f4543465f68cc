"""Every sentence of the participant pages (``participation.ipynb`` and the light page): ``key: (French, English)``."""

from __future__ import annotations

__all__ = ["TEXT", "_t"]

#: Every text of the page: ``key: (French, English)``.
TEXT: dict[str, tuple[str, str]] = {
    "weighting": ("Pondération", "Weighting"),
    "title": ("Ce qui compte pour vous — tour {round}", "What matters to you — round {round}"),
    "how_points": ("Répartissez {total} points entre les dimensions : plus une dimension compte pour vous, plus "
                   "elle reçoit de points. Le total doit faire exactement {total}.",
                   "Share {total} points between the dimensions: the more a dimension matters to you, the more "
                   "points it gets. The total must be exactly {total}."),
    "how_ranking": ("Classez les dimensions : 1 = la plus importante pour vous. Deux dimensions peuvent avoir le "
                    "même rang si elles comptent autant.",
                    "Rank the dimensions: 1 = the most important to you. Two dimensions may share a rank if they "
                    "matter as much."),
    "how_simos": ("Placez chaque dimension comme une carte sur une échelle : position 1 = la moins importante ; "
                  "même position = même importance ; sauter une position = une carte blanche (un écart plus "
                  "grand).",
                  "Place each dimension like a card on a scale: position 1 = the least important; same position "
                  "= same importance; skipping a position = a blank card (a larger gap)."),
    "how_direct": ("Donnez à chaque dimension une note d'importance de {lo} (aucune) à {hi} (très grande).",
                   "Rate the importance of each dimension from {lo} (none) to {hi} (very high)."),
    "how_ahp": ("Comparez les dimensions deux à deux : pour chaque paire, dites laquelle compte le plus pour "
                "vous, et de combien.",
                "Compare the dimensions two by two: for each pair, say which matters more to you, and by how "
                "much."),
    "how_swing": ("Imaginez que chaque dimension est à son pire niveau. Si vous ne pouviez en faire passer "
                  "qu'une au meilleur niveau, laquelle choisiriez-vous ? Donnez-lui {top}. Puis donnez à chaque "
                  "autre passage une note de 0 à {top} : ce qu'il vaut pour vous comparé à celui-là (50 = moitié "
                  "moins important).",
                  "Imagine every dimension at its worst level. If you could bring only one to its best level, "
                  "which would you choose? Give it {top}. Then rate every other swing from 0 to {top}: what it is "
                  "worth to you compared with that one (50 = half as important)."),
    "swing_intro": ("Passer du pire au meilleur niveau :", "Going from the worst to the best level:"),
    "swing_line": ("{label} : de {worst} à {best}", "{label}: from {worst} to {best}"),
    "swing_more": ("et {n} autre(s) indicateur(s)", "and {n} more indicator(s)"),
    "swing_points": ("{label} (valeur du passage, sur {top})", "{label} (value of the swing, out of {top})"),
    "swing_ok": ("Le passage le plus important a {top}.", "The most important swing has {top}."),
    "swing_top": ("Donnez {top} au passage qui compte le plus pour vous (le plus haut aujourd'hui : {max}).",
                  "Give {top} to the swing that matters most to you (highest now: {max})."),
    "slider": ("{label} (curseur)", "{label} (slider)"),
    "points": ("{label} (points)", "{label} (points)"),
    "rating": ("{label} (note sur {hi})", "{label} (rating out of {hi})"),
    "rank": ("{label} : rang", "{label}: rank"),
    "position": ("{label} : position", "{label}: position"),
    "choose": ("— choisir —", "— choose —"),
    "most": (" (la plus importante)", " (the most important)"),
    "least": (" (la moins importante)", " (the least important)"),
    "pair": ("{a} ou {b}", "{a} or {b}"),
    "pair_question": ("<b>{a}</b> ou <b>{b}</b> : laquelle compte le plus pour vous, et de combien ?",
                      "<b>{a}</b> or <b>{b}</b>: which matters more to you, and by how much?"),
    "reason_placeholder": ("Pourquoi ? Une phrase suffit (facultatif, lu sans votre nom).",
                           "Why? One sentence is enough (optional, read without your name)."),
    "reason": ("Votre argument", "Your argument"),
    "send": ("Envoyer ma réponse", "Send my answer"),
    "send_tip": ("Envoyer ma réponse (une seule fois par tour)", "Send my answer (once per round)"),
    "your_weights": ("Vos poids", "Your weights"),
    "total_ok": ("le compte est bon", "that adds up"),
    "total_left": ("il reste {n} points à répartir", "{n} points left to share"),
    "total_over": ("{n} points de trop", "{n} points too many"),
    "rated": ("Chaque dimension a une note.", "Every dimension has a rating."),
    "pairs_done": ("Toutes les comparaisons sont faites.", "Every comparison is made."),
    "pairs_left": ("Encore {n} comparaison(s) à faire.", "{n} comparison(s) left."),
    "placed": ("Toutes les dimensions sont placées.", "Every dimension is placed."),
    "to_place": ("Encore {n} dimension(s) à placer.", "{n} dimension(s) left to place."),
    "preview_empty": ("Complétez votre réponse pour voir les poids qu'elle donne.",
                      "Complete your answer to see the weights it gives."),
    "consistent": ("Vos comparaisons sont cohérentes (ratio {ratio}).", "Your comparisons are consistent "
                   "(ratio {ratio})."),
    "inconsistent": ("Certaines comparaisons se contredisent (ratio {ratio}, au-delà de 0,10). Revoyez « {a} » "
                     "face à « {b} » : vos autres réponses suggèrent « {hint} ». Vous pouvez aussi envoyer vos "
                     "réponses telles quelles.",
                     "Some comparisons contradict each other (ratio {ratio}, above 0.10). Look again at "
                     "'{a}' against '{b}': your other answers suggest '{hint}'. You may also send your answers "
                     "as they are."),
    "others_said": ("Arguments donnés par les autres (sans nom)", "Arguments given by the others (no names)"),
    "feedback_title": ("Ce que le groupe a répondu au tour {round}", "What the group answered in round {round}"),
    "feedback_legend": ("Sous chaque dimension : la réponse du groupe (bande bleue = la moitié centrale des "
                        "réponses, trait foncé = la médiane) et la vôtre (point rouge). Aucune réponse "
                        "individuelle d'une autre personne n'est montrée.",
                        "Under each dimension: the group's answer (blue band = the middle half of the answers, "
                        "dark line = the median) and yours (red dot). No other person's individual answer is "
                        "shown."),
    "prefilled": ("Votre réponse précédente est reprise : modifiez-la si la discussion vous a fait changer d'avis.",
                  "Your previous answer is filled in: change it if the discussion changed your mind."),
    "fresh": ("La méthode de votre collège a changé depuis le tour précédent : répondez à nouveau, rien n'est "
              "rempli d'avance.", "Your college's method changed since the previous round: answer again, nothing "
              "is filled in."),
    "to_rate": ("Encore {n} dimension(s) à noter (déplacez chaque curseur ou saisissez une note).",
                "{n} dimension(s) left to rate (move each slider or type a rating)."),
    "group": ("groupe : {median} (moitié centrale {q1} – {q3}, {n} réponses)",
              "group: {median} (middle half {q1} – {q3}, {n} answers)"),
    "too_few": ("trop peu de réponses ({n}) pour montrer le groupe", "too few answers ({n}) to show the group"),
    "you": (" ; vous : {own}", "; you: {own}"),
    "round_prefix": ("Tour {round}, ", "Round {round}, "),
}


def _t(key: str, lang: str = "fr", **values: object) -> str:
    text = TEXT[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text
