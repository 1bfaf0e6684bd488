"""search bigrams: one token index that matches two-character Chinese terms

Replaces the trigram search of 0002 (which cannot match 门锁 or 张伟 inside a text) with an
index of pre-computed tokens (`deskui.domain.search_tokens`: CJK and digit bigrams, Latin
words) over number, phone, subject, customer name, description, request and comments:
SQLite FTS5 `search_fts`, PostgreSQL `ticket_search` (tsvector, GIN). Triggers note changed
tickets in `search_queue`; `deskui.store.search_index.drain` indexes them. Existing tickets
are queued with one INSERT ... SELECT and indexed in batches here.

Revision ID: 0007
Revises: 0004
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SQLITE_UP = [
    "CREATE TABLE search_queue (ticket_id INTEGER PRIMARY KEY)",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        number, phone, subject, body, tokenize='ascii')""",
    """CREATE TRIGGER search_queue_ticket_ai AFTER INSERT ON tickets BEGIN
        INSERT OR IGNORE INTO search_queue(ticket_id) VALUES (new.id);
    END""",
    """CREATE TRIGGER search_queue_ticket_au
        AFTER UPDATE OF number, subject, description, customer_request, customer_id ON tickets
    BEGIN
        INSERT OR IGNORE INTO search_queue(ticket_id) VALUES (new.id);
    END""",
    """CREATE TRIGGER search_queue_ticket_ad AFTER DELETE ON tickets BEGIN
        DELETE FROM search_fts WHERE rowid = old.id;
        DELETE FROM search_queue WHERE ticket_id = old.id;
    END""",
    """CREATE TRIGGER search_queue_customer_au AFTER UPDATE OF name, phone ON customers BEGIN
        INSERT OR IGNORE INTO search_queue(ticket_id)
        SELECT id FROM tickets WHERE customer_id = new.id;
    END""",
    """CREATE TRIGGER search_queue_comment_ai AFTER INSERT ON ticket_events
        WHEN new.kind = 'comment' AND new.ticket_id IS NOT NULL
    BEGIN
        INSERT OR IGNORE INTO search_queue(ticket_id) VALUES (new.ticket_id);
    END""",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_queue_ticket_ai",
    "DROP TRIGGER IF EXISTS search_queue_ticket_au",
    "DROP TRIGGER IF EXISTS search_queue_ticket_ad",
    "DROP TRIGGER IF EXISTS search_queue_customer_au",
    "DROP TRIGGER IF EXISTS search_queue_comment_ai",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_queue",
]

_PG_UP = [
    "CREATE TABLE search_queue (ticket_id BIGINT PRIMARY KEY)",
    "CREATE TABLE ticket_search (ticket_id BIGINT PRIMARY KEY, doc TSVECTOR NOT NULL)",
    "CREATE INDEX ix_ticket_search_doc ON ticket_search USING gin (doc)",
    """CREATE FUNCTION search_queue_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_queue(ticket_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_queue_ticket_ai AFTER INSERT ON tickets
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_queue_tickets()""",
    """CREATE FUNCTION search_queue_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_queue(ticket_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_queue_ticket_au
        AFTER UPDATE OF number, subject, description, customer_request, customer_id ON tickets
        FOR EACH ROW EXECUTE FUNCTION search_queue_ticket()""",
    """CREATE FUNCTION search_forget_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM ticket_search WHERE ticket_id = OLD.id;
        DELETE FROM search_queue WHERE ticket_id = OLD.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_queue_ticket_ad AFTER DELETE ON tickets
        FOR EACH ROW EXECUTE FUNCTION search_forget_ticket()""",
    """CREATE FUNCTION search_queue_customer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_queue(ticket_id) SELECT id FROM tickets WHERE customer_id = NEW.id
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_queue_customer_au AFTER UPDATE OF name, phone ON customers
        FOR EACH ROW EXECUTE FUNCTION search_queue_customer()""",
    """CREATE FUNCTION search_queue_comments() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_queue(ticket_id)
        SELECT DISTINCT ticket_id FROM new_rows
        WHERE kind = 'comment' AND ticket_id IS NOT NULL
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_queue_comment_ai AFTER INSERT ON ticket_events
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_queue_comments()""",
]
_PG_DOWN = [
    "DROP TRIGGER IF EXISTS search_queue_ticket_ai ON tickets",
    "DROP TRIGGER IF EXISTS search_queue_ticket_au ON tickets",
    "DROP TRIGGER IF EXISTS search_queue_ticket_ad ON tickets",
    "DROP TRIGGER IF EXISTS search_queue_customer_au ON customers",
    "DROP TRIGGER IF EXISTS search_queue_comment_ai ON ticket_events",
    "DROP FUNCTION IF EXISTS search_queue_tickets()",
    "DROP FUNCTION IF EXISTS search_queue_ticket()",
    "DROP FUNCTION IF EXISTS search_forget_ticket()",
    "DROP FUNCTION IF EXISTS search_queue_customer()",
    "DROP FUNCTION IF EXISTS search_queue_comments()",
    "DROP TABLE IF EXISTS ticket_search",
    "DROP TABLE IF EXISTS search_queue",
]


def _trigram_revision():  # type: ignore[no-untyped-def]
    """Migration 0002's module, whose statements this one undoes (and redoes on downgrade)."""
    path = next(Path(__file__).parent.glob("0002_*.py"))
    spec = importlib.util.spec_from_file_location("deskui_migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    from deskui.store.search_index import drain

    bind = op.get_bind()
    trigram = _trigram_revision()
    if bind.dialect.name == "sqlite":
        for statement in trigram._SQLITE_DOWN:
            op.execute(statement)
        for statement in _SQLITE_UP:
            op.execute(statement)
    else:
        for name in trigram._PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        for statement in _PG_UP:
            op.execute(statement)
    op.execute("INSERT INTO search_queue (ticket_id) SELECT id FROM tickets")
    drain(bind)  # batches of ids: bounded memory on a million tickets


def downgrade() -> None:
    bind = op.get_bind()
    statements = _SQLITE_DOWN if bind.dialect.name == "sqlite" else _PG_DOWN
    for statement in statements:
        op.execute(statement)
    _trigram_revision().upgrade()
