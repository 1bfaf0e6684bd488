"""Migrations build the schema from empty on both backends, and match the ORM tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from deskui.store.engine import make_engine
from deskui.store.migrate import current_revision, ensure_current, head_revision
from deskui.store.tables import Base


def test_upgrade_from_empty_reaches_head_and_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    ensure_current(engine)
    assert current_revision(engine) == head_revision(engine)
    tables = set(inspect(engine).get_table_names())
    assert {
        "tickets",
        "ticket_events",
        "callbacks",
        "agents",
        "teams",
        "customers",
        "devices",
        "products",
    } <= tables
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # Only objects the migrations add beyond the ORM (e.g. search indexes) may differ.
    unexpected = [d for d in diff if not (isinstance(d, tuple) and d[0] == "remove_table")]
    assert [d for d in unexpected if d[0] not in ("remove_index",)] == []
    ensure_current(engine)  # idempotent
    engine.dispose()


def test_sqlite_pragmas(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    assert (tmp_path / "sub" / "x.db").exists()


def test_fast_current_check_agrees_with_alembic(db_url: str) -> None:
    from deskui.store.migrate import newest_revision_id

    engine = make_engine(db_url)
    assert newest_revision_id() == head_revision(engine)
    engine.dispose()
