"""One truth: the same project read through every door gives the same numbers.

Doors: Python (:class:`coopeval.Evaluation`), the project store (``Project.score``, the stored
result and its recomputation from the stored specification), the command line (``coopeval
score`` and ``coopeval report``), the HTML restitution report, and the restitution dashboard
served by Voilà and read in headless Chromium. Exact to 1e-9 where numbers are written as
numbers; to display rounding (one decimal, French) where a person reads them.

Two projects: the bundled sample project (``make run``), and a second one with survey data,
two deliberation sessions (the later one carrying statutory college voices) — where the
default weight source is the latest closed round of the latest session, not the oldest.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.i18n import fmt

UNIT_NAME, WAVE = "La Ruche des Coteaux", 3
LEVELS = ["overall", "dimension", "criterion"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "coopeval.cli", *args], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return out


def _number(text: str) -> float:
    return float(text.replace("\u202f", "").replace("−", "-").replace(",", "."))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("doors") / "exemple.sqlite"
    ce.Project.create_sample(path).close()
    return path


@pytest.fixture(scope="module")
def two_sessions(tmp_path_factory):
    """Survey data, a first session (round 1 only, equal voices) and a later one (rounds 1-2,
    statutory SCIC voices 40/20/20/10/10)."""
    from coopeval.store.sample import _replay

    path = tmp_path_factory.mktemp("doors2") / "scic.sqlite"
    p = ce.Project.create(path)
    fw_hash = p.add_framework("cooperation_territoriale")
    panel = ce.datasets.load("panel_synthetique")
    keep = sorted(panel["units"]["unit"])[:6]
    p.add_units(panel["units"].loc[panel["units"]["unit"].isin(keep), ["unit", "name", "type", "territory"]])
    p.import_observations(panel["observations"][panel["observations"]["unit"].isin(keep)], fw_hash)
    p.import_responses(panel["responses"][panel["responses"]["unit"].isin(keep)], fw_hash)
    j = ce.datasets.load("deliberation_exemple")
    _replay(p, j[j["round"] == 1].assign(session="atelier_2024"), fw_hash)
    _replay(p, j.assign(session="atelier_2025"), fw_hash)
    voices = {"habitants": 40, "salarie_es": 20, "benevoles": 20, "collectivites": 10, "financeurs": 10}
    p.set_college_shares("atelier_2025", voices)
    # three people per college weighted the criteria of « Social » (deliberation_exemple): with the default
    # minimum of five, every college is pooled there and statutory voices are refused (issue 16, per group)
    p.set_setting("min_group_size", 3)
    p.close()
    return path, voices


def _python(path: Path) -> pd.DataFrame:
    return ce.Evaluation.from_project(ce.Project.open(path)).scores()


def _levels(df: pd.DataFrame) -> pd.DataFrame:
    out = df[df["level"].isin(LEVELS)][["unit", "wave", "level", "node", "score"]]
    out = out.assign(unit=out["unit"].astype(str), wave=out["wave"].astype(str))
    return out.sort_values(["unit", "wave", "level", "node"]).reset_index(drop=True)


def _report_numbers(html: str) -> dict[str, float]:
    table = html.split('<table class="ce-scores">', 1)[1].split("</table>", 1)[0]
    return {node: _number(v) for node, v in re.findall(r'data-node="([^"]+)"><td>[^<]*</td><td class="num">([^<]+)<',
                                                     table)}


@pytest.mark.parametrize("which", ["sample", "two_sessions"])
def test_python_store_cli_and_report_agree(which, request, tmp_path):
    fixture = request.getfixturevalue(which)
    path = fixture if which == "sample" else fixture[0]
    ev = ce.Evaluation.from_project(ce.Project.open(path))
    python = ev.scores()
    # the store: the result, what it stored, and its recomputation from the stored specification
    p = ce.Project.open(path)
    stored, rid = p.score()
    assert p.verify(rid)
    assert p.result(rid).params["spec"] == ev.spec.to_dict()
    for other in (stored, p.result(rid).table, p.recompute(rid)):
        pd.testing.assert_frame_equal(_levels(other), _levels(python), check_exact=False, rtol=0, atol=1e-9)
    # the command line writes the same table
    out = tmp_path / "scores.csv"
    _cli("score", str(path), "--out", str(out))
    cli = pd.read_csv(out)
    pd.testing.assert_frame_equal(_levels(cli), _levels(python), check_exact=False, rtol=0, atol=1e-9,
                                  check_dtype=False)
    # the CLI report (a name for --unit) and the report of the Python door are the same document
    unit = ev.unit_id(UNIT_NAME)
    html_cli = tmp_path / "cli.html"
    _cli("report", str(path), str(html_cli), "--unit", UNIT_NAME, "--wave", str(WAVE))
    doc_cli = html_cli.read_text(encoding="utf-8")
    doc_py = ce.report.restitution(ev, unit, WAVE)
    strip = re.compile(r'src="data:image/[^"]+"')  # images are re-rendered: compare everything else
    assert strip.sub("", doc_cli) == strip.sub("", doc_py)
    shown = _report_numbers(doc_cli)
    mine = python[(python["unit"] == unit) & (python["wave"] == ev.wave(WAVE))].set_index("node")["score"]
    assert shown.keys() == {n for n in mine.index if n in set(ev.fw.nodes.query("level != 'indicator'")["node"])}
    for node, value in shown.items():
        assert value == pytest.approx(round(mine[node], 1), abs=1e-9), node
    assert fmt(mine["overall"], "fr") + " / 100" in doc_cli
    # one wave asked for (`--wave`): the same numbers as that wave of the whole evaluation, relative
    # goalposts included (each cooperation's baseline is its first wave, issue 22)
    out3 = tmp_path / "wave.csv"
    _cli("score", str(path), "--wave", str(WAVE), "--out", str(out3))
    wave = _levels(python)[lambda d: d["wave"] == str(ev.wave(WAVE))].reset_index(drop=True)
    pd.testing.assert_frame_equal(_levels(pd.read_csv(out3)), wave, check_exact=False, rtol=0, atol=1e-9,
                                  check_dtype=False)
    # and the Monte Carlo of that wave alone is that wave of the Monte Carlo of every wave
    one = p.evaluation(waves=[WAVE]).uncertainty(n=100, seed=3).summary
    every = ev.uncertainty(n=100, seed=3).summary
    every = every[every["wave"].astype(str) == str(ev.wave(WAVE))].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), every, check_exact=False, rtol=0, atol=1e-9,
                                  check_dtype=False)


def test_default_is_latest_closed_round_of_latest_session_with_its_voices(two_sessions):
    path, voices = two_sessions
    ev = ce.Project.open(path).evaluation()
    src = ev.spec.weights
    assert (src.session, src.round) == ("atelier_2025", 2)
    assert src.college_shares == {k: float(v) for k, v in voices.items()}
    # the voices change the numbers: equal voices give other weights
    equal = ce.Project.open(path).evaluation(college_shares={c: 1 for c in voices})
    assert not np.allclose(ev.dimension_weights(), equal.dimension_weights())
    # the statutory voices are the ones aggregate() applies
    ws = ce.weighting.aggregate(ce.Project.open(path).judgements("atelier_2025", 2), ev.fw, by="college",
                                college_shares={c: v / 100 for c, v in voices.items()}, min_group=3)
    np.testing.assert_allclose(ev.dimension_weights(), ws.local[ev.fw.dimension_ids], rtol=0, atol=1e-12)
    sentence = ce.i18n.provenance(ev.provenance(), "fr")[0]
    assert "tour 2, par 25 participant·es" in sentence and "habitants 40\u202f%" in sentence
    # an older session is still reachable, by name
    old = ce.Project.open(path).evaluation(session="atelier_2024")
    assert (old.spec.weights.session, old.spec.weights.round, old.spec.weights.college_shares) == (
        "atelier_2024", 1, None)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample", "two_sessions"])
def test_dashboard_shows_the_same_numbers(which, request, browser, voila_factory, screenshot_dir):
    fixture = request.getfixturevalue(which)
    path = fixture if which == "sample" else fixture[0]
    ev = ce.Project.open(path).evaluation()
    unit = ev.unit_id(UNIT_NAME)
    with voila_factory(path, f"doors_{which}") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(base + "/voila/render/restitution.ipynb")
        page.wait_for_selector(".ce-overall-score", timeout=180_000)
        page.select_option(".ce-unit select", label=UNIT_NAME)
        page.select_option(".ce-wave select", label=str(WAVE))
        expected = ev.overall(wave=WAVE).set_index("unit").loc[unit]
        page.wait_for_function(
            "v => document.querySelector('.ce-overall-score').innerText === v", arg=fmt(expected["score"], "fr"))
        prof = ev.profile(unit, WAVE)
        for row in prof.itertuples():
            cell = page.locator(f".ce-profile-table tr[data-node='{row.node}'] td.num")
            assert cell.inner_text() == fmt(row.score, "fr"), row.node
        provenance = page.inner_text(".ce-provenance")
        assert f"tour {ev.spec.weights.round}, par {ev.provenance()['n_participants']} participant·es" in provenance
        page.screenshot(path=str(screenshot_dir / f"doors_{which}.png"), full_page=True)
        context.close()
