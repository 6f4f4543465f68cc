"""Commands on a project itself: ``init`` (a new or the sample project) and ``info``."""

from __future__ import annotations

import argparse
from typing import Any

from coopeval.cli.common import _add, _print_counts, _project


def cmd_init(args: argparse.Namespace) -> int:
    from coopeval.store import Project, sample_project
    from coopeval.store.facilitator import new_facilitator_secret

    if args.sample:
        # the facilitator secret exists before the sample issues its links, so the facilitator page
        # lists them (printed once here, the project keeps only a hash of it)
        from coopeval.store.sample import project_exists

        secret = None if project_exists(args.project) else new_facilitator_secret()
        p = sample_project(args.project, facilitator_secret=secret)
        print(f"Projet d'exemple prêt / sample project ready: {args.project}")
        if secret is not None:
            print(f"Code animateur·rice (nouveau, à garder) / facilitator secret (new, keep it): {secret}")
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
