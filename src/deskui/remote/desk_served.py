"""The server's side of the desk: each request of kind "desk" is one `DeskApi` call, run by
`deskui.api.codec.dispatch` on an `EmbeddedDeskApi` acting as the caller.

The caller is who the socket's peer credentials name (the server sets `acting_for` around
the request); the rules are the services', as in embedded mode. The time is the server's:
a desk's clock may be skewed or lie, so the `now` a call carries is never used here.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from deskui.api.embedded import EmbeddedDeskApi
from deskui.domain.kpi_rows import KpiReport
from deskui.domain.queue import TIMED_VIEWS, Query, QueueFilter, View
from deskui.remote.server import Caller

ACTOR_SECONDS = 30.0  # how long a caller's agent record (role, team) is trusted before re-reading


class ServedDeskApi(EmbeddedDeskApi):
    """The caller's calls on the server: every `now` a desk sends is replaced by the server's
    clock, so the at-risk and breached views and counts, the KPI board's period, the report
    month and the estimated-calendar warning are the server's decisions. (The desk still
    ticks its countdowns between pushes on its own clock: that is display only.)"""

    def _own(self, query: Query) -> Query:
        own = super()._own(query)
        # Only the timed views read the time; the others drop it, so the reader's per-query
        # hints (sizes, search matches) carry over from a count to the pages after it.
        now = self.ctx.now() if own.view in TIMED_VIEWS else None
        return own if own.now == now else replace(own, now=now)

    def queue_counts(
        self, actor_id: int | None, now: datetime, marker: int, flt: QueueFilter | None = None
    ) -> dict[View, int]:
        return super().queue_counts(actor_id, self.ctx.now(), marker, flt)

    def kpi_board(self, now: datetime) -> KpiReport:
        return super().kpi_board(self.ctx.now())

    def report_month(self, text: str | None, now: datetime) -> str:
        return super().report_month(text, self.ctx.now())

    def estimated_years(self, now: datetime) -> list[int]:
        return super().estimated_years(self.ctx.now())


class DeskHandler:
    """Handler for requests of kind "desk"; one `EmbeddedDeskApi` per caller, kept for its
    queue reader's counts and re-made when the agent record may have changed."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self._apis: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def __call__(self, caller: Caller, payload: dict[str, Any]) -> dict[str, Any]:
        from deskui.api.codec import dispatch, encode_error
        from deskui.domain.errors import ServiceError

        try:
            api = self._api_for(caller)
        except ServiceError as exc:  # not an agent, or deactivated: said, as in embedded mode
            return {"error": encode_error(exc)}
        return dispatch(api, payload)

    def _api_for(self, caller: Caller) -> Any:
        now = time.monotonic()
        with self._lock:
            known = self._apis.get(caller.username)
        if known is not None and now - known[0] < ACTOR_SECONDS:
            return known[1]
        from deskui.services.accounts import sign_in

        api = ServedDeskApi(self.ctx, sign_in(self.ctx))  # the peer's agent record
        with self._lock:
            self._apis[caller.username] = (now, api)
        return api
