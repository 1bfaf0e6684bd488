"""The server runs the SLA sweep itself, so no cron is needed. On PostgreSQL several servers
may share the database: the one holding the advisory lock sweeps (the lock is tied to its
connection, so when that server dies another takes over on its next try)."""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger("deskui.server")


class Sweeper:
    def __init__(self, ctx: Any, after: Any = None) -> None:
        self.ctx = ctx
        self.after = after  # called after a pass (the feed pushes what it wrote)
        self._lock_conn: Any = None

    def leads(self) -> bool:
        """Whether this server is the one to sweep (always, on SQLite: one server per file)."""
        if self.ctx.engine.dialect.name != "postgresql":
            return True
        from deskui.store.feed import try_lead

        if self._lock_conn is not None:
            try:
                self._lock_conn.exec_driver_sql("SELECT 1")
                return True
            except Exception:
                self.release()
        conn = self.ctx.engine.connect()
        try:
            got = try_lead(conn)
            conn.commit()
        except Exception:
            conn.close()
            raise
        if got:
            self._lock_conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._lock_conn is not None:
            try:  # invalidate: back in the pool, the session (and its lock) would live on
                self._lock_conn.invalidate()
                self._lock_conn.close()
            except Exception as exc:
                log.debug("closing the sweep lock's connection: %s", exc)
            self._lock_conn = None

    def once(self) -> Any:
        """One pass if this server leads; its result, or None."""
        from deskui.services.sla_sweep import sweep

        if not self.leads():
            return None
        result = sweep(self.ctx)
        if self.after is not None:
            self.after()
        return result

    def run(self, stop: threading.Event, interval: float) -> None:
        while not stop.wait(interval):
            try:
                result = self.once()
                if result is not None and (result.at_risk or result.breached or result.escalated):
                    log.info("sla sweep: %s", result)
            except Exception as exc:
                log.warning("sla sweep: %s", exc)
        self.release()
