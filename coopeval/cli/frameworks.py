"""Commands on frameworks: ``frameworks list``, ``frameworks validate``, ``frameworks show``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coopeval.cli.common import EXIT_ERROR, _add
from coopeval.errors import CoopevalError


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


def add_parsers(sub: Any) -> None:
    """Declare ``frameworks`` and its actions."""
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
