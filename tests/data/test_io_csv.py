"""CSV import of observations and responses (coopeval.data.read_csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError


def test_semicolon_french_decimals_and_line_numbers(fw, tmp_path):
    f = tmp_path / "obs.csv"
    f.write_text(
        "unit;wave;indicator;value;source\n"
        "TERA;2023;emplois_etp;12,5;bilan\n"
        "\n"
        "TERA;2024;emplois_etp;14;bilan\n"
        "TERA;2024;part_cdi;;\n", encoding="utf-8")
    out = ce.data.read_csv(f, fw)
    expected = pd.DataFrame({"unit": ["TERA"] * 3, "wave": [2023, 2024, 2024],
                             "indicator": ["emplois_etp", "emplois_etp", "part_cdi"],
                             "value": [12.5, 14.0, np.nan], "source": ["bilan", "bilan", None]})
    pd.testing.assert_frame_equal(out, expected)


def test_errors_name_file_and_line(fw, tmp_path):
    f = tmp_path / "obs.csv"
    f.write_text(
        'unit,wave,indicator,value\n'
        'TERA,2024,emplois_etp,12\n'
        '"TERA","2024","part_cdi","1,5"\n'      # line 3: 1.5 > 1 (quoted French decimal)
        'TERA,2024,inconnu,1\n'                 # line 4: unknown indicator
        'TERA,2024\n', encoding="utf-8")        # line 5: wrong number of fields
    with pytest.raises(DataError) as info:
        ce.data.read_csv(f, fw)
    wheres = sorted(i.where for i in info.value.issues)
    assert wheres == ["file 'obs.csv', line 3", "file 'obs.csv', line 4",
                      "file 'obs.csv', line 5"]
    res = ce.data.read_csv(f, fw, strict=False)
    assert res.data["indicator"].tolist() == ["emplois_etp"] and len(res.errors) == 3


def test_multiline_field_keeps_line_numbers(fw, tmp_path):
    f = tmp_path / "resp.csv"
    f.write_text(
        "respondent,unit,wave,college,item,value,comment\n"
        'r1,TERA,2024,habitants,qvt_sens,4,"deux\nlignes"\n'
        "r1,TERA,2024,habitants,qvt_charge,9,\n", encoding="utf-8")  # starts on line 4
    with pytest.raises(DataError) as info:
        ce.data.read_csv(f, fw, kind="responses")
    assert info.value.issues[0].where == "file 'resp.csv', line 4"


def test_responses_with_labels(fw, tmp_path):
    f = tmp_path / "resp.csv"
    f.write_text("respondent\tunit\twave\tcollege\titem\tvalue\n"
                 "r1\tTERA\t2024\thabitants\tqvt_sens\tPlutôt d'accord\n", encoding="utf-8-sig")
    out = ce.data.read_csv(f, fw, kind="responses")
    assert out["value"].tolist() == [4.0] and out["wave"].tolist() == [2024]
