"""The server keeps its data to itself and opens its socket to the site."""

from __future__ import annotations

import stat
from pathlib import Path

from deskui.remote.serve import SiteServer


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_is_the_servers_alone_and_the_socket_is_open_without_a_group(
    site: SiteServer, db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        database = Path(db_url.removeprefix("sqlite:///"))
        assert _mode(database) == 0o600 and _mode(database.parent) == 0o700
        for journal in database.parent.glob(database.name + "-*"):
            assert _mode(journal) == 0o600, journal
    socket = site.server.path
    assert stat.S_ISSOCK(socket.stat().st_mode)
    assert _mode(socket) == 0o666 and _mode(socket.parent) == 0o755


def test_the_server_removes_its_socket_when_it_stops(site: SiteServer) -> None:
    path = site.server.path
    assert path.exists()
    site.stop()
    assert not path.exists()
