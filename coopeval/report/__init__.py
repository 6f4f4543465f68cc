"""Restitution reports: a self-contained HTML document per cooperation and wave, and its PDF.

``ce.report.restitution(evaluation, unit, wave)`` returns (and optionally writes) the HTML
of one cooperation and wave of a :class:`coopeval.Evaluation` — the same numbers as the
dashboard and the command line; ``ce.report.to_pdf(html_path, pdf_path)`` prints it to PDF
with Debian's headless Chromium. ``cofinancing_sheet(ledger, beneficiary, ...)`` gives the
one-page « qui pourrait co-financer quoi » sheet for one beneficiary of an externality ledger;
``stress_html`` and ``ledger_html`` are the restitution's socio-economic sections (also on the dashboard).
"""

from coopeval.report.cofinancing import (
    cofinancing_sheet,
    cofinancing_table,
    write_cofinancing_sheets,
)
from coopeval.report.pdf import to_pdf
from coopeval.report.restitution import SECTIONS, restitution
from coopeval.report.socio_economic import ledger_html, stress_html, stress_table
from coopeval.valuation.in_euros import resources_in_euros

__all__ = ["restitution", "to_pdf", "resources_in_euros", "SECTIONS", "cofinancing_sheet", "cofinancing_table",
           "write_cofinancing_sheets", "stress_html", "ledger_html", "stress_table"]
