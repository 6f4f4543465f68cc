"""Computed results: ``score``, ``uncertainty``, ``recompute`` and the restitution ``report``,
with the evaluation specification given on the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from coopeval.cli.common import EXIT_ERROR, CommandError, _add, _project, _Ticker, _write_table


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
        verdict = p.verification(args.result, rtol=args.rtol)  # one recomputation, also on a difference
    listed = p.results()  # the kind, without reading the stored table a second time
    kind = listed.loc[listed["id"] == args.result, "kind"].iloc[0]
    same = verdict == "same"
    if same:
        how = "à l'identique / identically" if not args.rtol else f"à {args.rtol:g} près / within {args.rtol:g}"
        print(f"Résultat {args.result} ({kind}) recalculé {how}")
    else:
        why = ("arrondis seulement, égal à 1e-12 près : autre machine ou autre bibliothèque de calcul ? "
               "--rtol 1e-12 l'accepte / rounding only, equal within 1e-12: another machine or numerical "
               "library? --rtol 1e-12 accepts it" if verdict == "rounding"
               else "données, référentiel ou code changés depuis / data, framework or code changed since")
        print(f"Résultat {args.result} ({kind}) DIFFÉRENT une fois recalculé / DIFFERS when recomputed ({why})",
              file=sys.stderr)
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


def add_parsers(sub: Any) -> None:
    """Declare ``score``, ``uncertainty``, ``recompute`` and ``report``."""
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
    p.add_argument("--rtol", type=float, default=0.0,
                   help="accept numbers within this relative difference (at most 1e-6; e.g. 1e-12 for another "
                   "machine's rounding) — accepter cet écart relatif (au plus 1e-6 ; 1e-12 pour les arrondis "
                   "d'une autre machine)")

    p = _add(sub, "report", "Write the HTML restitution report of a cooperation and wave.",
             "Écrit le rapport de restitution HTML d'une coopération et d'une vague.", cmd_report)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("out", metavar="OUT.html")
    p.add_argument("--unit", required=True, help="cooperation id or name — identifiant ou nom de la coopération")
    p.add_argument("--wave", required=True, help="wave — vague")
    p.add_argument("--framework", help="stored framework hash or id (default: latest)")
    _add_spec_arguments(p)
    p.add_argument("--lang", choices=["fr", "en"], default="fr")
