"""The qualitative evidence of one evaluation: extracts, codes, codebook and actions together."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from coopeval.qualitative.actions import ACTION_COLUMNS, check_actions
from coopeval.qualitative.contracts import (
    CODE_COLUMNS,
    CODEBOOK_COLUMNS,
    EXTRACT_COLUMNS,
    check_codebook,
    check_codes,
    check_extracts,
)

__all__ = ["Evidence"]


def _empty(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=cols)


@dataclass
class Evidence:
    """Extracts, codes, codebook and actions of one evaluation (each a tidy DataFrame).

    Examples
    --------
    >>> from coopeval.qualitative import Evidence
    >>> ev = Evidence.sample()
    >>> sorted(ev.extracts["unit"].unique())[:2], len(ev.codebook) > 5
    (['u01', 'u02'], True)
    """

    extracts: pd.DataFrame = field(default_factory=lambda: _empty(EXTRACT_COLUMNS))
    codes: pd.DataFrame = field(default_factory=lambda: _empty(CODE_COLUMNS))
    codebook: pd.DataFrame = field(default_factory=lambda: _empty(CODEBOOK_COLUMNS))
    actions: pd.DataFrame = field(default_factory=lambda: _empty(ACTION_COLUMNS))

    def __post_init__(self) -> None:
        if len(self.extracts):
            self.extracts = check_extracts(self.extracts)
        if len(self.codebook):
            self.codebook = check_codebook(self.codebook)
        if len(self.codes):
            self.codes = check_codes(self.codes, self.extracts if len(self.extracts) else None,
                                     codebook=self.codebook if len(self.codebook) else None)
        if len(self.actions):
            self.actions = check_actions(self.actions)

    @property
    def empty(self) -> bool:
        """True when there is neither an extract nor an action."""
        return not len(self.extracts) and not len(self.actions)

    @classmethod
    def sample(cls) -> Evidence:
        """The synthetic bundled dataset ``qualitatif_exemple``."""
        from coopeval import datasets

        q = datasets.load("qualitatif_exemple")
        return cls(q["extracts"], q["codes"], q["codebook"], q["actions"])

    @classmethod
    def from_project(cls, project) -> Evidence:  # noqa: ANN001
        """The evidence stored in a :class:`coopeval.Project` (researcher role)."""
        return cls(project.extracts(), project.codes(), project.codebook(), project.actions())
