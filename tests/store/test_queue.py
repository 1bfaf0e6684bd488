"""Queue queries: keyset windows match a full ORDER BY, counts match, search finds zh/en terms."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from deskui.domain.enums import Category, Channel, Priority, Status, Tier
from deskui.store import queue as q
from deskui.store.tables import Agent, Callback, Customer, Team, Ticket

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SUBJECTS = [
    "Screen flickers after update",
    "洗衣机漏水，需要上门维修",
    "Battery drains overnight",
    "空调不制冷",
    "Refund request for damaged box",
    "冰箱噪音很大",
]
NAMES = ["张伟", "李娜", "Alice Smith", "王芳", "Bob Jones"]


def _seed(engine: Engine, n: int = 90) -> None:
    rng = random.Random(3)
    with Session(engine) as session, session.begin():
        team = Team(name="Service", kind="service")
        session.add(team)
        session.flush()
        agents = [
            Agent(username=f"a{i}", display_name=f"Agent {i}", role="agent", team_id=team.id)
            for i in range(3)
        ]
        customers = [
            Customer(name=name, phone=f"1380000{i:04d}", tier=Tier.VIP if i == 0 else Tier.NORMAL)
            for i, name in enumerate(NAMES)
        ]
        session.add_all(agents + customers)
        session.flush()
        for i in range(n):
            status = rng.choice(list(Status))
            created = NOW - timedelta(hours=rng.randint(1, 40))  # duplicates on purpose
            due = NOW + timedelta(minutes=rng.choice([-90, -5, 10, 30, 30, 120, 600]))
            is_open = status.is_open
            paused = status is Status.PENDING_CUSTOMER
            customer = customers[i % len(customers)]
            ticket = Ticket(
                number=f"SR-20261123-{i + 1:04d}",
                channel=rng.choice(list(Channel)),
                category=rng.choice(list(Category)),
                priority=rng.choice(list(Priority)),
                tier=customer.tier,
                status=status,
                is_open=is_open,
                subject=SUBJECTS[i % len(SUBJECTS)] + f" #{i}",
                description="details " + SUBJECTS[(i + 1) % len(SUBJECTS)],
                customer_request="",
                customer_id=customer.id,
                team_id=team.id,
                assignee_id=rng.choice([None, *[a.id for a in agents]]),
                created_at=created,
                updated_at=created,
                response_due_at=due,
                response_warn_at=due - timedelta(minutes=20),
                resolve_due_at=due,
                resolve_warn_at=due - timedelta(minutes=20),
                next_due_at=due if is_open and not paused else None,
                next_warn_at=due - timedelta(minutes=20) if is_open and not paused else None,
                paused_at=NOW if paused else None,
                resolved_at=NOW if not is_open else None,
                escalation_level=0,
                reopen_count=0,
            )
            session.add(ticket)
            session.flush()
            if status is Status.RESOLVED and i % 2:
                session.add(Callback(ticket_id=ticket.id, due_at=NOW, attempts=0, notes=""))


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    _seed(engine)
    return engine


def _walk_forward(
    session: Session, query: q.Query, page: int, size: int | None = None
) -> list[int]:
    ids: list[int] = []
    key = q.start_key(query.sort)
    while True:
        rows = q.fetch_after(session, query, key, page, size=size)
        ids += [r.id for r in rows]
        if len(rows) < page:
            return ids
        key = rows[-1].key


def _walk_backward(
    session: Session, query: q.Query, page: int, size: int | None = None
) -> list[int]:
    ids: list[int] = []
    key = q.end_key(query.sort)
    while True:
        rows = q.fetch_before(session, query, key, page, size=size)
        ids = [r.id for r in rows] + ids
        if len(rows) < page:
            return ids
        key = rows[0].key


@pytest.mark.parametrize("sort", list(q.Sort))
@pytest.mark.parametrize("view", [q.View.ALL, q.View.OPEN, q.View.MINE])
def test_keyset_matches_full_order(seeded: Engine, sort: q.Sort, view: q.View) -> None:
    query = q.Query(view=view, sort=sort, actor_id=1, now=NOW)
    with Session(seeded) as session:
        expected = q.full_order(session, query)
        assert expected, "seed gives rows in every tested view"
        for page in (1, 7, 50):
            assert _walk_forward(session, query, page) == expected
            assert _walk_backward(session, query, page) == expected
        # a large known size makes SQLite walk the created index instead: same rows, same order
        assert _walk_forward(session, query, 7, size=10**6) == expected
        assert _walk_backward(session, query, 7, size=10**6) == expected
        for offset in (0, 5, len(expected) - 3):
            assert [r.id for r in q.fetch_at(session, query, offset, 10)] == expected[
                offset : offset + 10
            ]
        middle = q.fetch_at(session, query, len(expected) // 2, 1)[0]
        assert q.position_of(session, query, middle.key) == len(expected) // 2
        assert [
            r.id for r in q.fetch_after(session, query, middle.key, 3, inclusive=True)
        ] == expected[len(expected) // 2 : len(expected) // 2 + 3]


FILTERED = [
    q.QueueFilter(category=Category.COMPLAINT),
    q.QueueFilter(status=Status.RESOLVED),
    q.QueueFilter(status=Status.PENDING_CUSTOMER, team_id=1),
    q.QueueFilter(priority=Priority.URGENT, channel=Channel.PHONE),
    q.QueueFilter(search="洗衣机"),  # trigram search: a set of ids the read may start from
    q.QueueFilter(search="sr-20261123-00"),  # a number: a prefix of the number index
    q.QueueFilter(search="张伟", category=Category.COMPLAINT),  # two characters: no trigrams
]


@pytest.mark.parametrize("view", list(q.View))
def test_every_view_and_filter_pages_in_full_order(seeded: Engine, view: q.View) -> None:
    """Skipping segments a view cannot match (closed rows in an open view, a status that
    contradicts the view) and the callback view's own plan keep the order exact."""
    with Session(seeded) as session:
        for sort in q.Sort:
            for flt in FILTERED:
                query = q.Query(view=view, sort=sort, filter=flt, actor_id=1, now=NOW)
                expected = q.full_order(session, query)
                assert q.count(session, query) == len(expected)
                for size in (None, 10**6):
                    assert _walk_forward(session, query, 4, size=size) == expected
                    assert _walk_backward(session, query, 4, size=size) == expected


def test_counts_match_direct_sql(seeded: Engine) -> None:
    with Session(seeded) as session:
        counts = q.view_counts(session, actor_id=1, now=NOW)

        def n(*where: object) -> int:
            return session.execute(
                select(func.count()).select_from(Ticket).where(*where)
            ).scalar_one()

        assert counts[q.View.ALL] == n()
        assert counts[q.View.OPEN] == n(Ticket.is_open.is_(True))
        assert counts[q.View.MINE] == n(Ticket.is_open.is_(True), Ticket.assignee_id == 1)
        assert counts[q.View.UNASSIGNED] == n(
            Ticket.is_open.is_(True), Ticket.assignee_id.is_(None)
        )
        assert counts[q.View.BREACHED] == n(Ticket.is_open.is_(True), Ticket.next_due_at < NOW)
        assert counts[q.View.AT_RISK] == n(
            Ticket.is_open.is_(True), Ticket.next_due_at >= NOW, Ticket.next_warn_at <= NOW
        )
        assert counts[q.View.PENDING] == n(Ticket.status == Status.PENDING_CUSTOMER)
        assert counts[q.View.VIP] == n(Ticket.is_open.is_(True), Ticket.tier == Tier.VIP)
        assert counts[q.View.COMPLAINTS] == n(
            Ticket.is_open.is_(True), Ticket.category == Category.COMPLAINT
        )
        awaiting = session.execute(
            select(func.count(func.distinct(Callback.ticket_id)))
            .join(Ticket, Ticket.id == Callback.ticket_id)
            .where(Callback.done_at.is_(None), Ticket.status == Status.RESOLVED)
        ).scalar_one()
        assert counts[q.View.CALLBACK] == awaiting
        assert counts[q.View.BREACHED] > 0 and counts[q.View.AT_RISK] > 0


@pytest.mark.parametrize(
    ("term", "must_contain"),
    [
        ("洗衣机", "洗衣机"),
        ("flicker", "Screen flickers"),
        ("FLICKER", "Screen flickers"),
        ("冰箱", "冰箱"),
    ],
)
def test_search_finds_chinese_and_english(seeded: Engine, term: str, must_contain: str) -> None:
    with Session(seeded) as session:
        query = q.Query(view=q.View.ALL, filter=q.QueueFilter(search=term), now=NOW)
        rows = q.fetch_after(session, query, q.start_key(query.sort), 500)
        assert rows
        assert all(
            must_contain in r.subject or must_contain in _description(session, r.id) for r in rows
        )
        assert q.count(session, query) == len(rows)


def _description(session: Session, ticket_id: int) -> str:
    return session.execute(select(Ticket.description).where(Ticket.id == ticket_id)).scalar_one()


def test_search_customer_name_phone_and_number(seeded: Engine) -> None:
    with Session(seeded) as session:
        for term, check in [
            ("Alice Sm", lambda r: r.customer_name == "Alice Smith"),
            ("张伟", lambda r: r.customer_name == "张伟"),
            ("13800000003", lambda r: r.customer_name == "王芳"),
            ("SR-20261123-0042", lambda r: r.number == "SR-20261123-0042"),
        ]:
            ids = q.search_ids(session, term)
            assert ids, term
            query = q.Query(view=q.View.ALL, filter=q.QueueFilter(search=term), now=NOW)
            rows = q.fetch_after(session, query, q.start_key(query.sort), 500)
            assert rows and all(check(r) for r in rows), term


def test_search_follows_edits(seeded: Engine) -> None:
    with Session(seeded) as session, session.begin():
        ticket = session.get(Ticket, 1)
        assert ticket is not None
        ticket.subject = "热水器点不着火 zebra"
    with Session(seeded) as session:
        assert q.search_ids(session, "zebra") == [1]
        assert q.search_ids(session, "热水器点") == [1]
        assert 1 not in q.search_ids(session, "Screen flickers after update")  # its old subject


def test_filters_narrow(seeded: Engine) -> None:
    with Session(seeded) as session:
        base = q.Query(view=q.View.ALL, now=NOW)
        flt = q.QueueFilter(category=Category.REPAIR, priority=Priority.URGENT)
        rows = q.fetch_after(
            session, q.Query(view=q.View.ALL, filter=flt, now=NOW), q.start_key(base.sort), 500
        )
        assert 0 < len(rows) < q.count(session, base)
        assert all(r.category is Category.REPAIR and r.priority is Priority.URGENT for r in rows)


def _reader(engine: Engine) -> q.QueueReader:
    from contextlib import contextmanager

    @contextmanager
    def read():  # type: ignore[no-untyped-def]
        with Session(engine) as session:
            yield session

    return q.QueueReader(read)


def test_prefetch_hands_over_the_first_window_once(seeded: Engine) -> None:
    """The CLI reads the desk's first rows while Textual loads; the desk takes them once."""
    query = q.Query(actor_id=1, now=NOW)
    with Session(seeded) as session:
        expected = q.full_order(session, query)
    reader = _reader(seeded)
    reader.prefetch(query, 10)
    reader._prefetch.join()  # type: ignore[union-attr]
    later = q.Query(actor_id=1, now=NOW + timedelta(seconds=1))  # the desk's own clock read
    total, rows = reader.prefetched(later, 7)  # type: ignore[misc]
    assert total == len(expected)
    assert [r.id for r in rows] == expected[:7]
    assert reader.prefetched(later, 7) is None, "handed over once"
    assert [r.id for r in reader.first(later, 5)[1]] == expected[:5]  # an ordinary read


def test_prefetch_of_another_query_is_not_used(seeded: Engine) -> None:
    reader = _reader(seeded)
    reader.prefetch(q.Query(actor_id=1, now=NOW), 10)
    mine = q.Query(view=q.View.MINE, actor_id=1, now=NOW)
    total, rows = reader.first(mine, 50)  # waits for the prefetch, then reads `mine` itself
    with Session(seeded) as session:
        assert [r.id for r in rows] == q.full_order(session, mine)
    assert total == len(rows)
    reader.prefetch(q.Query(actor_id=1, now=NOW), 3)
    reader._prefetch.join()  # type: ignore[union-attr]
    assert reader.prefetched(q.Query(actor_id=1, now=NOW), 20) is None, "too few rows read"


@pytest.mark.parametrize("view", [q.View.OPEN, q.View.CALLBACK, q.View.ALL])
def test_reader_pages_a_search_with_the_matches_its_count_found(
    seeded: Engine, view: q.View
) -> None:
    """On SQLite a search's count keeps its few matches (outside the All view), and the
    reads that follow page through exactly those, in queue order, forward and back."""
    reader = _reader(seeded)
    for sort in q.Sort:
        for flt in FILTERED:
            query = q.Query(view=view, sort=sort, filter=flt, actor_id=1, now=NOW)
            with Session(seeded) as session:
                expected = q.full_order(session, query)
            assert reader.count(query) == len(expected)
            kept = reader._ids.get(query)
            if (
                seeded.dialect.name == "sqlite"
                and view is not q.View.ALL
                and flt.search == "洗衣机"
            ):
                assert kept is not None and sorted(kept) == sorted(expected)
            forward, key = [], q.start_key(sort)
            while rows := reader.after(query, key, 3):
                forward += [r.id for r in rows]
                key = rows[-1].key
            assert forward == expected
            backward, key = [], q.end_key(sort)
            while rows := reader.before(query, key, 3):
                backward = [r.id for r in rows] + backward
                key = rows[0].key
            assert backward == expected
