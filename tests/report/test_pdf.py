"""PDF export through Debian's headless Chromium, pages rendered to PNG with poppler's pdftoppm."""

from __future__ import annotations

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
    # the first page carries the title and the summary, in the expected order of the HTML
    heads = re.findall(r"<h2[^>]*>(.*?)</h2>", doc)
    assert heads[0] == "En bref" and heads[-1].startswith("Annexe")
    assert time.perf_counter() - start < 60


@needs_chromium
def test_to_pdf_errors(tmp_path):
    with pytest.raises(ce.ReportError, match="html_path"):
        ce.report.to_pdf(tmp_path / "missing.html", tmp_path / "x.pdf")
    page = tmp_path / "p.html"
    page.write_text("<html><body>x</body></html>", encoding="utf-8")
    with pytest.raises(ce.ReportError, match="chromium"):
        ce.report.to_pdf(page, tmp_path / "x.pdf", chromium=str(tmp_path / "no-chromium"))
