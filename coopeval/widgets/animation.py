"""The facilitator page: sessions, personal links, rounds, and where the group converges.

Wiring only: the store (:class:`coopeval.store.Project`) keeps sessions, tokens, rounds
and judgements; the figures come from :func:`coopeval.weighting.round_summary.agreement_summary`
(:func:`coopeval.weighting.agreement_table`, :func:`~coopeval.weighting.contested_nodes`,
:func:`~coopeval.weighting.delphi_status`).
"""

from __future__ import annotations

import base64
import html
import os
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from IPython.display import display

from coopeval.errors import CoopevalError
from coopeval.i18n import fmt
from coopeval.i18n.deliberation import college_name
from coopeval.report.links import links_sheet, links_table
from coopeval.store.links import new_participants
from coopeval.store.participant_access import lang_from_query
from coopeval.weighting import StoppingRule
from coopeval.weighting.elicitation import UI_METHODS, node_labels
from coopeval.weighting.round_summary import agreement_summary

#: Every text of the page: ``key: (French, English)``.
TEXT: dict[str, tuple[str, str]] = {
    "m_points": ("100 points à répartir", "100 points to share"), "m_ranking": ("classement", "ranking"),
    "m_simos": ("cartes (Simos)", "cards (Simos)"), "m_direct": ("note de 0 à 10", "rating from 0 to 10"),
    "m_ahp": ("comparaisons par paires", "pairwise comparisons"),
    "m_swing": ("écarts du pire au meilleur (swing)", "swings from worst to best"),
    "s_open": ("ouvert", "open"), "s_closed": ("clos", "closed"), "s_planned": ("prévu", "planned"),
    "title": ("Animation de la pondération", "Running the weighting"),
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
    "count": ("Nombre", "Number"), "server": ("Adresse du serveur", "Server address"),
    "issue": ("Créer les liens personnels", "Create the personal links"),
    "open": ("Ouvrir le tour suivant", "Open the next round"),
    "close": ("Clore le tour en cours", "Close the current round"),
    "refresh": ("Actualiser", "Refresh"), "shown_round": ("Tour affiché", "Round shown"),
    "h_session": ("1. Session", "1. Session"),
    "h_people": ("2. Participant·es et liens personnels", "2. Participants and personal links"),
    "h_rounds": ("3. Tours", "3. Rounds"),
    "methods_next": ("Méthode par collège pour le prochain tour :", "Method per college for the next round:"),
    "h_follow": ("4. Suivi des réponses et de l'accord", "4. Answers and agreement"),
    "refused": ("Action refusée : {error}", "Action refused: {error}"),
    "created": ("Session « {session} » créée.", "Session '{session}' created."),
    "pick_session": ("Choisissez ou créez d'abord une session.", "Choose or create a session first."),
    "links_made": ("{n} liens créés pour le collège « {college} ».", "{n} links created for college '{college}'."),
    "links_note": ("<b>Ces liens ne seront plus affichés</b> (le projet ne garde qu'une empreinte) : "
                   "{sheet} ou {download}, puis remettez à chaque personne son lien, et à elle seule.",
                   "<b>These links will not be shown again</b> (the project keeps only a fingerprint): "
                   "{sheet} or {download}, then hand each person their own link, and to them only."),
    "download": ("téléchargez la liste (CSV)", "download the list (CSV)"),
    "sheet": ("téléchargez la feuille à imprimer (cartes avec QR codes, A4)",
              "download the sheet to print (cards with QR codes, A4)"),
    "h_participant": ("Participant·e", "Participant"), "h_link": ("Lien personnel", "Personal link"),
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
    "no_college": ("Aucun collège n'a encore {k} réponses (minimum pour l'afficher).",
                   "No college has {k} answers yet (the minimum to show it)."),
    "college_note": ("Dans chaque case : part des membres du collège à ± 25 % de la médiane du collège, puis la "
                     "dispersion (CV) ; en orange, une dimension contestée dans le collège.",
                     "In each cell: share of the college's members within ± 25 % of the college's median, then "
                     "the dispersion (CV); in orange, a dimension contested within the college."),
    "hidden": ("Non affichés (moins de {k} réponses) : {colleges}.", "Not shown (fewer than {k} answers): "
               "{colleges}."),
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

CSS = """
<style>
.ce-anim { max-width: 1100px; }
.ce-anim .ce-table { border-collapse: collapse; margin: 4px 0 10px; font-size: 14px; }
.ce-anim .ce-table th, .ce-anim .ce-table td { border-bottom: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
.ce-anim .ce-table td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ce-anim .widget-button { width: auto; min-width: 180px; padding: 0 12px; }
.ce-anim .ce-contested { color: #b35900; font-weight: 600; }
.ce-anim .ce-links td { font-family: monospace; font-size: 12px; word-break: break-all; }
.ce-anim a.ce-sheet-download, .ce-anim a.ce-csv-download { color: #0b5cad; text-decoration: underline;
  font-weight: 600; }
.ce-anim .ce-msg { padding: 6px 10px; border-radius: 6px; margin: 4px 0; }
.ce-anim .ce-msg-ok { background: #dafbe1; } .ce-anim .ce-msg-ko { background: #fff1e5; }
@media print { .ce-anim .widget-button, .ce-anim .widget-text, .ce-anim .widget-dropdown { display: none; } }
</style>
"""


def _pct(x: float, digits: int = 0, lang: str = "fr") -> str:
    return "–" if x is None or not np.isfinite(x) else f"{fmt(100 * x, lang, digits=digits)}\u00a0%"


def _html_table(header: list[str], rows: list[list[str]], css: str, nums: set[int] | None = None) -> str:
    nums = nums or set()
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td class='{'num' if i in nums else ''}'>{c}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows)
    return f"<table class='ce-table {css}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def node_name(node: str, parent: str, labels: dict[str, str], root: str = "overall") -> str:
    """``Label`` of a dimension, ``Parent › Label`` deeper in the tree."""
    name = labels.get(node, node)
    return name if parent == root else f"{labels.get(parent, parent)} › {name}"


def agreement_rows(table: pd.DataFrame, labels: dict[str, str], *, college: bool = False,
                   lang: str = "fr") -> list[list[str]]:
    """Rows of an agreement table as the page prints them (French number format by default)."""
    rows = []
    for r in table.itertuples():
        cells = [html.escape(college_name(str(r.college), lang))] if college else []
        name = node_name(r.node, r.parent, labels)
        cells += [
            f"<span class='ce-node' data-node='{html.escape(r.node)}'>{html.escape(name)}</span>",
            str(int(r.n)), _pct(r.median, 1, lang), f"{_pct(r.q1, 1, lang)} – {_pct(r.q3, 1, lang)}",
            fmt(r.cv, lang, digits=2), _pct(r.pct_agreement, 0, lang), fmt(r.college_p_value, lang, digits=3),
            f"<span class='ce-contested'>{_t('yes', lang)}</span>" if r.contested else _t("no", lang),
        ]
        rows.append(cells)
    return rows


def college_table(bc: pd.DataFrame, labels: dict[str, str], lang: str = "fr") -> str:
    """One row per node, one column per college: ``accord % · CV`` (contested in orange)."""
    colleges = sorted(bc["college"].unique())
    cells = {(r.college, r.node): (f"<span class='{'ce-contested' if r.contested else ''}'>"
                                   f"{_pct(r.pct_agreement, 0, lang)} · {fmt(r.cv, lang, digits=2)}</span>")
             for r in bc.itertuples()}
    order = bc.drop_duplicates("node")[["node", "parent"]]
    rows = [[html.escape(node_name(r.node, r.parent, labels))] + [cells.get((c, r.node), "–") for c in colleges]
            for r in order.itertuples()]
    return _html_table([_t("a_node", lang), *[college_name(c, lang) for c in colleges]], rows, "ce-agreement-college",
                       set(range(1, len(colleges) + 1)))


AGREEMENT_KEYS = ["a_node", "a_n", "a_median", "a_iqr", "a_cv", "a_agree", "a_p", "a_contested"]


class AnimationApp:
    """The facilitator's page on a project opened with the facilitator (or researcher) role."""

    def __init__(self, project, *, base_url: str | None = None, rule: StoppingRule | None = None,  # noqa: ANN001
                 parent: str = "overall", lang: str = "fr"):
        self.project = project
        self.lang = lang
        _ = self._
        self.rule = rule or StoppingRule()
        self.parent = parent
        self.min_group = int(project.setting("min_group_size") or 5)
        self.session = W.Dropdown(description=_("session"), layout=W.Layout(width="360px"))
        self.session.add_class("ce-session")
        self.new_id = W.Text(description=_("new_session"), placeholder=_("new_placeholder"),
                             style={"description_width": "initial"})
        self.new_id.add_class("ce-new-session")
        self.new_title = W.Text(description=_("title_field"), placeholder=_("title_placeholder"))
        self.create = W.Button(description=_("create"), icon="plus")
        self.create.add_class("ce-create-session")
        self.college = W.Combobox(description=_("college"), placeholder="habitants",
                                  options=["habitants", "salarie_es", "benevoles", "collectivites", "financeurs"])
        self.college.add_class("ce-college")
        self.count = W.BoundedIntText(value=10, min=1, max=500, description=_("count"))
        self.count.add_class("ce-count")
        self.base_url = W.Text(value=base_url or os.environ.get("COOPEVAL_PUBLIC_URL", "http://localhost:8866"),
                               description=_("server"), layout=W.Layout(width="460px"),
                               style={"description_width": "140px"})
        self.base_url.add_class("ce-base-url")
        self.issue = W.Button(description=_("issue"), icon="link")
        self.issue.add_class("ce-issue")
        self.links = W.HTML()
        self.links.add_class("ce-links-box")
        self.methods_box = W.VBox()
        self.open_next = W.Button(description=_("open"), button_style="success", icon="play")
        self.open_next.add_class("ce-open-round")
        self.close = W.Button(description=_("close"), button_style="warning", icon="stop")
        self.close.add_class("ce-close-round")
        self.rounds_html = W.HTML()
        self.rounds_html.add_class("ce-rounds")
        self.refresh_button = W.Button(description=_("refresh"), icon="refresh")
        self.refresh_button.add_class("ce-refresh")
        self.round = W.Dropdown(description=_("shown_round"))
        self.round.add_class("ce-round")
        self.follow = W.HTML()
        self.follow.add_class("ce-follow")
        self.message = W.HTML()
        self.message.add_class("ce-anim-status")
        self.method_pickers: dict[str, W.Dropdown] = {}
        self.root = W.VBox([
            W.HTML(CSS + f"<h2 class='ce-title'>{_('title')}</h2><p>{_('intro')}</p>"),
            self.message,
            W.HTML(f"<h3>{_('h_session')}</h3>"), self.session, W.HBox([self.new_id, self.new_title, self.create]),
            W.HTML(f"<h3>{_('h_people')}</h3>"),
            W.HBox([self.college, self.count, self.issue]), self.base_url, self.links,
            W.HTML(f"<h3>{_('h_rounds')}</h3>"), self.rounds_html,
            W.HTML(f"<p>{_('methods_next')}</p>"), self.methods_box,
            W.HBox([self.open_next, self.close]),
            W.HTML(f"<h3>{_('h_follow')}</h3>"), W.HBox([self.round, self.refresh_button]),
            self.follow,
        ])
        self.root.add_class("ce-anim")
        self.session.observe(lambda _: self.refresh(), names="value")
        self.round.observe(lambda _: self.refresh_follow(), names="value")
        self.create.on_click(self._on_create)
        self.issue.on_click(self._on_issue)
        self.open_next.on_click(self._on_open)
        self.close.on_click(self._on_close)
        self.refresh_button.on_click(lambda _: self.refresh())
        self._load_sessions()

    # ------------------------------------------------------------------ helpers
    def _(self, key: str, **values: object) -> str:
        return _t(key, self.lang, **values)

    def _say(self, text: str, ok: bool = True) -> None:
        cls = "ce-msg-ok" if ok else "ce-msg-ko"
        self.message.value = f"<div class='ce-msg {cls}' role='status'>{html.escape(text)}</div>"

    def _guard(self, fn, *args: Any) -> None:  # noqa: ANN001
        try:
            fn(*args)
        except CoopevalError as exc:
            self._say(self._("refused", error=exc), ok=False)

    def _load_sessions(self, select: str | None = None) -> None:
        s = self.project.sessions()
        opts = [(f"{r.title} ({r.session})" if isinstance(r.title, str) and r.title.strip() else str(r.session),
                 r.session) for r in s.itertuples()]
        self.session.options = opts
        if select is not None:
            self.session.value = select
        elif opts:
            self.session.value = opts[-1][1]
        self.refresh()

    def _judgements(self) -> pd.DataFrame:
        # answers under pseudonymous labels, read only to compute the group figures shown
        return self.project.agreement_inputs(self.session.value)

    # ------------------------------------------------------------------ actions
    def _on_create(self, _: Any) -> None:
        def run() -> None:
            sid = self.new_id.value.strip()
            self.project.create_session(sid, title=self.new_title.value.strip() or None)
            self._say(self._("created", session=sid))
            self.new_id.value = ""
            self._load_sessions(select=sid)
        self._guard(run)

    def _on_issue(self, _: Any) -> None:
        def run() -> None:
            if not self.session.value:
                self._say(self._("pick_session"), ok=False)
                return
            existing = self.project.participants(self.session.value)["participant"].tolist()
            roster = new_participants(self.college.value or "habitants", int(self.count.value), existing)
            tokens = self.project.add_participants(self.session.value, roster)
            self.show_links(links_table(tokens, self.base_url.value))
            self._say(self._("links_made", n=len(tokens), college=roster["college"].iloc[0]))
            self.refresh()
        self._guard(run)

    def show_links(self, links: pd.DataFrame) -> None:
        """Show the printable sheet of links (and a CSV to download); tokens are not kept."""
        csv = base64.b64encode(links.to_csv(index=False).encode("utf-8")).decode("ascii")
        rows = [[html.escape(r.participant), html.escape(college_name(r.college, self.lang)),
                 f"<a href='{html.escape(r.link)}'>{html.escape(r.link)}</a>"] for r in links.itertuples()]
        download = (f"<a class='ce-csv-download' download='liens_participants.csv' "
                    f"href='data:text/csv;base64,{csv}'>{self._('download')}</a>")
        session = str(self.session.value or "")
        page = links_sheet(links, session=session, lang=self.lang)
        data = base64.b64encode(page.encode("utf-8")).decode("ascii")
        name = f"liens_qr_{session or 'session'}.html"
        sheet = (f"<a class='ce-sheet-download' download='{html.escape(name)}' "
                 f"href='data:text/html;base64,{data}'>{self._('sheet')}</a>")
        self.links.value = (f"<p>{self._('links_note', download=download, sheet=sheet)}</p>"
                            + _html_table([self._("h_participant"), self._("college"), self._("h_link")], rows,
                                          "ce-links"))

    def _on_open(self, _: Any) -> None:
        def run() -> None:
            rounds = self.project.rounds(self.session.value)
            nxt = int(rounds["round"].max()) + 1 if len(rounds) else 1
            methods = {c: dd.value for c, dd in self.method_pickers.items()} or "points"
            self.project.open_round(self.session.value, nxt, methods=methods)
            self._say(self._("opened", round=nxt))
            self.refresh()
        self._guard(run)

    def _on_close(self, _: Any) -> None:
        def run() -> None:
            rounds = self.project.rounds(self.session.value)
            opened = rounds[rounds["status"] == "open"]
            if opened.empty:
                self._say(self._("none_open"), ok=False)
                return
            rnd = int(opened["round"].iloc[0])
            self.project.close_round(self.session.value, rnd)
            self._say(self._("closed", round=rnd))
            self.refresh()
        self._guard(run)

    # ------------------------------------------------------------------ display
    def refresh(self) -> None:
        """Re-read the store: rounds, submissions, methods, figures."""
        sid = self.session.value
        if not sid:
            self.rounds_html.value = f"<p>{self._('no_session')}</p>"
            self.follow.value = ""
            return
        rounds = self.project.rounds(sid)
        people = self.project.participants(sid)
        colleges = sorted(people["college"].unique()) if len(people) else []
        if set(colleges) != set(self.method_pickers):
            old = {c: d.value for c, d in self.method_pickers.items()}
            self.method_pickers = {}
            for c in colleges:
                dd = W.Dropdown(options=[(self._(f"m_{m}"), m) for m in UI_METHODS], value=old.get(c, "points"),
                                description=college_name(c, self.lang), style={"description_width": "140px"},
                                layout=W.Layout(width="380px"))
                dd.add_class(f"ce-method-{c}")
                self.method_pickers[c] = dd
            self.methods_box.children = list(self.method_pickers.values())
        method = lambda m: self._(f"m_{m}") if f"m_{m}" in TEXT else m  # noqa: E731
        rows = [[str(r.round), self._(f"s_{r.status}") if f"s_{r.status}" in TEXT else r.status,
                 str(int(r.n_submissions)),
                 html.escape(", ".join(f"{college_name(c, self.lang) if c != '*' else '*'} : {method(m)}"
                                       for c, m in sorted(r.methods.items()))
                             or self._("free"))]
                for r in rounds.itertuples()]
        self.rounds_html.value = (f"<p>{self._('registered', n=len(people))}</p>"
                                  + (f"<p>{self._('no_round_yet')}</p>" if rounds.empty else "")
                                  + _html_table([self._(k) for k in ("h_round", "h_state", "h_received",
                                                                     "h_methods")], rows,
                                                "ce-rounds-table", {2}))
        options = [(self._("round_n", round=int(r)), int(r)) for r in rounds["round"]]
        current = self.round.value
        self.round.options = options
        if options:
            self.round.value = current if current in dict(options).values() else options[-1][1]
        self.refresh_follow()

    def refresh_follow(self) -> None:
        sid, rnd = self.session.value, self.round.value
        if not sid or rnd is None:
            self.follow.value = f"<p>{self._('not_yet')}</p>"
            return
        fw = self.project.framework(self.project.sessions().set_index("session").at[sid, "framework_hash"])
        labels = node_labels(fw, self.lang)
        _ = self._
        people = self.project.participants(sid)
        summary = agreement_summary(self._judgements(), fw, round=rnd, min_group=self.min_group, rule=self.rule,
                                    lang=self.lang)
        counts = summary["counts"].set_index("college")["n_participants"] if len(summary["counts"]) else {}
        reg = people.groupby("college")["participant"].nunique()
        rows = [[html.escape(college_name(c, self.lang)), str(int(counts.get(c, 0))), str(int(n))]
                for c, n in reg.items()]
        parts = [f"<h4>{_('received_in', round=rnd)}</h4>",
                 _html_table([_("college"), _("h_answered"), _("h_registered")], rows, "ce-counts", {1, 2})]
        if summary["overall"].empty:
            parts.append(f"<p class='ce-empty'>{_('no_answer')}</p>")
            self.follow.value = "".join(parts)
            return
        parts += [f"<h4>{_('h_agreement')}</h4>",
                  _html_table([_(k) for k in AGREEMENT_KEYS], agreement_rows(summary["overall"], labels,
                                                                             lang=self.lang),
                              "ce-agreement", {1, 2, 3, 4, 5, 6})]
        bc = summary["by_college"]
        parts.append(f"<h4>{_('h_by_college')}</h4>")
        if bc.empty:
            parts.append(f"<p>{_('no_college', k=self.min_group)}</p>")
        else:
            parts.append(f"<p>{_('college_note')}</p>")
            parts.append(college_table(bc, labels, self.lang))
            hidden = sorted(set(reg.index) - set(bc["college"]))
            if hidden:
                names = ", ".join(college_name(c, self.lang) for c in hidden)
                parts.append(f"<p>{_('hidden', k=self.min_group, colleges=html.escape(names))}</p>")
        cont = summary["contested"]
        parts.append(f"<h4>{_('h_contested')}</h4>")
        if cont.empty:
            parts.append(f"<p class='ce-contested-list'>{_('none')}</p>")
        else:
            items = "".join(f"<li><b>{html.escape(node_name(r.node, r.parent, labels))}</b> : {html.escape(r.reason)}</li>"
                            for r in cont.itertuples())
            parts.append(f"<ul class='ce-contested-list'>{items}</ul>")
        st = summary["status"]
        rule = self.rule
        fp = f"<code class='ce-rule-fingerprint'>{rule.fingerprint()}</code>"
        text = _("rule", fp=fp, consensus=_pct(rule.min_consensus_share, 0, self.lang),
                 changed=_pct(rule.max_changed_share, 0, self.lang), rounds=rule.max_rounds)
        parts.append(f"<h4>{_('h_rule')}</h4><p>{text}</p>")
        srows = [[str(int(r.round)), _pct(r.share_consensus, 0, self.lang), _pct(r.share_changed, 0, self.lang),
                  f"<b>{_('stop')}</b>" if r.stop else _("go_on"), html.escape(r.reason or "–")]
                 for r in st.itertuples()]
        parts.append(_html_table([_(k) for k in ("h_round", "h_consensus", "h_changed", "h_decision", "h_reason")],
                                 srows, "ce-status-table", {1, 2}))
        self.follow.value = "".join(parts)

    def _ipython_display_(self) -> None:
        display(self.root)


def animation_app(project=None, *, base_url: str | None = None,  # noqa: ANN001
                  lang: str | None = None) -> AnimationApp | W.HTML:
    """The facilitator page on ``project`` (default: ``COOPEVAL_PROJECT``, facilitator role).

    ``lang`` defaults to ``?lang=`` of the Voilà URL (``en``), else French. Without a
    project, a message saying how to name one.
    """
    from coopeval.store import Project

    if lang is None:
        lang = lang_from_query(os.environ.get("QUERY_STRING"))
    if project is None:
        where = os.environ.get("COOPEVAL_PROJECT")
        if not where:
            return W.HTML(f"<div class='ce-msg ce-msg-ko' role='alert'>{_t('no_project', lang)}</div>")
        project = Project.open(where, role="facilitator")
    elif not hasattr(project, "open_round"):
        project = Project.open(project, role="facilitator")
    return AnimationApp(project, base_url=base_url, lang=lang)
