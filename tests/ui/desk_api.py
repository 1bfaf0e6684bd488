"""The API the UI tests' desks call: embedded, or — with DESKUI_TEST_API=loopback — the same
embedded API behind the codec (`RemoteDeskApi` -> JSON -> `dispatch`), which proves that
every call the desk makes survives the wire."""

from __future__ import annotations

import json
import os
from typing import Any

from deskui.api.codec import RemoteDeskApi, dispatch
from deskui.api.embedded import EmbeddedDeskApi
from deskui.domain.actors import Actor
from deskui.services.context import ServiceContext

LOOPBACK = os.environ.get("DESKUI_TEST_API", "embedded") == "loopback"


class LoopbackDeskApi(RemoteDeskApi):
    """A remote API whose "server" is `embedded`, every message through JSON text. It sweeps
    in-process like the embedded desk it stands for (a real server sweeps by itself)."""

    runs_sweep = True

    def __init__(self, embedded: EmbeddedDeskApi) -> None:
        self.embedded = embedded

        def send(message: dict[str, Any]) -> dict[str, Any]:
            reply = dispatch(embedded, json.loads(json.dumps(message)))
            return json.loads(json.dumps(reply))  # type: ignore[no-any-return]

        super().__init__(send)

    def sweep(self) -> None:
        self.embedded.sweep()


def make_api(ctx: ServiceContext, actor: Actor) -> Any:
    embedded = EmbeddedDeskApi(ctx, actor)
    return LoopbackDeskApi(embedded) if LOOPBACK else embedded
