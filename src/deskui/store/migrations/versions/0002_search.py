"""search: trigram full-text search over tickets and customers

SQLite: FTS5 external-content tables with the trigram tokenizer, kept in step by triggers
(`ticket_fts` over tickets.number/subject/description, `customer_fts` over customers.name/phone).
PostgreSQL: pg_trgm GIN indexes serving ILIKE '%term%' on the same columns.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SQLITE_UP = [
    """CREATE VIRTUAL TABLE ticket_fts USING fts5(
        number, subject, description,
        content='tickets', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER ticket_fts_ai AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_fts(rowid, number, subject, description)
        VALUES (new.id, new.number, new.subject, new.description);
    END""",
    """CREATE TRIGGER ticket_fts_ad AFTER DELETE ON tickets BEGIN
        INSERT INTO ticket_fts(ticket_fts, rowid, number, subject, description)
        VALUES ('delete', old.id, old.number, old.subject, old.description);
    END""",
    """CREATE TRIGGER ticket_fts_au AFTER UPDATE OF number, subject, description ON tickets BEGIN
        INSERT INTO ticket_fts(ticket_fts, rowid, number, subject, description)
        VALUES ('delete', old.id, old.number, old.subject, old.description);
        INSERT INTO ticket_fts(rowid, number, subject, description)
        VALUES (new.id, new.number, new.subject, new.description);
    END""",
    """CREATE VIRTUAL TABLE customer_fts USING fts5(
        name, phone, content='customers', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER customer_fts_ai AFTER INSERT ON customers BEGIN
        INSERT INTO customer_fts(rowid, name, phone) VALUES (new.id, new.name, new.phone);
    END""",
    """CREATE TRIGGER customer_fts_ad AFTER DELETE ON customers BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, name, phone)
        VALUES ('delete', old.id, old.name, old.phone);
    END""",
    """CREATE TRIGGER customer_fts_au AFTER UPDATE OF name, phone ON customers BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, name, phone)
        VALUES ('delete', old.id, old.name, old.phone);
        INSERT INTO customer_fts(rowid, name, phone) VALUES (new.id, new.name, new.phone);
    END""",
    "INSERT INTO ticket_fts(ticket_fts) VALUES ('rebuild')",
    "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS ticket_fts_ai",
    "DROP TRIGGER IF EXISTS ticket_fts_ad",
    "DROP TRIGGER IF EXISTS ticket_fts_au",
    "DROP TRIGGER IF EXISTS customer_fts_ai",
    "DROP TRIGGER IF EXISTS customer_fts_ad",
    "DROP TRIGGER IF EXISTS customer_fts_au",
    "DROP TABLE IF EXISTS ticket_fts",
    "DROP TABLE IF EXISTS customer_fts",
]

_PG_INDEXES = {
    "ix_tickets_number_trgm": ("tickets", "number"),
    "ix_tickets_subject_trgm": ("tickets", "subject"),
    "ix_tickets_description_trgm": ("tickets", "description"),
    "ix_customers_name_trgm": ("customers", "name"),
    "ix_customers_phone_trgm": ("customers", "phone"),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in _PG_INDEXES.items():
            op.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_DOWN:
            op.execute(statement)
    elif dialect == "postgresql":
        for name in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
