"""``serve``: the Voilà dashboards on a project (the process becomes the Voilà server)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from coopeval.cli.common import CommandError, _add, _project, _Ticker
from coopeval.errors import CoopevalError


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
                from coopeval.store.facilitator import new_facilitator_secret

                print(f"Création du projet d'exemple / creating the sample project: {path}", file=sys.stderr)
                # the secret exists before the sample issues its links, so the facilitator page lists them
                secret = new_facilitator_secret()
                with _Ticker("projet d'exemple / sample project"):
                    sample_project(path, facilitator_secret=secret).close()
            else:
                _project(str(path)).close()  # opens (and upgrades) it now, with a clear error if invalid
            location = str(path)
        secret = secret or _facilitator_secret(location)
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


def add_parsers(sub: Any) -> None:
    """Declare ``serve``."""
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
