"""The queue as the desk reads it: the store's keyset-paged reader and its query vocabulary.

The UI takes these from here, never from the store: the reader's SQL stays in the store, and
in a shared-site client this module is where a remote reader would stand in for it.
"""

from __future__ import annotations

from deskui.store.queue import (
    WINDOW_MARGIN,
    Choice,
    Query,
    QueueFilter,
    QueueReader,
    QueueRow,
    Sort,
    View,
    end_key,
    start_key,
)

__all__ = [
    "WINDOW_MARGIN",
    "Choice",
    "Query",
    "QueueFilter",
    "QueueReader",
    "QueueRow",
    "Sort",
    "View",
    "end_key",
    "start_key",
]
