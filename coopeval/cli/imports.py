"""Data entry: the Excel ``template`` and the ``import`` of observations, survey responses
(CSV, Excel, LimeSurvey export) and resources."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coopeval.cli.common import CommandError, _add, _project, _Ticker


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


def add_parsers(sub: Any) -> None:
    """Declare ``template`` and ``import``."""
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
