"""`deskui calendar …` and the calendar warning in `deskui sla show` (issue 17).

2027 dates here are TEST DATA (tests/calendar_testdata.py), invented for the tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from calendar_testdata import write_invented_2027_csv
from deskui.cli import main

NOV_2026 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
JUNE_2026 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "init"]) == 0
    return url


def run(db: str, *argv: str, clock: datetime = NOV_2026) -> int:
    return main(["--db", db, *argv], clock=lambda: clock)


def test_show_marks_every_kind_without_colour_and_says_estimated(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(db, "calendar", "show", "2027") == 0
    out = capsys.readouterr().out
    assert "2027: ESTIMATED" in out
    assert "! Calendar 2027 ESTIMATED" in out
    assert "[ 5]" in out  # the package's guessed Spring Festival, as a holiday
    assert "( 2)" in out  # 2027-01-02 is a Saturday: weekend
    grid = [line for line in out.split("Entries")[0].splitlines() if "make-up" not in line]
    assert not any("<" in line for line in grid)  # no make-up working day in 2027
    assert "[source: package]" in out
    assert all(len(line) <= 80 for line in grid[3:])  # the grid and legend fit 80 columns


def test_import_needs_yes_then_applies_and_check_passes(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_invented_2027_csv(tmp_path / "test-2027.csv")
    assert run(db, "calendar", "check") == 1  # November: 2027 has no official data
    assert run(db, "calendar", "check", clock=JUNE_2026) == 0  # only 2026 is checked in June
    capsys.readouterr()
    assert run(db, "calendar", "import", str(path)) == 2  # not a terminal and no --yes
    captured = capsys.readouterr()
    assert "+ 2027-02-05" in captured.out and "--yes" in captured.err
    assert run(db, "calendar", "check") == 1  # nothing was applied
    assert run(db, "calendar", "import", str(path), "--yes") == 0
    assert "Applied 24 change(s)" in capsys.readouterr().out
    assert run(db, "calendar", "check") == 0
    assert run(db, "calendar", "show", "2027") == 0
    out = capsys.readouterr().out
    assert "ESTIMATED" not in out and "<20>" in out and "[source: file]" in out
    assert run(db, "sla", "show") == 0
    assert "ESTIMATED" not in capsys.readouterr().out


def test_a_bad_file_is_one_line_with_line_and_reason(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-02-05,holiday,TEST\n2027-02-06,off,TEST\n")
    capsys.readouterr()
    assert run(db, "calendar", "import", str(path), "--yes") == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"deskui: {path}:3: kind 'off': use holiday or workday; nothing was changed"
    ]
    assert run(db, "calendar", "export", "--year", "2027") == 0
    assert "TEST" not in capsys.readouterr().out


def test_set_unset_and_sla_show_warning(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(db, "sla", "show") == 0
    assert "! Calendar 2027 ESTIMATED" in capsys.readouterr().out
    assert run(db, "calendar", "set", "2026-12-31", "holiday", "TEST", "site", "day") == 0
    assert run(db, "calendar", "show", "2026") == 0
    assert "TEST site day  [source: admin]" in capsys.readouterr().out
    assert run(db, "calendar", "unset", "2026-12-31") == 0
    assert run(db, "calendar", "unset", "2026-12-31") == 2
    assert "has no site entry" in capsys.readouterr().err
    assert run(db, "calendar", "set", "2026-13-01", "holiday") == 2


def test_chinese_output(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    argv = ["--db", db, "--lang", "zh_CN", "calendar", "show", "2027"]
    assert main(argv, clock=lambda: NOV_2026) == 0
    out = capsys.readouterr().out
    assert "估算" in out and "调休上班" in out
