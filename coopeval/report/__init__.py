"""Restitution reports: a self-contained HTML document per cooperation and wave, and its PDF.

``ce.report.restitution(unit, wave, scores=..., fw=...)`` returns (and optionally
writes) the HTML; ``ce.report.to_pdf(html_path, pdf_path)`` prints it to PDF with
Debian's headless Chromium. ``restitution(evaluation, unit, wave)`` builds every input
from a :class:`coopeval.evaluation.Evaluation`. ``cofinancing_sheet(ledger, beneficiary, ...)``
gives the one-page « qui pourrait co-financer quoi » sheet for one beneficiary of an
externality ledger.
"""

from coopeval.report.cofinancing import (
           cofinancing_sheet,
           cofinancing_table,
           write_cofinancing_sheets,
)
from coopeval.report.inputs import resources_in_euros
from coopeval.report.pdf import to_pdf
from coopeval.report.restitution import SECTIONS, restitution

__all__ = ["restitution", "to_pdf", "resources_in_euros", "SECTIONS", "cofinancing_sheet", "cofinancing_table",
           "write_cofinancing_sheets"]
