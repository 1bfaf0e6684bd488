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


def test_help_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from deskui.cli import main

    try:
        with pytest.raises(SystemExit):
            main(["--lang", "zh_CN", "import", "--help"])
    finally:
        set_language("en")
    out = capsys.readouterr().out
    assert "从 CSV 或 XLSX 文件导入工单" in out
    assert "即使有错误行也导入正确的行" in out


def test_help_in_english_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskui.cli import main

    monkeypatch.setenv("LC_ALL", "C")
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "import tickets from a CSV or XLSX file" in capsys.readouterr().out
