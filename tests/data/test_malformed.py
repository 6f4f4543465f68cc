"""Malformed inputs: every one raises a clear ``DataError`` and writes nothing.

Each case prepares its input (a DataFrame, or a file in a fresh folder), takes a
snapshot of the folder (names, sizes, contents), calls the public function, and
checks that (1) a :class:`coopeval.errors.DataError` is raised, (2) its message
contains the expected location / parameter and what was found, and (3) the
folder is byte-for-byte unchanged: no partial output, no temporary file, input
untouched.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError

ITEMS = {"G01Q01[SQ001]": "appartenance_membre", "G01Q01[SQ002]": "appartenance_fierte"}


def obs(*rows):
    return pd.DataFrame(list(rows), columns=["unit", "wave", "indicator", "value"])


def resp(*rows):
    return pd.DataFrame(list(rows),
                        columns=["respondent", "unit", "wave", "college", "item", "value"])


def write(tmp: Path, name: str, text: str | bytes) -> Path:
    p = tmp / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def template(tmp: Path, fw, **edits) -> Path:
    p = tmp / "saisie.xlsx"
    ce.data.excel_template(fw, p, units=["TERA"], waves=[2024])
    wb = openpyxl.load_workbook(p)
    for ref, value in edits.items():
        sheet, cell = ref.split("__")
        wb[sheet][cell] = value
    wb.save(p)
    return p


def _without_sheet(path: Path, name: str) -> Path:
    wb = openpyxl.load_workbook(path)
    del wb[name]
    wb.save(path)
    return path


LS_HEAD = '"id","submitdate","lastpage","startlanguage","seed","token","G00Q01","G01Q01[SQ001]"'
LS_ROW = '"1","2024-05-02 10:11:07","2","fr","93","tk07919Qz","A1","AO04"'


def ls(tmp: Path, rows=(LS_ROW,), head=LS_HEAD) -> Path:
    return write(tmp, "results-survey.csv", "\r\n".join([head, *rows]) + "\r\n")


LS_OPT = {"unit": "TERA", "wave": 2024, "college": "habitants"}

NO_INPUT = None  # the input is a DataFrame built inside the call


def case(name, run, expected, prep=NO_INPUT):
    """run(fw, tmp, prepared) raises; prep(fw, tmp) builds the input file first."""
    return (name, prep, run, expected)


CASES = [
    case("obs-not-a-frame", lambda fw, t, x: ce.data.validate_observations([1, 2], fw),
         ["parameter `obs`", "DataFrame", "list"]),
    case("obs-missing-column", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 1, "emplois_etp", 1)).drop(columns="value"), fw), ["missing value"]),
    case("obs-unknown-indicator", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 1, "emplois", 1)), fw), ["row 0", "`indicator`", "'emplois'"]),
    case("obs-text-value", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 1, "emplois_etp", "douze")), fw), ["row 0", "a number", "'douze'"]),
    case("obs-out-of-bounds", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 1, "part_cdi", 1.5)), fw), ["between 0 and 1", "found 1.5"]),
    case("obs-ordinal-not-whole", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 1, "niveau_demarche_environnementale", 2.5)), fw), ["whole number"]),
    case("obs-binary-not-01", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 1, "comptes_publies", "peut-être")), fw), ["0 or 1", "'peut-être'"]),
    case("obs-duplicate", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 1, "emplois_etp", 1), ("T", 1, "emplois_etp", 2)), fw),
        ["row 1", "duplicate of row 0"]),
    case("obs-missing-wave", lambda fw, t, x: ce.data.validate_observations(
        obs(("T", 2023, "emplois_etp", 1)), fw, waves=[2023, 2024]),
        ["unit 'T'", "no row for wave(s) [2024]"]),
    case("obs-empty-unit", lambda fw, t, x: ce.data.validate_observations(
        obs(("  ", 1, "emplois_etp", 1)), fw), ["`unit`", "empty cell"]),
    case("resp-unknown-item", lambda fw, t, x: ce.data.validate_responses(
        resp(("r", "T", 1, "c", "qvt_sense", 3)), fw), ["`item`", "did you mean 'qvt_sens'"]),
    case("resp-out-of-scale", lambda fw, t, x: ce.data.validate_responses(
        resp(("r", "T", 1, "c", "qvt_sens", 0)), fw), ["between 1 and 5", "found 0"]),
    case("resp-unknown-label", lambda fw, t, x: ce.data.validate_responses(
        resp(("r", "T", 1, "c", "qvt_sens", "Assez d'accord")), fw),
        ["agreement label", "Assez"]),
    case("resp-two-colleges", lambda fw, t, x: ce.data.validate_responses(
        resp(("r", "T", 1, "habitants", "qvt_sens", 3),
             ("r", "T", 1, "salarié·es", "qvt_charge", 3)), fw),
        ["one college per respondent"]),
    case("csv-wrong-field-count", lambda fw, t, x: ce.data.read_csv(x, fw),
         ["file 'obs.csv', line 2", "4 fields", "3 fields"],
         lambda fw, t: write(t, "obs.csv", "unit,wave,indicator,value\nT,1,emplois_etp\n")),
    case("csv-missing-column", lambda fw, t, x: ce.data.read_csv(x, fw),
         ["file 'obs.csv', line 1", "missing unit, wave"],
         lambda fw, t: write(t, "obs.csv", "unite;vague;indicator;value\nT;1;emplois_etp;3\n")),
    case("csv-not-utf8", lambda fw, t, x: ce.data.read_csv(x, fw), ["line 2", "utf-8"],
         lambda fw, t: write(t, "obs.csv", "unit;wave;indicator;value\nCoopérative;1;x;3\n"
                             .encode("latin-1"))),
    case("csv-empty-file", lambda fw, t, x: ce.data.read_csv(x, fw), ["line 1", "header"],
         lambda fw, t: write(t, "obs.csv", "")),
    case("csv-wrong-extension", lambda fw, t, x: ce.data.read_csv(x, fw),
         ["obs.xls", "extension"], lambda fw, t: write(t, "obs.xls", "x")),
    case("csv-no-such-file", lambda fw, t, x: ce.data.read_csv(t / "absent.csv", fw),
         ["absent.csv", "nothing at this path"]),
    case("csv-bad-kind", lambda fw, t, x: ce.data.read_csv(x, fw, kind="obs"),
         ["parameter `kind`"], lambda fw, t: write(t, "o.csv", "a\n")),
    case("xlsx-corrupt", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["saisie.xlsx", "cannot be read"], lambda fw, t: write(t, "saisie.xlsx", "not a zip")),
    case("xlsx-text-in-number", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["sheet 'Saisie', cell K9", "'douze'"],
         lambda fw, t: template(t, fw, Saisie__K9="douze")),
    case("xlsx-out-of-bounds", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["cell K11", "between 0 and 1"], lambda fw, t: template(t, fw, Saisie__K11=-0.5)),
    case("xlsx-unknown-indicator", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["cell D9", "'emplois'"],
         lambda fw, t: template(t, fw, Saisie__D9="emplois", Saisie__K9=3)),
    case("xlsx-formula-not-computed", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["cell K9", "not computed"], lambda fw, t: template(t, fw, Saisie__K9="=2+2")),
    case("xlsx-header-renamed", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["sheet 'Saisie', row 1", "missing value"],
         lambda fw, t: template(t, fw, Saisie__K1="Montant")),
    case("xlsx-missing-sheet", lambda fw, t, x: ce.data.read_excel(x, fw, sheet="Data"),
         ["expected a sheet 'Data'"], lambda fw, t: template(t, fw)),
    # issue 16: the Saisie sheet deleted used to be reported as "sheet 'Instructions', row 1: expected the columns"
    case("xlsx-data-sheet-deleted", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["expected the template's data sheet 'Saisie'", "'Instructions'", "deleted or renamed"],
         lambda fw, t: _without_sheet(template(t, fw), "Saisie")),
    case("xlsx-other-framework", lambda fw, t, x: ce.data.read_excel(x, fw),
         ["template of 'tiers_lieu'"], lambda fw, t: template(t, fw, _coopeval__B2="tiers_lieu")),
    case("template-exists", lambda fw, t, x: ce.data.excel_template(
        fw, x, units=["T"], waves=[1]), ["already exists"],
        lambda fw, t: write(t, "saisie.xlsx", "old")),
    case("template-no-folder", lambda fw, t, x: ce.data.excel_template(
        fw, t / "sous-dossier" / "s.xlsx", units=["T"], waves=[1]), ["does not exist"]),
    case("template-wrong-suffix", lambda fw, t, x: ce.data.excel_template(
        fw, t / "s.xls", units=["T"], waves=[1]), ["ending in .xlsx"]),
    case("template-no-units", lambda fw, t, x: ce.data.excel_template(
        fw, t / "s.xlsx", units=[], waves=[1]), ["parameter `units`"]),
    case("template-units-string", lambda fw, t, x: ce.data.excel_template(
        fw, t / "s.xlsx", units="TERA", waves=[1]), ["parameter `units`"]),
    case("ls-unknown-item", lambda fw, t, x: ce.data.read_limesurvey(
        x, fw, {"G01Q01[SQ001]": "appartenance"}, **LS_OPT),
        ["mapping['G01Q01[SQ001]']", "'appartenance'"], lambda fw, t: ls(t)),
    case("ls-code-absent", lambda fw, t, x: ce.data.read_limesurvey(x, fw, ITEMS, **LS_OPT),
         ["G01Q01[SQ002]", "missing"], lambda fw, t: ls(t)),
    case("ls-no-college", lambda fw, t, x: ce.data.read_limesurvey(
        x, fw, {"G01Q01[SQ001]": "appartenance_membre"}, unit="T", wave=1),
        ["`college`", "neither"], lambda fw, t: ls(t)),
    case("ls-token-without-secret", lambda fw, t, x: ce.data.read_limesurvey(
        x, fw, {"G01Q01[SQ001]": "appartenance_membre"}, respondent="token", **LS_OPT),
        ["`secret`", "direct identifier"], lambda fw, t: ls(t)),
    case("ls-unlisted-recode", lambda fw, t, x: ce.data.read_limesurvey(
        x, fw, {"G01Q01[SQ001]": "appartenance_membre", "G00Q01": "college"}, unit="T",
        wave=1, recode={"college": {"A2": "salarie_es"}}),
        ["line 2, column 'G00Q01'", "recode['college']", "'A1'"], lambda fw, t: ls(t)),
    case("ls-bad-answer-code", lambda fw, t, x: ce.data.read_limesurvey(
        x, fw, {"G01Q01[SQ001]": "appartenance_membre"}, **LS_OPT),
        ["line 2, column 'G01Q01[SQ001]'", "'AO04'"], lambda fw, t: ls(t)),
    case("ls-ragged-line", lambda fw, t, x: ce.data.read_limesurvey(
        x, fw, {"G01Q01[SQ001]": "appartenance_membre"}, **LS_OPT),
        ["line 2", "8 fields", "3 fields"],
        lambda fw, t: ls(t, rows=('"1","2024-05-02","2"',))),
    case("pseudo-short-secret", lambda fw, t, x: ce.data.pseudonymise(
        resp(("r", "T", 1, "c", "qvt_sens", 3)), "1234"), ["`secret`", "16 bytes"]),
    case("pseudo-refuse", lambda fw, t, x: ce.data.pseudonymise(
        resp(("r", "T", 1, "c", "qvt_sens", 3)).assign(email="a@b.fr"), "x" * 32,
        identifiers="refuse"), ["column 'email'", "personal-data column"]),
    case("pseudo-empty-id", lambda fw, t, x: ce.data.pseudonymise(
        resp((None, "T", 1, "c", "qvt_sens", 3)), "x" * 32), ["`respondent`", "rows 0"]),
    case("suppress-min-n", lambda fw, t, x: ce.data.suppress_small_groups(
        pd.DataFrame({"score": [1.0], "n": [3]}), min_n=0), ["`min_n`", "got 0"]),
    case("scales-invalid-response", lambda fw, t, x: ce.data.score_scales(
        resp(("r", "T", 1, "c", "qvt_sens", 9)), fw), ["row 0", "between 1 and 5"]),
]


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_at_least_twenty_cases():
    assert len(CASES) >= 20
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "prep", "run", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_malformed_input(fw, tmp_path, name, prep, run, expected):
    prepared = prep(fw, tmp_path) if prep is not None else None
    before = snapshot(tmp_path)
    with pytest.raises(DataError) as info:
        run(fw, tmp_path, prepared)
    message = str(info.value)
    for text in expected:
        assert text in message, f"{text!r} not in {message!r}"
    assert snapshot(tmp_path) == before  # nothing written, nothing left behind
    # issue 16: one language per message (the messages are English: so are their locations)
    for french in ("fichier '", "feuille '", "cellule ", "ligne ", "colonne "):
        assert french not in message, f"{french!r} (French) in an English message: {message!r}"
