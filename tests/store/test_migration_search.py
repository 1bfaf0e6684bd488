"""Migration 0007 builds the search index of an existing database, and 0004 comes back."""

from __future__ import annotations

import pytest
from search_set import NOW, seed
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from deskui.store import queue as q
from deskui.store.engine import make_engine
from deskui.store.migrate import upgrade


@pytest.mark.parametrize("batch", [3, 2000])
def test_upgrade_indexes_existing_tickets_and_downgrade_restores_trigrams(
    db_url: str, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    from deskui.store import search_index
    from deskui.store.migrate import alembic_config

    monkeypatch.setattr(search_index, "BATCH", batch)  # several batches of a few tickets
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004")
        ids = seed(engine)  # written before the index exists
        upgrade(engine, "0007")
        with Session(engine) as session:
            query = q.Query(view=q.View.ALL, filter=q.QueueFilter(search="门锁"), now=NOW)
            assert sorted(q.search_ids(session, "门锁")) == sorted([ids["T1"], ids["T3"]])
            assert q.count(session, query) == 2
            assert sorted(q.search_ids(session, "李娜")) == sorted(
                ids[k] for k in ("T5", "T6", "T7", "T8")
            )
        command.downgrade(alembic_config(engine), "0004")
        tables = set(inspect(engine).get_table_names())
        assert "search_queue" not in tables
        if engine.dialect.name == "sqlite":
            assert {"ticket_fts", "customer_fts"} <= tables
    finally:
        engine.dispose()
