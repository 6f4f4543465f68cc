"""A whole project to and from a folder of CSV + YAML: ``export`` and ``import-project``."""

from __future__ import annotations

import argparse
from typing import Any

from coopeval.cli.common import _add, _print_counts, _project, _Ticker

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


def add_parsers(sub: Any) -> None:
    """Declare ``export`` and ``import-project``."""
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
