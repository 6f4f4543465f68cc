"""Restitution reports: a self-contained HTML document per cooperation and wave, and its PDF.

``ce.report.restitution(unit, wave, scores=..., fw=...)`` returns (and optionally
writes) the HTML; ``ce.report.to_pdf(html_path, pdf_path)`` prints it to PDF with
Debian's headless Chromium.
"""

from coopeval.report.pdf import to_pdf
from coopeval.report.restitution import SECTIONS, restitution

__all__ = ["restitution", "to_pdf", "SECTIONS"]
