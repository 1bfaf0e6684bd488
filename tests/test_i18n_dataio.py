"""A CLI fault is shown in the user's language (every id's translation: test_i18n_catalogue)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskui.i18n import set_language


def test_a_fault_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deskui.cli import main

    try:
        code = main(["--lang", "zh_CN", "audit", "--db", f"sqlite:///{tmp_path / 'typo.db'}"])
    finally:
        set_language("en")
    assert code == 2
    assert "处没有数据库" in capsys.readouterr().err
