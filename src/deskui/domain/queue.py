"""The queue's vocabulary: views, sorts, filters, rows and keyset positions.

The store reads windows of `QueueRow`s with these; the desk builds `Query`s and holds `Key`s
without knowing any SQL, so a desk talking to a server needs no SQLAlchemy. A `Key` is a
position in the order: (segment index, the sort key's values) — see `store.queue`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from deskui.domain.enums import Category, Channel, Priority, Status, Tier

WINDOW_MARGIN = 40  # rows the desk keeps beyond the visible ones on each side


class View(StrEnum):
    OPEN = "open"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PENDING = "pending"
    COMPLAINTS = "complaints"
    VIP = "vip"
    CALLBACK = "callback"
    ALL = "all"


# The views whose rows depend on the time (the rest ignore a query's `now`).
TIMED_VIEWS = frozenset({View.AT_RISK, View.BREACHED})


class Sort(StrEnum):
    URGENCY = "urgency"
    CREATED = "created"
    PRIORITY = "priority"
    BEST = "best"  # a search's best matches first (number, phone, subject, rest), then newest


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Narrowing on top of a view; `None` means any."""

    category: Category | None = None
    priority: Priority | None = None
    status: Status | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    channel: Channel | None = None
    search: str | None = None

    def with_(self, **changes: Any) -> QueueFilter:
        return replace(self, **changes)

    @property
    def active(self) -> bool:
        return any(getattr(self, name) not in (None, "") for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Key:
    segment: int
    values: tuple[int | datetime, ...] | None  # the segment's sort columns (ids, instants)


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: int
    number: str
    subject: str
    category: Category
    priority: Priority
    status: Status
    tier: Tier
    channel: Channel
    customer_name: str
    assignee_name: str | None
    created_at: datetime
    next_due_at: datetime | None
    next_warn_at: datetime | None
    paused_at: datetime | None
    resolve_due_at: datetime
    resolved_at: datetime | None
    is_open: bool
    key: Key = field(compare=False)
    response_due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Query:
    """Everything that decides which rows the queue shows and in what order."""

    view: View = View.OPEN
    sort: Sort = Sort.URGENCY
    filter: QueueFilter = QueueFilter()
    actor_id: int | None = None
    now: datetime | None = None


# Segments per sort (store.queue `_segments`, which checks these at import): urgency has three
# (due, no due, closed), created one, best match one per search rank, priority three per rank.
SEARCH_RANKS = 4
SEGMENT_COUNT = {
    Sort.URGENCY: 3,
    Sort.CREATED: 1,
    Sort.PRIORITY: 3 * len(Priority),
    Sort.BEST: SEARCH_RANKS,
}


def start_key(sort: Sort) -> Key:
    return Key(0, None)


def end_key(sort: Sort) -> Key:
    return Key(SEGMENT_COUNT[sort] - 1, None)


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str
