"""The server's files: the data only for the server's own OS user (files 0600, folders 0700),
the socket for the site's agents (a group, or everyone when no group is given; the server
still checks who each caller is)."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def private_umask() -> None:
    """Every file the server makes from here on (database, journal, WAL) is its own alone."""
    os.umask(PRIVATE_UMASK)


def _own(path: Path) -> bool:
    return path.stat().st_uid == os.geteuid()


def secure_database_file(path: Path) -> list[str]:
    """Make the SQLite file's folder 0700 and the file (and its journals) 0600 where this user
    owns them; what changed, for the log."""
    changed: list[str] = []
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    if _own(folder) and stat.S_IMODE(folder.stat().st_mode) != 0o700:
        folder.chmod(0o700)
        changed.append(f"{folder} 0700")
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        if (
            candidate.exists()
            and _own(candidate)
            and stat.S_IMODE(candidate.stat().st_mode) != 0o600
        ):
            candidate.chmod(0o600)
            changed.append(f"{candidate} 0600")
    return changed


def group_id(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise ValueError(f"no such group: {name}") from None


def _give_group(path: Path, group: str) -> None:
    try:
        os.chown(path, -1, group_id(group))
    except PermissionError:
        raise ValueError(
            f"cannot give {path} to group {group}: the server's OS user must be a member of "
            f"it (usermod -a -G {group} USER)"
        ) from None


def prepare_socket_folder(path: Path, group: str | None) -> None:
    """The socket's folder: agents of `group` may enter it (0750), or anyone (0755)."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    if not _own(folder):
        return  # e.g. /run/deskui made by systemd (RuntimeDirectory=): its mode is the unit's
    if group is None:
        folder.chmod(0o755)
    else:
        _give_group(folder, group)
        folder.chmod(0o750)


def open_socket(path: Path, group: str | None, mode: int | None) -> None:
    """After bind: agents of `group` may connect (0660), or anyone (0666)."""
    if group is not None:
        _give_group(path, group)
    path.chmod(mode if mode is not None else (0o660 if group is not None else 0o666))
