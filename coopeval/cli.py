"""The ``coopeval`` command line — la commande ``coopeval``.

Every subcommand has ``--help`` (English, with the French description). Errors are
printed as one clear message on stderr with a non-zero exit status (1: the
operation failed; 2: the command line is wrong), never as a traceback; set
``COOPEVAL_DEBUG=1`` to see the traceback.

Examples
--------
.. code-block:: console

    $ coopeval init eval.coopeval --framework cooperation_territoriale
    $ coopeval frameworks validate mon_referentiel.yaml
    $ coopeval template saisie.xlsx --units TERA --waves 2024
    $ coopeval import eval.coopeval saisie.xlsx
    $ coopeval import eval.coopeval results-survey123.csv --limesurvey correspondance.csv --unit TERA --wave 2024
    $ coopeval import eval.coopeval ressources.csv --kind resources
    $ coopeval score eval.coopeval --out scores.csv
    $ coopeval uncertainty eval.coopeval -n 10000 --seed 0 --session atelier
    $ coopeval recompute eval.coopeval 2
    $ coopeval serve eval.coopeval --port 8866 --host 0.0.0.0
    $ coopeval secret eval.coopeval
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from coopeval._version import __version__
from coopeval.errors import CoopevalError

EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure explained to the user (exit status 1, no traceback)."""


# ---------------------------------------------------------------------- helpers
def _project(location: str, role: str = "researcher") -> Any:
    from coopeval.store import Project

    return Project.open(location, role=role)


class _Ticker:
    """Elapsed-time indicator on stderr for work without known length (Monte Carlo, reports)."""

    def __init__(self, label: str):
        self.label = label
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.monotonic()
        self.live = sys.stderr.isatty()

    def _run(self) -> None:
        spin = "|/-\\"
        i = 0
        while not self._stop.wait(0.25):
            sys.stderr.write(f"\r{self.label} {spin[i % 4]} {time.monotonic() - self._start:.0f} s")
            sys.stderr.flush()
            i += 1

    def __enter__(self) -> _Ticker:
        if self.live:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.live:
            self._thread.join()
        sys.stderr.write(f"\r{self.label} : {time.monotonic() - self._start:.1f} s\n")


def _write_table(df: Any, out: str | None) -> None:
    if out:
        df.to_csv(out, index=False)
        print(f"{len(df)} lignes écrites / rows written: {out}")
    else:
        with __import__("pandas").option_context("display.width", 120, "display.max_columns", 12):
            print(df.head(30).to_string(index=False))
            if len(df) > 30:
                print(f"… {len(df) - 30} more rows / lignes de plus (use --out FILE.csv)")


# ---------------------------------------------------------------------- commands
def cmd_init(args: argparse.Namespace) -> int:
    from coopeval.store import Project, sample_project

    if args.sample:
        p = sample_project(args.project)
        print(f"Projet d'exemple prêt / sample project ready: {args.project}")
    else:
        p = Project.create(args.project, framework=args.framework)
        print(f"Projet créé / project created: {args.project} (framework {args.framework})")
    _print_counts(p)
    p.close()
    return 0


def _print_counts(p: Any) -> None:
    counts = p.counts()
    shown = {k: v for k, v in counts.items() if k in ("frameworks", "units", "waves", "observations",
                                                      "responses", "resources", "sessions", "judgements",
                                                      "results")}
    print("  " + ", ".join(f"{k}: {v}" for k, v in shown.items()))


def cmd_info(args: argparse.Namespace) -> int:
    p = _project(args.project)
    print(f"{p}\nschema version: {p.schema_version}")
    _print_counts(p)
    fws = p.frameworks()
    for r in fws.itertuples():
        print(f"  framework {r.framework_id} v{r.version} {r.hash[:12]} ({r.created_at[:10]})")
    p.close()
    return 0


def cmd_frameworks_list(args: argparse.Namespace) -> int:
    import coopeval as ce

    df = ce.list_frameworks()
    print(df[["id", "n_dimensions", "n_indicators", "version", "title_fr" if args.lang == "fr" else "title_en"]]
          .to_string(index=False))
    return 0


def cmd_frameworks_validate(args: argparse.Namespace) -> int:
    import coopeval as ce

    failed = 0
    for file in args.files:
        try:
            fw = ce.Framework.from_yaml(Path(file))
        except CoopevalError as err:
            failed += 1
            print(f"INVALIDE / INVALID {file}\n{err}", file=sys.stderr)
            continue
        print(f"OK {file}: {fw.id} v{fw.version}, {len(fw.dimension_ids)} dimensions, "
              f"{len(fw.indicator_ids)} indicators, hash {fw.hash[:12]}")
    return EXIT_ERROR if failed else 0


def cmd_frameworks_show(args: argparse.Namespace) -> int:
    import coopeval as ce

    print(ce.load_framework(args.framework).tree(lang=args.lang, weights=True))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    import coopeval as ce
    from coopeval import data

    if args.project:
        fw = _project(args.project).framework(args.framework)
    else:
        fw = ce.load_framework(args.framework or "cooperation_territoriale")
    units = args.units
    if not units and args.project:
        units = _project(args.project).units()["unit"].tolist()
    if not units:
        raise CommandError("template: give --units (or --project with units) / indiquez --units")
    path = data.excel_template(fw, args.out, units=units, waves=args.waves, overwrite=args.overwrite,
                               lang=args.lang)
    print(f"Modèle écrit / template written: {path}")
    return 0


def _read_resources(file: Path, sheet: str | None) -> Any:
    """A resources table (CSV or Excel) as text cells; French numbers (``1 234,5``) read as numbers.

    Cells that are not numbers are left as they are, so that the store names them in its
    error message with their line.
    """
    import pandas as pd

    from coopeval.data.likert import parse_number

    if file.suffix.lower() in (".xlsx", ".xlsm"):
        df = pd.read_excel(file, sheet_name=sheet or 0, dtype=str)
    else:
        df = pd.read_csv(file, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    if "amount" in df.columns:
        df["amount"] = [v if pd.isna(v) or parse_number(v) is None else parse_number(v) for v in df["amount"]]
    return df


def _limesurvey(args: argparse.Namespace, p: Any, fw: Any, file: Path) -> Any:
    """Responses of a LimeSurvey export, mapped with ``--limesurvey MAPPING.csv``; prints the report."""
    import pandas as pd

    from coopeval import data

    mapping_file = Path(args.limesurvey)
    if not mapping_file.is_file():
        raise CommandError(f"import: mapping file not found / fichier de correspondance introuvable: {mapping_file}")
    mapping = pd.read_csv(mapping_file, dtype=str, keep_default_na=False, sep=None, engine="python",
                          encoding="utf-8-sig")
    mapping = mapping.replace({"": None})
    answer_codes = None
    if args.answer_codes:
        try:
            answer_codes = {code: float(value) for code, value in (a.split("=", 1) for a in args.answer_codes)}
        except ValueError:
            raise CommandError("import: --answer-codes expects CODE=NUMBER / attend CODE=NOMBRE "
                               "(e.g. AO01=1 AO02=2)") from None
    secret = p._pseudonym_key() if args.respondent == "token" else None
    responses, report = data.read_limesurvey(
        file, fw, mapping=mapping, unit=args.unit, wave=args.wave, college=args.college,
        answer_codes=answer_codes, respondent=args.respondent, secret=secret,
        complete_only=not args.include_incomplete, report=True)
    print(f"Rapport d'import LimeSurvey / LimeSurvey import report: {file.name}")
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(report.to_string(index=False))
    return responses


def cmd_import(args: argparse.Namespace) -> int:
    from coopeval.data import read_csv, read_excel
    from coopeval.store.progress import Progress

    p = _project(args.project)
    fw = p.framework(args.framework)
    file = Path(args.file)
    if not file.is_file():
        raise CommandError(f"import: file not found / fichier introuvable: {file}")
    kind = "responses" if args.limesurvey else args.kind
    if args.limesurvey and args.kind not in ("observations", "responses"):  # "observations" is the default
        raise CommandError("import: --limesurvey imports survey responses / importe des réponses "
                           "(drop --kind resources)")
    with _Ticker(f"lecture / reading {file.name}"):
        if args.limesurvey:
            df = _limesurvey(args, p, fw, file)
        elif kind == "resources":
            df = _read_resources(file, args.sheet)
        elif file.suffix.lower() in (".xlsx", ".xlsm"):
            if kind != "observations":
                raise CommandError("import: Excel files hold observations / les fichiers Excel contiennent "
                                   "des observations (use a CSV for responses)")
            df = read_excel(file, fw, sheet=args.sheet)
        else:
            df = read_csv(file, fw, kind=kind)
    importer = {"observations": p.import_observations, "responses": p.import_responses,
                "resources": p.import_resources}[kind]
    with Progress(len(df), f"import {file.name}") as bar:
        n = importer(df, fw, source=file.name, progress=bar)
    print(f"{n} lignes importées / rows imported ({kind}) dans / into {args.project}")
    p.close()
    return 0


def _spec_options(args: argparse.Namespace) -> dict:
    """Specification fields given on the command line (see :class:`coopeval.evaluation.EvaluationSpec`)."""
    out: dict[str, Any] = {}
    for name in ("session", "round", "normalisation", "aggregation", "seed"):
        value = getattr(args, name, None)
        if value is not None:
            out[name] = value
    if getattr(args, "weights", None):
        out["weights"] = args.weights
    if getattr(args, "n", None) is not None:
        out["n"] = args.n
    return out


def _evaluation(args: argparse.Namespace, p: Any, **extra: Any) -> Any:
    options = {**_spec_options(args), **extra}
    if getattr(args, "framework", None):
        options.setdefault("spec", {"framework": {"hash": p.framework(args.framework).hash}})
    spec = options.pop("spec", None)
    return p.evaluation(spec, **options)


def cmd_score(args: argparse.Namespace) -> int:
    p = _project(args.project)
    ev = _evaluation(args, p, **({"waves": [args.wave]} if args.wave else {}))
    with _Ticker("calcul des scores / scoring"):
        table, rid = p.score(ev.spec)
    print(f"Résultat enregistré / result stored: id {rid}")
    _write_table(table, args.out)
    p.close()
    return 0


def cmd_uncertainty(args: argparse.Namespace) -> int:
    p = _project(args.project)
    ev = _evaluation(args, p, **({"waves": [args.wave]} if args.wave else {}))
    if ev.values.empty:
        raise CommandError("uncertainty: the project has no observations / le projet n'a pas d'observations")
    with _Ticker(f"Monte Carlo (n = {ev.spec.n})"):
        res, rid = p.uncertainty(ev.spec)
    print(f"Résultat enregistré / result stored: id {rid} (coopeval recompute {args.project} {rid})")
    _write_table(res.summary, args.out)
    p.close()
    return 0


def cmd_recompute(args: argparse.Namespace) -> int:
    p = _project(args.project)
    with _Ticker(f"recalcul / recomputing {args.result}"):
        same = p.verify(args.result)
    kind = p.result(args.result).kind
    if same:
        print(f"Résultat {args.result} ({kind}) recalculé à l'identique / recomputed identically")
    else:
        print(f"Résultat {args.result} ({kind}) DIFFÉRENT une fois recalculé / DIFFERS when recomputed "
              "(data, framework or code changed since)", file=sys.stderr)
    p.close()
    return 0 if same else EXIT_ERROR


def cmd_report(args: argparse.Namespace) -> int:
    from coopeval import report

    p = _project(args.project)
    ev = _evaluation(args, p)
    unit = ev.unit_id(args.unit)
    with _Ticker("rapport / report"):
        report.restitution(ev, unit, ev.wave(args.wave), lang=args.lang, path=args.out)
    print(f"Rapport écrit / report written: {args.out}")
    p.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    p = _project(args.project)
    with _Ticker("export"):
        folder = p.export(args.folder, include_secrets=args.include_secrets)
    print(f"Projet exporté / project exported: {folder}")
    p.close()
    return 0


def cmd_import_project(args: argparse.Namespace) -> int:
    from coopeval.store import Project
    from coopeval.store.progress import Progress

    with Progress(0, "import-project") as bar:
        p = Project.import_folder(args.folder, args.project, progress=bar)
    print(f"Projet recréé / project recreated: {args.project}")
    _print_counts(p)
    p.close()
    return 0


def cmd_session(args: argparse.Namespace) -> int:
    p = _project(args.project, role="facilitator")
    fw_ref = args.framework
    p.create_session(args.session, fw_ref, title=args.title)
    print(f"Séance créée / session created: {args.session}")
    p.close()
    return 0


def cmd_participants(args: argparse.Namespace) -> int:
    import pandas as pd

    p = _project(args.project, role="facilitator")
    roster = pd.read_csv(args.roster, dtype=str, keep_default_na=False)
    out = Path(args.tokens)
    if out.exists():
        raise CommandError(f"participants: {out} exists; tokens are never overwritten / "
                           f"{out} existe déjà ; les jetons ne sont jamais écrasés")
    tokens = p.add_participants(args.session, roster)
    tokens.to_csv(out, index=False)
    out.chmod(0o600)
    print(f"{len(tokens)} participant·es ; jetons dans / tokens in {out} (confidential — à garder secret: "
          "the store keeps only their hashes / le projet n'en garde que l'empreinte)")
    p.close()
    return 0


def cmd_reissue(args: argparse.Namespace) -> int:
    p = _project(args.project, role="facilitator")
    out = Path(args.tokens)
    if out.exists():
        raise CommandError(f"reissue: {out} exists; tokens are never overwritten / "
                           f"{out} existe déjà ; les jetons ne sont jamais écrasés")
    key = p.facilitator_login(args.secret) if args.secret else None
    new = p.reissue_link(args.session, args.participant, key)
    new.to_csv(out, index=False)
    out.chmod(0o600)
    print(f"Nouveau lien pour / new link for {args.participant} dans / in {out}; l'ancien ne fonctionne plus / "
          "the old one no longer works")
    p.close()
    return 0


def cmd_round(args: argparse.Namespace) -> int:
    p = _project(args.project, role="facilitator")
    if args.action == "open":
        methods: dict[str, str] | str | None = args.method
        if args.methods:
            try:
                methods = dict(m.split("=", 1) for m in args.methods)
            except ValueError:
                raise CommandError("round: --methods expects college=method / attend college=méthode") from None
        p.open_round(args.session, args.round, methods=methods)
        print(f"Tour {args.round} ouvert / round {args.round} open ({args.session})")
    else:
        p.close_round(args.session, args.round)
        n = p.rounds(args.session).set_index("round").loc[args.round, "n_submissions"]
        print(f"Tour {args.round} clos / round {args.round} closed ({args.session}): {n} submissions")
    p.close()
    return 0


def dashboards_dir(explicit: str | None = None) -> Path:
    """The folder of Voilà dashboards (``--dashboards``, else the bundled/checkout ``dashboards/``)."""
    if explicit:
        return Path(explicit)
    from coopeval.resources import bundled_dir

    try:
        return bundled_dir("dashboards")
    except CoopevalError:
        raise CommandError("serve: no `dashboards/` folder found in this installation / "
                           "aucun dossier `dashboards/` dans cette installation") from None


def _facilitator_secret(location: str) -> str | None:
    """Create the project's facilitator secret if it has none; return it (None: it has one)."""
    p = _project(location)
    try:
        return None if p.has_facilitator_secret() else p.set_facilitator_secret()
    finally:
        p.close()


def cmd_serve(args: argparse.Namespace) -> int:
    from coopeval.server import is_local, public_url, voila_command, voila_env

    folder = dashboards_dir(args.dashboards)
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        raise CommandError(f"serve: no dashboard notebook (*.ipynb) in {folder} yet / "
                           f"aucun tableau de bord (*.ipynb) dans {folder} pour l'instant")
    location = None
    secret = None
    if args.project:
        location = args.project
        if "://" not in location:
            path = Path(location).resolve()
            if not path.exists():
                if args.no_sample:
                    raise CommandError(f"serve: no project at {path} / aucun projet à {path}")
                from coopeval.store import sample_project

                print(f"Création du projet d'exemple / creating the sample project: {path}", file=sys.stderr)
                with _Ticker("projet d'exemple / sample project"):
                    sample_project(path).close()
            else:
                _project(str(path)).close()  # opens (and upgrades) it now, with a clear error if invalid
            location = str(path)
        secret = _facilitator_secret(location)
    url = public_url(args.host, args.port)
    env = voila_env(project=location, public=url)
    cmd = voila_command(folder, host=args.host, port=args.port, open_browser=not args.no_browser,
                        cull_idle=args.cull_idle)
    if shutil.which(sys.executable) is None:  # pragma: no cover
        raise CommandError("serve: Python executable not found")
    lines = [f"Tableaux de bord / dashboards: {url}/  ({', '.join(n.name for n in notebooks)})",
             f"Page d'animation / facilitator page: {url}/voila/render/animation.ipynb"]
    if secret:
        lines.append(f"Code animateur·rice (nouveau, à garder) / facilitator secret (new, keep it): {secret}")
    elif location:
        lines.append("Code animateur·rice : celui du projet (`coopeval secret` en crée un nouveau) / "
                     "facilitator secret: the project's (`coopeval secret` makes a new one)")
    if not is_local(args.host):
        lines.append(f"ATTENTION : le serveur écoute sur {args.host}, il est joignable depuis le réseau local "
                     "(téléphones des participant·es). Servez-le sur un réseau de confiance, jamais sur Internet "
                     "sans HTTPS. / WARNING: the server is reachable from the local network; use a trusted "
                     "network, never the Internet without HTTPS.")
    print("\n".join(lines), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    # become the Voilà server: a signal sent to `coopeval serve` (Ctrl-C, a test's terminate,
    # a service manager) then reaches Voilà itself, and no orphan server is left behind
    os.execve(cmd[0], cmd, env)  # noqa: S606 (our own interpreter and arguments)
    return 0  # pragma: no cover - execve does not return


def cmd_secret(args: argparse.Namespace) -> int:
    p = _project(args.project)
    secret = p.set_facilitator_secret(args.secret)
    print(f"Code animateur·rice / facilitator secret: {secret}")
    print("Il protège les pages d'animation et de recherche, et déverrouille les liens déjà émis ; le projet "
          "n'en garde qu'une empreinte. / It protects the facilitator and researcher pages and unlocks the "
          "links issued; the project keeps only a hash of it.", file=sys.stderr)
    p.close()
    return 0


# ---------------------------------------------------------------------- parser
#: Help of ``export --include-secrets`` (French first, then English; issue 16).
INCLUDE_SECRETS_HELP = (
    "refusé : la clé de pseudonymisation n'est jamais exportée, car avec les réponses pseudonymisées "
    "elle permet de ré-identifier les répondant·es à partir d'une liste d'adresses e-mail ; pour garder "
    "les mêmes pseudonymes, copiez le fichier de clé (PROJECT.key à côté d'un fichier SQLite) à part, "
    "par un canal sûr "
    "— refused: the pseudonymisation key is never exported, because with the pseudonymised responses "
    "it re-identifies respondents from a list of e-mail addresses; to keep the same pseudonyms, copy "
    "the key file (PROJECT.key beside a SQLite file) separately, by a secure channel")
#: What an export folder holds and its risk (epilog of ``coopeval export --help``).
EXPORT_WARNING = (
    "Le dossier contient toutes les tables du projet, données individuelles comprises : réponses "
    "pseudonymisées, jugements de chaque participant·e, extraits et leurs locuteur·rices pseudonymes, "
    "collèges de toute taille. Aucune protection des petits groupes n'y est appliquée : réservez-le "
    "aux chercheur·es du projet, ne le publiez pas. La clé de pseudonymisation n'y est pas ; les jetons "
    "n'y sont qu'en empreinte SHA-256 et les liens personnels chiffrés par le code animateur·rice "
    "(qui connaît ce code peut les relire).\n\n"
    "The folder holds every table of the project, individual data included: pseudonymised responses, "
    "each participant's judgements, extracts with their pseudonymous speakers, colleges of any size. "
    "No small-group protection is applied to it: keep it to the project's researchers, do not "
    "publish it. The pseudonymisation key is not in it; tokens are only SHA-256 hashes and the personal "
    "links are encrypted with the facilitator secret (whoever knows it can read them again).")


def _add(sub: Any, name: str, en: str, fr: str, fn: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=f"{en} — {fr}", description=f"{en}\n\n{fr}",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(func=fn)
    return parser


def _add_spec_arguments(p: argparse.ArgumentParser) -> None:
    """The evaluation specification on the command line (same defaults as every other door)."""
    p.add_argument("--session", help="weights of this deliberation session (default: the latest) — poids de "
                   "cette séance (par défaut : la dernière)")
    p.add_argument("--round", type=int, help="round of the session (default: the latest closed) — tour (par "
                   "défaut : le dernier clos)")
    p.add_argument("--weights", choices=["deliberation", "framework"],
                   help="deliberated weights (default) or the framework's — poids délibérés (défaut) ou du référentiel")
    p.add_argument("--normalisation", help="default: the framework's — par défaut : celle du référentiel")
    p.add_argument("--aggregation", help="default: the framework's — par défaut : celle du référentiel")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``coopeval`` (one subparser per command)."""
    parser = argparse.ArgumentParser(
        prog="coopeval",
        description="Social-utility evaluation of territorial cooperations.\n"
                    "Évaluation de l'utilité sociale des coopérations territoriales.\n\n"
                    "PROJECT is a SQLite file path or a postgresql+psycopg:// URL — "
                    "PROJECT est un fichier SQLite ou une URL postgresql+psycopg://.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"coopeval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _add(sub, "init", "Create a new project (or the sample project).",
             "Crée un projet (ou le projet d'exemple).", cmd_init)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--framework", default="cooperation_territoriale",
                   help="built-in id or YAML file — référentiel intégré ou fichier YAML")
    p.add_argument("--sample", action="store_true",
                   help="fill it with the bundled sample data — le remplir avec les données d'exemple")

    p = _add(sub, "info", "Show what a project holds.", "Affiche le contenu d'un projet.", cmd_info)
    p.add_argument("project", metavar="PROJECT")

    p = _add(sub, "frameworks", "List, validate or show frameworks.",
             "Liste, valide ou affiche des référentiels.", cmd_frameworks_list)
    p.add_argument("--lang", choices=["fr", "en"], default="fr")
    fsub = p.add_subparsers(dest="action", metavar="ACTION")
    f = _add(fsub, "list", "List the built-in frameworks.", "Liste les référentiels intégrés.", cmd_frameworks_list)
    f.add_argument("--lang", choices=["fr", "en"], default="fr")
    f = _add(fsub, "validate", "Validate framework YAML files (all problems, with line numbers).",
             "Valide des fichiers YAML de référentiel (tous les problèmes, avec leurs lignes).", cmd_frameworks_validate)
    f.add_argument("files", nargs="+", metavar="FILE.yaml")
    f = _add(fsub, "show", "Print a framework as a tree.", "Affiche un référentiel sous forme d'arbre.",
             cmd_frameworks_show)
    f.add_argument("framework", metavar="ID_OR_FILE")
    f.add_argument("--lang", choices=["fr", "en"], default="fr")

    p = _add(sub, "template", "Write an Excel data-entry template.", "Écrit un modèle Excel de saisie.",
             cmd_template)
    p.add_argument("out", metavar="OUT.xlsx")
    p.add_argument("--units", nargs="+", default=[], help="cooperations — coopérations")
    p.add_argument("--waves", nargs="+", required=True, help="waves — vagues (e.g. 2024 2025)")
    p.add_argument("--framework", help="built-in id or YAML (default cooperation_territoriale), or a stored "
                                       "framework with --project — référentiel")
    p.add_argument("--project", help="take the framework and units from this project — "
                                     "prendre référentiel et unités de ce projet")
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("--lang", choices=["fr", "en"], default="fr",
                   help="language of the template — langue du modèle (fr, en)")

    p = _add(sub, "import", "Import observations, survey responses (CSV, Excel, LimeSurvey export) or resources "
             "of the socio-economic model; all rows or none.",
             "Importe des observations, des réponses (CSV, Excel, export LimeSurvey) ou les ressources du modèle "
             "socio-économique ; toutes les lignes ou aucune.", cmd_import)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--kind", choices=["observations", "responses", "resources"], default="observations",
                   help="resources: columns unit, wave, source, category, amount, unit_of_measure (CSV or Excel) — "
                        "ressources : colonnes unit, wave, source, category (marchand, non_marchand, "
                        "non_monetaire), amount, unit_of_measure")
    p.add_argument("--framework", help="stored framework hash or id (default: latest) — référentiel")
    p.add_argument("--sheet", help="Excel sheet — feuille Excel")
    ls = p.add_argument_group("LimeSurvey", "FILE is a LimeSurvey CSV export (Réponses > Exporter) — "
                              "FILE est un export CSV de LimeSurvey")
    ls.add_argument("--limesurvey", metavar="MAPPING.csv",
                    help="question code → item table (columns code, item; item may be unit, wave, college, or "
                         "empty to ignore) — table de correspondance code de question → item")
    ls.add_argument("--unit", help="cooperation of every response, when no question gives it — coopération")
    ls.add_argument("--wave", help="wave of every response — vague")
    ls.add_argument("--college", help="college of every respondent — collège")
    ls.add_argument("--respondent", choices=["id", "token"], default="id",
                    help="respondent key: response id, or participant token (links waves; hashed with the "
                         "project key) — identifiant du répondant")
    ls.add_argument("--answer-codes", nargs="+", metavar="CODE=NUMBER",
                    help="numeric value of answer codes, e.g. AO01=1 AO02=2 — valeur des codes de réponse")
    ls.add_argument("--include-incomplete", action="store_true",
                    help="also import incomplete responses (empty submitdate) — importer aussi les réponses "
                         "incomplètes")

    for name, en, fr, fn in (
        ("score", "Score the stored observations and store the result.",
         "Calcule les scores des observations et enregistre le résultat.", cmd_score),
        ("uncertainty", "Monte Carlo uncertainty of scores and ranks; stores the summary.",
         "Incertitude Monte Carlo des scores et des rangs ; enregistre la synthèse.", cmd_uncertainty),
    ):
        p = _add(sub, name, en, fr, fn)
        p.add_argument("project", metavar="PROJECT")
        p.add_argument("--wave", help="one wave only — une seule vague")
        p.add_argument("--framework", help="stored framework hash or id (default: latest)")
        _add_spec_arguments(p)
        p.add_argument("--out", metavar="FILE.csv", help="write the table — écrire le tableau")
        if name == "uncertainty":
            p.add_argument("-n", type=int, help="draws — tirages (default: the specification's, 2000)")
            p.add_argument("--seed", type=int)

    p = _add(sub, "recompute", "Recompute a stored result (score, collective view, uncertainty) and check it is "
             "identical; exit 1 if not.", "Recalcule un résultat enregistré et vérifie qu'il est identique ; "
             "code de sortie 1 sinon.", cmd_recompute)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("result", metavar="RESULT_ID", type=int)

    p = _add(sub, "report", "Write the HTML restitution report of a cooperation and wave.",
             "Écrit le rapport de restitution HTML d'une coopération et d'une vague.", cmd_report)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("out", metavar="OUT.html")
    p.add_argument("--unit", required=True, help="cooperation id or name — identifiant ou nom de la coopération")
    p.add_argument("--wave", required=True, help="wave — vague")
    p.add_argument("--framework", help="stored framework hash or id (default: latest)")
    _add_spec_arguments(p)
    p.add_argument("--lang", choices=["fr", "en"], default="fr")

    p = _add(sub, "export", "Export a whole project to a folder of CSV + YAML.",
             "Exporte tout un projet dans un dossier CSV + YAML.", cmd_export)
    p.epilog = EXPORT_WARNING  # issue 16: what the folder holds, and who may receive it
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--include-secrets", action="store_true", help=INCLUDE_SECRETS_HELP)

    p = _add(sub, "import-project", "Create a project from an exported folder (all or nothing).",
             "Recrée un projet à partir d'un dossier exporté (tout ou rien).", cmd_import_project)
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("project", metavar="PROJECT")

    p = _add(sub, "session", "Create a deliberation session (facilitator).",
             "Crée une séance de délibération (animation).", cmd_session)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("--framework", help="stored framework hash or id (default: latest)")
    p.add_argument("--title", help="title — titre")

    p = _add(sub, "participants", "Register participants from a CSV roster (participant, college) and write "
             "their tokens.", "Inscrit les participant·es d'une liste CSV (participant, college) et écrit "
             "leurs jetons.", cmd_participants)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("roster", metavar="ROSTER.csv")
    p.add_argument("--tokens", required=True, metavar="OUT.csv",
                   help="where to write the tokens (shown only once) — où écrire les jetons (montrés une seule fois)")

    p = _add(sub, "reissue", "Give a participant a new link; the old one is revoked (audited).",
             "Donne un nouveau lien à un·e participant·e ; l'ancien est révoqué (journalisé).", cmd_reissue)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("participant", metavar="PARTICIPANT")
    p.add_argument("--tokens", required=True, metavar="OUT.csv", help="where to write the new token — où écrire le "
                                                                       "nouveau jeton")
    p.add_argument("--secret", help="facilitator secret: keep the link listed on the facilitator page — code "
                                    "animateur·rice : garder le lien sur la page d'animation")

    p = _add(sub, "round", "Open or close a round of a session (facilitator).",
             "Ouvre ou clôt un tour d'une séance (animation).", cmd_round)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("round", metavar="ROUND", type=int)
    p.add_argument("action", choices=["open", "close"])
    p.add_argument("--method", help="method for every college — méthode pour tous les collèges "
                                    "(points, ranking, simos, ahp, swing, direct)")
    p.add_argument("--methods", nargs="+", metavar="COLLEGE=METHOD", help="method per college — méthode par collège")

    p = _add(sub, "secret", "Set a new facilitator secret (printed once, stored hashed).",
             "Crée un nouveau code animateur·rice (affiché une fois, gardé haché).", cmd_secret)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--secret", help="choose it (12 characters or more) — le choisir (12 caractères ou plus)")

    p = _add(sub, "serve", "Serve the dashboards (Voilà) on a project; creates the sample project if missing.",
             "Sert les tableaux de bord (Voilà) sur un projet ; crée le projet d'exemple s'il manque.", cmd_serve)
    p.add_argument("project", metavar="PROJECT", nargs="?")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on: 127.0.0.1 (this machine only, default) or 0.0.0.0 (the local "
                        "network: participants' phones); links use COOPEVAL_PUBLIC_URL when set — adresse "
                        "d'écoute : 127.0.0.1 (cette machine) ou 0.0.0.0 (réseau local, téléphones)")
    p.add_argument("--cull-idle", type=int, default=300, metavar="SECONDS",
                   help="shut down the kernel of a closed page after this idle time — arrêter le noyau d'une "
                        "page fermée après ce délai d'inactivité")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser — ne pas ouvrir de navigateur")
    p.add_argument("--no-sample", action="store_true",
                   help="fail if PROJECT does not exist — échouer si PROJECT n'existe pas")
    p.add_argument("--dashboards", metavar="DIR", help="dashboards folder — dossier des tableaux de bord")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``coopeval`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CoopevalError, CommandError) as err:
        if os.environ.get("COOPEVAL_DEBUG"):
            traceback.print_exc()
        print(f"coopeval {args.command}: erreur / error:\n{err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrompu / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
