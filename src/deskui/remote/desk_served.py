"""The server's side of the desk: each request of kind "desk" is one `DeskApi` call, run by
`deskui.api.codec.dispatch` on an `EmbeddedDeskApi` acting as the caller.

The caller is who the socket's peer credentials name (the server sets `acting_for` around
the request); the rules are the services', as in embedded mode.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from deskui.remote.server import Caller

ACTOR_SECONDS = 30.0  # how long a caller's agent record (role, team) is trusted before re-reading


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
        from deskui.api.embedded import EmbeddedDeskApi
        from deskui.services.accounts import sign_in

        api = EmbeddedDeskApi(self.ctx, sign_in(self.ctx))  # the peer's agent record
        with self._lock:
            self._apis[caller.username] = (now, api)
        return api
