"""Migration 0005 gives an existing database the (empty) calendar tables; the store reads an
empty state as revision 0 and makes the row on the first change."""

from __future__ import annotations

from sqlalchemy import text

from deskui.store.engine import make_engine
from deskui.store.migrate import upgrade


def test_upgrade_from_0004_adds_the_calendar_tables(db_url: str) -> None:
    from sqlalchemy.orm import Session

    from deskui.store import calendar as store

    engine = make_engine(db_url)
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO teams (name, kind) VALUES ('Customer Service', 'service')"))
    upgrade(engine, "0005")
    with engine.connect() as conn:
        state = conn.execute(text("SELECT id, revision, config_adopted FROM calendar_state")).all()
        days = conn.execute(text("SELECT count(*) FROM calendar_days")).scalar()
    assert state == [] and days == 0
    with Session(engine) as session, session.begin():
        assert store.state(session) == store.StateRow(0, False)
        assert store.bump_revision(session) == 1
        assert store.mark_config_adopted(session) and not store.mark_config_adopted(session)
    with Session(engine) as session:
        assert store.state(session) == store.StateRow(1, True)
    engine.dispose()
