"""Coded transcripts: the inline syntax, two coders, and every error with its line."""

from __future__ import annotations

import pandas as pd
import pytest

from coopeval.errors import DataError
from coopeval.qualitative import parse_transcript, read_extracts, read_transcripts

HEAD = """unit: u01
wave: 2
date: 2025-03-14
source: entretien_07
coder: {coder}
speaker Alice: habitants, oui
speaker Bruno: salarie_es, non
interviewer: Enquêtrice
"""
BODY = """
Enquêtrice : Qu'est-ce qui a changé pour vous ?
Alice : Au début je ne connaissais personne. [[code: lien_social]]
Maintenant on s'entraide. [[code: entraide]]
Bruno : Les AG, c'est toujours les mêmes. [[code: participation_ag, decisions_petit_groupe]]
"""


def test_parse_turns_speakers_and_codes():
    out = parse_transcript(HEAD.format(coder="c1") + BODY, where="e07.txt")
    ex = out["extracts"]
    assert ex["extract"].tolist() == ["entretien_07_1", "entretien_07_2"]  # the interviewer's turn is skipped
    assert ex["text"].tolist() == ["Au début je ne connaissais personne. Maintenant on s'entraide.",
                                   "Les AG, c'est toujours les mêmes."]
    assert ex["college"].tolist() == ["habitants", "salarie_es"] and ex["consent"].tolist() == [True, False]
    assert ex["wave"].tolist() == [2, 2]
    assert out["codes"].values.tolist() == [
        ["entretien_07_1", "lien_social", "c1"], ["entretien_07_1", "entraide", "c1"],
        ["entretien_07_2", "participation_ag", "c1"], ["entretien_07_2", "decisions_petit_groupe", "c1"]]


def test_errors_name_file_and_line():
    bad = HEAD.format(coder="c1").replace("speaker Bruno: salarie_es, non", "speaker Bruno: salarie_es") + """
Alice : Bonjour [[code: Lien Social]]
Chloé : Je passais par là.
"""
    with pytest.raises(DataError) as info:
        parse_transcript(bad, where="e07.txt")
    where = {(i.where, i.key) for i in info.value.issues}
    assert ("e07.txt, line 7", "speaker Bruno") in where
    assert ("e07.txt, line 10", "code") in where
    assert ("e07.txt, line 11", "speaker") in where


def test_missing_unit_and_bad_brackets():
    with pytest.raises(DataError) as info:
        parse_transcript("wave: 1\nspeaker A: habitants, oui\n\nA : texte [[lien_social]]\n", where="x.txt")
    keys = {i.key for i in info.value.issues}
    assert keys == {"unit", "code"}


def test_folder_with_two_coders(tmp_path):
    (tmp_path / "e07_c1.txt").write_text(HEAD.format(coder="c1") + BODY, encoding="utf-8")
    (tmp_path / "e07_c2.txt").write_text(HEAD.format(coder="c2") + BODY.replace(", decisions_petit_groupe", ""),
                                         encoding="utf-8")
    out = read_transcripts(tmp_path)
    assert len(out["extracts"]) == 2
    assert out["codes"].groupby("coder").size().to_dict() == {"c1": 4, "c2": 3}
    # copies whose texts differ are refused
    (tmp_path / "e07_c3.txt").write_text(HEAD.format(coder="c3") + BODY.replace("mêmes", "autres"), encoding="utf-8")
    with pytest.raises(DataError, match="same text"):
        read_transcripts(tmp_path)


def test_empty_folder(tmp_path):
    with pytest.raises(DataError, match="folder"):
        read_transcripts(tmp_path)
    with pytest.raises(DataError, match="folder"):
        read_transcripts(tmp_path / "absent")


def test_read_csv_and_excel(tmp_path):
    table = pd.DataFrame({"extract": ["e1", "e2"], "unit": ["u01", "u01"], "wave": [1, 1],
                          "source": ["entretien_1", "focus"], "date": ["2024-03-01", None],
                          "speaker": ["s1", "s2"], "college": ["habitants", None], "consent": ["oui", "non"],
                          "text": ["On s'entraide.", "Les AG sont longues."], "codes": ["entraide; lien_social", None]})
    csv = tmp_path / "extraits.csv"
    table.to_csv(csv, index=False, sep=";")
    out = read_extracts(csv)
    assert out["extracts"]["consent"].tolist() == [True, False]
    assert out["codes"].values.tolist() == [["e1", "entraide", "c1"], ["e1", "lien_social", "c1"]]
    book = pd.DataFrame({"code": ["entraide", "lien_social"], "label_fr": ["Entraide", "Lien social"],
                         "label_en": ["Mutual help", "Social ties"], "node": ["nouvelles_relations", "lien_social"]})
    xlsx = tmp_path / "extraits.xlsx"
    with pd.ExcelWriter(xlsx) as w:
        table.to_excel(w, sheet_name="extraits", index=False)
        book.to_excel(w, sheet_name="codebook", index=False)
        pd.DataFrame({"extract": ["e2"], "code": ["entraide"], "coder": ["c2"]}).to_excel(w, sheet_name="codes",
                                                                                           index=False)
    out = read_extracts(xlsx)
    assert out["codebook"]["node"].tolist() == ["nouvelles_relations", "lien_social"]
    assert len(out["codes"]) == 3 and out["codes"]["coder"].tolist()[-1] == "c2"


def test_extract_errors(tmp_path):
    table = pd.DataFrame({"extract": ["e1", "e1"], "unit": ["u01", None], "wave": [1, 1], "speaker": ["s1", "s2"],
                          "consent": ["peut-être", "oui"], "text": ["écrire à jean@example.org", "ok"]})
    path = tmp_path / "x.csv"
    table.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_extracts(path)
    found = {(i.where, i.key) for i in info.value.issues}
    assert found == {("x.csv, line 2", "consent"), ("x.csv, line 2", "text"), ("x.csv, line 3", "unit"),
                     ("x.csv, line 2", "extract"), ("x.csv, line 3", "extract")}
