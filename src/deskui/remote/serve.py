"""`deskui server`: the site's one owner of its data. Builds the context, registers the request
kinds, runs the background work (change feed, SLA sweep, LISTEN on PostgreSQL) and serves
until SIGTERM or Ctrl-C.

The request kind "desk" is where the desk's calls plug in (deskui.api.codec.dispatch):
`site.server.register("desk", handler)` with handler(caller, payload) -> payload.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from deskui.remote import wire
from deskui.remote.server import Server

log = logging.getLogger("deskui.server")


class SiteServer:
    def __init__(
        self,
        loaded: Any,
        socket: Path,
        *,
        group: str | None = None,
        mode: int | None = None,
        sweep_seconds: float = 60.0,
        feed_seconds: float = 1.0,
        clock: Callable[[], datetime] | None = None,
        admin_uids: frozenset[int] | None = None,
        limit: int = wire.MAX_FRAME,
    ) -> None:
        from deskui.remote import files
        from deskui.services.context import ServiceContext
        from deskui.store.engine import make_engine
        from deskui.store.faults import sqlite_file
        from deskui.store.migrate import upgrade

        self.loaded = loaded
        url = loaded.settings.db_url
        database = sqlite_file(url)
        if database is not None:
            for change in files.secure_database_file(database):
                log.info("tightened %s", change)
        engine = make_engine(url)
        upgrade(engine)  # the server owns the schema
        if database is not None:
            files.secure_database_file(database)
        self.ctx = ServiceContext(engine, loaded.settings, **({"clock": clock} if clock else {}))
        self.group, self.mode = group, mode
        self.sweep_seconds, self.feed_seconds = sweep_seconds, feed_seconds
        files.prepare_socket_folder(socket, group)
        self.server = Server(socket, admin_uids=admin_uids, limit=limit)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._register()

    def _register(self) -> None:
        from deskui.remote.capture import SPILL_AT
        from deskui.remote.cli_served import CliHandler
        from deskui.remote.desk_served import DeskHandler
        from deskui.remote.feed import Feed, notifier
        from deskui.remote.sweeper import Sweeper

        # output held for an answer stays well inside a frame (CJK text is 3 bytes a character)
        spill_at = min(SPILL_AT, self.server.limit // 8)
        self.server.register("cli", CliHandler((self.ctx, self.loaded), spill_at=spill_at))
        self.server.register("desk", DeskHandler(self.ctx))
        self.feed = Feed(self.ctx, self.server.hub)
        self.server.after_request(self.feed.poke)
        self.postgres = self.ctx.engine.dialect.name == "postgresql"
        if self.postgres:
            self.feed.on_change.append(notifier(self.ctx.engine))
        self.sweeper = Sweeper(self.ctx, after=self.feed.poke)

    def _thread(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def start(self) -> None:
        """Listen, and start the background work; returns at once."""
        from deskui.remote import capture, files

        capture.install()
        self.server.bind()
        files.open_socket(self.server.path, self.group, self.mode)
        self.server.start()
        self._thread("deskui-feed", lambda: self.feed.run(self._stop, self.feed_seconds))
        if self.sweep_seconds > 0:
            self._thread("deskui-sweep", lambda: self.sweeper.run(self._stop, self.sweep_seconds))
        if self.postgres:
            from deskui.remote.feed import PgListener

            url = self.ctx.engine.url.set(drivername="postgresql")
            listener = PgListener(url.render_as_string(hide_password=False), self.feed)
            self._thread("deskui-listen", lambda: listener.run(self._stop))
        self._thread("deskui-warm", self._warm)
        log.info("deskui server listening on %s", self.server.path)

    def _warm(self) -> None:
        """Read now what the first desk asks for first: the public holidays of the years
        around now (the holidays package takes 150 ms to import)."""
        from deskui.domain.calendar import years_around

        with contextlib.suppress(Exception):  # the desk's own call reports any fault
            self.ctx.policy.business.public_years(years_around(self.ctx.now().year))

    def stop(self) -> None:
        self._stop.set()
        self.feed.poke()
        self.server.shutdown()
        for thread in self._threads:
            thread.join(timeout=5)
        self.sweeper.release()
        self.ctx.engine.dispose()

    def wait(self) -> None:
        """Block until stop() (a signal handler calls it via request_stop)."""
        while not self._stop.wait(1.0):
            pass

    def request_stop(self) -> None:
        self._stop.set()
        self.feed.poke()
