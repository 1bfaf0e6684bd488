"""The site policy as a TOML file: read one (problems named by key path and line) and write one.

The file has the sections an old config.toml had (`tz`, `identity`, `[sla]`, `[callbacks]`,
`[kpi]`), so an admin can import a user's old config.toml as it is; its personal keys (language,
database, refresh, theme, keys) are noted and skipped.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from deskui.domain.site import SitePolicy

PERSONAL_KEYS = frozenset({"db_url", "lang", "refresh_seconds", "theme", "keys", "server"})
Loc = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))


def key_lines(text: str) -> dict[Loc, int]:
    """Where each key and table of a TOML text starts (1-based), arrays of tables indexed."""
    found: dict[Loc, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: Loc = ()

    def resolve(path: tuple[str, ...]) -> Loc:
        """[sla.rules.response] names a table inside the newest [[sla.rules]] element."""
        loc: list[str | int] = []
        for end in range(1, len(path) + 1):
            loc.append(path[end - 1])
            if path[:end] in counts and end < len(path):
                loc.append(counts[path[:end]])
        return tuple(loc)

    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            path = _parts(header.group(2))
            if header.group(1) == "[[":
                found.setdefault(resolve(path), number)
                counts[path] = counts.get(path, -1) + 1
                table = (*resolve(path), counts[path])
            else:
                table = resolve(path)
            found.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            found.setdefault((*table, *_parts(key.group(1))), number)
    return found


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the longest prefix of `loc` the text names."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def dotted(loc: Iterable[str | int]) -> str:
    """('sla', 'rules', 2, 'name') -> 'sla.rules[2].name'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class PolicyFileProblems(Exception):
    """A policy file that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_policy(path: Path) -> tuple[SitePolicy, list[str]]:
    """The policy a file describes (what it leaves out takes deskui's default) and the
    personal keys it had (skipped). Raises PolicyFileProblems or OSError."""
    raw_bytes = path.read_bytes()
    try:
        text = raw_bytes.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise PolicyFileProblems(["not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileProblems([f"not valid TOML: {exc}"]) from None
    personal = sorted(key for key in data if key in PERSONAL_KEYS)
    wanted = {key: value for key, value in data.items() if key not in PERSONAL_KEYS}
    try:
        return SitePolicy.model_validate(wanted), personal
    except ValidationError as exc:
        lines = key_lines(text)
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            given = error.get("input")
            shown = "" if isinstance(given, dict | list) or given is None else f" (got {given!r})"
            line = line_of(lines, loc)
            where = f"line {line}: " if line is not None else ""
            problems.append(f"{where}{dotted(loc) or '(top level)'}: {message}{shown}")
        raise PolicyFileProblems(problems) from None


# -- writing ----------------------------------------------------------------------------------
def _key(name: str) -> str:
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(out: list[str], path: tuple[str, ...], table: dict[str, Any]) -> None:
    plain = [(k, v) for k, v in table.items() if not isinstance(v, dict) and not _is_table_array(v)]
    nested = [(k, v) for k, v in table.items() if isinstance(v, dict) or _is_table_array(v)]
    if path and (plain or not nested):
        out.append("")
        out.append("[" + ".".join(_key(p) for p in path) + "]")
    out.extend(f"{_key(k)} = {_value(v)}" for k, v in plain)
    for key, value in nested:
        if isinstance(value, dict):
            _table(out, (*path, key), value)
            continue
        for item in value:
            out.append("")
            out.append("[[" + ".".join(_key(p) for p in (*path, key)) + "]]")
            out.extend(f"{_key(k)} = {_value(v)}" for k, v in item.items())


def dumps(document: dict[str, Any], comments: Iterable[str] = ()) -> str:
    """A policy document (JSON types) as TOML text, `comments` as # lines on top."""
    out = [f"# {line}" for line in comments]
    _table(out, (), document)
    return "\n".join(out).lstrip("\n") + "\n"


def flat(document: Any, prefix: Loc = ()) -> dict[str, Any]:
    """Dotted key -> value of a document's leaves, for showing what an import changes."""
    if isinstance(document, dict):
        found: dict[str, Any] = {}
        for key, value in document.items():
            found.update(flat(value, (*prefix, key)))
        return found
    if _is_table_array(document):
        found = {}
        for index, value in enumerate(document):
            found.update(flat(value, (*prefix, index)))
        return found
    return {dotted(prefix): document}
