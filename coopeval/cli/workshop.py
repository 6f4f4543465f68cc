"""Deliberation workshops (facilitator): ``session``, ``participants``, ``reissue``, ``round`` and
the facilitator ``secret``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coopeval.cli.common import CommandError, _add, _project


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


def cmd_secret(args: argparse.Namespace) -> int:
    p = _project(args.project)
    secret = p.set_facilitator_secret(args.secret)
    print(f"Code animateur·rice / facilitator secret: {secret}")
    print("Il protège les pages d'animation et de recherche, et déverrouille les liens déjà émis ; le projet "
          "n'en garde qu'une empreinte. / It protects the facilitator and researcher pages and unlocks the "
          "links issued; the project keeps only a hash of it.", file=sys.stderr)
    p.close()
    return 0


def add_parsers(sub: Any) -> None:
    """Declare ``session``, ``participants``, ``reissue``, ``round`` and ``secret``."""
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
