"""What a database error means for the person at the keyboard: one line naming the problem
and the fix, for the faults a site really meets (a damaged or read-only file, a full disk,
a server that is down), instead of a driver's traceback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError


class DatabaseMissing(Exception):
    """A command that only reads or changes data was pointed at a database that is not there."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no database at {path}; check --db / DESKUI_DB_URL, or create it with `deskui init`"
        )
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


def _where(url: str) -> str:
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def explain(exc: SQLAlchemyError, url: str) -> str:
    """One line for a database error."""
    where = _where(url)
    orig = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
    detail = str(orig if orig is not None else exc).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    low = first.lower()
    if "file is not a database" in low or "malformed" in low:
        return (
            f"{where} is not a deskui database, or it is damaged; give the right --db, or "
            "restore the file from a backup"
        )
    if "readonly" in low or "read-only" in low:
        return (
            f"{where} is read-only for you; run deskui as a user who may write the file and "
            "its folder (SQLite keeps its journal beside it)"
        )
    if "disk is full" in low or "disk full" in low or "no space" in low:
        return (
            f"the disk holding {where} is full; nothing was written. Free some space and run "
            "the command again"
        )
    if "unable to open database" in low:
        return f"cannot open {where}; check that the folder exists and that you may write there"
    if "database is locked" in low:
        return f"{where} is busy (another deskui is writing); try again in a moment"
    if "connection" in low or "could not translate host" in low or "timeout" in low:
        return (
            f"cannot connect to the database at {where}: {first.removeprefix('connection failed: ')}"
            "; check that the server is running and the URL (--db / DESKUI_DB_URL)"
        )
    if "does not exist" in low or "authentication failed" in low:
        return f"the database at {where} refused the connection: {first}; check the URL"
    return f"database error at {where}: {first}"
