"""Qualitative evidence and the learning cycle: extracts, codes, intercoder agreement, actions.

Researchers work with interviews, focus groups, open survey answers and field notes as
much as with surveys. This subpackage makes that evidence a first-class input:

* contracts — ``extracts`` (verbatims with unit, wave, source, date, pseudonymised speaker,
  college, consent), ``codes`` (extract, code, coder) and the ``codebook`` (code, labels,
  the criterion or indicator it documents): :mod:`~coopeval.qualitative.contracts`;
* import from CSV/Excel (:func:`read_extracts`) or from a folder of text transcripts
  with inline codes ``[[code: a, b]]`` (:func:`read_transcripts`);
* agreement between two coders, per code and pooled: Cohen's kappa and Krippendorff's
  alpha (:func:`intercoder_agreement`);
* shown with the numbers: the consented extracts of a criterion, speakers never shown and
  small colleges hidden (:func:`extracts_for`), and theme counts with small cells
  suppressed (:func:`theme_summary`);
* the learning cycle: actions decided after a restitution and their follow-up at the next
  wave next to the change of the linked criteria (:func:`follow_up`).

:class:`Evidence` bundles the four tables of one evaluation.
"""

from __future__ import annotations

from coopeval.qualitative.actions import (
    ACTION_COLUMNS,
    FOLLOW_UP_COLUMNS,
    STATUSES,
    action_links,
    check_actions,
    follow_up,
)
from coopeval.qualitative.agreement import AGREEMENT_COLUMNS, cohen_kappa, intercoder_agreement
from coopeval.qualitative.contracts import (
    CODE_COLUMNS,
    CODEBOOK_COLUMNS,
    EXTRACT_COLUMNS,
    check_codebook,
    check_codes,
    check_extracts,
)
from coopeval.qualitative.evidence import Evidence
from coopeval.qualitative.illustrate import (
    EXTRACTS_FOR_COLUMNS,
    THEME_COLUMNS,
    codes_of_node,
    extracts_for,
    theme_summary,
)
from coopeval.qualitative.io import read_extracts, split_codes
from coopeval.qualitative.transcripts import parse_transcript, read_transcripts

__all__ = [
    "ACTION_COLUMNS", "AGREEMENT_COLUMNS", "CODEBOOK_COLUMNS", "CODE_COLUMNS", "EXTRACT_COLUMNS",
    "EXTRACTS_FOR_COLUMNS", "FOLLOW_UP_COLUMNS", "STATUSES", "THEME_COLUMNS", "Evidence", "action_links", "check_actions", "check_codebook", "check_codes",
    "check_extracts", "codes_of_node", "cohen_kappa", "extracts_for", "follow_up", "intercoder_agreement",
    "parse_transcript", "read_extracts", "read_transcripts", "split_codes", "theme_summary",
]
