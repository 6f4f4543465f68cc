"""Avoided public costs of employment cooperations (Territoires zéro chômeur type).

Avoided cost over :math:`T` years for :math:`n` persons (or FTE) with a unit cost
:math:`c` from the catalogue and a deadweight :math:`d` (share who would have
found a job anyway):

.. math:: A = n \\, c \\, T \\, (1 - d)

The counterfactual (what would have happened without the cooperation) must be
stated: the same unit cost means different things under « the person stays
deprived of employment » (ATD Quart Monde estimates) and under « comparable
persons outside the experiment » (the scientific committee's evaluation).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import ValuationError
from coopeval.valuation.catalogue import reference_value

__all__ = ["avoided_costs"]


def avoided_costs(
    count: float,
    *,
    basis: str,
    counterfactual: str,
    reference: str = "cout_privation_emploi_atd_2013",
    years: float = 1,
    deadweight: float = 0.0,
    fte_per_person: float | None = None,
    cost: str | float | None = None,
    date: Any = None,
    adjust: bool = True,
) -> pd.DataFrame:
    """Avoided public cost of long-term unemployment, per person or per FTE.

    Parameters
    ----------
    count : float
        Number of persons (``basis="person"``) or of full-time equivalents
        (``basis="fte"``).
    basis : {"person", "fte"}
        What ``count`` counts.
    counterfactual : str
        The counterfactual situation, stated in words (required).
    reference : str
        Catalogue entry of the unit avoided cost (see ``catalogue()``, file
        ``couts_evites.yaml``).
    years : float
        Number of years.
    deadweight : float
        Share of persons who would have found a job anyway, in [0, 1].
    fte_per_person : float, optional
        Conversion when ``basis`` differs from the reference's basis.
    cost : str or float, optional
        Gross public cost per FTE and year of the cooperation (catalogue name such as
        ``cout_brut_etp_ebe_igas_igf_2019``, or a number) to compute the net balance.

    Returns
    -------
    DataFrame
        One row: ``reference, unit_cost, unit, basis, count, count_in_reference_basis,
        years, deadweight, avoided_cost, avoided_cost_low, avoided_cost_high,
        gross_cost, net_balance, counterfactual, source`` (``net_balance =
        avoided_cost - gross_cost``; NaN without ``cost``), ``price_year,
        adjustment_factor, flags, catalogue_version`` (see
        :func:`coopeval.valuation.reference_value`: a value used after its year is
        adjusted with the Insee price index unless ``adjust=False``, and flagged).

    Raises
    ------
    ValuationError
        Empty counterfactual, unknown basis, a basis mismatch without
        ``fte_per_person``, a negative count or a deadweight outside [0, 1].

    References
    ----------
    ATD Quart Monde (2013). *L'emploi conçu comme un droit. Étude macro-économique*.
    Comité scientifique TZCLD (2025). *Rapport d'évaluation de la deuxième phase*.

    Examples
    --------
    >>> import coopeval as ce
    >>> r = ce.valuation.avoided_costs(10, basis="person", date="2013-12-01",
    ...     counterfactual="les personnes restent privées d'emploi")
    >>> float(r["avoided_cost"].iloc[0])
    152420.0
    """
    _check(count, basis=basis, counterfactual=counterfactual, years=years, deadweight=deadweight)
    ref = reference_value(reference, date, adjust=adjust)
    ref_basis = ref.basis or basis
    n = float(count)
    if ref_basis != basis:
        if fte_per_person is None or fte_per_person <= 0:
            raise ValuationError(
                f"parameter `fte_per_person`: reference `{reference}` is per {ref_basis} but `count` is per "
                f"{basis}; expected the number of FTE per person to convert, got {fte_per_person!r}"
            )
        n = n * fte_per_person if basis == "person" else n / fte_per_person
    factor = n * years * (1 - deadweight)
    low = ref.low if ref.low is not None else ref.value
    high = ref.high if ref.high is not None else ref.value
    gross = _gross_cost(cost, n, ref_basis=ref_basis, years=years, fte_per_person=fte_per_person, date=date,
                        adjust=adjust)
    avoided = ref.value * factor
    return pd.DataFrame(
        [{
            "reference": ref.name, "unit_cost": ref.value, "unit": ref.unit, "basis": basis, "count": float(count),
            "count_in_reference_basis": n, "years": float(years), "deadweight": float(deadweight),
            "avoided_cost": avoided, "avoided_cost_low": low * factor, "avoided_cost_high": high * factor,
            "gross_cost": gross, "net_balance": avoided - gross, "counterfactual": counterfactual.strip(),
            "source": ref.source, "price_year": ref.price_year, "adjustment_factor": ref.adjustment_factor,
            "flags": " ".join(ref.flags), "catalogue_version": ref.catalogue_version,
        }]
    )


def _check(count: float, *, basis: str, counterfactual: str, years: float, deadweight: float) -> None:
    """The arguments of :func:`avoided_costs` that need no catalogue, checked."""
    if not isinstance(counterfactual, str) or not counterfactual.strip():
        raise ValuationError(
            "parameter `counterfactual`: expected the counterfactual stated in words "
            f"(e.g. « les personnes restent privées d'emploi »), got {counterfactual!r}"
        )
    if basis not in ("person", "fte"):
        raise ValuationError(f"parameter `basis`: expected 'person' or 'fte', got {basis!r}")
    for name, val in (("count", count), ("years", years)):
        if not isinstance(val, (int, float, np.integer, np.floating)) or not np.isfinite(val) or val < 0:
            raise ValuationError(f"parameter `{name}`: expected a non-negative number, got {val!r}")
    if not isinstance(deadweight, (int, float)) or not 0 <= deadweight <= 1:
        raise ValuationError(f"parameter `deadweight`: expected a proportion in [0, 1], got {deadweight!r}")


def _gross_cost(cost: str | float | None, n: float, *, ref_basis: str, years: float,
                fte_per_person: float | None, date: Any, adjust: bool) -> float:
    """Gross public cost of the cooperation over ``years`` for ``n`` (in the reference's basis);
    NaN without ``cost`` or when ``n`` cannot be converted to the cost's basis."""
    if cost is None:
        return np.nan
    if isinstance(cost, str):
        cref = reference_value(cost, date, adjust=adjust)
        cost_basis = cref.basis or "fte"
        unit_cost = cref.value
    else:
        cost_basis, unit_cost = "fte", float(cost)
    n_cost = n if cost_basis == ref_basis else (
        n * fte_per_person if fte_per_person and ref_basis == "person" else np.nan)
    return n_cost * years * unit_cost
