"""Every message the server and its clients show has a Chinese entry with the same fields."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from deskui.i18n.zh_cn import MESSAGES

REMOTE = Path(__file__).resolve().parents[2] / "src" / "deskui" / "remote"


def _ids(path: Path) -> list[str]:
    return [
        node.args[0].value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_every_server_message_has_a_chinese_entry() -> None:
    ids = [i for path in sorted(REMOTE.glob("*.py")) for i in _ids(path)]
    assert len(ids) >= 8
    assert [i for i in ids if i not in MESSAGES] == []
    for i in ids:
        assert _fields(i) == _fields(MESSAGES[i]), i
