"""The `coopeval` command line: every subcommand, clear errors, non-zero exits, no tracebacks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import coopeval as ce
from coopeval.cli import build_parser, main
from coopeval.store.schema import SCHEMA_VERSION

BIN = Path(sys.executable).parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def subcommands() -> list[list[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    cmds = [[name] for name in sub.choices]
    fw_sub = next(a for a in sub.choices["frameworks"]._actions if a.dest == "action")
    return cmds + [["frameworks", name] for name in fw_sub.choices]


@pytest.mark.parametrize("cmd", subcommands(), ids=lambda c: " ".join(c))
def test_help_on_every_subcommand(cmd, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*cmd, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: coopeval")
    # English description, then the French one
    assert any(w in out for w in ("Crée", "Affiche", "Liste", "Valide", "Écrit", "Importe", "Calcule", "Incertitude",
                                  "Exporte", "Recrée", "Recalcule", "Sert", "Inscrit", "Ouvre", "Donne"))


def test_console_script_installed():
    out = subprocess.run([str(BIN / "coopeval"), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"coopeval {ce.__version__}"


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["score"])
    assert exit_.value.code == 2


def test_frameworks_list_show_validate(capsys, tmp_path):
    code, out, _ = run(capsys, "frameworks")
    assert code == 0 and "cooperation_territoriale" in out and "tzcld" in out
    code, out, _ = run(capsys, "frameworks", "show", "tzcld", "--lang", "en")
    assert code == 0 and len(out.splitlines()) > 10
    good = tmp_path / "bon.yaml"
    ce.load_framework("tiers_lieu").to_yaml(good)
    bad = tmp_path / "mauvais.yaml"
    bad.write_text("id: essai\ntitle_fr: Essai\ndimensions:\n  - id: Social\n    label_fr: S\n", encoding="utf-8")
    code, out, err = run(capsys, "frameworks", "validate", str(good))
    assert code == 0 and out.startswith(f"OK {good}")
    code, out, err = run(capsys, "frameworks", "validate", str(good), str(bad))
    assert code == 1
    assert f"INVALIDE / INVALID {bad}" in err and "title_en" in err and "line 4" in err


def test_init_import_score_uncertainty_report_export(capsys, tmp_path, fw):
    project = str(tmp_path / "eval.coopeval")
    code, out, _ = run(capsys, "init", project)
    assert code == 0 and Path(project).is_file()
    code, _, err = run(capsys, "init", project)  # exists: clear error, exit 1
    assert code == 1 and "no file exists yet" in err

    code, _, _ = run(capsys, "template", str(tmp_path / "saisie.xlsx"), "--units", "tera", "ptce", "--waves", "2024")
    assert code == 0 and (tmp_path / "saisie.xlsx").is_file()

    ind = fw.indicators.query("kind == 'quantitative'").head(4)
    rows = [{"unit": u, "wave": 2024, "indicator": r.indicator, "value": (r.lower + r.upper) / (2 + k)}
            for k, u in enumerate(["tera", "ptce", "ressourcerie"]) for r in ind.itertuples()]
    good = tmp_path / "obs.csv"
    pd.DataFrame(rows).to_csv(good, index=False)
    bad = tmp_path / "obs_bad.csv"
    pd.DataFrame(rows).assign(value=lambda d: d["value"].astype(object).where(d.index != 5, "beaucoup")).to_csv(
        bad, index=False)
    code, _, err = run(capsys, "import", project, str(bad))
    assert code == 1 and "beaucoup" in err
    assert ce.Project.open(project).counts()["observations"] == 0  # nothing written
    code, out, err = run(capsys, "import", project, str(good))
    assert code == 0 and "12 lignes importées" in out and "12/12" in err  # progress bar
    code, out, _ = run(capsys, "import", project, str(tmp_path / "absent.csv"))
    assert code == 1

    code, out, _ = run(capsys, "score", project, "--out", str(tmp_path / "scores.csv"))
    assert code == 0
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert {"unit", "wave", "level", "node", "score"} <= set(scores.columns)
    p = ce.Project.open(project)
    rid = int(p.results()["id"].iloc[-1])
    assert p.verify(rid)  # the stored score recomputes identically

    code, out, _ = run(capsys, "uncertainty", project, "-n", "200", "--seed", "3", "--out", str(tmp_path / "mc.csv"))
    assert code == 0 and (tmp_path / "mc.csv").is_file()
    assert p.results()["kind"].tolist() == ["score", "uncertainty"]
    spec = p.results()["params"].iloc[-1]["spec"]
    assert (spec["n"], spec["seed"]) == (200, 3) and spec["weights"]["kind"] == "framework"
    rid_mc = int(p.results()["id"].iloc[-1])
    code, out, _ = run(capsys, "recompute", project, str(rid_mc))  # same seed, same data: identical
    assert code == 0 and "à l'identique" in out

    code, _, _ = run(capsys, "report", project, str(tmp_path / "r.html"), "--unit", "tera", "--wave", "2024")
    assert code == 0 and "<html" in (tmp_path / "r.html").read_text(encoding="utf-8")[:500]

    code, _, _ = run(capsys, "export", project, str(tmp_path / "export"))
    assert code == 0 and (tmp_path / "export" / "project.yaml").is_file()
    copy = str(tmp_path / "copie.coopeval")
    code, out, _ = run(capsys, "import-project", str(tmp_path / "export"), copy)
    assert code == 0
    q = ce.Project.open(copy)
    assert q.counts()["observations"] == 12 and q.verify(rid)
    code, out, _ = run(capsys, "info", copy)
    assert code == 0 and f"schema version: {SCHEMA_VERSION}" in out
    assert q.verify(rid_mc)
    # new data: the stored Monte Carlo summary no longer recomputes identically, exit 1
    q.import_observations(pd.DataFrame({"unit": ["nouvelle"], "wave": ["2024"], "indicator": [ind.indicator.iloc[0]],
                                        "value": [ind.lower.iloc[0]]}))
    code, _, err = run(capsys, "recompute", copy, str(rid_mc))
    assert code == 1 and "DIFFERS" in err


def test_open_missing_project_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "info", str(tmp_path / "absent.coopeval"))
    assert code == 1 and "existing project file" in err


def test_serve_without_notebooks_says_so(capsys, tmp_path):
    (tmp_path / "vide").mkdir()
    code, _, err = run(capsys, "serve", "--dashboards", str(tmp_path / "vide"), "--no-browser")
    assert code == 1 and "no dashboard notebook" in err and "aucun tableau de bord" in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_runs_voila_with_project(tmp_path):
    """`coopeval serve` runs Voilà on a dashboards folder; the notebook sees COOPEVAL_PROJECT,
    and a missing project is created as the sample project."""
    import nbformat

    folder = tmp_path / "dashboards"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os, coopeval as ce\n"
        "p = ce.Project.open(os.environ['COOPEVAL_PROJECT'], role='collective')\n"
        "print('PROJET=' + os.environ['COOPEVAL_PROJECT'], 'UNITES=%d' % p.counts()['units'])")]
    nbformat.write(nb, folder / "sonde.ipynb")
    project = tmp_path / "exemple.coopeval"
    port = _free_port()
    proc = subprocess.Popen([str(BIN / "coopeval"), "serve", str(project), "--port", str(port), "--no-browser",
                             "--dashboards", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=dict(os.environ, MPLBACKEND="Agg"))
    try:
        html, deadline = "", time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/sonde.ipynb", timeout=60) as r:
                    html = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert f"PROJET={project}" in html
        n_units = len(ce.datasets.load("panel_synthetique", table="units"))
        assert f"UNITES={n_units}" in html
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert json.loads(json.dumps(ce.Project.open(project).counts()))["units"] == n_units


def test_session_participants_round(capsys, tmp_path):
    project = str(tmp_path / "p.coopeval")
    ce.Project.create(project, framework="cooperation_territoriale").close()
    roster = tmp_path / "liste.csv"
    pd.DataFrame({"participant": ["ana", "bea"], "college": ["habitants", "elus"]}).to_csv(roster, index=False)
    assert run(capsys, "session", project, "atelier", "--title", "Atelier")[0] == 0
    tokens_csv = tmp_path / "jetons.csv"
    code, out, _ = run(capsys, "participants", project, "atelier", str(roster), "--tokens", str(tokens_csv))
    assert code == 0 and oct(tokens_csv.stat().st_mode & 0o777) == "0o600"
    tokens = pd.read_csv(tokens_csv).set_index("participant")["token"]
    code, _, err = run(capsys, "participants", project, "atelier", str(roster), "--tokens", str(tokens_csv))
    assert code == 1 and "never overwritten" in err
    code, _, _ = run(capsys, "round", project, "atelier", "1", "open", "--methods", "habitants=points",
                     "elus=direct")
    assert code == 0
    p = ce.Project.open(project)
    assert p.rounds("atelier")["methods"].iloc[0] == {"habitants": "points", "elus": "direct"}
    dims = ce.load_framework("cooperation_territoriale").dimension_ids
    p.submit(tokens["ana"], pd.DataFrame({"node": dims, "value": [40] + [10] * 6}))
    code, out, _ = run(capsys, "round", project, "atelier", "1", "close")
    assert code == 0 and "1 submissions" in out
    code, _, err = run(capsys, "round", project, "atelier", "1", "close")
    assert code == 1 and "found none" in err
    assert p.audit().query("action == 'close_round'")["role"].tolist() == ["facilitator"]
    # a lost link: re-issued, the old one revoked (issue 23)
    new_csv = tmp_path / "nouveau.csv"
    code, _, _ = run(capsys, "reissue", project, "atelier", "bea", "--tokens", str(new_csv))
    new = pd.read_csv(new_csv)["token"].iloc[0]
    assert code == 0 and p.token_info(tokens["bea"]).status == "revoked" and p.token_info(new).participant == "bea"


LIMESURVEY = """\ufeff"id","submitdate","lastpage","startlanguage","token","ipaddr","G01Q01[SQ001]","G01Q01[SQ002]","G02Q01"
"1","2024-05-02 10:11:12","3","fr","tkAnaXq9","192.0.2.1","Plutôt d'accord","Tout à fait d'accord","merci"
"2","2024-05-02 11:00:00","3","fr","tkBeaYr7","192.0.2.2","Pas du tout d'accord","","bravo"
"3","","1","fr","tkCemZs5","192.0.2.3","Plutôt d'accord","",""
"4","2024-05-03 09:30:00","3","fr","tkDioWt3","192.0.2.4","Ni d'accord ni pas d'accord","Plutôt pas d'accord",""
"""


def test_import_limesurvey_export(capsys, tmp_path):
    """A LimeSurvey export is mapped, reported, pseudonymised and stored; tokens never reach the file."""
    project = str(tmp_path / "eval.coopeval")
    assert run(capsys, "init", project)[0] == 0
    export = tmp_path / "results-survey123.csv"
    export.write_text(LIMESURVEY, encoding="utf-8")
    mapping = tmp_path / "correspondance.csv"
    mapping.write_text("code,item\nG01Q01[SQ001],appartenance_membre\nG01Q01[SQ002],appartenance_fierte\nG02Q01,\n",
                       encoding="utf-8")
    code, out, err = run(capsys, "import", project, str(export), "--limesurvey", str(mapping), "--unit", "tera",
                         "--wave", "2024", "--college", "habitants", "--respondent", "token")
    assert code == 0, err
    report = out[out.index("column"):]
    for line in ("G01Q01[SQ001]  mapped  appartenance_membre", "token  respondent  respondent  keyed hash",
                 "ipaddr  dropped",
                 "G02Q01  ignored", "rows skipped"):
        assert " ".join(line.split()) in " ".join(report.split()), line
    assert "6 lignes importées / rows imported (responses)" in out
    p = ce.Project.open(project)
    r = p.responses().sort_values(["respondent", "item"])
    assert len(r) == 6 and set(r["unit"]) == {"tera"} and set(r["wave"]) == {"2024"}
    # response 3 (incomplete) skipped; agreement labels on the 1-5 scale (Plutôt d'accord = 4)
    by_resp = r.groupby("respondent")["value"].apply(lambda v: sorted(v.fillna(0).tolist()))
    assert sorted(by_resp.tolist()) == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    assert not {"tkAnaXq9", "1", "ls1"} & set(r["respondent"])
    raw = Path(project).read_bytes() + (Path(project + "-wal").read_bytes() if Path(project + "-wal").exists() else b"")
    assert b"tkAnaXq9" not in raw and b"192.0.2.1" not in raw
    # the next wave, same tokens: the same pseudonyms (waves linked), nothing personal kept
    code, out, _ = run(capsys, "import", project, str(export), "--limesurvey", str(mapping), "--unit", "tera",
                       "--wave", "2025", "--college", "habitants", "--respondent", "token")
    assert code == 0
    r = p.responses()
    assert set(r.query("wave == '2024'")["respondent"]) == set(r.query("wave == '2025'")["respondent"])
    # a mapping naming an unknown item: clear error, nothing written
    mapping.write_text("code,item\nG01Q01[SQ001],appartenance_inconnue\n", encoding="utf-8")
    before = p.counts()
    code, _, err = run(capsys, "import", project, str(export), "--limesurvey", str(mapping), "--unit", "tera",
                       "--wave", "2026", "--college", "habitants")
    assert code == 1 and "appartenance_inconnue" in err
    assert p.counts() == before


def test_import_resources(capsys, tmp_path):
    project = str(tmp_path / "eval.coopeval")
    assert run(capsys, "init", project)[0] == 0
    good = tmp_path / "ressources.csv"
    good.write_text("unit;wave;source;category;amount;unit_of_measure\n"
                    "tera;2024;ventes de biens et services;marchand;12 500,50;euros\n"
                    "tera;2024;subvention Région;non_marchand;30000;euros\n"
                    "tera;2024;bénévolat;non_monetaire;1 200;h\n", encoding="utf-8")
    code, out, err = run(capsys, "import", project, str(good), "--kind", "resources")
    assert code == 0, err
    assert "3 lignes importées / rows imported (resources)" in out
    p = ce.Project.open(project)
    back = p.resources()
    assert back["amount"].tolist() == [12500.5, 30000.0, 1200.0]  # French number formats read
    assert back["category"].tolist() == ["marchand", "non_marchand", "non_monetaire"]
    bad = tmp_path / "ressources_2025.csv"
    bad.write_text("unit,wave,source,category,amount,unit_of_measure\n"
                   "tera,2025,ventes,marchand,100,euros\n"
                   "tera,2025,mécénat,philanthropie,beaucoup,euros\n", encoding="utf-8")
    code, _, err = run(capsys, "import", project, str(bad), "--kind", "resources")
    assert code == 1
    assert "ressources_2025.csv, line 3" in err and "'philanthropie'" in err and "'beaucoup'" in err
    assert len(p.resources()) == 3
    code, out, _ = run(capsys, "info", project)
    assert "resources: 3" in out


def test_template_in_english(capsys, tmp_path):
    import openpyxl

    out = tmp_path / "entry.xlsx"
    code, _, _ = run(capsys, "template", str(out), "--units", "tera", "--waves", "2024", "--lang", "en")
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert "Data" in book.sheetnames and "Saisie" not in book.sheetnames
    with pytest.raises(SystemExit) as info:  # argparse refuses the choice, exit status 2
        main(["template", str(tmp_path / "x.xlsx"), "--waves", "2024", "--lang", "de"])
    assert info.value.code == 2 and not (tmp_path / "x.xlsx").exists()


def test_serve_on_the_network_derives_links_and_warns(capsys, tmp_path, monkeypatch):
    """`coopeval serve --host 0.0.0.0`: Voilà listens on every interface with idle kernels culled,
    the public address given to the pages is the one served (or COOPEVAL_PUBLIC_URL), the
    facilitator secret is created and shown once, and a warning says the server is reachable."""
    import coopeval.cli as cli

    project = tmp_path / "p.coopeval"
    ce.Project.create(project, framework="cooperation_territoriale").close()
    seen = {}
    monkeypatch.setattr(cli.os, "execve", lambda exe, cmd, env: seen.update(cmd=cmd, env=env))
    monkeypatch.delenv("COOPEVAL_PUBLIC_URL", raising=False)
    code, _, err = run(capsys, "serve", str(project), "--host", "0.0.0.0", "--port", "8911", "--no-browser")
    assert code == 0
    assert "--Voila.ip=0.0.0.0" in seen["cmd"] and "--port=8911" in seen["cmd"] and "--template=coopeval" in seen["cmd"]
    assert "--MappingKernelManager.cull_idle_timeout=300" in seen["cmd"]
    url = seen["env"]["COOPEVAL_PUBLIC_URL"]
    assert url.startswith("http://") and url.endswith(":8911") and "0.0.0.0" not in url
    assert url in err and "ATTENTION" in err and "réseau local" in err
    secret = next(line.rsplit(": ", 1)[1] for line in err.splitlines() if "facilitator secret (new" in line)
    p = ce.Project.open(project)
    assert p.facilitator_login(secret) is not None  # stored hashed, usable
    # a second start keeps the secret; on this machine only: no warning; COOPEVAL_PUBLIC_URL wins
    monkeypatch.setenv("COOPEVAL_PUBLIC_URL", "https://atelier.example.org/")
    code, _, err = run(capsys, "serve", str(project), "--port", "8912", "--no-browser")
    assert code == 0 and "ATTENTION" not in err and "(new" not in err and "--Voila.ip=127.0.0.1" in seen["cmd"]
    assert seen["env"]["COOPEVAL_PUBLIC_URL"] == "https://atelier.example.org"
    code, out, _ = run(capsys, "secret", str(project), "--secret", "un nouveau code long")
    assert code == 0 and p.facilitator_login("un nouveau code long") is not None


def test_export_help_says_what_it_exports_and_the_risk(capsys, tmp_path):
    """Issue 16: ``--include-secrets`` kept its old help (« also export the pseudonymisation key »)
    although the key is never exported. The help now says, French first, that the option is refused,
    why (re-identification from candidate e-mails) and what to do; the command's help says the folder
    holds individual data without small-group protection. Then the behaviour it describes is checked."""
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = " ".join(capsys.readouterr().out.split())    # argparse wraps lines
    opt = out[out.index("--include-secrets "):]
    fr, en = opt.index("refusé : la clé de pseudonymisation n'est jamais exportée"), opt.index("refused:")
    assert fr < en                                      # French first
    assert "ré-identifier les répondant·es" in opt and "re-identifies respondents" in opt
    assert "copiez le fichier de clé" in opt
    assert "also export the pseudonymisation key" not in out
    assert out.index("données individuelles comprises") < out.index("individual data included")
    assert "Aucune protection des petits groupes" in out and "ne le publiez pas" in out
    # the behaviour the help describes
    project = tmp_path / "exemple.coopeval"
    ce.Project.create_sample(project).close()
    key = (tmp_path / "exemple.coopeval.key").read_text().strip()
    code, _, err = run(capsys, "export", str(project), str(tmp_path / "avec"), "--include-secrets")
    assert code == 1 and "never exported" in err and not (tmp_path / "avec").exists()
    code, _, _ = run(capsys, "export", str(project), str(tmp_path / "sans"))
    assert code == 0
    files = [f for f in (tmp_path / "sans").rglob("*") if f.is_file()]
    assert files and not any(key in f.read_text(encoding="utf-8", errors="ignore") for f in files)
    judgements = pd.read_csv(tmp_path / "sans" / "judgements.csv")
    assert judgements["participant"].nunique() > 1      # individual data, as the help warns


def test_cli_scores_refuse_voices_that_isolate_a_small_college(capsys, tmp_path):
    """Issue 16, the CLI door: statutory voices stored with a session are applied by the same rule
    as every other door — a college of 3 cannot get a voice of its own (its weights would come out
    against equal voices), in any group of sibling nodes; giving every pooled college one share is accepted."""
    from coopeval.store.sample import _replay

    project = tmp_path / "exemple.coopeval"
    p = ce.Project.create_sample(project)
    j = ce.datasets.load("deliberation_exemple")
    j = j[(j["round"] == 2) & ~j["participant"].isin(
        j.loc[j["college"] == "collectivites", "participant"].unique()[:2])].assign(session="petit")
    _replay(p, j, p.framework().hash)
    voices = {"habitants": 0.3, "salarie_es": 0.2, "benevoles": 0.2, "collectivites": 0.1, "financeurs": 0.2}
    p.set_college_shares("petit", voices)
    p.close()
    code, _, err = run(capsys, "score", str(project), "--session", "petit", "--round", "2")
    assert code == 1 and "pooled to protect small groups (benevoles, collectivites) in the group 'overall'" in err
    # the block moves as one for the dimensions — but at most 3 people per college weighted the criteria
    # of « Social »: there every college is pooled, so only equal voices pass (the rule per group)
    p = ce.Project.open(project)
    p.set_college_shares("petit", {**voices, "benevoles": 0.15, "collectivites": 0.15})
    p.close()
    code, _, err = run(capsys, "score", str(project), "--session", "petit", "--round", "2")
    assert code == 1 and "in the group 'social'" in err and "dans le groupe « social »" in err
    p = ce.Project.open(project)
    p.set_college_shares("petit", dict.fromkeys(voices, 0.2))
    p.close()
    code, out, _ = run(capsys, "score", str(project), "--session", "petit", "--round", "2",
                       "--out", str(tmp_path / "s.csv"))
    assert code == 0 and (tmp_path / "s.csv").is_file()


def _unreadable_links(project: Path, secret: str) -> tuple[int, int]:
    """(links listed, links the facilitator page shows as unreadable: token None) over every session."""
    p = ce.Project.open(project)
    try:
        key = p.facilitator_login(secret)
        links = pd.concat([p.issued_links(s, key) for s in p.sessions()["session"]])
    finally:
        p.close()
    return len(links), int(links["token"].isna().sum())


def test_sample_links_readable_after_serve_and_init(capsys, tmp_path, monkeypatch):
    """User test: on a fresh `make run` the facilitator page listed every sample link as
    « illisible (émis avant le code actuel) ». The sample issued its links before any facilitator
    secret existed (so without the key that encrypts them), then serve created the secret. The
    secret now exists before the sample issues its links, by `serve` and by `init --sample`."""
    import coopeval.cli as cli

    monkeypatch.setattr(cli.os, "execve", lambda exe, cmd, env: None)
    project = tmp_path / "served.sqlite"
    code, _, err = run(capsys, "serve", str(project), "--no-browser")
    assert code == 0
    secret = next(line.rsplit(": ", 1)[1] for line in err.splitlines() if "facilitator secret (new" in line)
    n, unreadable = _unreadable_links(project, secret)
    assert n > 0 and unreadable == 0
    code, _, err = run(capsys, "serve", str(project), "--no-browser")  # a second start keeps the secret
    assert code == 0 and "(new" not in err
    code, out, _ = run(capsys, "init", str(tmp_path / "init.sqlite"), "--sample")
    assert code == 0
    secret = next(line.rsplit(": ", 1)[1] for line in out.splitlines() if "facilitator secret (new" in line)
    assert _unreadable_links(tmp_path / "init.sqlite", secret) == (n, 0)
    code, out, _ = run(capsys, "init", str(tmp_path / "init.sqlite"), "--sample")  # reopened: no new secret
    assert code == 0 and "facilitator secret" not in out


def test_recompute_tells_rounding_from_a_change(capsys, tmp_path, monkeypatch):
    """`coopeval recompute` exits 1 on any difference, and says whether it is rounding alone (equal
    within 1e-12: another machine?), which `--rtol 1e-12` accepts, or a real change, from a single
    recomputation (`Project.verification`)."""
    import numpy as np

    project = tmp_path / "p.coopeval"
    p = ce.Project.create(project, framework="cooperation_territoriale")
    obs = ce.datasets.load("panel_synthetique")["observations"]
    p.import_observations(obs[obs["unit"].isin(sorted(obs["unit"].unique())[:3])])
    exact, rid = p.score()
    p.close()
    code, out, _ = run(capsys, "recompute", str(project), str(rid))
    assert code == 0 and "à l'identique / identically" in out
    ulp = exact.assign(score=np.nextafter(exact["score"], np.inf))
    calls, reads = [], []
    monkeypatch.setattr(ce.Project, "recompute", lambda self, _rid: calls.append(_rid) or ulp)
    read = ce.Project.result
    monkeypatch.setattr(ce.Project, "result", lambda self, _rid: reads.append(_rid) or read(self, _rid))
    code, _, err = run(capsys, "recompute", str(project), str(rid))
    assert code == 1 and "arrondis seulement" in err and "rounding only" in err and "(score)" in err
    assert calls == [rid]  # told from one recomputation, not a second one
    assert reads == [rid]  # the stored table read once (the kind comes from the list of results)
    code, out, _ = run(capsys, "recompute", str(project), str(rid), "--rtol", "1e-12")
    assert code == 0 and "à 1e-12 près / within 1e-12" in out
    moved = exact.assign(score=exact["score"] + 0.5)
    monkeypatch.setattr(ce.Project, "recompute", lambda self, _rid: moved)
    code, _, err = run(capsys, "recompute", str(project), str(rid), "--rtol", "1e-12")
    assert code == 1 and "code changés depuis" in err and "arrondis" not in err
    code, _, err = run(capsys, "recompute", str(project), str(rid), "--rtol", "0.5")
    assert code == 1 and "parameter `rtol`" in err
