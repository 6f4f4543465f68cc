"""The ``coopeval`` command line — la commande ``coopeval``.

Every subcommand has ``--help`` (English, with the French description). Errors are
printed as one clear message on stderr with a non-zero exit status (1: the
operation failed; 2: the command line is wrong), never as a traceback; set
``COOPEVAL_DEBUG=1`` to see the traceback.

This module holds the parser and :func:`main`; each family of commands lives in its own
module with the declaration of its subcommands: :mod:`~coopeval.cli.project` (``init``,
``info``), :mod:`~coopeval.cli.frameworks`, :mod:`~coopeval.cli.imports` (``template``,
``import``), :mod:`~coopeval.cli.results` (``score``, ``uncertainty``, ``recompute``,
``report``), :mod:`~coopeval.cli.archive` (``export``, ``import-project``),
:mod:`~coopeval.cli.workshop` (``session``, ``participants``, ``reissue``, ``round``,
``secret``) and :mod:`~coopeval.cli.serve`; what they share is in :mod:`~coopeval.cli.common`.

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
import sys
import traceback
from collections.abc import Sequence

from coopeval._version import __version__
from coopeval.cli import archive, frameworks, imports, project, results, serve, workshop
from coopeval.cli.archive import (
    EXPORT_WARNING,
    INCLUDE_SECRETS_HELP,
    cmd_export,
    cmd_import_project,
)
from coopeval.cli.common import EXIT_ERROR, EXIT_USAGE, CommandError
from coopeval.cli.frameworks import (
    cmd_frameworks_list,
    cmd_frameworks_show,
    cmd_frameworks_validate,
)
from coopeval.cli.imports import cmd_import, cmd_template
from coopeval.cli.project import cmd_info, cmd_init
from coopeval.cli.results import cmd_recompute, cmd_report, cmd_score, cmd_uncertainty
from coopeval.cli.serve import cmd_serve, dashboards_dir
from coopeval.cli.workshop import cmd_participants, cmd_reissue, cmd_round, cmd_secret, cmd_session
from coopeval.errors import CoopevalError

__all__ = [
    "EXIT_ERROR",
    "EXIT_USAGE",
    "EXPORT_WARNING",
    "INCLUDE_SECRETS_HELP",
    "CommandError",
    "build_parser",
    "cmd_export",
    "cmd_frameworks_list",
    "cmd_frameworks_show",
    "cmd_frameworks_validate",
    "cmd_import",
    "cmd_import_project",
    "cmd_info",
    "cmd_init",
    "cmd_participants",
    "cmd_recompute",
    "cmd_reissue",
    "cmd_report",
    "cmd_round",
    "cmd_score",
    "cmd_secret",
    "cmd_serve",
    "cmd_session",
    "cmd_template",
    "cmd_uncertainty",
    "dashboards_dir",
    "main",
]

#: The families of commands, in the order ``coopeval --help`` lists them.
FAMILIES = (project, frameworks, imports, results, archive, workshop, serve)


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
    for family in FAMILIES:
        family.add_parsers(sub)
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
