"""The search index, kept in step with tickets, customers and comments.

Tokens come from `domain.search_tokens` (bigrams for CJK and digits, words for Latin), which
no SQL can compute, so database triggers (migration 0007) only note *which* tickets changed,
in `search_queue`; every writer path, the ORM, Core bulk inserts and imports alike, fills it.
`drain` indexes the queued tickets in batches (bounded memory), and runs before every commit
of a SQLAlchemy connection (sessions and Core alike), so a write is searchable in its own
transaction. Bulk loaders on raw driver connections (demo) call it themselves.

SQLite: FTS5 table `search_fts(number, phone, subject, body)`, rowid = ticket id, with the
`ascii` tokenizer over the pre-tokenised text (tokens separated by spaces; every non-ASCII
character is a token character, so a bigram stays one token). Fields inside `body` are
separated by an ideographic space, a token no search produces, so no phrase spans two.
PostgreSQL: `ticket_search(ticket_id, doc tsvector)` with a GIN index; the fields carry the
weights A number, B phone, C subject, D the rest, which the ranking asks for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, column, delete, event, select, table, text
from sqlalchemy.orm import Session

from deskui.domain.enums import EventKind
from deskui.domain.search_tokens import phone_tokens, tokens, tokens_of
from deskui.store.tables import Customer, Ticket, TicketEvent

BATCH = 2_000
MAX_TEXT = 8_000  # characters of one field that are indexed
GAP = "\u3000"  # separates fields within the SQLite body column
PG_MAX_POSITION = 16_383
PG_MAX_POSITIONS = 255  # per lexeme

QUEUE = table("search_queue", column("ticket_id"))
FTS = table("search_fts", column("rowid"))
PG_DOCS = table("ticket_search", column("ticket_id"), column("doc"))


Db = Session | Connection


def _dialect(db: Db) -> str:
    return db.dialect.name if isinstance(db, Connection) else db.get_bind().dialect.name


def _texts(session: Db, ids: Sequence[int]) -> dict[int, list[str | None]]:
    """[number, phone, subject, name, description, request, comments...] per ticket id."""
    found: dict[int, list[str | None]] = {}
    stmt = (
        select(
            Ticket.id,
            Ticket.number,
            Customer.phone,
            Ticket.subject,
            Customer.name,
            Ticket.description,
            Ticket.customer_request,
        )
        .join(Customer, Customer.id == Ticket.customer_id)
        .where(Ticket.id.in_(ids))
    )
    for row in session.execute(stmt):
        found[row[0]] = [None if v is None else str(v)[:MAX_TEXT] for v in row[1:]]
    comments = (
        select(TicketEvent.ticket_id, TicketEvent.body)
        .where(TicketEvent.ticket_id.in_(ids), TicketEvent.kind == EventKind.COMMENT)
        .order_by(TicketEvent.ticket_id, TicketEvent.id)
    )
    for ticket_id, body in session.execute(comments):
        if ticket_id in found and body:
            found[ticket_id].append(body[:MAX_TEXT])
    return found


def sqlite_row(texts: list[str | None]) -> dict[str, str]:
    number, phone, subject, *rest = texts
    body = f" {GAP} ".join(" ".join(part) for part in tokens_of(rest))
    return {
        "number": f" {GAP} ".join(
            " ".join(found) for found in (tokens(number or ""), phone_tokens(number or ""))
        ),
        "phone": " ".join(phone_tokens(phone or "")),
        "subject": " ".join(tokens(subject or "")),
        "body": body,
    }


def pg_document(texts: list[str | None]) -> str:
    """A tsvector literal: positions count through the fields with a gap between them."""
    number, phone, subject, *rest = texts
    fields = [
        (tokens(number or ""), "A"),
        (phone_tokens(number or ""), "A"),  # its digits as one run: 20261123-0042 typed
        (phone_tokens(phone or ""), "B"),
        (tokens(subject or ""), "C"),
        *((tokens(part or ""), "D") for part in rest),
    ]
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for found, weight in fields:
        if not found:
            continue
        for token in found:
            position = min(position + 1, PG_MAX_POSITION)
            seen = positions[token]
            if len(seen) < PG_MAX_POSITIONS:
                seen.append(f"{position}{weight}")
        position += 1  # a gap: no phrase spans two fields
    return " ".join(
        "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(where)
        for lexeme, where in positions.items()
    )


def _index(session: Db, ids: Sequence[int]) -> None:
    texts = _texts(session, ids)
    if _dialect(session) == "postgresql":
        session.execute(delete(PG_DOCS).where(PG_DOCS.c.ticket_id.in_(ids)))
        if texts:
            session.execute(
                text(
                    "INSERT INTO ticket_search (ticket_id, doc) VALUES (:id, CAST(:doc AS tsvector))"
                ),
                [{"id": i, "doc": pg_document(t)} for i, t in texts.items()],
            )
        return
    session.execute(delete(FTS).where(FTS.c.rowid.in_(ids)))
    if texts:
        session.execute(
            text(
                "INSERT INTO search_fts (rowid, number, phone, subject, body) "
                "VALUES (:id, :number, :phone, :subject, :body)"
            ),
            [{"id": i, **sqlite_row(t)} for i, t in texts.items()],
        )


def drain(session: Db, *, batch: int | None = None, limit: int | None = None) -> int:
    """Index the queued tickets, `batch` at a time in id order; how many were indexed.
    PostgreSQL skips rows another transaction is indexing (`SKIP LOCKED`); reading on from
    the last id keeps it from passing the rows this one already deleted, again and again."""
    postgres = _dialect(session) == "postgresql"
    batch = batch or BATCH
    done, after = 0, None
    while limit is None or done < limit:
        stmt = select(QUEUE.c.ticket_id).order_by(QUEUE.c.ticket_id).limit(batch)
        if after is not None:
            stmt = stmt.where(QUEUE.c.ticket_id > after)
        if postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list(session.scalars(stmt))
        if not ids:
            break
        _index(session, ids)
        session.execute(delete(QUEUE).where(QUEUE.c.ticket_id.in_(ids)))
        done += len(ids)
        after = ids[-1]
    return done


@contextmanager
def _own_drain(engine: Engine) -> Iterator[Connection]:
    """A transaction whose commit does not drain the rest of the queue (this caller drains
    it in steps, each committed). It writes, so on SQLite it takes the write lock at BEGIN:
    a read that turned into a write after another connection committed (a server's sweep)
    would fail at once with "database is locked"."""
    from deskui.store.engine import writer

    with writer(engine).connect() as conn:
        conn.info["search_draining"] = True  # (kept by the pooled connection: reset below)
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info["search_draining"] = False


def drain_engine(engine: Engine, *, batch: int | None = None, per_commit: int = 50_000) -> int:
    """Index everything queued (after a bulk load), committing every `per_commit` tickets.
    On PostgreSQL a big queue is indexed without its GIN index, built once at the end (as
    the demo loader builds its other indexes), many times faster than row by row."""
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        queued = conn.execute(text("SELECT count(*) FROM search_queue")).scalar_one()
    rebuild = postgres and queued > per_commit
    if rebuild:
        with _own_drain(engine) as conn:
            conn.execute(text("DROP INDEX IF EXISTS ix_ticket_search_doc"))
    done = 0
    try:
        while True:
            with _own_drain(engine) as conn:
                step = drain(conn, batch=batch, limit=per_commit)
            done += step
            if step < per_commit:
                break
    finally:
        if rebuild:
            with _own_drain(engine) as conn:
                conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
                conn.execute(
                    text("CREATE INDEX ix_ticket_search_doc ON ticket_search USING gin (doc)")
                )
    if done and postgres:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE ticket_search"))
    return done


def has_index(conn: Connection) -> bool:
    """Whether the database has the index (migration 0007 on, not downgraded): one catalogue
    lookup, cheap next to a commit."""
    if conn.dialect.name == "postgresql":
        found = conn.execute(text("SELECT to_regclass('search_queue')")).scalar()
    else:
        found = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_queue'")
        ).scalar()
    return found is not None


@event.listens_for(Engine, "commit")
def _drain_before_commit(conn: Connection) -> None:
    """Every write is searchable in its own transaction (this runs before the commit)."""
    if conn.info.get("search_draining") or not has_index(conn):
        return
    conn.info["search_draining"] = True
    try:
        drain(conn)
    finally:
        conn.info["search_draining"] = False
