"""Pseudonymisation of survey data: keyed hashes and removal of direct identifiers.

Respondent identifiers are replaced by a keyed hash, HMAC-SHA256 (RFC 2104 with
SHA-256) of the identifier under a *project secret*. Without the secret nobody can
recompute the link (unlike a plain hash of a short id, which is reversible by
trying every id); with the same secret, the same person gets the same pseudonym in
every wave, so panels can still be linked. The secret is never written into the
returned data: keep it outside the project folder (environment variable, password
manager).

Direct identifiers (name, e-mail, phone, postal or IP address, access token, birth
date, and any free-text column you flag as personal) are dropped, or refused with
``identifiers="refuse"``. Remaining text columns are scanned for values that look
like an e-mail, a phone number or an IP address; any such value is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Iterable

import pandas as pd

from coopeval.data.likert import normalise_text
from coopeval.errors import DataError, Issue, bad_param

__all__ = ["keyed_hash", "direct_identifier_columns", "pseudonymise", "MIN_SECRET_BYTES"]

#: Shortest secret accepted by :func:`pseudonymise` (bytes, once UTF-8 encoded).
MIN_SECRET_BYTES = 16

_ID_TOKENS = {
    "nom", "prenom", "name", "firstname", "lastname", "surname", "fullname", "email", "mail",
    "courriel", "phone", "telephone", "tel", "mobile", "portable", "ip", "ipaddr", "ipaddress",
    "token", "adresse", "address", "naissance", "birthdate", "birthday", "dob", "nir", "secu",
    "refurl", "linkedin", "siret",
}
_PATTERNS = {
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "an IP address": re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b"),
    "a phone number": re.compile(r"(\+33\s?|\b0)[1-9]([\s.-]?\d{2}){4}\b"),
}


def keyed_hash(value: str | bytes, secret: str | bytes, *, length: int | None = None) -> str:
    """HMAC-SHA256 of ``value`` under ``secret``, as lower-case hex.

    Parameters
    ----------
    value, secret : str or bytes
        Text is UTF-8 encoded.
    length : int, optional
        Keep only the first ``length`` hex characters (default: all 64).

    Returns
    -------
    str
        The hex digest.

    References
    ----------
    Krawczyk H., Bellare M., Canetti R. (1997). *HMAC: Keyed-Hashing for Message
    Authentication*. RFC 2104. Nystrom M. (2005). *Identifiers and Test Vectors for
    HMAC-SHA-224, HMAC-SHA-256, HMAC-SHA-384, and HMAC-SHA-512*. RFC 4231.

    Examples
    --------
    >>> keyed_hash("what do ya want for nothing?", "Jefe")[:16]   # RFC 4231, test case 2
    '5bdcc146bf60754e'
    """
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    msg = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    digest = hmac.new(key, msg, hashlib.sha256).hexdigest()
    return digest if length is None else digest[:length]


def direct_identifier_columns(df: pd.DataFrame, personal: Iterable[str] = ()) -> list[str]:
    """Columns of ``df`` that are direct identifiers by name, plus those in ``personal``.

    A column is a direct identifier when one of the words of its (accent-free,
    lower-case) name is a known identifier word: nom, prénom, name, e-mail,
    courriel, téléphone, phone, mobile, IP/ipaddr, token, adresse/address,
    naissance, NIR… (e.g. ``"E-mail"``, ``"Prénom"``, ``"ipaddr"``, ``"token"``).
    """
    flagged = set(map(str, personal))
    out = []
    for col in df.columns:
        words = set(normalise_text(col).split())
        joined = normalise_text(col).replace(" ", "")
        if str(col) in flagged or words & _ID_TOKENS or joined in _ID_TOKENS:
            out.append(col)
    return out


def _id_text(value: object) -> str:
    if isinstance(value, float) and not math.isnan(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def pseudonymise(
    responses: pd.DataFrame,
    secret: str | bytes,
    *,
    column: str = "respondent",
    identifiers: str = "drop",
    personal: Iterable[str] = (),
    length: int = 16,
    prefix: str = "p_",
) -> pd.DataFrame:
    """Replace respondent ids by keyed hashes and remove direct identifiers.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses (``respondent, unit, wave, college, item, value``) or any
        table with a respondent column (e.g. a wide survey export).
    secret : str or bytes
        The project secret, at least 16 bytes. It is not stored anywhere in the
        result.
    column : str, default "respondent"
        The column of respondent identifiers.
    identifiers : {"drop", "refuse"}, default "drop"
        What to do with direct-identifier columns (see
        :func:`direct_identifier_columns`): drop them, or raise a ``DataError``.
    personal : iterable of str
        More columns to treat as personal (e.g. free-text answers that may name
        people).
    length : int, default 16
        Hex characters kept from the HMAC-SHA256 digest (16 → 64 bits).
    prefix : str, default ``"p_"``
        Prefix of the pseudonyms.

    Returns
    -------
    pandas.DataFrame
        A copy with ``column`` replaced by ``prefix + HMAC-SHA256(secret, id)[:length]``,
        identifier columns removed; ``df.attrs["pseudonymisation"]`` lists the
        method and the dropped columns (never the secret).

    Raises
    ------
    DataError
        Short secret, missing ids, identifier columns with ``"refuse"``, a value
        that looks like an e-mail, a phone number or an IP address in a remaining
        text column, or a collision between pseudonyms.

    Notes
    -----
    pseudonym = prefix ‖ hex(HMAC-SHA256(secret, str(id)))[:length]. The same id
    and secret always give the same pseudonym (panel linkage across waves).
    Pseudonymised data remain personal data under the GDPR (art. 4(5)).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"respondent": ["marie.d", "marie.d", "yann"], "email": ["m@x.fr"] * 3,
    ...                    "item": ["a", "b", "a"], "value": [4, 5, 2]})
    >>> out = pseudonymise(df, "a long project secret kept elsewhere")
    >>> list(out.columns), out["respondent"].nunique()
    (['respondent', 'item', 'value'], 2)
    """
    key = _checked_key(responses, secret, column=column, identifiers=identifiers, length=length)
    ids = responses[column]
    drop = [c for c in direct_identifier_columns(responses, personal) if c != column]
    if drop and identifiers == "refuse":
        raise DataError("direct identifiers present", issues=[
            Issue(f"column {c!r}", str(c), "no direct identifier", "a personal-data column")
            for c in drop])
    out = responses.drop(columns=drop)
    issues = _identifier_values(out, column)
    if issues:
        raise DataError("direct identifiers found in values (remove or flag the column with "
                        "`personal=`)", issues=issues[:20])
    raw = ids.map(_id_text)
    mapping = {r: prefix + keyed_hash(r, key, length=length) for r in pd.unique(raw)}
    if len(set(mapping.values())) != len(mapping):
        raise DataError(f"parameter `length`: expected pseudonyms without collision, got a "
                        f"collision with length={length}; use a larger length")
    out = out.copy()
    out[column] = raw.map(mapping).to_numpy()
    out.attrs = {k: v for k, v in responses.attrs.items() if k != "pseudonymisation"}
    out.attrs["pseudonymisation"] = {
        "method": "HMAC-SHA256",
        "length": length,
        "prefix": prefix,
        "column": column,
        "dropped_columns": [str(c) for c in drop],
    }
    return out


def _checked_key(responses: pd.DataFrame, secret: str | bytes, *, column: str, identifiers: str,
                 length: int) -> bytes:
    """The secret as bytes, once the parameters of :func:`pseudonymise` and every id are checked."""
    if not isinstance(responses, pd.DataFrame):
        bad_param("responses", "a pandas DataFrame", type(responses).__name__, DataError)
    if not isinstance(secret, (str, bytes)):
        bad_param("secret", "a text or bytes secret", type(secret).__name__, DataError)
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(key) < MIN_SECRET_BYTES:
        raise DataError(
            f"parameter `secret`: expected at least {MIN_SECRET_BYTES} bytes, got {len(key)} "
            "(use a long random project secret kept outside the data folder)"
        )
    if identifiers not in ("drop", "refuse"):
        bad_param("identifiers", "'drop' or 'refuse'", identifiers, DataError)
    if not isinstance(length, int) or not 8 <= length <= 64:
        bad_param("length", "an integer between 8 and 64", length, DataError)
    if column not in responses.columns:
        bad_param("column", f"a column of responses {list(map(str, responses.columns))}",
                  column, DataError)
    missing = [str(i) for i, v in zip(responses.index, responses[column], strict=True) if pd.isna(v)
               or not str(v).strip()]
    if missing:
        raise DataError(f"column `{column}`: expected an identifier on every row, found empty "
                        f"ids at rows {', '.join(missing[:10])}")
    return key


def _identifier_values(out: pd.DataFrame, column: str) -> list[Issue]:
    """Text values (outside ``column``) that look like an e-mail, a phone number or an IP address."""
    issues = []
    for col in out.columns:
        if col == column or not (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            continue
        for label, v in zip(out.index, out[col], strict=True):
            if not isinstance(v, str):
                continue
            for what, pat in _PATTERNS.items():
                if pat.search(v):
                    issues.append(Issue(f"row {label}", str(col), "no direct identifier",
                                        f"a value that looks like {what}"))
                    break
    return issues
