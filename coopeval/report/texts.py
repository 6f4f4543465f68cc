"""References cited in the annex of the restitution report.

The report's French and English texts (headings, labels and the « comment lire » paragraphs
written for members of a collective) are ``report_*`` keys of ``coopeval/i18n/labels.yaml``,
read with :func:`coopeval.i18n.t` like every other label of the project.
"""

from __future__ import annotations

#: References cited in the annex (bibliographic entries, not translated).
REFERENCES = [
    "Le Labo de l'ESS (2024). Vers une société de la coopération. Paris : Le Labo de l'ESS.",
    "OECD & JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide. "
    "Paris : OECD Publishing.",
    "Nicholls J., Lawlor E., Neitzert E., Goodspeed T. (2012). A guide to Social Return on Investment. "
    "The SROI Network.",
    "Okabe M., Ito K. (2008). Color Universal Design (CUD): how to make figures and presentations that are "
    "friendly to colorblind people.",
]
