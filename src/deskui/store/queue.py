"""Queue queries: views with indexed counts, keyset windows in SLA/created/priority order, search.

Nothing here loads the whole table. A window is read with keyset pagination on the sort key,
split into *segments* so that every segment is one index range scan (NULL due times come last
without an `IS NULL` sort expression, which no index can serve):

    urgency   [open, due NOT NULL by (due, id)], [open, due NULL by id], [closed by id]
    created   [all by (created_at, id) DESC]
    priority  for each rank: the three urgency segments

A position in the order is a `Key` (segment index, key values); `None` values mean "the
open end of that segment", so `Key(0, None)` is before the first row and
`Key(last, None)` after the last one when reading backwards. Segments a query cannot match
(closed tickets in the open view, say) are skipped without asking the database.

SQLite has no statistics unless ANALYZE runs, and its average-only statistics would mislead
it on a column like `is_open` (1 % open) anyway; so the created order, the one order that no
view index serves, and the few-row sets (pending callbacks, search matches) tell it which index
to start from (`_drive`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import False_
from sqlalchemy.sql.expression import UnaryExpression

from deskui.domain.enums import Category, Priority, Status, Tier
from deskui.domain.queue import (  # noqa: F401  (re-exported)
    SEGMENT_COUNT,
    WINDOW_MARGIN,
    Choice,
    Key,
    Query,
    QueueFilter,
    QueueRow,
    Sort,
    View,
    end_key,
    start_key,
)
from deskui.store import search
from deskui.store.tables import Agent, Callback, Customer, Team, Ticket

WALK_ABOVE = 2_000  # a created-order query with more rows walks the created index


# -- conditions -------------------------------------------------------------------------------
def _col(column: Any, indexed: bool) -> Any:
    """`column`, or `+column`: SQLite's documented way to keep a term from choosing an index."""
    if indexed:
        return column
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def view_condition(
    view: View, *, actor_id: int | None, now: datetime | None, indexed: bool = True
) -> ColumnElement[bool]:
    open_ = Ticket.is_open.is_(True)
    if view is View.OPEN:
        return open_
    if view is View.MINE:
        mine = actor_id if actor_id is not None else -1
        return and_(_col(Ticket.assignee_id, indexed) == mine, open_)
    if view is View.UNASSIGNED:
        return and_(_col(Ticket.assignee_id, indexed).is_(None), open_)
    if view in (View.AT_RISK, View.BREACHED):
        assert now is not None, "at-risk and breached views need the time"
        due = bindparam(None, now, type_=Ticket.next_due_at.type)
        if view is View.BREACHED:
            return and_(open_, Ticket.next_due_at < due)
        warn = bindparam(None, now, type_=Ticket.next_warn_at.type)
        return and_(open_, Ticket.next_due_at >= due, Ticket.next_warn_at <= warn)
    if view is View.PENDING:
        return and_(_col(Ticket.status, indexed) == Status.PENDING_CUSTOMER, open_)
    if view is View.COMPLAINTS:
        return and_(_col(Ticket.category, indexed) == Category.COMPLAINT, open_)
    if view is View.VIP:
        return and_(_col(Ticket.tier, indexed) == Tier.VIP, open_)
    if view is View.CALLBACK:
        # Driven by the few pending callbacks (done_at index), not by a scan of resolved tickets.
        pending = select(Callback.ticket_id).where(
            Callback.done_at.is_(None), Callback.skipped_at.is_(None)
        )
        return and_(_col(Ticket.status, indexed) == Status.RESOLVED, Ticket.id.in_(pending))
    return true()


def _view_facts(query: Query) -> tuple[bool | None, bool | None] | None:
    """(open?, has a running target?) shared by every row the query can match (None: mixed);
    None when view and status filter contradict each other and nothing can match."""
    view, status = query.view, query.filter.status
    is_open = {View.ALL: None, View.CALLBACK: False}.get(view, True)
    if status is not None:
        if is_open is not None and is_open != status.is_open:
            return None
        is_open = status.is_open
    return is_open, (True if view in (View.AT_RISK, View.BREACHED) else None)


def search_condition(session: Session, term: str, *, indexed: bool = True) -> ColumnElement[bool]:
    """One condition for `/` search: `tickets.id IN (matches)` from the token index
    (`store.search`): number, phone, subject, customer name, description, request and
    comments, two characters and more, Chinese and English. Raises SearchRefused."""
    if not term.strip():
        return true()
    prefix = search.number_prefix(term)
    if prefix is not None:
        number = _col(Ticket.number, indexed)
        return and_(number >= prefix, number < prefix + "\uffff")
    return search.condition(session, _col(Ticket.id, indexed), search.search_terms(term))


def filter_conditions(
    session: Session, flt: QueueFilter, *, indexed: bool = True, search_indexed: bool = True
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    for name in ("category", "priority", "status", "team_id", "assignee_id", "channel"):
        value = getattr(flt, name)
        if value is not None:
            conds.append(_col(getattr(Ticket, name), indexed) == value)
    if flt.search:
        conds.append(search_condition(session, flt.search, indexed=search_indexed))
    return conds


class _Drive(StrEnum):
    """Which index a SQLite read should start from (PostgreSQL has statistics and chooses)."""

    VIEW = "view"  # the view's or a filter's index, which also gives the segment's order
    ORDER = "order"  # the created index, filtering as it goes (the created order, many rows)
    SET = "set"  # a small set of ids: pending callbacks, search matches; then sort them


def _drive(session: Session, query: Query, size: int | None, *, ordered: bool = True) -> _Drive:
    """Walking an order costs about limit x (table / matches) steps, sorting the matches about
    one row read each: with more than WALK_ABOVE matches walking wins, below it sorting."""
    if session.get_bind().dialect.name != "sqlite":
        return _Drive.VIEW
    small = size is not None and size <= WALK_ABOVE
    if query.view is View.CALLBACK or (query.filter.search and (small or size is None)):
        return _Drive.SET  # (a count, size None, of a search also starts from its matches)
    if ordered and query.sort in (Sort.CREATED, Sort.BEST) and not small:
        # (a search of thousands too: probing its set row by row beats sorting all of them)
        return _Drive.ORDER
    return _Drive.VIEW


def _where(session: Session, query: Query, drive: _Drive) -> list[ColumnElement[bool]]:
    indexed = drive is _Drive.VIEW
    view = view_condition(query.view, actor_id=query.actor_id, now=query.now, indexed=indexed)
    # The search's matches may drive a read, except a walk of an order (`_Drive.ORDER`).
    found = filter_conditions(
        session, query.filter, indexed=indexed, search_indexed=drive is not _Drive.ORDER
    )
    return [view, *found]


def _searched_view(session: Session, query: Query) -> list[ColumnElement[bool]] | None:
    """A search's WHERE terms read from the view's index, probing the matches, for a view
    (open, mine, …) with fewer tickets than a common word has matches: 门锁 is in 130,000
    of a million tickets, 1,500 of them open; looking each match up costs more than the
    open index. None where that does not hold (All, the callback view's few tickets)."""
    if session.get_bind().dialect.name != "sqlite" or not query.filter.search:
        return None
    if query.view in (View.ALL, View.CALLBACK):
        return None
    view = view_condition(query.view, actor_id=query.actor_id, now=query.now, indexed=True)
    return [view, *filter_conditions(session, query.filter, indexed=True, search_indexed=False)]


# -- counts -----------------------------------------------------------------------------------
def count(session: Session, query: Query) -> int:
    only_search = query.filter == QueueFilter(search=query.filter.search)
    by_number = search.number_prefix(query.filter.search) is not None
    if query.view is View.ALL and query.filter.search and only_search and not by_number:
        # one index row per ticket: count those, without reading the tickets
        return search.count(session, search.search_terms(query.filter.search))
    where = _searched_view(session, query) or _where(
        session, query, _drive(session, query, None, ordered=False)
    )
    stmt = select(func.count()).select_from(Ticket).where(*where)
    return session.execute(stmt).scalar_one()


def count_matches(session: Session, query: Query) -> tuple[int, list[int] | None]:
    """The query's count and, when it starts from a small set (a search, the callbacks due),
    its matching ids, so that reading its rows need not look them up again (and the best
    match order ranks them from their own tokens). The All view counts first: its searches
    often match thousands, which a plain count finds faster."""
    drive = _drive(session, query, None, ordered=False)
    if drive is not _Drive.SET:
        return count(session, query), None
    where = _where(session, query, _Drive.SET)
    if query.view is View.ALL:  # a plain count first: it may be thousands
        total = count(session, query)
        if total > WALK_ABOVE:
            return total, None
        return total, list(session.scalars(select(Ticket.id).where(*where)))
    where = _searched_view(session, query) or where
    stmt = select(Ticket.id, func.count().over()).where(*where).limit(WALK_ABOVE + 1)
    found = session.execute(stmt).all()  # one lookup of the set gives both
    total = found[0][1] if found else 0
    return total, ([row[0] for row in found] if total <= WALK_ABOVE else None)


def view_counts(
    session: Session,
    *,
    actor_id: int | None,
    now: datetime,
    views: Sequence[View] = tuple(View),
    flt: QueueFilter | None = None,
) -> dict[View, int]:
    """One indexed aggregate per view (cheap range counts rather than one wide scan)."""
    result: dict[View, int] = {}
    for view in views:
        result[view] = count(
            session, Query(view=view, filter=flt or QueueFilter(), actor_id=actor_id, now=now)
        )
    return result


# -- ordering ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Segment:
    condition: ColumnElement[bool]
    columns: tuple[Any, ...]
    names: tuple[str, ...]
    descending: bool = False
    is_open: bool | None = None  # what every row of the segment shares (None: mixed)
    due: bool | None = None

    def possible(self, facts: tuple[bool | None, bool | None]) -> bool:
        return all(
            mine is None or theirs is None or mine == theirs
            for mine, theirs in zip((self.is_open, self.due), facts, strict=True)
        )


def _segments(
    sort: Sort, *, indexed: bool = True, ranks: list[ColumnElement[bool]] | None = None
) -> list[_Segment]:
    """The queue order as index-friendly pieces, each walked by one index in its own order.

    Urgency: running targets by due time, then open tickets without one (paused, by id), then
    closed ones (by id). Only open tickets have a running target (`sla_fields.refresh_next`),
    so "closed" is spelled `is_open = 0 AND next_due_at IS NULL`: with both equal, every
    (<filter column>, is_open, next_due_at) index yields the rows already in id order and no
    view or filter sorts a million rows. `indexed=False` leaves the choice of index to the
    view (the callback view's few ids).

    Best match: one segment per rank class of the search (`search.rank_conditions`), each
    newest first; without a search only the last one, every ticket, can match.
    """
    is_open, due = _col(Ticket.is_open, indexed), _col(Ticket.next_due_at, indexed)
    open_, closed = is_open.is_(True), is_open.is_(False)
    due_set, due_null = due.is_not(None), due.is_(None)
    by_due = ((Ticket.next_due_at, Ticket.id), ("next_due_at", "id"))
    by_id = ((Ticket.id,), ("id",))

    def urgency(*same: ColumnElement[bool]) -> list[_Segment]:
        return [
            _Segment(and_(*same, open_, due_set), *by_due, is_open=True, due=True),
            _Segment(and_(*same, open_, due_null), *by_id, is_open=True, due=False),
            _Segment(and_(*same, closed, due_null), *by_id, is_open=False, due=False),
        ]

    by_created = ((Ticket.created_at, Ticket.id), ("created_at", "id"))
    if sort is Sort.CREATED:
        return [_Segment(true(), *by_created, descending=True)]
    if sort is Sort.BEST:
        if ranks is None:
            ranks = [false()] * (len(search.RANKS) - 1) + [true()]
        return [_Segment(rank, *by_created, descending=True) for rank in ranks]
    if sort is Sort.PRIORITY:
        return [
            seg
            for priority in sorted(Priority, key=lambda p: p.rank)
            for seg in urgency(_col(Ticket.priority, indexed) == priority)
        ]
    return urgency()


# The domain's segment counts (the UI's keys) are this module's segments.
assert {sort: len(_segments(sort)) for sort in Sort} == SEGMENT_COUNT, SEGMENT_COUNT


def _row_select() -> Select[Any]:
    assignee = aliased(Agent)
    return (
        select(
            Ticket.id,
            Ticket.number,
            Ticket.subject,
            Ticket.category,
            Ticket.priority,
            Ticket.status,
            Ticket.tier,
            Ticket.channel,
            Customer.name,
            assignee.display_name,
            Ticket.created_at,
            Ticket.next_due_at,
            Ticket.next_warn_at,
            Ticket.paused_at,
            Ticket.resolve_due_at,
            Ticket.resolved_at,
            Ticket.is_open,
            Ticket.response_due_at,
        )
        .join(Customer, Customer.id == Ticket.customer_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
    )


def _to_row(raw: Any, segment: int, names: tuple[str, ...]) -> QueueRow:
    values = {
        "id": raw[0],
        "created_at": raw[10],
        "next_due_at": raw[11],
    }
    return QueueRow(
        id=raw[0],
        number=raw[1],
        subject=raw[2],
        category=raw[3],
        priority=raw[4],
        status=raw[5],
        tier=raw[6],
        channel=raw[7],
        customer_name=raw[8],
        assignee_name=raw[9],
        created_at=raw[10],
        next_due_at=raw[11],
        next_warn_at=raw[12],
        paused_at=raw[13],
        resolve_due_at=raw[14],
        resolved_at=raw[15],
        is_open=bool(raw[16]),
        key=Key(segment, tuple(values[n] for n in names)),
        response_due_at=raw[17],
    )


def _bound(seg: _Segment, values: tuple[Any, ...], forward: bool) -> ColumnElement[bool]:
    params = [bindparam(None, v, type_=c.type) for c, v in zip(seg.columns, values, strict=True)]
    left = tuple_(*seg.columns) if len(seg.columns) > 1 else seg.columns[0]
    right = tuple_(*params) if len(params) > 1 else params[0]
    after = forward != seg.descending
    return left > right if after else left < right


def _order(seg: _Segment, forward: bool) -> list[Any]:
    ascending = forward != seg.descending
    return [c.asc() if ascending else c.desc() for c in seg.columns]


def _ranks(
    session: Session, query: Query, ids: list[int] | None = None, indexed: bool = True
) -> list[ColumnElement[bool]] | None:
    """The rank classes of the query's search, for the best-match order: from the few
    matches' own tokens when `ids` are known, else as index lookups."""
    if query.sort is not Sort.BEST or not query.filter.search:
        return None
    if search.number_prefix(query.filter.search) is not None:
        return None  # every match is a number match: newest first
    terms = search.search_terms(query.filter.search)
    if not terms:
        return None
    if ids is not None:
        return search.rank_conditions_of(session, Ticket.id, terms, ids)
    if indexed:
        return search.rank_conditions(session, Ticket.id, terms)
    return search.rank_conditions(
        session, _col(Ticket.id, False), terms, seek_column=Ticket.id, few=WALK_ABOVE
    )


def _plan(
    session: Session, query: Query, size: int | None, ids: list[int] | None = None
) -> tuple[list[_Segment | None], list[ColumnElement[bool]]]:
    """The segments (None where the query cannot match) and the WHERE terms for a read.
    `ids`, the query's matches when the caller has them (`count_matches`), spare the read
    from finding them again."""
    facts = _view_facts(query)
    drive = _drive(session, query, size)

    def possible(seg: _Segment) -> bool:
        return (
            facts is not None
            and size != 0
            and seg.possible(facts)
            and not isinstance(seg.condition, False_)
        )

    where = _where(session, query, drive)
    several = sum(map(possible, _segments(query.sort, indexed=drive is not _Drive.SET))) > 1
    if drive is _Drive.SET and ids is None and size is not None and several:
        # A few matches read in several segments: find them once (a search's FTS lookup
        # costs more than sorting them), then each segment reads them by primary key.
        ids = list(session.scalars(select(Ticket.id).where(*where)))
    if drive is _Drive.SET and ids is not None:
        where = [Ticket.id.in_(ids)]
    ranks = _ranks(session, query, ids if drive is _Drive.SET else None, drive is _Drive.VIEW)
    segments = [
        seg if possible(seg) else None
        for seg in _segments(query.sort, indexed=drive is not _Drive.SET, ranks=ranks)
    ]
    return segments, where


def fetch_after(
    session: Session,
    query: Query,
    key: Key,
    limit: int,
    *,
    inclusive: bool = False,
    size: int | None = None,
    ids: list[int] | None = None,
) -> list[QueueRow]:
    """Up to `limit` rows after `key` (or from it when `inclusive`), in queue order.

    `size`, the query's row count when the caller knows it, helps choose an index; `ids`
    are its matches when `count_matches` returned them.
    """
    segments, where = _plan(session, query, size, ids)
    rows: list[QueueRow] = []
    for index in range(key.segment, len(segments)):
        seg = segments[index]
        if len(rows) >= limit:
            break
        if seg is None:
            continue
        stmt = _row_select().where(*where, seg.condition)
        if index == key.segment and key.values is not None:
            bound = _bound(seg, key.values, True)
            if inclusive:
                bound = or_(bound, *[_equal(seg, key.values)])
            stmt = stmt.where(bound)
        stmt = stmt.order_by(*_order(seg, True)).limit(limit - len(rows))
        rows.extend(_to_row(r, index, seg.names) for r in session.execute(stmt))
    return rows


def _equal(seg: _Segment, values: tuple[Any, ...]) -> ColumnElement[bool]:
    return and_(
        *[c == bindparam(None, v, type_=c.type) for c, v in zip(seg.columns, values, strict=True)]
    )


def fetch_before(
    session: Session,
    query: Query,
    key: Key,
    limit: int,
    *,
    size: int | None = None,
    ids: list[int] | None = None,
) -> list[QueueRow]:
    """Up to `limit` rows just before `key`, returned in queue order."""
    segments, where = _plan(session, query, size, ids)
    rows: list[QueueRow] = []
    for index in range(key.segment, -1, -1):
        seg = segments[index]
        if len(rows) >= limit:
            break
        if seg is None:
            continue
        stmt = _row_select().where(*where, seg.condition)
        if index == key.segment and key.values is not None:
            stmt = stmt.where(_bound(seg, key.values, False))
        stmt = stmt.order_by(*_order(seg, False)).limit(limit - len(rows))
        rows.extend(_to_row(r, index, seg.names) for r in session.execute(stmt))
    rows.reverse()
    return rows


def fetch_at(
    session: Session,
    query: Query,
    offset: int,
    limit: int,
    *,
    size: int | None = None,
    ids: list[int] | None = None,
) -> list[QueueRow]:
    """Rows from an absolute position (scrollbar jumps only): per-segment counts, then OFFSET."""
    segments, where = _plan(session, query, size, ids)
    rows: list[QueueRow] = []
    for index, seg in enumerate(segments):
        if len(rows) >= limit:
            break
        if seg is None:
            continue
        if offset > 0:
            seg_size = session.execute(
                select(func.count()).select_from(Ticket).where(*where, seg.condition)
            ).scalar_one()
            if offset >= seg_size:
                offset -= seg_size
                continue
        stmt = (
            _row_select()
            .where(*where, seg.condition)
            .order_by(*_order(seg, True))
            .offset(offset)
            .limit(limit - len(rows))
        )
        offset = 0
        rows.extend(_to_row(r, index, seg.names) for r in session.execute(stmt))
    return rows


def position_of(session: Session, query: Query, key: Key) -> int:
    """How many rows come before `key` (used to place the cursor after a jump)."""
    segments, where = _plan(session, query, None)
    total = 0
    for index in range(key.segment + 1):
        seg = segments[index]
        if seg is None:
            continue
        stmt = select(func.count()).select_from(Ticket).where(*where, seg.condition)
        if index == key.segment:
            if key.values is None:
                break
            stmt = stmt.where(_bound(seg, key.values, False))
        total += session.execute(stmt).scalar_one()
    return total


def full_order(session: Session, query: Query) -> list[int]:
    """Every id in queue order with one ORDER BY (for tests on small databases)."""
    ranks = _ranks(session, query)
    if query.sort is Sort.CREATED or (query.sort is Sort.BEST and ranks is None):
        order: list[Any] = [Ticket.created_at.desc(), Ticket.id.desc()]
    elif ranks is not None:
        rank = case(*[(c, i) for i, c in enumerate(ranks[:-1])], else_=len(ranks) - 1)
        order = [rank, Ticket.created_at.desc(), Ticket.id.desc()]
    else:
        urgency = [Ticket.next_due_at.is_(None), Ticket.is_open.is_(False), Ticket.next_due_at]
        order = [*([Ticket.priority] if query.sort is Sort.PRIORITY else []), *urgency, Ticket.id]
    stmt = select(Ticket.id).where(*_where(session, query, _Drive.VIEW)).order_by(*order)
    return list(session.execute(stmt).scalars())


def search_ids(session: Session, term: str, limit: int = 1000) -> list[int]:
    """Ids of tickets matching a search term, newest first."""
    stmt = (
        select(Ticket.id)
        .where(search_condition(session, term))
        .order_by(Ticket.id.desc())
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


# -- reader for the UI ------------------------------------------------------------------------
class QueueReader:
    """The queue's reads, each in its own short session; the UI never sees a Session.

    `read` is a context manager factory such as `ServiceContext.read`. Calls block, so the UI
    runs them in thread workers.
    """

    def __init__(self, read: Any) -> None:
        self._read = read
        self._prefetch: threading.Thread | None = None
        self._prefetched: tuple[Query, int, tuple[int, list[QueueRow]] | None] | None = None
        self._all_count: tuple[int, int] | None = None  # (marker, count) cache for View.ALL
        self._sizes: dict[Query, int] = {}  # the last count of each query, to choose indexes
        self._ids: dict[Query, list[int]] = {}  # and its matches, where they are few

    def prefetch(self, query: Query, limit: int) -> None:
        """Start reading `query`'s count and first `limit` rows on a thread now, while the
        desk is still loading its screens; `first` hands them over."""

        def read() -> None:
            try:
                result = self._first(query, limit)
            except Exception:  # the desk's own read reports it
                result = None
            self._prefetched = (query, limit, result)

        self._prefetch = threading.Thread(target=read, name="queue-prefetch", daemon=True)
        self._prefetch.start()

    def prefetched(self, query: Query, limit: int) -> tuple[int, list[QueueRow]] | None:
        """The prefetched count and rows if they are read and answer `query`; never waits,
        so the UI thread may ask. Each prefetch is handed over once."""
        thread = self._prefetch
        if thread is None or thread.is_alive():
            return None
        return self._take(query, limit)

    def first(self, query: Query, limit: int) -> tuple[int, list[QueueRow]]:
        """The query's count and first `limit` rows (the prefetched ones when they match)."""
        if self._prefetch is not None:
            self._prefetch.join()
            taken = self._take(query, limit)
            if taken is not None:
                return taken
        return self._first(query, limit)

    def _take(self, query: Query, limit: int) -> tuple[int, list[QueueRow]] | None:
        assert self._prefetched is not None
        (early, early_limit, result), self._prefetched = self._prefetched, None
        self._prefetch = None
        same = replace(early, now=None) == replace(query, now=None)
        timeless = query.view not in (View.AT_RISK, View.BREACHED)
        if result is not None and same and timeless and early_limit >= limit:
            return result[0], result[1][:limit]
        return None

    def _first(self, query: Query, limit: int) -> tuple[int, list[QueueRow]]:
        total = self.count(query)
        return total, self.after(query, start_key(query.sort), limit)

    def marker(self) -> int:
        from deskui.store.tickets import latest_event_id

        with self._read() as session:
            return latest_event_id(session)

    def after(
        self, query: Query, key: Key, limit: int, *, inclusive: bool = False
    ) -> list[QueueRow]:
        size, ids = self._sizes.get(query), self._ids.get(query)
        with self._read() as session:
            return fetch_after(session, query, key, limit, inclusive=inclusive, size=size, ids=ids)

    def before(self, query: Query, key: Key, limit: int) -> list[QueueRow]:
        size, ids = self._sizes.get(query), self._ids.get(query)
        with self._read() as session:
            return fetch_before(session, query, key, limit, size=size, ids=ids)

    def at(self, query: Query, offset: int, limit: int) -> list[QueueRow]:
        size, ids = self._sizes.get(query), self._ids.get(query)
        with self._read() as session:
            return fetch_at(session, query, offset, limit, size=size, ids=ids)

    def count(self, query: Query) -> int:
        """The query's count; the reads that follow reuse what it learnt (size, matches)."""
        with self._read() as session:
            result, ids = count_matches(session, query)
        if len(self._sizes) > 64:
            self._sizes.clear()
            self._ids.clear()
        self._sizes[query] = result
        if ids is None:
            self._ids.pop(query, None)
        else:
            self._ids[query] = ids
        return result

    def counts(
        self, *, actor_id: int | None, now: datetime, marker: int, flt: QueueFilter | None = None
    ) -> dict[View, int]:
        """Every view's count; the full-table count is cached until the change marker moves."""
        views = [v for v in View if v is not View.ALL]
        with self._read() as session:
            result = view_counts(session, actor_id=actor_id, now=now, views=views, flt=flt)
            if flt is not None and flt.active:
                result[View.ALL] = count(session, Query(view=View.ALL, filter=flt, now=now))
            elif self._all_count is not None and self._all_count[0] == marker:
                result[View.ALL] = self._all_count[1]
            else:
                total = count(session, Query(view=View.ALL, now=now))
                self._all_count = (marker, total)
                result[View.ALL] = total
        return result

    def choices(self) -> tuple[list[Choice], list[Choice]]:
        """Teams and active agents, for the filter dialog."""
        with self._read() as session:
            teams = [
                Choice(i, n)
                for i, n in session.execute(select(Team.id, Team.name).order_by(Team.name))
            ]
            agents = [
                Choice(i, n)
                for i, n in session.execute(
                    select(Agent.id, Agent.display_name)
                    .where(Agent.active.is_(True))
                    .order_by(Agent.display_name)
                )
            ]
        return teams, agents
