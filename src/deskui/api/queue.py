"""The desk's queue reader over a `DeskApi`: windows, counts, and a prefetch of the first
window while the desk is still loading (the same hand-over as the store's reader, but over
any API, embedded or remote)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from deskui.api.protocol import DeskCalls
from deskui.domain.queue import Choice, Key, Query, QueueFilter, QueueRow, View

First = tuple[int, list[QueueRow]]


class QueueWindows:
    """The queue's reads through `api`; calls block, so the UI runs them in thread workers."""

    def __init__(self, api: DeskCalls) -> None:
        self.api = api
        self._prefetch: threading.Thread | None = None
        self._prefetched: tuple[Query, int, First | None] | None = None

    def prefetch(self, query: Query, limit: int) -> None:
        """Start reading `query`'s count and first `limit` rows on a thread now."""

        def read() -> None:
            try:
                result: First | None = self.api.queue_first(query, limit)
            except Exception:  # the desk's own read reports it
                result = None
            self._prefetched = (query, limit, result)

        self._prefetch = threading.Thread(target=read, name="queue-prefetch", daemon=True)
        self._prefetch.start()

    def prefetched(self, query: Query, limit: int) -> First | None:
        """The prefetched count and rows if read and answering `query`; never waits. Each
        prefetch is handed over once."""
        thread = self._prefetch
        if thread is None or thread.is_alive():
            return None
        return self._take(query, limit)

    def first(self, query: Query, limit: int) -> First:
        if self._prefetch is not None:
            self._prefetch.join()
            taken = self._take(query, limit)
            if taken is not None:
                return taken
        return self.api.queue_first(query, limit)

    def _take(self, query: Query, limit: int) -> First | None:
        assert self._prefetched is not None
        (early, early_limit, result), self._prefetched = self._prefetched, None
        self._prefetch = None
        same = replace(early, now=None) == replace(query, now=None)
        timeless = query.view not in (View.AT_RISK, View.BREACHED)
        if result is not None and same and timeless and early_limit >= limit:
            return result[0], result[1][:limit]
        return None

    def marker(self) -> int:
        return self.api.changes(-1).marker

    def after(
        self, query: Query, key: Key, limit: int, *, inclusive: bool = False
    ) -> list[QueueRow]:
        return self.api.queue_after(query, key, limit, inclusive)

    def last(self, query: Query, limit: int) -> First:
        return self.api.queue_last(query, limit)

    def before(self, query: Query, key: Key, limit: int) -> list[QueueRow]:
        return self.api.queue_before(query, key, limit)

    def at(self, query: Query, offset: int, limit: int) -> list[QueueRow]:
        return self.api.queue_at(query, offset, limit)

    def count(self, query: Query) -> int:
        return self.api.queue_count(query)

    def counts(
        self, *, actor_id: int | None, now: datetime, marker: int, flt: QueueFilter | None = None
    ) -> dict[View, int]:
        return self.api.queue_counts(actor_id, now, marker, flt)

    def choices(self) -> tuple[list[Choice], list[Choice]]:
        return self.api.queue_choices()
