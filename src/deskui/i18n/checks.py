"""What the catalogue test demands of the zh_CN catalogue, as a list of readable problems."""

from __future__ import annotations

import ast
import functools
from collections import Counter
from typing import Any

from deskui.i18n import tools


def _raw_keys(text: str) -> list[tuple[str, str | None]]:
    """(msgid, msgctxt) of every entry as written, duplicates included (Babel's reader keeps
    only the last of a duplicate)."""
    keys: list[tuple[str, str | None]] = []
    context: str | None = None
    field: str | None = None
    parts: dict[str, str] = {}
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith("#~"):
            continue
        if line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")) or not line:
            if not line or line.startswith("msgctxt "):
                if "msgid" in parts:
                    keys.append((parts["msgid"], context))
                parts, context = {}, None
            if line:
                field, _, rest = line.partition(" ")
                parts[field] = ast.literal_eval(rest)
                if field == "msgctxt":
                    context = parts[field]
        elif line.startswith('"') and field:
            parts[field] = parts.get(field, "") + ast.literal_eval(line)
    return [(msgid, ctx) for msgid, ctx in keys if msgid]


@functools.cache
def _extracted() -> Any:
    """The source's ids (read once per process: the checks only vary the catalogue)."""
    return tools.extract()


def problems() -> list[str]:
    found: list[str] = []
    raw = tools.po_path().read_text(encoding="utf-8")
    for (msgid, ctx), count in Counter(_raw_keys(raw)).items():
        if count > 1:
            found.append(f"duplicate entry ({count}×): {ctx + '|' if ctx else ''}{msgid!r}")
    catalog = tools.load()
    source = _extracted()
    used = {tools._key(m): m for m in source if m.id}
    have = {tools._key(m): m for m in catalog if m.id}
    for key, message in sorted(used.items(), key=str):
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        name = f"{key[1] + '|' if key[1] else ''}{key[0]!r}"
        entry = have.get(key)
        if entry is None:
            found.append(f"missing from zh_CN: {name} ({where})")
            continue
        strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
        if not all(strings) or entry.fuzzy:
            found.append(f"untranslated in zh_CN: {name} ({where})")
            continue
        ids = entry.id if isinstance(entry.id, tuple | list) else (entry.id,)
        want = tools.placeholders(ids)
        for text in strings:
            if tools.placeholders(text) != want:
                found.append(f"placeholders differ: {name} → {text!r}")
        for wrong, right in tools.FORBIDDEN.items():
            if any(wrong in s for s in strings):
                found.append(f"{wrong} in {name}: the Chinese UI says {right}")
    for key in sorted(have.keys() - used.keys(), key=str):
        found.append(
            f"obsolete (no longer in the source): {key[1] + '|' if key[1] else ''}{key[0]!r}"
        )
    found += [
        f".mo differs from .po: {k} (run scripts/i18n.py compile)" for k in tools.mo_matches_po()
    ]
    return found
