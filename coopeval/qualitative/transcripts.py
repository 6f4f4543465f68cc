"""Coded transcripts: a folder of plain-text interviews with inline codes.

A transcript is a UTF-8 ``.txt`` file. Its **header** (the lines before the first empty
line) gives ``key: value`` facts; its **body** is a sequence of turns ``Speaker : text``
(a line that does not start with a declared speaker continues the previous turn; a line
``Word : …`` with one capitalised word before the colon is taken as a turn, so an undeclared
name there is an error rather than a silent continuation).
Codes are written inline, anywhere in a turn, as ``[[code: lien_social, entraide]]``
(one or more snake_case codes separated by commas; several brackets per turn allowed);
they are removed from the text of the extract.

::

    unit: u01
    wave: 2
    date: 2025-03-14
    source: entretien_07
    coder: c1
    speaker Alice: habitants, oui
    speaker Bruno: salaries, non
    interviewer: Enquêtrice

    Enquêtrice : Qu'est-ce qui a changé pour vous ?
    Alice : Au début je ne connaissais personne. [[code: lien_social]]
    Maintenant on s'entraide. [[code: entraide]]
    Bruno : Les AG, c'est toujours les mêmes qui parlent. [[code: participation_ag]]

Header keys: ``unit``, ``wave``, ``source`` (default: the file name), ``date``, ``coder``
(default ``c1``), one ``speaker <name>: <college>, <consent>`` line per interviewee
(consent ``oui``/``non``) and ``interviewer: <name>`` (several allowed) whose turns are
skipped. A turn by a speaker declared nowhere is an error (a typo would otherwise lose it).

Each kept turn is one extract, with id ``<source>_<n>`` (n = 1, 2… in order): two coders
who code copies of the same transcript (same ``source``, another ``coder``) produce the same
extract ids, which is how :func:`coopeval.qualitative.intercoder_agreement` pairs them.

Example
-------
>>> from coopeval.qualitative import parse_transcript
>>> text = ("unit: u01\\nwave: 1\\nsource: e1\\nspeaker Ana: habitants, oui\\n\\n"
...         "Ana : On se connaît tous. [[code: lien_social, entraide]]\\n")
>>> out = parse_transcript(text)
>>> out["extracts"][["extract", "college", "consent", "text"]].values.tolist()
[['e1_1', 'habitants', True, 'On se connaît tous.']]
>>> out["codes"]["code"].tolist()
['lien_social', 'entraide']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from coopeval.errors import DataError, Issue, bad_param
from coopeval.qualitative.contracts import (
    CODE_COLUMNS,
    EXTRACT_COLUMNS,
    ID_PATTERN,
    _consent,
    _whole,
)

__all__ = ["parse_transcript", "read_transcripts", "CODE_SYNTAX"]

#: The inline code syntax: ``[[code: a, b]]`` (``codes:`` accepted too).
CODE_SYNTAX = re.compile(r"\[\[\s*codes?\s*:\s*([^\]]*)\]\]", re.IGNORECASE)
#: A line ``Name : …`` (one capitalised word before the colon): a turn, never a continuation.
_LOOKS_LIKE_TURN = re.compile(r"^\s*([A-ZÀ-Ý][\w\-]*)\s?:\s")
_HEADER = re.compile(r"^\s*([A-Za-z_]+)(?:\s+([^:]+?))?\s*:\s*(.*?)\s*$")


def _header(lines: list[str], where: str, issues: list[Issue]) -> tuple[dict, dict, set]:
    facts: dict[str, str] = {}
    speakers: dict[str, tuple[str | None, bool]] = {}
    interviewers: set[str] = set()
    for n, line in enumerate(lines, start=1):
        m = _HEADER.match(line)
        if not m:
            issues.append(Issue(f"{where}, line {n}", "(header)", "`key: value` before the first empty line",
                                repr(line)))
            continue
        key, name, value = m.group(1).lower(), m.group(2), m.group(3)
        if key == "speaker" and name:
            parts = [p.strip() for p in value.split(",")]
            consent = _consent(parts[1]) if len(parts) == 2 else None
            if consent is None:
                issues.append(Issue(f"{where}, line {n}", f"speaker {name}", "`<college>, oui|non`", repr(value)))
                continue
            speakers[name.strip()] = (parts[0] or None, consent)
        elif key == "interviewer":
            interviewers.add(value)
        elif key in ("unit", "wave", "source", "date", "coder") and not name:
            facts[key] = value
        else:
            issues.append(Issue(f"{where}, line {n}", key, "one of unit, wave, source, date, coder, "
                                "speaker <name>, interviewer", repr(line)))
    for key in ("unit", "wave"):
        if not facts.get(key):
            issues.append(Issue(f"{where}, line 1", key, f"a `{key}:` line in the header", "nothing"))
    return facts, speakers, interviewers


def _turns(lines: list[str], first: int, names: list[str], where: str,
           issues: list[Issue]) -> list[tuple[str, str, int]]:
    """``(speaker, raw text, line)`` of every turn of the body."""
    pattern = re.compile(r"^\s*(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")\s*:\s?(.*)$") if names else None
    turns: list[list] = []
    for n, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        m = pattern.match(line) if pattern else None
        if m:
            turns.append([m.group(1), m.group(2), n])
        elif turns and (looks := _LOOKS_LIKE_TURN.match(line)):
            issues.append(Issue(f"{where}, line {n}", "speaker", "a speaker or interviewer declared in the header",
                                repr(looks.group(1))))
        elif turns:
            turns[-1][1] += " " + line.strip()
        else:
            who = line.split(":")[0].strip() if ":" in line else line.strip()[:30]
            issues.append(Issue(f"{where}, line {n}", "speaker", "a turn `Name : text` by a speaker or "
                                "interviewer declared in the header", repr(who)))
    return [tuple(t) for t in turns]


def parse_transcript(text: str, *, where: str = "transcript", source: str | None = None) -> dict[str, pd.DataFrame]:
    """Parse one coded transcript (see the module docstring for the syntax).

    Parameters
    ----------
    text : str
        The transcript.
    where : str
        Name used in error messages (the file name).
    source : str, optional
        Default ``source`` when the header gives none.

    Returns
    -------
    dict
        ``{"extracts": DataFrame, "codes": DataFrame}`` with the columns of
        :data:`~coopeval.qualitative.EXTRACT_COLUMNS` and :data:`~coopeval.qualitative.CODE_COLUMNS`.
        ``speaker`` is the name as written: pseudonymise it (the store does on import).

    Raises
    ------
    DataError
        Every problem with its line: a malformed header line, no unit or wave, a turn by an
        undeclared speaker, a code that is not a snake_case id, a ``[[`` that is not a code.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    try:
        blank = next(i for i, line in enumerate(lines) if not line.strip())
    except StopIteration:
        blank = len(lines)
    issues: list[Issue] = []
    facts, speakers, interviewers = _header(lines[:blank], where, issues)
    turns = _turns(lines[blank + 1:], blank + 2, list(speakers) + sorted(interviewers), where, issues)
    src = facts.get("source") or source or where
    coder = facts.get("coder") or "c1"
    extracts: list[dict[str, Any]] = []
    codes: list[dict[str, Any]] = []
    for who, raw, n in turns:
        if who in interviewers:
            continue
        found = []
        for m in CODE_SYNTAX.finditer(raw):
            for code in (c.strip() for c in m.group(1).split(",")):
                if not ID_PATTERN.match(code):
                    issues.append(Issue(f"{where}, line {n}", "code", "a snake_case code (a-z, 0-9, _)", repr(code)))
                found.append(code)
        clean = CODE_SYNTAX.sub("", raw)
        if "[[" in clean or "]]" in clean:
            issues.append(Issue(f"{where}, line {n}", "code", "codes written `[[code: a, b]]`", repr(raw[:60])))
        extract = f"{src}_{len(extracts) + 1}"
        college, consent = speakers[who]
        extracts.append({"extract": extract, "unit": facts.get("unit"), "wave": _whole(facts.get("wave")),
                         "source": src, "date": facts.get("date"), "speaker": who, "college": college,
                         "consent": consent, "text": re.sub(r"\s+", " ", clean).strip()})
        codes.extend({"extract": extract, "code": c, "coder": coder} for c in dict.fromkeys(found))
    if issues:
        raise DataError(f"invalid transcript {where}", issues=issues)
    return {"extracts": pd.DataFrame(extracts, columns=EXTRACT_COLUMNS),
            "codes": pd.DataFrame(codes, columns=CODE_COLUMNS)}


def read_transcripts(folder: str | Path, *, pattern: str = "*.txt",
                     encoding: str = "utf-8-sig") -> dict[str, pd.DataFrame]:
    """Read every coded transcript of a folder (sorted by file name).

    Copies of one transcript coded by different coders (same ``source``) give the same
    extracts once, and the codes of every coder.

    Returns
    -------
    dict
        ``{"extracts": DataFrame, "codes": DataFrame}`` as :func:`parse_transcript`.

    Raises
    ------
    DataError
        A problem in any file (all files are read, all problems reported), no file, or two
        copies of a transcript whose texts differ.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopeval.qualitative import read_transcripts
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> head = "unit: u01\\nwave: 1\\nsource: e1\\nspeaker Ana: habitants, oui\\n"
    >>> _ = (d / "e1_c1.txt").write_text(head + "coder: c1\\n\\nAna : Oui. [[code: lien_social]]\\n")
    >>> _ = (d / "e1_c2.txt").write_text(head + "coder: c2\\n\\nAna : Oui. [[code: entraide]]\\n")
    >>> out = read_transcripts(d)
    >>> len(out["extracts"]), out["codes"]["coder"].tolist()
    (1, ['c1', 'c2'])
    """
    root = Path(folder)
    if not root.is_dir():
        bad_param("folder", "a folder of .txt transcripts", str(folder), DataError)
    files = sorted(root.glob(pattern))
    if not files:
        bad_param("folder", f"a folder holding {pattern} files", f"{root} with none", DataError)
    parts, issues = [], []
    for f in files:
        try:
            parts.append(parse_transcript(f.read_text(encoding=encoding), where=f.name, source=f.stem))
        except DataError as err:
            issues.extend(err.issues or [Issue(f.name, "(file)", "a coded transcript", str(err))])
    if issues:
        raise DataError(f"invalid transcripts in {root}", issues=issues)
    extracts = pd.concat([p["extracts"] for p in parts], ignore_index=True)
    texts = extracts.groupby("extract")["text"].nunique()
    for ext in texts.index[texts > 1]:
        issues.append(Issue(str(root), ext, "the same text in every coder's copy of a transcript",
                            "different texts"))
    if issues:
        raise DataError(f"invalid transcripts in {root}", issues=issues)
    codes = pd.concat([p["codes"] for p in parts], ignore_index=True).drop_duplicates()
    return {"extracts": extracts.drop_duplicates("extract").reset_index(drop=True),
            "codes": codes.reset_index(drop=True)}
