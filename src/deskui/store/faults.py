"""Where a database lives, and refusing to invent one: a command that reads or changes data
never creates a SQLite file (a mistyped --db is an error, not a new empty database)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url


class DatabaseMissing(Exception):
    """A command that only reads or changes data was pointed at a database that is not there."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no database at {path}")
        self.path = path


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for memory databases and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def require_existing(url: str) -> None:
    """Raise DatabaseMissing for a SQLite file that does not exist (never create one)."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise DatabaseMissing(str(path))


def same_database(first: str, second: str) -> bool:
    """Whether two URLs name one database (a copy onto itself would delete it)."""
    a, b = sqlite_file(first), sqlite_file(second)
    if a is not None or b is not None:
        return a is not None and b is not None and a.resolve() == b.resolve()
    try:
        one, two = make_url(first), make_url(second)
    except Exception:  # not URLs: the connection will say so
        return False
    return one.get_backend_name() == two.get_backend_name() and all(
        getattr(one, k) == getattr(two, k) for k in ("host", "port", "database")
    )
