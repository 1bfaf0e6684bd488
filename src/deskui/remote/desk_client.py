"""The desk as a client of a deskui server: every `DeskApi` call goes over the socket, and
what the server pushes reaches the desk at once.

Standard library, pydantic and Textual only (no SQLAlchemy, Alembic, services or store): a
desk in client mode starts close to a bare Textual app. A lost server is a `ServerUnavailable`
(the desk says "Reconnecting…" and keeps every draft); the next call connects again.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from deskui.remote.client import Connection, ServerError, connect

RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)


class DeskLink:
    """Calls on one connection per thread (the desk calls from several workers at once), and
    the pushes on a connection of their own."""

    def __init__(self, path: Path | str, language: str) -> None:
        self.path = path
        self.language = language
        self._local = threading.local()
        self._stop = threading.Event()

    def send(self, request: dict[str, Any]) -> dict[str, Any]:
        conn: Connection | None = getattr(self._local, "conn", None)
        try:
            if conn is None:
                conn = connect(self.path, language=self.language)
                self._local.conn = conn
            return conn.call("desk", request)
        except ServerError as exc:  # gone, restarting, or refused the frame: connect anew
            self._local.conn = None
            if conn is not None:
                conn.close()
            raise ConnectionError(str(exc)) from None

    def watch(self, pushed: Any, noticed: Any = None) -> None:
        """Feed `pushed` (RemoteDeskApi.pushed) from the server, reconnecting when it goes:
        None while it is gone, and a change on every (re)connect so the desk catches up.
        Reminders and escalations for the caller go to `noticed` (RemoteDeskApi.noticed)."""

        def run() -> None:
            failures = 0
            while not self._stop.is_set():
                try:
                    with connect(self.path, language=self.language) as conn:
                        for event in conn.events(lambda: pushed({"marker": -1, "changed": True})):
                            failures = 0
                            if event.topic == "changed":
                                marker = int(event.data.get("event_id") or 0)
                                pushed({"marker": marker, "changed": True})
                            elif event.topic == "notification" and noticed is not None:
                                noticed(event.data)
                except (ServerError, OSError):
                    pass
                if self._stop.is_set():
                    return
                pushed(None)
                self._stop.wait(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
                failures += 1

        threading.Thread(target=run, name="deskui-push", daemon=True).start()

    def close(self) -> None:
        self._stop.set()


def _read_ahead(api: Any, actor_id: int) -> Any:
    """Get what the first paint needs while Textual loads, as the embedded desk reads its
    first rows: the queue's first rows, and the SLA policy its countdowns use (with the
    public holidays of the years around now, which the server sends)."""
    import shutil

    from deskui.api.queue import QueueWindows
    from deskui.clock import utc_now
    from deskui.domain.queue import WINDOW_MARGIN, Query

    reader = QueueWindows(api)
    lines = shutil.get_terminal_size().lines
    reader.prefetch(Query(actor_id=actor_id, now=utc_now()), lines + WINDOW_MARGIN)

    def policy() -> None:
        found = api.sla_policy()
        if found is not None:
            found.business.is_working_day(utc_now().date())

    threading.Thread(target=policy, name="policy-prefetch", daemon=True).start()
    return reader


def run_desk(path: Path, settings: Any) -> int:
    """Open the desk on the server at `path`; its exit status."""
    import sys

    from deskui.api.codec import RemoteDeskApi
    from deskui.domain.errors import ServiceError

    link = DeskLink(path, settings.lang)
    api = RemoteDeskApi(link.send, can_push=True)
    try:
        actor = api.me()
        site = api.site()  # the header's clock needs it: never a call on the UI's thread
    except ServiceError as exc:
        print(f"deskui: {exc}", file=sys.stderr)
        return 2
    link.watch(api.pushed, api.noticed)
    reader = _read_ahead(api, actor.id)
    from deskui.ui.app import run_app

    try:
        run_app(api, actor, settings, reader, site)
    finally:
        link.close()
    return 0
