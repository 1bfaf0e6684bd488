"""What a fault means for the person at the keyboard: one line naming the problem and the
fix, for the faults a site really meets (a damaged or read-only database, a full disk, a
server that is down, a path that does not exist), instead of a traceback."""

from __future__ import annotations

import errno
from typing import Any

from deskui.i18n import _


def _where(url: str) -> str:
    from sqlalchemy.engine import make_url

    from deskui.store.faults import sqlite_file

    try:
        path = sqlite_file(url)
        if path is not None:
            return str(path)
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: show it as given
        return url


def missing_database(path: str) -> str:
    return _(
        "no database at {path}; check --db / DESKUI_DB_URL, or create it with `deskui init`"
    ).format(path=path)


def database_problem(exc: Any, url: str) -> str:
    """One line for a SQLAlchemy error."""
    where = _where(url)
    orig = getattr(exc, "orig", None)
    detail = str(orig if orig is not None else exc).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    low = first.lower()
    if "file is not a database" in low or "malformed" in low:
        return _(
            "{where} is not a deskui database, or it is damaged; give the right --db, or "
            "restore the file from a backup"
        ).format(where=where)
    if "readonly" in low or "read-only" in low:
        return _(
            "{where} is read-only for you; run deskui as a user who may write the file and "
            "its folder (SQLite keeps its journal beside it)"
        ).format(where=where)
    if "disk is full" in low or "disk full" in low or "no space" in low:
        return _(
            "the disk holding {where} is full; nothing was written. Free some space and run "
            "the command again"
        ).format(where=where)
    if "unable to open database" in low:
        return _(
            "cannot open {where}; check that the folder exists and that you may write there"
        ).format(where=where)
    if "database is locked" in low:
        return _("{where} is busy (another deskui is writing); try again in a moment").format(
            where=where
        )
    if "connection" in low or "could not translate host" in low or "timeout" in low:
        return _(
            "cannot connect to the database at {where}: {detail}; check that the server is "
            "running and the URL (--db / DESKUI_DB_URL)"
        ).format(where=where, detail=first.removeprefix("connection failed: "))
    if "does not exist" in low or "authentication failed" in low:
        return _("the database at {where} refused the connection: {detail}; check the URL").format(
            where=where, detail=first
        )
    return _("database error at {where}: {detail}").format(where=where, detail=first)


def served_database_problem(exc: Any) -> str:
    """One line for a database fault inside the server: the caller can neither see the
    server's database nor give another --db, so the fix is to retry or to tell the admin."""
    orig = getattr(exc, "orig", None)
    detail = str(orig if orig is not None else exc).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    low = first.lower()
    if "database is locked" in low:
        return _("the site's database is busy; try again in a moment")
    if "disk is full" in low or "disk full" in low or "no space" in low:
        return _("the server's disk is full; nothing was saved. Tell the site's admin")
    return _(
        "the site's database failed ({detail}); nothing was saved. Tell the site's admin"
    ).format(detail=first)


def os_problem(exc: OSError) -> str:
    """One line for a file the command could not read or write."""
    where = exc.filename or _("a file")
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return _(
            "the disk is full writing {where}; free some space and run the command again"
        ).format(where=where)
    if exc.errno == errno.ENOENT:
        return _("{where}: {reason}; check the path (its folder must exist)").format(
            where=where, reason=reason
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("{where}: {reason}; choose a place you may write to").format(
            where=where, reason=reason
        )
    return f"{where}: {reason}"
