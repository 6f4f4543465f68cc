"""PDF export of an HTML report through headless Chromium's print to PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from coopeval.errors import ReportError

__all__ = ["to_pdf", "CHROMIUM", "chromium_path"]

#: Debian's Chromium (package ``chromium``); coopeval never downloads a browser.
CHROMIUM = "/usr/bin/chromium"


def chromium_path(chromium: str | None = None) -> str:
    """Path of the Chromium executable, or raise ReportError saying how to install it."""
    exe = chromium or (CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"))
    if not exe or not Path(exe).exists():
        raise ReportError(f"parameter `chromium`: expected a Chromium executable (Debian: apt-get install "
                          f"chromium), got {chromium or CHROMIUM!r}, which does not exist")
    return str(exe)


def to_pdf(html_path: str | Path, pdf_path: str | Path, *, chromium: str | None = None,
           timeout: float = 120.0) -> Path:
    """Print an HTML file to PDF (A4) with headless Chromium.

    Parameters
    ----------
    html_path : str or Path
        The HTML document (e.g. written by :func:`coopeval.report.restitution`).
    pdf_path : str or Path
        The PDF to write.
    chromium : str, optional
        Chromium executable (default ``/usr/bin/chromium``).
    timeout : float
        Seconds before giving up.

    Returns
    -------
    pathlib.Path
        ``pdf_path``.

    Raises
    ------
    ReportError
        If the HTML file does not exist, Chromium is missing, fails or times out, or
        writes no PDF (its error output is quoted).

    Notes
    -----
    Runs ``chromium --headless --no-sandbox --disable-gpu --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --no-pdf-header-footer --print-to-pdf=<pdf> file://<html>`` with a throwaway
    profile directory; the page size (A4) and margins come from the report's CSS
    ``@page`` rule.
    """
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path).resolve()
    if not html_path.is_file():
        raise ReportError(f"parameter `html_path`: expected an existing HTML file, got {str(html_path)!r}")
    exe = chromium_path(chromium)
    if pdf_path.exists():
        pdf_path.unlink()
    with tempfile.TemporaryDirectory(prefix="coopeval-chromium-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-pdf-header-footer", f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
               html_path.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        except subprocess.TimeoutExpired as err:
            raise ReportError(f"Chromium did not finish printing {html_path} within {timeout} s") from err
    if proc.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = (proc.stderr or "").strip().splitlines()[-5:]
        raise ReportError(f"Chromium could not print {html_path} to {pdf_path} (exit code {proc.returncode}): "
                          + " | ".join(tail))
    return pdf_path
