"""Catalogue upkeep with Babel: extract the ids, update and check the .po, compile the .mo,
fold a leftover dict module. Used by `scripts/i18n.py` and the catalogue test, never by the
desk (the desk reads the compiled .mo with the standard library)."""

from __future__ import annotations

import ast
import io
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from deskui.i18n import DOMAIN, LOCALE_DIR
from deskui.i18n.labels import ENGLISH_LABELS

SOURCE = Path(__file__).resolve().parents[1]  # src/deskui
LANGUAGE = "zh_CN"
# Error classes whose first argument is a message id (ServiceError and its kin).
ERRORS = (
    "ServiceError",
    "NotFound",
    "PermissionDenied",
    "InvalidAction",
    "ImportFileError",
    "InvalidSearch",
    "ReportError",
    "CalendarConflict",
    "SearchRefused",
    "BadRequest",
    "SiteConflict",
    "RemoteError",
    "RuleError",
    "WorkflowError",
    "HandlerError",
    "CliError",
    "ConfigError",
    "DemoError",
    "note",  # domain.notes: a timeline note's id
)
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "gettext": None,
    "pgettext": ((1, "c"), 2),
    "ngettext": (1, 2),
    "npgettext": ((1, "c"), 2, 3),
    "Binding": (3,),  # Binding(key, action, description)
    **{name: None for name in ERRORS},
    "BadCalendarFile": (3,),  # BadCalendarFile(path, line, message_id, **params)
    "refuse": (4,),  # services.audit.refuse(ctx, actor, action, message_id, **params)
    "event_note": (2,),  # domain.notes.event_note(event, message_id, …)
    "both_words": None,  # services.report_words: a report's words in both languages
    "both_column": None,
    "both_notes": None,
}
# argparse calls whose help=/description=/title= are ids (cli_help translates them when printed)
ARGPARSE = {"add_argument", "add_parser", "add_subparsers", "ArgumentParser", "Parser", "add"}
# Words that read differently in Chinese: the translation that must not appear anywhere.
FORBIDDEN = {"问题单": "工单"}


def po_path(lang: str = LANGUAGE) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str = LANGUAGE) -> Path:
    return po_path(lang).with_suffix(".mo")


Key = tuple[str, str | None]  # (msgid, context); a plural's key is its singular


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (str(msgid), message.context)


# -- extraction ----------------------------------------------------------------------------------
def _extract_deskui(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator:
    """Babel's Python extractor, plus what it cannot see: `tooltip=` and `description=`
    keywords of a Binding, and `HELP_GROUP = "…"` class attributes."""
    source = fileobj.read()
    named = io.BytesIO(source)
    named.name = getattr(fileobj, "name", "(unknown)")  # type: ignore[attr-defined]
    yield from extract_python(named, keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in ARGPARSE:
            for kw in node.keywords:
                if kw.arg in {"help", "description", "title"} and _text(kw.value):
                    yield (node.lineno, "_", _text(kw.value), [])
            if _name(node.func) == "add" and len(node.args) >= 3 and _text(node.args[2]):
                yield (
                    node.lineno,
                    "_",
                    _text(node.args[2]),
                    [],
                )  # cli.py's add(name, handler, help)
        elif isinstance(node, ast.Call) and _name(node.func) == "Binding":
            for kw in node.keywords:
                if kw.arg in {"tooltip", "description"} and _text(kw.value):
                    yield (node.lineno, "_", _text(kw.value), [])
        elif (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "HELP_GROUP" for t in node.targets)
            and _text(node.value)
        ):
            yield (node.lineno, "_", _text(node.value), [])


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(source: Path = SOURCE) -> Catalog:
    """Every id the source uses, with where; enum labels come from `ENGLISH_LABELS`."""
    template = Catalog(domain=DOMAIN, project="deskui", fuzzy=False)
    found = extract_from_dir(
        source,
        method_map=[("**.py", _extract_deskui)],
        keywords=KEYWORDS,
        comment_tags=("i18n:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        if not message or (isinstance(message, tuple) and not all(message)):
            continue
        template.add(
            message,
            locations=[(f"deskui/{filename}", lineno)],
            auto_comments=comments,
            context=context,
            flags=_flags(message),
        )
    for key, english in ENGLISH_LABELS.items():
        template.add(
            english, context=key.split(".", 1)[0], locations=[("deskui/i18n/labels.py", 0)]
        )
    return template


def _flags(message: str | tuple[str, ...]) -> tuple[str, ...]:
    text = message if isinstance(message, str) else message[0]
    return ("python-brace-format",) if "{" in text else ()


# -- the catalogue -------------------------------------------------------------------------------
def load(lang: str = LANGUAGE) -> Catalog:
    with po_path(lang).open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def save(catalog: Catalog, lang: str = LANGUAGE) -> None:
    """Write the .po (sorted, so diffs stay small) and compile the .mo beside it."""
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fp:
        write_po(fp, catalog, width=100, sort_output=True, ignore_obsolete=True, omit_header=False)
    compile_mo(lang)


def compile_mo(lang: str = LANGUAGE) -> Path:
    catalog = load(lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    out = mo_path(lang)
    if not out.exists() or out.read_bytes() != buffer.getvalue():
        out.write_bytes(buffer.getvalue())
    return out


def new_catalog(lang: str = LANGUAGE) -> Catalog:
    catalog = Catalog(locale=lang, domain=DOMAIN, project="deskui", fuzzy=False)
    catalog.language_team = "deskui"
    return catalog


def update(lang: str = LANGUAGE) -> list[Key]:
    """Bring the .po in line with the source: new ids added untranslated, obsolete ones
    dropped (returned, so the caller can say which)."""
    catalog = load(lang) if po_path(lang).exists() else new_catalog(lang)
    template = extract()
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    dropped = [_key(m) for m in catalog.obsolete.values()]
    catalog.obsolete.clear()
    save(catalog, lang)
    return dropped


# -- folding a leftover dict module -------------------------------------------------------------
@dataclass
class FoldReport:
    added: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    same: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # id, kept, theirs
    bad: list[tuple[str, str]] = field(default_factory=list)  # id, why


def read_dict_module(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """`MESSAGES` and `LABELS` of a catalogue module, read without running it (literal dicts;
    `**spread` entries of other modules are skipped, fold those modules themselves)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {"MESSAGES": {}, "LABELS": {}}
    for node in tree.body:
        target = value = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            target, value = node.targets[0].id, node.value
        if target in found and isinstance(value, ast.Dict):
            for k, v in zip(value.keys, value.values, strict=True):
                if k is not None and _text(k) is not None and _text(v) is not None:
                    found[target][_text(k)] = _text(v)  # type: ignore[index]
    return found["MESSAGES"], found["LABELS"]


def fold(path: Path, lang: str = LANGUAGE, prefer_theirs: bool = False) -> FoldReport:
    """Merge a `zh_cn_<name>.py` dict module into the .po of `lang`.

    New ids are added; an id the .po has untranslated is filled; an id translated differently
    is a conflict (the .po's translation is kept unless `prefer_theirs`); a translation whose
    placeholders differ from its id's is refused. `LABELS` keys (`Enum.value`) become entries
    with the enum's name as context. Forbidden words (问题单) are replaced (工单).
    """
    messages, labels = read_dict_module(path)
    catalog = load(lang) if po_path(lang).exists() else new_catalog(lang)
    report = FoldReport()
    entries: list[tuple[str, str | None, str]] = [(k, None, v) for k, v in messages.items()]
    for key, text in labels.items():
        kind = key.split(".", 1)[0]
        english = ENGLISH_LABELS.get(key, key.split(".", 1)[-1].replace("_", " "))
        entries.append((english, kind, text))
    for msgid, context, text in entries:
        for wrong, right in FORBIDDEN.items():
            text = text.replace(wrong, right)
        if placeholders(msgid) != placeholders(text):
            report.bad.append((msgid, "placeholders differ"))
            continue
        existing = catalog.get(msgid, context=context)
        if existing is None:
            catalog.add(msgid, text, context=context, flags=_flags(msgid))
            report.added.append(msgid)
        elif not existing.string:
            existing.string = text
            report.filled.append(msgid)
        elif existing.string == text:
            report.same.append(msgid)
        else:
            report.conflicts.append((msgid, str(existing.string), text))
            if prefer_theirs:
                existing.string = text
    save(catalog, lang)
    return report


# -- checks --------------------------------------------------------------------------------------
def placeholders(text: str | Iterable[str]) -> list[str]:
    """The `{names}` a template fills (sorted; a malformed template has the marker `!`)."""
    texts = [text] if isinstance(text, str) else list(text)
    names: set[str] = set()
    for t in texts:
        try:
            names |= {name for _, name, _, _ in string.Formatter().parse(t) if name is not None}
        except ValueError:
            names.add("!")
    return sorted(names)


def mo_matches_po(lang: str = LANGUAGE) -> list[str]:
    """Ids whose compiled translation differs from the .po's (empty: the .mo is current)."""

    def text(message: Message) -> tuple[str, ...]:
        value = message.string
        return tuple(value) if isinstance(value, tuple | list) else (str(value),)

    with mo_path(lang).open("rb") as fp:
        compiled = {_key(m): text(m) for m in read_mo(fp) if m.id}
    written = {_key(m): text(m) for m in load(lang) if m.id and all(text(m)) and not m.fuzzy}
    differ = {k for k in compiled.keys() | written.keys() if compiled.get(k) != written.get(k)}
    return sorted(f"{ctx}|{msgid}" if ctx else msgid for msgid, ctx in differ)
