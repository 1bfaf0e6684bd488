"""Migration 0005 gives an existing database the calendar tables and its state row."""

from __future__ import annotations

from sqlalchemy import text

from deskui.store.engine import make_engine
from deskui.store.migrate import upgrade


def test_upgrade_from_0004_adds_the_calendar_state_row(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO teams (name, kind) VALUES ('Customer Service', 'service')"))
    upgrade(engine, "0005")
    with engine.connect() as conn:
        state = conn.execute(text("SELECT id, revision, config_adopted FROM calendar_state")).all()
        days = conn.execute(text("SELECT count(*) FROM calendar_days")).scalar()
    assert [(row[0], row[1], bool(row[2])) for row in state] == [(1, 0, False)]
    assert days == 0
    engine.dispose()
