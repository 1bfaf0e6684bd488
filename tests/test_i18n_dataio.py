"""The CLI's import, fault and confirmation messages have Simplified Chinese entries, and a
fault is shown in the user's language."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from deskui.i18n import set_language
from deskui.i18n.zh_cn import MESSAGES

SRC = Path(__file__).resolve().parents[1] / "src" / "deskui"
MODULES = ["cli.py", "cli_output.py", "cli_faults.py", "cli_aftersales.py"]


def _message_ids(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "_"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append(node.args[0].value)
    return found


def test_every_cli_message_has_a_chinese_entry() -> None:
    from deskui.cli import IMPORTED

    ids = [i for module in MODULES for i in _message_ids(SRC / module)]
    ids += [i for pair in IMPORTED.values() for i in pair]
    assert len(ids) > 20
    missing = [i for i in ids if i not in MESSAGES]
    assert missing == []
    for i in ids:  # the same placeholders in both languages
        assert sorted(_fields(i)) == sorted(_fields(MESSAGES[i])), i


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_a_fault_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deskui.cli import main

    try:
        code = main(["--lang", "zh_CN", "audit", "--db", f"sqlite:///{tmp_path / 'typo.db'}"])
    finally:
        set_language("en")
    assert code == 2
    assert "处没有数据库" in capsys.readouterr().err
