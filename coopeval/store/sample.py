"""The sample project, built from the bundled datasets (what ``make run`` opens first).

:func:`sample_project` is idempotent: the first call builds the project, later
calls open it. Building is all or nothing: if any step fails, the half-built
SQLite file is removed, so the next call starts again cleanly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import CoopevalError, StoreError
from coopeval.store import audit
from coopeval.store import engine as E
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.sample_ledger import sample_ledger

if TYPE_CHECKING:
    from coopeval.store.facilitator import FacilitatorKey
    from coopeval.store.project import Project

#: Bundled datasets used by the sample project, when present.
PANEL = "panel_synthetique"
DELIBERATION = "deliberation_exemple"
QUALITATIVE = "qualitatif_exemple"  # issue 17: coded extracts, progress grids, actions (synthetic)


def _dataset(name: str) -> dict[str, pd.DataFrame] | None:
    from coopeval import datasets

    try:
        available = set(datasets.list()["name"])
    except CoopevalError:
        return None
    if name not in available:
        return None
    data = datasets.load(name)
    return data if isinstance(data, dict) else {"data": data}


def _is_sample(project: Project) -> bool:
    return project._read(lambda c: c.execute(
        sa.select(S.meta.c.value).where(S.meta.c.key == "sample")).scalar()) == "complete"


def _fill(project: Project, framework: str, key: FacilitatorKey | None) -> dict[str, int]:
    done: dict[str, int] = {}
    fw_hash = project.add_framework(framework)
    panel = _dataset(PANEL)
    if panel is not None:
        if "units" in panel:
            units = panel["units"]
            keep = [c for c in ("unit", "name", "type", "parent", "territory") if c in units.columns]
            done["units"] = project.add_units(units[keep])
        if "observations" in panel:
            done["observations"] = project.import_observations(panel["observations"], fw_hash,
                                                               source=f"datasets/{PANEL}/observations.csv")
        if "responses" in panel:
            done["responses"] = project.import_responses(panel["responses"], fw_hash,
                                                         source=f"datasets/{PANEL}/responses.csv")
        if "resources" in panel:
            done["resources"] = project.import_resources(panel["resources"], fw_hash,
                                                         source=f"datasets/{PANEL}/resources.csv")
        if "observations" in panel:  # issue 18: « qui pourrait co-financer quoi » on the restitution
            ledger, conventions = sample_ledger(panel)
            done["ledger"] = project.import_ledger(ledger, conventions, source="coopeval/store/sample_ledger.py")
    if framework == "cooperation_territoriale":  # before the weighting rounds, so they stay the latest sessions
        done["decisions"] = _framework_round(project, key)
        fw_hash = project.framework().hash  # the weighting rounds weigh the framework the round adopted
    done.update(_fill_qualitative(project, fw_hash))
    delib = _dataset(DELIBERATION)
    judgements = None if delib is None else delib.get("judgements", delib.get("data"))
    if judgements is not None and {"session", "round", "participant", "college", "method", "node",
                                   "value"} <= set(judgements.columns):
        done["judgements"] = _replay(project, judgements, fw_hash, key=key)
    return done


#: Issue 22: the sample's framework round (wave 2): colleges and their number of participants
#: (financeurs, 2 people, are hidden in the tally), proposals, votes and the outcome.
_ROUND_COLLEGES = {"habitants": 6, "salarie_es": 5, "financeurs": 2}
_PROPOSALS = [  # op, target, fields, votes (habitants, salarie_es, financeurs), outcome, reason
    ("keep", "participants_actifs", {"why": "C'est notre raison d'être : que les gens viennent et reviennent."},
     ("for", "for", "for"), "adopted", "Unanimité dans chaque collège."),
    ("reword", "lien_social", {"text": "Les liens qui se créent entre les personnes qui passent par ici, "
                                       "et le sentiment d'en faire partie.",
                               "why": "Dit avec nos mots."},
     ("for", "for", "abstain"), "adopted", "Majorité chez les habitant·es et les salarié·es."),
    ("remove", "lieux_partages", {"why": "Les mètres carrés ne disent rien de ce qui s'y passe."},
     ("against", "for", "for"), "rejected",
     "Les habitant·es y tiennent : l'ouverture du lieu au public compte pour eux."),
    ("add", None, {"parent": "lien_social", "text": "Repas partagés",
                   "measures": "Le nombre de repas pris ensemble au tiers-lieu",
                   "why": "C'est autour de la table que le lien se crée."},
     ("for", "abstain", "against"), "rejected",
     "Pas encore de donnée fiable : à compter pendant un an, puis à revoter en vague 3."),
]


def _framework_round(project: Project, key: FacilitatorKey | None = None) -> int:
    """Replay a framework round: anonymous proposals, votes by college, outcome recorded and applied."""
    roster = pd.DataFrame([{"participant": f"ref_{c}_{i}", "college": c}
                           for c, n in _ROUND_COLLEGES.items() for i in range(n)])
    project.create_session("referentiel_2025", title="Ce qui compte pour nous")
    tokens = project.add_participants("referentiel_2025", roster, key=key)
    project.open_framework_round("referentiel_2025", 1)
    first = tokens["token"].iloc[0]
    ids = [project.propose(first, op, target, text=fields.get("text"), parent=fields.get("parent"),
                           measures=fields.get("measures"), why=fields.get("why"))
           for op, target, fields, *_ in _PROPOSALS]
    colleges = list(_ROUND_COLLEGES)
    for tok, college in zip(tokens["token"], tokens["college"], strict=True):
        project.vote(tok, {pid: prop[3][colleges.index(college)] for pid, prop in zip(ids, _PROPOSALS, strict=True)})
    project.close_framework_round("referentiel_2025", {
        pid: {"outcome": prop[4], "reason": prop[5]} for pid, prop in zip(ids, _PROPOSALS, strict=True)},
        wave=2, decider="animatrice")
    project.decide("material", "emplois_durables", by="body", decider="conseil coopératif", wave=2,
                   text="Emplois durables créés sur le territoire",
                   reason="Des emplois stables sur le territoire : le premier résultat attendu par les membres.",
                   for_whom=["salarié·es", "habitant·es"],
                   votes={"habitants": {"for": 6}, "salarie_es": {"for": 5}})
    return len(_PROPOSALS) + 1


def _fill_qualitative(project: Project, fw_hash: str) -> dict[str, int]:
    """Progress grids (as observations), codebook, coded extracts and actions of ``qualitatif_exemple``."""
    q = _dataset(QUALITATIVE)
    if q is None:
        return {}
    done = {"grids": project.import_observations(q["grids"], fw_hash, source=f"datasets/{QUALITATIVE}/grids.csv")}
    done["codebook"] = project.set_codebook(q["codebook"], fw_hash)
    done["extracts"] = project.import_extracts(q["extracts"], q["codes"], fw_hash,
                                               source=f"datasets/{QUALITATIVE}/extracts.csv")
    done["actions"] = project.add_actions(q["actions"], fw_hash)
    return done


def _replay(project: Project, judgements: pd.DataFrame, fw_hash: str,
            key: FacilitatorKey | None = None) -> int:
    """Replay a deliberation: sessions, participants with tokens, rounds opened, submitted, closed."""
    n = 0
    for session, sj in judgements.groupby("session", sort=True):
        session = str(session)
        project.create_session(session, fw_hash, title=f"Exemple : {session}")
        roster = sj[["participant", "college"]].drop_duplicates("participant")
        tokens = project.add_participants(session, roster, key=key).set_index("participant")["token"]
        for rnd, rj in sj.groupby("round", sort=True):
            # a college's method is fixed for the round only when all its members used it
            used = rj.groupby("college")["method"].unique()
            methods = {college: str(m[0]) for college, m in used.items() if len(m) == 1}
            project.open_round(session, int(rnd), methods=methods)
            for participant, pj in rj.groupby("participant", sort=True):
                n += project.submit(tokens[participant], pj.drop(columns=["session", "round"]))
            project.close_round(session, int(rnd))
        project.save_collective_view(session)
    return n


def project_exists(path_or_url: str | Path) -> bool:
    """True when a project (any, maybe unfinished) is stored at ``path_or_url``."""
    url, path = E.resolve(path_or_url)
    if path is not None:
        return path.is_file() and path.stat().st_size > 0
    engine = E.make_engine(url)
    try:
        return E.read(engine, M.installed_version) is not None
    finally:
        engine.dispose()


def sample_project(path_or_url: str | Path, *, framework: str = "cooperation_territoriale",
                   project_cls: type[Project] | None = None, facilitator_secret: str | None = None) -> Project:
    """Create — or, when it already exists, open — the sample project.

    The project holds the framework ``framework``, and, when the bundled datasets
    are present, the units, observations, responses and resources of ``panel_synthetique``, a
    small externality ledger with its conventions built on them
    (:mod:`coopeval.store.sample_ledger`), the progress grids, coded extracts (two coders) and actions of ``qualitatif_exemple``
    and the deliberation of ``deliberation_exemple`` replayed round by round
    (participants submit with their tokens; each round is then closed and a
    collective view stored).

    Parameters
    ----------
    path_or_url : str or Path
        SQLite file (or PostgreSQL URL) of the sample project.
    framework : str
        Built-in framework id.
    project_cls : type, optional
        The project class (default :class:`coopeval.Project`; given by
        :meth:`coopeval.Project.create_sample`).
    facilitator_secret : str, optional
        Set as the new project's facilitator secret *before* any link is issued, so that
        the facilitator page lists the sample's personal links again (they are encrypted
        with the key this secret unlocks; the project keeps only a hash of the secret).
        Without it the sample has no secret and its links, issued without the key, cannot
        be listed again. Ignored when the sample already exists. ``coopeval serve`` and
        ``coopeval init --sample`` pass a new secret and print it once.

    Returns
    -------
    Project
        Opened with the researcher role.

    Raises
    ------
    StoreError
        A project exists at ``path_or_url`` but is an unfinished sample.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopeval.store import sample_project
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "exemple.coopeval"
    >>> p = sample_project(path); q = sample_project(path)   # the second call only opens it
    >>> p.frameworks()["framework_id"].tolist() == q.frameworks()["framework_id"].tolist()
    True
    """
    if project_cls is None:
        from coopeval.store import Project as default_cls  # the package, not the module: no circle

        project_cls = default_cls

    _, path = E.resolve(path_or_url)
    if project_exists(path_or_url):
        project = project_cls.open(path_or_url)
        if not _is_sample(project):
            project.close()
            raise StoreError(f"{path}: expected the sample project, found an unfinished or other project "
                             "(delete it or choose another path)")
        return project
    project = project_cls.create(path_or_url)
    try:
        key = None
        if facilitator_secret is not None:
            key = project.facilitator_login(project.set_facilitator_secret(facilitator_secret))
        done = _fill(project, framework, key)

        def mark(conn: sa.Connection) -> None:
            conn.execute(S.meta.insert().values(key="sample", value="complete"))
            audit.record(conn, project.role, "sample_project", None, detail_json=audit.detail(**done))
        project._write(mark)
    except Exception:
        project.close()
        if path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return project
