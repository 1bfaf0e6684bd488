"""`deskui list` over the hand-made search set, on SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
import json
from datetime import datetime

import pytest
from rich.cells import cell_len
from search_set import NOW, TICKETS, seed
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from deskui.cli import main
from deskui.config import Settings
from deskui.domain.enums import Role
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.store.tables import Ticket


@pytest.fixture
def handmade(engine: Engine) -> tuple[Engine, dict[str, int]]:
    return engine, seed(engine)


def _run(engine: Engine, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    url = engine.url.render_as_string(hide_password=False)
    code = main(["--db", url, "list", *args], clock=lambda: NOW)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def signed_in(handmade: tuple[Engine, dict[str, int]]) -> tuple[Engine, dict[str, int]]:
    engine, ids = handmade
    ctx = ServiceContext(engine, Settings(db_url=str(engine.url)), clock=lambda: NOW)
    me = add_agent(ctx, getpass.getuser(), role=Role.AGENT, team="Service", display_name="我")
    with Session(engine) as session, session.begin():
        ticket = session.get(Ticket, ids["T4"])
        assert ticket is not None
        ticket.assignee_id = me.id
    return engine, ids


def test_list_json_a_search_best_match_first(
    signed_in: tuple[Engine, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    engine, _ids = signed_in
    code, out, err = _run(engine, capsys, "--view", "all", "--search", "1234", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["number"] for r in rows] == [TICKETS[k][0] for k in ("T6", "T4", "T1", "T7", "T8")]
    first = rows[1]
    assert first["subject"] == "App 显示离线"
    assert first["status"] == "new" and first["priority"] == "normal"
    assert first["category"] == "help" and first["assignee"] == "我"
    for field in ("response_due_at", "resolve_due_at", "created_at"):
        moment = datetime.fromisoformat(first[field])
        assert moment.utcoffset() is not None and first[field].endswith("+08:00")
    assert datetime.fromisoformat(first["created_at"]) == NOW.replace(day=16)


def test_list_views_sorts_and_limits(
    signed_in: tuple[Engine, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    engine, _ids = signed_in
    _code, out, _err = _run(engine, capsys, "--view", "mine", "--format", "json")
    assert [r["number"] for r in json.loads(out)] == [TICKETS["T4"][0]]
    args = ("--view", "all", "--search", "1234", "--sort", "urgency", "--limit", "2")
    _code, out, _err = _run(engine, capsys, *args, "--format", "json")
    assert [r["number"] for r in json.loads(out)] == [TICKETS[k][0] for k in ("T8", "T7")]
    _code, out, _err = _run(engine, capsys, "--sort", "created", "--format", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("number,subject,status,priority,category")
    assert [line.split(",")[0] for line in lines[1:3]] == [TICKETS["T8"][0], TICKETS["T7"][0]]


def test_list_table_fits_the_terminal_and_prints_customer_text_safely(
    signed_in: tuple[Engine, dict[str, int]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, ids = signed_in
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE tickets SET subject = :s WHERE id = :id"),
            {
                "s": "=cmd|' /C calc'!A0 门锁 \x1b[31mred\x1b]8;;http://e\x1b\\ 很长的中文主题" * 3,
                "id": ids["T3"],
            },
        )
    for width in (40, 80, 132):
        monkeypatch.setenv("COLUMNS", str(width))
        code, out, err = _run(engine, capsys, "--view", "all", "--search", "门锁")
        assert code == 0, err
        lines = out.splitlines()
        assert len(lines) == 1 + 2 + 1  # header, T3 and T1, "2 of 2"
        assert all(cell_len(line) <= width for line in lines), width
        assert "\x1b" not in out
        assert "␛[31m" in out or width < 132
        assert "2 of 2" in lines[-1]
    _code, out, _err = _run(engine, capsys, "--view", "all", "--search", "门锁", "--format", "csv")
    assert ",'=cmd|" in out  # a formula is not a formula in a spreadsheet


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--search", "门"), "one character"),
        (("--search", "x" * 100_000), "limited to 100 characters"),
        (("--limit", "0"), "--limit must be between 1 and"),
    ],
)
def test_list_refuses_with_one_line(
    signed_in: tuple[Engine, dict[str, int]],
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    engine, _ids = signed_in
    code, out, err = _run(engine, capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("deskui: ") and message in err and err.count("\n") == 1
