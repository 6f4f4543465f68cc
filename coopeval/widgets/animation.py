"""The facilitator page: sessions, personal links, rounds, and where the group converges.

Wiring only: the store (:class:`coopeval.store.Project`) keeps sessions, tokens, rounds
and judgements; the figures come from :func:`coopeval.deliberation_ui.agreement_summary`
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

from coopeval.deliberation_ui import (
    UI_METHODS,
    agreement_summary,
    links_table,
    new_participants,
    node_labels,
)
from coopeval.errors import CoopevalError
from coopeval.i18n import fmt
from coopeval.weighting import StoppingRule

METHOD_LABELS = {"points": "100 points à répartir", "ranking": "classement", "simos": "cartes (Simos)",
                 "direct": "note de 0 à 10", "ahp": "comparaisons par paires"}
STATUS_LABELS = {"open": "ouvert", "closed": "clos", "planned": "prévu"}

CSS = """
<style>
.ce-anim { max-width: 1100px; }
.ce-anim .ce-table { border-collapse: collapse; margin: 4px 0 10px; font-size: 14px; }
.ce-anim .ce-table th, .ce-anim .ce-table td { border-bottom: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
.ce-anim .ce-table td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ce-anim .widget-button { width: auto; min-width: 180px; padding: 0 12px; }
.ce-anim .ce-contested { color: #b35900; font-weight: 600; }
.ce-anim .ce-links td { font-family: monospace; font-size: 12px; word-break: break-all; }
.ce-anim .ce-msg { padding: 6px 10px; border-radius: 6px; margin: 4px 0; }
.ce-anim .ce-msg-ok { background: #dafbe1; } .ce-anim .ce-msg-ko { background: #fff1e5; }
@media print { .ce-anim .widget-button, .ce-anim .widget-text, .ce-anim .widget-dropdown { display: none; } }
</style>
"""


def _pct(x: float, digits: int = 0) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{fmt(100 * x, 'fr', digits=digits)}\u00a0%"


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


def agreement_rows(table: pd.DataFrame, labels: dict[str, str], *, college: bool = False) -> list[list[str]]:
    """Rows of an agreement table as the page prints them (French number format)."""
    rows = []
    for r in table.itertuples():
        cells = [html.escape(str(r.college))] if college else []
        name = node_name(r.node, r.parent, labels)
        cells += [
            f"<span class='ce-node' data-node='{html.escape(r.node)}'>{html.escape(name)}</span>",
            str(int(r.n)), _pct(r.median, 1), f"{_pct(r.q1, 1)} – {_pct(r.q3, 1)}", fmt(r.cv, "fr", digits=2),
            _pct(r.pct_agreement), fmt(r.college_p_value, "fr", digits=3),
            "<span class='ce-contested'>oui</span>" if r.contested else "non",
        ]
        rows.append(cells)
    return rows


def college_table(bc: pd.DataFrame, labels: dict[str, str]) -> str:
    """One row per node, one column per college: ``accord % · CV`` (contested in orange)."""
    colleges = sorted(bc["college"].unique())
    cells = {(r.college, r.node): (f"<span class='{'ce-contested' if r.contested else ''}'>"
                                   f"{_pct(r.pct_agreement)} · {fmt(r.cv, 'fr', digits=2)}</span>")
             for r in bc.itertuples()}
    order = bc.drop_duplicates("node")[["node", "parent"]]
    rows = [[html.escape(node_name(r.node, r.parent, labels))] + [cells.get((c, r.node), "–") for c in colleges]
            for r in order.itertuples()]
    return _html_table(["Dimension (› critère)", *colleges], rows, "ce-agreement-college",
                       set(range(1, len(colleges) + 1)))


AGREEMENT_HEADER = ["Dimension (› critère)", "Réponses", "Médiane", "Moitié centrale", "Dispersion (CV)",
                    "Accord (± 25 % de la médiane)", "Écart entre collèges (p)", "Contestée"]


class AnimationApp:
    """The facilitator's page on a project opened with the facilitator (or researcher) role."""

    def __init__(self, project, *, base_url: str | None = None, rule: StoppingRule | None = None,  # noqa: ANN001
                 parent: str = "overall"):
        self.project = project
        self.rule = rule or StoppingRule()
        self.parent = parent
        self.min_group = int(project.setting("min_group_size") or 5)
        self.session = W.Dropdown(description="Session", layout=W.Layout(width="360px"))
        self.session.add_class("ce-session")
        self.new_id = W.Text(description="Nouvelle session", placeholder="ex. atelier_2026",
                             style={"description_width": "initial"})
        self.new_id.add_class("ce-new-session")
        self.new_title = W.Text(description="Titre", placeholder="Atelier de pondération")
        self.create = W.Button(description="Créer la session", icon="plus")
        self.create.add_class("ce-create-session")
        self.college = W.Combobox(description="Collège", placeholder="habitants",
                                  options=["habitants", "salarie_es", "benevoles", "collectivites", "financeurs"])
        self.college.add_class("ce-college")
        self.count = W.BoundedIntText(value=10, min=1, max=500, description="Nombre")
        self.count.add_class("ce-count")
        self.base_url = W.Text(value=base_url or os.environ.get("COOPEVAL_PUBLIC_URL", "http://localhost:8866"),
                               description="Adresse du serveur", layout=W.Layout(width="460px"),
                               style={"description_width": "140px"})
        self.base_url.add_class("ce-base-url")
        self.issue = W.Button(description="Créer les liens personnels", icon="link")
        self.issue.add_class("ce-issue")
        self.links = W.HTML()
        self.links.add_class("ce-links-box")
        self.methods_box = W.VBox()
        self.open_next = W.Button(description="Ouvrir le tour suivant", button_style="success", icon="play")
        self.open_next.add_class("ce-open-round")
        self.close = W.Button(description="Clore le tour en cours", button_style="warning", icon="stop")
        self.close.add_class("ce-close-round")
        self.rounds_html = W.HTML()
        self.rounds_html.add_class("ce-rounds")
        self.refresh_button = W.Button(description="Actualiser", icon="refresh")
        self.refresh_button.add_class("ce-refresh")
        self.round = W.Dropdown(description="Tour affiché")
        self.round.add_class("ce-round")
        self.follow = W.HTML()
        self.follow.add_class("ce-follow")
        self.message = W.HTML()
        self.message.add_class("ce-anim-status")
        self.method_pickers: dict[str, W.Dropdown] = {}
        self.root = W.VBox([
            W.HTML(CSS + "<h2 class='ce-title'>Animation de la pondération</h2>"
                   "<p>Créez une session, distribuez les liens personnels, ouvrez un tour, suivez les "
                   "réponses et l'accord du groupe, puis clore le tour et ouvrez le suivant avec le retour "
                   "anonyme. Aucune réponse individuelle n'est affichée ici.</p>"),
            self.message,
            W.HTML("<h3>1. Session</h3>"), self.session, W.HBox([self.new_id, self.new_title, self.create]),
            W.HTML("<h3>2. Participant·es et liens personnels</h3>"),
            W.HBox([self.college, self.count, self.issue]), self.base_url, self.links,
            W.HTML("<h3>3. Tours</h3>"), self.rounds_html,
            W.HTML("<p>Méthode par collège pour le prochain tour :</p>"), self.methods_box,
            W.HBox([self.open_next, self.close]),
            W.HTML("<h3>4. Suivi des réponses et de l'accord</h3>"), W.HBox([self.round, self.refresh_button]),
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
    def _say(self, text: str, ok: bool = True) -> None:
        cls = "ce-msg-ok" if ok else "ce-msg-ko"
        self.message.value = f"<div class='ce-msg {cls}' role='status'>{html.escape(text)}</div>"

    def _guard(self, fn, *args: Any) -> None:  # noqa: ANN001
        try:
            fn(*args)
        except CoopevalError as exc:
            self._say(f"Action refusée : {exc}", ok=False)

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
        # individual answers are read in the server only to compute the group figures shown
        return self.project.as_role("researcher").judgements(self.session.value)

    # ------------------------------------------------------------------ actions
    def _on_create(self, _: Any) -> None:
        def run() -> None:
            sid = self.new_id.value.strip()
            self.project.create_session(sid, title=self.new_title.value.strip() or None)
            self._say(f"Session « {sid} » créée.")
            self.new_id.value = ""
            self._load_sessions(select=sid)
        self._guard(run)

    def _on_issue(self, _: Any) -> None:
        def run() -> None:
            if not self.session.value:
                self._say("Choisissez ou créez d'abord une session.", ok=False)
                return
            existing = self.project.participants(self.session.value)["participant"].tolist()
            roster = new_participants(self.college.value or "habitants", int(self.count.value), existing)
            tokens = self.project.add_participants(self.session.value, roster)
            self.show_links(links_table(tokens, self.base_url.value))
            self._say(f"{len(tokens)} liens créés pour le collège « {roster['college'].iloc[0]} ».")
            self.refresh()
        self._guard(run)

    def show_links(self, links: pd.DataFrame) -> None:
        """Show the printable sheet of links (and a CSV to download); tokens are not kept."""
        csv = base64.b64encode(links.to_csv(index=False).encode("utf-8")).decode("ascii")
        rows = [[html.escape(r.participant), html.escape(r.college),
                 f"<a href='{html.escape(r.link)}'>{html.escape(r.link)}</a>"] for r in links.itertuples()]
        self.links.value = (
            "<p><b>Ces liens ne seront plus affichés</b> (le projet ne garde qu'une empreinte) : imprimez cette "
            "page ou <a download='liens_participants.csv' href='data:text/csv;base64," + csv + "'>téléchargez "
            "la liste (CSV)</a>, puis remettez à chaque personne son lien, et à elle seule.</p>"
            + _html_table(["Participant·e", "Collège", "Lien personnel"], rows, "ce-links"))

    def _on_open(self, _: Any) -> None:
        def run() -> None:
            rounds = self.project.rounds(self.session.value)
            nxt = int(rounds["round"].max()) + 1 if len(rounds) else 1
            methods = {c: dd.value for c, dd in self.method_pickers.items()} or "points"
            self.project.open_round(self.session.value, nxt, methods=methods)
            self._say(f"Tour {nxt} ouvert.")
            self.refresh()
        self._guard(run)

    def _on_close(self, _: Any) -> None:
        def run() -> None:
            rounds = self.project.rounds(self.session.value)
            opened = rounds[rounds["status"] == "open"]
            if opened.empty:
                self._say("Aucun tour n'est ouvert.", ok=False)
                return
            rnd = int(opened["round"].iloc[0])
            self.project.close_round(self.session.value, rnd)
            self._say(f"Tour {rnd} clos : les réponses arrivées après sont refusées.")
            self.refresh()
        self._guard(run)

    # ------------------------------------------------------------------ display
    def refresh(self) -> None:
        """Re-read the store: rounds, submissions, methods, figures."""
        sid = self.session.value
        if not sid:
            self.rounds_html.value = "<p>Aucune session pour l'instant.</p>"
            self.follow.value = ""
            return
        rounds = self.project.rounds(sid)
        people = self.project.participants(sid)
        colleges = sorted(people["college"].unique()) if len(people) else []
        if set(colleges) != set(self.method_pickers):
            old = {c: d.value for c, d in self.method_pickers.items()}
            self.method_pickers = {}
            for c in colleges:
                dd = W.Dropdown(options=[(METHOD_LABELS[m], m) for m in UI_METHODS], value=old.get(c, "points"),
                                description=c, style={"description_width": "140px"},
                                layout=W.Layout(width="380px"))
                dd.add_class(f"ce-method-{c}")
                self.method_pickers[c] = dd
            self.methods_box.children = list(self.method_pickers.values())
        rows = [[str(r.round), STATUS_LABELS.get(r.status, r.status), str(int(r.n_submissions)),
                 html.escape(", ".join(f"{c} : {METHOD_LABELS.get(m, m)}" for c, m in sorted(r.methods.items()))
                             or "au choix de chaque participant·e")]
                for r in rounds.itertuples()]
        self.rounds_html.value = (f"<p>{len(people)} participant·es inscrit·es.</p>"
                                  + ("<p>Aucun tour pour l'instant.</p>" if rounds.empty else "")
                                  + _html_table(["Tour", "État", "Réponses reçues", "Méthodes"], rows,
                                                "ce-rounds-table", {2}))
        options = [(f"Tour {int(r)}", int(r)) for r in rounds["round"]]
        current = self.round.value
        self.round.options = options
        if options:
            self.round.value = current if current in dict(options).values() else options[-1][1]
        self.refresh_follow()

    def refresh_follow(self) -> None:
        sid, rnd = self.session.value, self.round.value
        if not sid or rnd is None:
            self.follow.value = "<p>Pas encore de tour.</p>"
            return
        fw = self.project.framework(self.project.sessions().set_index("session").at[sid, "framework_hash"])
        labels = node_labels(fw)
        people = self.project.participants(sid)
        summary = agreement_summary(self._judgements(), fw, round=rnd, min_group=self.min_group, rule=self.rule)
        counts = summary["counts"].set_index("college")["n_participants"] if len(summary["counts"]) else {}
        reg = people.groupby("college")["participant"].nunique()
        rows = [[html.escape(c), str(int(counts.get(c, 0))), str(int(n))] for c, n in reg.items()]
        parts = [f"<h4>Réponses reçues au tour {rnd}</h4>",
                 _html_table(["Collège", "Ont répondu", "Inscrit·es"], rows, "ce-counts", {1, 2})]
        if summary["overall"].empty:
            parts.append("<p class='ce-empty'>Aucune réponse pour ce tour.</p>")
            self.follow.value = "".join(parts)
            return
        parts += ["<h4>Accord du groupe, dimension par dimension (et critère par critère s'ils ont été pondérés)</h4>",
                  _html_table(AGREEMENT_HEADER, agreement_rows(summary["overall"], labels), "ce-agreement",
                              {1, 2, 3, 4, 5, 6})]
        bc = summary["by_college"]
        parts.append("<h4>Accord au sein de chaque collège</h4>")
        if bc.empty:
            parts.append(f"<p>Aucun collège n'a encore {self.min_group} réponses (minimum pour l'afficher).</p>")
        else:
            parts.append("<p>Dans chaque case : part des membres du collège à ± 25 % de la médiane du collège, "
                         "puis la dispersion (CV) ; en orange, une dimension contestée dans le collège.</p>")
            parts.append(college_table(bc, labels))
            hidden = sorted(set(reg.index) - set(bc["college"]))
            if hidden:
                parts.append(f"<p>Non affichés (moins de {self.min_group} réponses) : {html.escape(', '.join(hidden))}.</p>")
        cont = summary["contested"]
        parts.append("<h4>Dimensions contestées</h4>")
        if cont.empty:
            parts.append("<p class='ce-contested-list'>Aucune.</p>")
        else:
            items = "".join(f"<li><b>{html.escape(node_name(r.node, r.parent, labels))}</b> : {html.escape(r.reason)}</li>"
                            for r in cont.itertuples())
            parts.append(f"<ul class='ce-contested-list'>{items}</ul>")
        st = summary["status"]
        rule = self.rule
        parts.append(
            "<h4>Règle d'arrêt</h4><p>Fixée avant la session (empreinte "
            f"<code class='ce-rule-fingerprint'>{rule.fingerprint()}</code>) : arrêter quand au moins "
            f"{_pct(rule.min_consensus_share)} des dimensions (et critères pondérés) font consensus, ou quand au plus "
            f"{_pct(rule.max_changed_share)} des réponses changent d'un tour à l'autre, ou après "
            f"{rule.max_rounds} tours.</p>")
        srows = [[str(int(r.round)), _pct(r.share_consensus), _pct(r.share_changed),
                  "<b>arrêter</b>" if r.stop else "continuer", html.escape(r.reason or "–")] for r in st.itertuples()]
        parts.append(_html_table(["Tour", "Dimensions en consensus", "Réponses modifiées", "Décision", "Raison"],
                                 srows, "ce-status-table", {1, 2}))
        self.follow.value = "".join(parts)

    def _ipython_display_(self) -> None:
        display(self.root)


def animation_app(project=None, *, base_url: str | None = None) -> AnimationApp | W.HTML:  # noqa: ANN001
    """The facilitator page on ``project`` (default: ``COOPEVAL_PROJECT``, facilitator role).

    Without a project, a French message saying how to name one.
    """
    from coopeval.store import Project

    if project is None:
        where = os.environ.get("COOPEVAL_PROJECT")
        if not where:
            return W.HTML("<div class='ce-msg ce-msg-ko' role='alert'>Aucun projet n'est ouvert : lancez Voilà "
                          "avec la variable COOPEVAL_PROJECT (chemin du projet, par exemple "
                          "<code>COOPEVAL_PROJECT=evaluation.coopeval voila dashboards/</code>).</div>")
        project = Project.open(where, role="facilitator")
    elif not hasattr(project, "open_round"):
        project = Project.open(project, role="facilitator")
    return AnimationApp(project, base_url=base_url)
