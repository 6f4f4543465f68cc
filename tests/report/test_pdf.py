"""PDF export through Debian's headless Chromium, pages rendered to PNG with poppler's pdftoppm."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import coopeval as ce
from coopeval.report.pdf import CHROMIUM

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="/usr/bin/chromium absent (Debian package `chromium`)")
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="pdftoppm absent (Debian package `poppler-utils`)")


@pytest.mark.slow
@needs_chromium
@needs_pdftoppm
def test_restitution_pdf_pages_not_blank(tmp_path, make_report):
    start = time.perf_counter()
    html_path = tmp_path / "restitution_u01_v3.html"
    doc = make_report(path=html_path)
    pdf = ce.report.to_pdf(html_path, tmp_path / "restitution_u01_v3.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 5
    for page in pages:
        img = Image.open(page)
        w, h = img.size
        assert abs(h / w - 297 / 210) < 0.02  # A4 portrait
        grey = np.asarray(img.convert("L"), dtype=float)
        ink = (grey < 200).mean()
        assert ink > 0.005, f"{page.name} looks blank ({ink:.2%} of dark pixels)"
    # the headings of the HTML are printed in the PDF, in order; the first page has the title
    heads = [html.unescape(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", doc)]
    assert heads[0] == "En bref" and heads[-1].startswith("Annexe")
    if shutil.which("pdftotext"):
        txt = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                             check=True, timeout=60).stdout
        flat = " ".join(txt.split())
        pos = 0
        for h in heads:  # each heading found after the previous one
            pos = flat.find(h, pos)
            assert pos >= 0, f"heading {h!r} not found in order in the PDF text"
        first = " ".join(txt.split("\f")[0].split())
        assert "Restitution de l'évaluation — La Ruche des Coteaux, vague 3" in first
    assert time.perf_counter() - start < 60


@needs_chromium
def test_to_pdf_errors(tmp_path):
    with pytest.raises(ce.ReportError, match="html_path"):
        ce.report.to_pdf(tmp_path / "missing.html", tmp_path / "x.pdf")
    page = tmp_path / "p.html"
    page.write_text("<html><body>x</body></html>", encoding="utf-8")
    with pytest.raises(ce.ReportError, match="chromium"):
        ce.report.to_pdf(page, tmp_path / "x.pdf", chromium=str(tmp_path / "no-chromium"))
