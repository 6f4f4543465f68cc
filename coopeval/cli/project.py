"""Commands on a project itself: ``init`` (a new or the sample project) and ``info``."""

from __future__ import annotations

import argparse
from typing import Any

from coopeval.cli.common import _add, _print_counts, _project


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


def cmd_info(args: argparse.Namespace) -> int:
    p = _project(args.project)
    print(f"{p}\nschema version: {p.schema_version}")
    _print_counts(p)
    fws = p.frameworks()
    for r in fws.itertuples():
        print(f"  framework {r.framework_id} v{r.version} {r.hash[:12]} ({r.created_at[:10]})")
    p.close()
    return 0


def add_parsers(sub: Any) -> None:
    """Declare ``init`` and ``info``."""
    p = _add(sub, "init", "Create a new project (or the sample project).",
             "Crée un projet (ou le projet d'exemple).", cmd_init)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--framework", default="cooperation_territoriale",
                   help="built-in id or YAML file — référentiel intégré ou fichier YAML")
    p.add_argument("--sample", action="store_true",
                   help="fill it with the bundled sample data — le remplir avec les données d'exemple")

    p = _add(sub, "info", "Show what a project holds.", "Affiche le contenu d'un projet.", cmd_info)
    p.add_argument("project", metavar="PROJECT")
