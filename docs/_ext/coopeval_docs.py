"""Pages of the documentation generated from the repository when the site is built.

Everything here is written to ``docs/generated/`` (ignored by git) by :func:`generate`,
called from ``conf.py`` before Sphinx looks for sources:

- ``generated/frameworks/<id>.rst``: one page per built-in framework, read from
  ``indicators/frameworks/<id>.yaml`` (description, references, tree, indicator table);
- ``generated/methods.rst``: the *Notes* (formulas) and *References* sections of every
  public docstring of the package, grouped by subpackage — so the methods page cannot
  drift from the code;
- ``generated/notebooks/*.ipynb``: copies of the committed researcher notebooks, which
  MyST-NB executes (cached) and renders.

Nothing is hand-listed: a new module, function, framework or notebook appears by itself.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shutil
import textwrap
from pathlib import Path

import yaml

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
OUT = DOCS / "generated"

#: Titles of the subpackages on the methods page (French first, as the site).
SECTIONS = {
    "framework": "Référentiels (frameworks)",
    "data": "Données, échelles et petits groupes (data)",
    "weighting": "Pondération délibérative (weighting)",
    "scoring": "Normalisation et agrégation (scoring)",
    "uncertainty": "Incertitude et sensibilité (uncertainty)",
    "valuation": "Valorisation (valuation)",
    "stats": "Statistiques pour la recherche (stats)",
    "qualitative": "Éléments qualitatifs (qualitative)",
    "evaluation": "Évaluation (evaluation)",
    "store": "Projet (store)",
    "plots": "Figures (plots)",
    "report": "Rapports (report)",
}


def write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` only when it differs (Sphinx then rebuilds only what changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def heading(text: str, char: str) -> str:
    return f"{text}\n{char * max(len(text), 3)}\n"


# ----------------------------------------------------------------------------- frameworks

def _indicator_rows(fw) -> list[list[str]]:
    table = fw.indicators
    relative = fw.relative_goalposts.set_index("indicator")
    rows = []
    for r in table.itertuples():
        bounds = " – ".join("" if _missing(v) else f"{v:g}" for v in (r.lower, r.upper))
        if r.indicator in relative.index:  # issue 22: the goalposts bound a relative value
            rel = relative.loc[r.indicator]
            how = ([f"par {rel['per']}"] if rel["per"] else []) + (
                ["× valeur de départ" if rel["change"] == "ratio" else "+ valeur de départ"]
                if rel["relative_to"] else [])
            bounds = f"{bounds.strip(' –')} ({', '.join(how)})"
        target = "" if _missing(r.target) else f"{r.target:g}"
        rows.append([f"``{r.indicator}``", _cell(r.label_fr), _cell(r.label_en), _cell(r.unit),
                     r.kind, r.direction, bounds.strip(" –"), target])
    return rows


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _cell(v) -> str:
    return "" if _missing(v) else str(v).replace("\n", " ").replace("|", "\\|")


def list_table(header: list[str], rows: list[list[str]], widths: str | None = None) -> str:
    lines = [".. list-table::", "   :header-rows: 1"]
    if widths:
        lines.append(f"   :widths: {widths}")
    lines.append("")
    for row in [header, *rows]:
        lines.append(f"   * - {row[0] or ' '}")
        lines += [f"     - {c or ' '}" for c in row[1:]]
    return "\n".join(lines) + "\n"


def framework_page(path: Path) -> str:
    import coopeval as ce

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fw = ce.load_framework(raw["id"])
    parts = [f".. _framework-{raw['id']}:\n", heading(f"{raw['title_fr']}", "=")]
    parts.append(f"*{raw.get('title_en', '')}* — identifiant ``{raw['id']}``, "
                 f"version {raw.get('version', '?')}, fichier ``indicators/frameworks/{path.name}``.\n")
    parts.append(".. code-block:: python\n\n"
                 f"   fw = ce.load_framework(\"{raw['id']}\")\n")
    for key, title in (("description_fr", "Présentation"), ("description_en", "Description (English)")):
        if raw.get(key):
            parts += [heading(title, "-"), raw[key].strip() + "\n"]
    parts.append(heading("Arbre (dimensions › critères › indicateurs)", "-"))
    for dim in raw.get("dimensions", []):
        parts.append(f"- **{dim['label_fr']}** (``{dim['id']}``) — *{dim.get('label_en', '')}*")
        for crit in dim.get("criteria", []):
            parts.append(f"\n  - {crit['label_fr']} (``{crit['id']}``)\n")
            for ind in crit.get("indicators", []):
                parts.append(f"    - {ind['label_fr']} (``{ind['id']}``)")
        parts.append("")
    parts.append("\n" + heading("Indicateurs", "-"))
    parts.append(f"{len(fw.indicators)} indicateurs, colonnes de ``fw.indicators``.\n")
    parts.append(list_table(["indicateur", "libellé", "label", "unité", "kind", "direction",
                             "bornes", "cible"], _indicator_rows(fw), "12 22 22 8 8 8 10 6"))
    refs = raw.get("references") or []
    if refs:
        parts.append(heading("Références", "-"))
        for ref in refs:
            url = f" {ref['url']}" if ref.get("url") else ""
            parts.append(f"- ``{ref['key']}`` — {ref['citation']}{url}")
        parts.append("")
    return "\n".join(parts) + "\n"


def generate_frameworks() -> list[str]:
    ids = []
    for path in sorted((ROOT / "indicators" / "frameworks").glob("*.yaml")):
        write_if_changed(OUT / "frameworks" / f"{path.stem}.rst", framework_page(path))
        ids.append(path.stem)
    index = [heading("Référentiels fournis (built-in frameworks)", "="),
             "Une page par référentiel livré avec coopeval, générée depuis son fichier YAML "
             "(``indicators/frameworks/``). *One page per built-in framework, generated from "
             "its YAML file.* Voir aussi :doc:`/guide/mener-une-evaluation`.\n",
             ".. toctree::\n   :maxdepth: 1\n\n" + "\n".join(f"   {i}" for i in ids) + "\n"]
    write_if_changed(OUT / "frameworks" / "index.rst", "\n".join(index))
    return ids


# ----------------------------------------------------------------------------- methods

def public_modules() -> list:
    """Every importable public module of the package, in a stable order."""
    import coopeval

    mods = [coopeval]
    for info in pkgutil.walk_packages(coopeval.__path__, "coopeval."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        mods.append(importlib.import_module(info.name))
    return sorted(mods, key=lambda m: m.__name__)


def known_sections() -> set[str]:
    from numpydoc.docscrape import NumpyDocString

    return set(NumpyDocString("").sections) | {"Example"}


def normalise_sections(lines: list[str]) -> list[str]:
    """Make a docstring's sections numpydoc's own, in place of dropping the others.

    ``Example`` becomes ``Examples``; a section numpydoc does not know (``History``,
    ``Tables``…) becomes a rubric, so that its text is shown instead of being lost.
    """
    known = known_sections()
    out: list[str] = []
    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        title = line.strip()
        underline = nxt.strip()
        if title and underline and set(underline) == {"-"} and len(underline) >= len(title) - 1 \
                and (i == 0 or not lines[i - 1].strip()):
            indent = line[: len(line) - len(line.lstrip())]
            section = title
            if title == "Example":
                out += [f"{indent}Examples", f"{indent}--------"]
                i += 2
                continue
            if title.title() not in known and title not in known:
                out += [f"{indent}.. rubric:: {title}", ""]
                i += 2
                body = _section_body(lines, i)
                if any(_COLUMNS.search(b) for b in body):  # a hand-aligned table: keep it as is
                    out += [f"{indent}::", ""] + [f"{indent}   {b}" if b.strip() else b for b in body]
                    i += len(body)
                continue
        if section == "References" and out and out[-1].strip().endswith((".", ")")) \
                and _NEW_REFERENCE.search(title) and not title.startswith(".. ["):
            out.append("")  # one paragraph per cited work
        out.append(line)
        i += 1
    return out


#: A line that starts a new cited work: an author list followed by a year in parentheses.
_NEW_REFERENCE = re.compile(r"^[^\s(][^()]{0,150}\(\d{4}[a-z]?\)")


_COLUMNS = re.compile(r"\S {2,}\S")


def _section_body(lines: list[str], start: int) -> list[str]:
    """Lines of the section starting at ``start``, up to the next underlined title."""
    end = start
    while end < len(lines):
        nxt = lines[end + 1].strip() if end + 1 < len(lines) else ""
        if lines[end].strip() and nxt and set(nxt) == {"-"}:
            break
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _process_docstring(app, what, name, obj, options, lines) -> None:
    lines[:] = normalise_sections(list(lines))


def setup(app):
    """Sphinx extension: normalise docstring sections before numpydoc parses them."""
    app.connect("autodoc-process-docstring", _process_docstring, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _sections(doc: str) -> dict[str, list[str]]:
    import warnings

    from numpydoc.docscrape import NumpyDocString

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return _parse_sections(NumpyDocString, doc)


def _parse_sections(NumpyDocString, doc: str) -> dict[str, list[str]]:  # noqa: N803
    try:
        parsed = NumpyDocString("\n".join(normalise_sections(inspect.cleandoc(doc).splitlines())))
    except Exception:  # noqa: BLE001 - a docstring numpydoc cannot parse has no methods section
        return {}
    return {"Notes": list(parsed["Notes"]), "References": list(parsed["References"]),
            "Summary": list(parsed["Summary"]) + [""] + list(parsed["Extended Summary"])}


_CITE = re.compile(r"\[([0-9A-Za-z]+)\]_")


def _notes_text(lines: list[str]) -> str:
    """Notes as reST for another page: citation references become plain ``[1]``."""
    return _CITE.sub(r"[\1]", "\n".join(lines)).strip()


def _references_text(lines: list[str]) -> str:
    """References as a bullet list (``.. [1] text`` → ``- [1] text``)."""
    text = "\n".join(lines).strip()
    items = re.split(r"\n(?=\.\. \[)", text)
    if len(items) == 1 and not text.startswith(".. ["):
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
        return "\n".join(f"- {p}" for p in paragraphs)
    out = []
    for item in items:
        m = re.match(r"\.\. \[([^\]]+)\]\s*(.*)", item, flags=re.S)
        body = f"[{m.group(1)}] {m.group(2)}" if m else item
        body = " ".join(line.strip() for line in body.splitlines())
        out.append(f"- {body}")
    return "\n".join(out)


def _members(module) -> list[tuple[str, object]]:
    out = []
    for name, obj in vars(module).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        out.append((name, obj))
    return out


def _method_block(title: str, role: str, target: str, doc: str | None) -> str | None:
    if not doc:
        return None
    sec = _sections(doc)
    notes, refs = sec.get("Notes") or [], sec.get("References") or []
    summary = sec.get("Summary") or []
    if role == "mod" and not any(line.strip() for line in notes) and any("math:" in x for x in summary):
        notes = summary  # a module whose docstring states its formulas up front
    if not any(line.strip() for line in notes + refs):
        return None
    parts = [heading(title, "~"), f"Voir :{role}:`{target}`.\n"]
    if any(line.strip() for line in notes):
        parts.append(_notes_text(notes) + "\n")
    if any(line.strip() for line in refs):
        parts += ["**Références**\n", _references_text(refs) + "\n"]
    return "\n".join(parts)


def generate_methods() -> None:
    by_section: dict[str, list[str]] = {}
    for module in public_modules():
        parts = module.__name__.split(".")
        key = parts[1] if len(parts) > 1 else ""
        blocks = []
        mod_block = _method_block(f"Module ``{module.__name__}``", "mod", module.__name__,
                                  module.__doc__)
        if mod_block:
            blocks.append(mod_block)
        for name, obj in _members(module):
            role = "class" if inspect.isclass(obj) else "func"
            block = _method_block(f"``{name}``", role, f"{module.__name__}.{name}",
                                  inspect.getdoc(obj))
            if block:
                blocks.append(block)
        if blocks:
            by_section.setdefault(key, []).extend(blocks)
    page = [".. _methods:\n", heading("Méthodes : formules et références", "="),
            textwrap.dedent("""\
            *Methods: formulas and references.* Cette page rassemble, pour chaque fonction
            publique de coopeval, la section **Notes** (la formule) et la section
            **References** (la source publiée) de sa documentation. Elle est générée depuis
            le code à chaque construction du site : elle ne peut pas s'en écarter. Chaque
            méthode est testée contre un exemple publié ou une implémentation indépendante
            (voir ``tests/reference/`` et le test de chaque module).
            """)]
    order = [k for k in SECTIONS if k in by_section] + sorted(set(by_section) - set(SECTIONS))
    for key in order:
        page.append(heading(SECTIONS.get(key, f"``coopeval.{key}``" if key else "coopeval"), "-"))
        page += by_section[key]
    write_if_changed(OUT / "methods.rst", "\n".join(page))


# ----------------------------------------------------------------------------- notebooks

def copy_notebooks() -> list[str]:
    names = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        target = OUT / "notebooks" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != path.read_bytes():
            shutil.copyfile(path, target)
        names.append(path.stem)
    index = [heading("Carnets de recherche (notebooks)", "="),
             "Les carnets ``notebooks/`` du dépôt, exécutés. Chacun se lance aussi dans "
             "Jupyter sur les données fournies. *The researcher notebooks of the repository, "
             "executed.*\n",
             ".. toctree::\n   :maxdepth: 1\n\n" + "\n".join(f"   {n}" for n in names) + "\n"]
    write_if_changed(OUT / "notebooks" / "index.rst", "\n".join(index))
    return names


def generate() -> None:
    """Write every generated page (called by ``conf.py``)."""
    generate_frameworks()
    generate_methods()
    copy_notebooks()
