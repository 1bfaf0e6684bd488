"""Pushing events to subscribed connections: each subscriber has a bounded queue, and one that
stops reading (its queue fills) is dropped rather than slowing the server down."""

from __future__ import annotations

import contextlib
import queue
import select
import socket
import threading
from dataclasses import dataclass, field

from deskui.remote import wire

QUEUE_SIZE = 1000
WAKE_SECONDS = 1.0  # how often an idle subscription checks that its client is still there


@dataclass(eq=False)
class Subscription:
    username: str
    events: queue.Queue[wire.Event | None] = field(default_factory=lambda: queue.Queue(QUEUE_SIZE))


class Hub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: set[Subscription] = set()

    def count(self) -> int:
        with self._lock:
            return len(self._subscriptions)

    def publish(self, topic: str, data: dict[str, object], *, to_user: str | None = None) -> None:
        """Queue an event for every subscriber (or only `to_user`'s subscriptions)."""
        event = wire.Event(topic=topic, data=data)
        with self._lock:
            targets = [s for s in self._subscriptions if to_user in (None, s.username)]
        for sub in targets:
            try:
                sub.events.put_nowait(event)
            except queue.Full:
                self._drop(sub)

    def close_all(self) -> None:
        with self._lock:
            subs = list(self._subscriptions)
        for sub in subs:
            self._drop(sub)

    def _drop(self, sub: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(sub)
        # Wake its thread, which then ends; when its queue is full, it notices on its next wake.
        with contextlib.suppress(queue.Full):
            sub.events.put_nowait(None)

    def serve(self, sock: socket.socket, username: str, request_id: int) -> None:
        """Run one subscription on this connection until the client goes away."""
        sub = Subscription(username)
        with self._lock:
            self._subscriptions.add(sub)
        try:
            wire.send(sock, wire.Response(id=request_id, payload={"subscribed": True}))
            while True:
                try:
                    event = sub.events.get(timeout=WAKE_SECONDS)
                except queue.Empty:
                    if _gone(sock) or not self._active(sub):
                        return
                    continue
                if event is None:
                    return
                wire.send(sock, event)
        except OSError:
            return
        finally:
            with self._lock:
                self._subscriptions.discard(sub)

    def _active(self, sub: Subscription) -> bool:
        with self._lock:
            return sub in self._subscriptions


def _gone(sock: socket.socket) -> bool:
    """True when the client closed its end (anything it sends here is ignored)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(4096) == b""
    except OSError:
        return True
