"""Engines for SQLite (default) and PostgreSQL: same code, another URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 15_000
WRITE_OPTION = "deskui_write"
SQLITE_CACHE_KIB = 512  # page cache per connection (SQLite's default is 2,000 KiB)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """busy_timeout first, so even switching to WAL waits for a lock instead of failing."""
    dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, issues BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")  # WAL lets readers run beside one writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # the OS caches the file as well
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock at BEGIN so two of them queue up instead of deadlocking on
    the read-to-write upgrade; readers use a deferred BEGIN and never block anyone."""
    writing = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; for a SQLite file, create its folder first."""
    import deskui.store.search_index  # noqa: F401  (keeps the search index in step on commit)

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def writer(engine: Engine) -> Engine:
    """The same engine (and pool), marked so its transactions take the write lock up front."""
    return engine.execution_options(**{WRITE_OPTION: True})


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
