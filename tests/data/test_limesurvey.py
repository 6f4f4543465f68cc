"""LimeSurvey response exports (coopeval.data.read_limesurvey).

The fixtures ``tests/reference/data/limesurvey_codes.csv`` and
``limesurvey_full.csv`` are written by ``make_limesurvey_fixtures.py`` in the same
folder, mirroring LimeSurvey's "Export responses → CSV" output: every field
double-quoted, comma-separated, UTF-8 with BOM, CRLF line ends, the system
columns ``id, submitdate, lastpage, startlanguage, seed, token, startdate,
datestamp, ipaddr, refurl`` first, question-code headings such as
``G01Q01[SQ002]`` for array sub-questions (or "code. question text" headings),
a free-text question holding quotes and a line break, the ``interviewtime``
timing column, and one incomplete response (empty ``submitdate``). The "codes"
file uses answer codes (``AO01`` … ``AO05``, list answers ``A1`` … ``A3``); the
"full" file uses full answers (French labels).

The expected values below are read off the fixture definition (RESPONSES in the
generator) by hand.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError


def test_codes_and_full_answers_import_to_the_same_responses(
        fw, ref_dir, ls_mapping, ls_options, ls_codes):
    codes = ce.data.read_limesurvey(ref_dir / "limesurvey_codes.csv", fw, ls_mapping,
                                    answer_codes=ls_codes, **ls_options)
    full = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, ls_mapping,
                                   **ls_options)
    pd.testing.assert_frame_equal(codes, full)
    assert list(full.columns) == ["respondent", "unit", "wave", "college", "item", "value"]
    # 10 responses, 1 incomplete skipped, 9 mapped items each
    assert len(full) == 9 * 9
    assert full["respondent"].unique().tolist() == [f"ls{i}" for i in (1, 2, 3, 4, 5, 6, 8, 9, 10)]
    r3 = full[full["respondent"] == "ls3"].set_index("item")["value"]
    # respondent 3: salarié·e, answers 3, 4, 3, 2, (none), 3, 2, 3, 4 (raw, before reversal)
    np.testing.assert_array_equal(r3.to_numpy(), [3, 4, 3, 2, np.nan, 3, 2, 3, 4])
    assert full.loc[full["respondent"] == "ls3", "college"].unique().tolist() == ["salarie_es"]
    assert full["unit"].unique().tolist() == ["La Butinerie"]
    assert full["wave"].unique().tolist() == [2024]


def test_report_says_what_was_mapped_ignored_and_dropped(
        fw, ref_dir, ls_mapping, ls_options, ls_codes):
    resp, report = ce.data.read_limesurvey(
        ref_dir / "limesurvey_codes.csv", fw, ls_mapping, answer_codes=ls_codes,
        report=True, **ls_options)
    assert list(report.columns) == ["column", "status", "target", "reason", "n_nonempty"]
    st = report.set_index("column")
    assert st.loc["id", "status"] == "respondent"
    assert st.loc["G01Q01[SQ003]", ["status", "target"]].tolist() == [
        "mapped", "appartenance_isolement"]
    assert st.loc["G00Q01", "target"] == "college"
    for col in ("token", "ipaddr"):
        assert st.loc[col, "status"] == "dropped" and "identifier" in st.loc[col, "reason"]
    for col in ("submitdate", "lastpage", "startlanguage", "seed"):
        assert st.loc[col, "reason"] == "LimeSurvey system column"
    assert st.loc["G00Q02", "reason"] == "not in mapping"  # first names: never imported
    assert st.loc["interviewtime", "reason"] == "timing column"
    assert st.loc["(rows)", "n_nonempty"] == 1
    # answered cells among the 9 complete responses: SQ002 of G01Q02 has 2 blanks
    assert st.loc["G01Q02[SQ002]", "n_nonempty"] == 7
    assert set(report["column"]) - {"(rows)"} == set(
        pd.read_csv(ref_dir / "limesurvey_codes.csv", nrows=0, encoding="utf-8-sig").columns)


def test_code_and_text_headings_and_mapping_frame(fw, ref_dir, ls_mapping, ls_options):
    mapping = pd.DataFrame({"code": list(ls_mapping), "item": list(ls_mapping.values())})
    a = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, mapping, **ls_options)
    b = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, ls_mapping, **ls_options)
    pd.testing.assert_frame_equal(a, b)


def test_incomplete_responses_on_request(fw, ref_dir, ls_mapping, ls_options):
    out = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, ls_mapping,
                                  complete_only=False, **ls_options)
    assert out["respondent"].nunique() == 10


def test_pseudonymised_import_leaves_no_identifier(
        fw, ref_dir, ls_mapping, ls_options, ls_codes, secret):
    raw = pd.read_csv(ref_dir / "limesurvey_codes.csv", dtype=str, encoding="utf-8-sig",
                      keep_default_na=False)
    resp, report = ce.data.read_limesurvey(
        ref_dir / "limesurvey_codes.csv", fw, ls_mapping, answer_codes=ls_codes,
        secret=secret, report=True, **ls_options)
    expected_ids = {"p_" + hmac.new(secret.encode(), rid.encode(), hashlib.sha256).hexdigest()[:16]
                    for rid, done in zip(raw["id"], raw["submitdate"], strict=True) if done}
    assert set(resp["respondent"]) == expected_ids
    dump = resp.to_csv() + report.to_csv() + repr(resp.attrs)
    forbidden = set(raw["token"]) | set(raw["ipaddr"]) | {n for n in raw["G00Q02"] if n}
    forbidden |= {c for c in raw["G02Q02"] if c} | {secret}
    for value in forbidden:
        assert value not in dump, value
    assert not set(resp["respondent"]) & set(raw["id"])


def test_panel_linkage_by_token(fw, ref_dir, ls_mapping, ls_options, ls_codes, secret):
    resp = ce.data.read_limesurvey(ref_dir / "limesurvey_codes.csv", fw, ls_mapping,
                                   answer_codes=ls_codes, respondent="token", secret=secret,
                                   **ls_options)
    token1 = "tk07919Qz"  # respondent 1 of the fixture
    pseudo = "p_" + hmac.new(secret.encode(), token1.encode(), hashlib.sha256).hexdigest()[:16]
    assert pseudo in set(resp["respondent"])
    with pytest.raises(DataError, match="secret"):
        ce.data.read_limesurvey(ref_dir / "limesurvey_codes.csv", fw, ls_mapping,
                                answer_codes=ls_codes, respondent="token", **ls_options)


def test_bad_answer_located_by_line_and_column(fw, ref_dir, ls_mapping, ls_options, tmp_path):
    text = (ref_dir / "limesurvey_full.csv").read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    lines[1] = lines[1].replace('"Plutôt d\'accord"', '"Assez d\'accord"', 1)
    f = tmp_path / "results-survey-123.csv"
    f.write_text("\r\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as info:
        ce.data.read_limesurvey(f, fw, ls_mapping, **ls_options)
    (issue,) = info.value.issues
    assert issue.where == ("file 'results-survey-123.csv', line 2, column "
                           "'G01Q01[SQ001]. Appartenance [Je me sens membre à part entière de ce "
                           "collectif.]'")
    assert "agreement label" in issue.expected and "Assez" in issue.found


def test_semicolon_export_without_bom(fw, ref_dir, ls_mapping, ls_options, tmp_path):
    """LimeSurvey can also export with ';' as separator; the BOM may be absent."""
    import csv

    rows = list(csv.reader((ref_dir / "limesurvey_full.csv").read_text(
        encoding="utf-8-sig").splitlines()))
    f = tmp_path / "export-point-virgule.csv"
    with open(f, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
    a = ce.data.read_limesurvey(f, fw, ls_mapping, **ls_options)
    b = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, ls_mapping, **ls_options)
    pd.testing.assert_frame_equal(a, b)
