"""Demo data: the invariants a believable helpdesk history keeps, on SQLite and PostgreSQL.

One ~2,000-ticket database per backend is generated once for the module and only read.
"""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from deskui.domain.enums import Category, Channel, ComplaintType, Priority, Role, Status, Tier
from deskui.domain.sla import SlaPolicy, SlaSettings
from deskui.services import demo
from deskui.services.accounts import os_username
from deskui.services.demo import DemoError, DemoSummary, generate_demo
from deskui.store.engine import make_engine
from deskui.store.migrate import ensure_current
from deskui.store.tables import Customer, Ticket
from deskui.store.tickets import events, next_number

NOW = datetime(2026, 11, 25, 5, 30, tzinfo=UTC)  # Wednesday 13:30 in Shanghai
TICKETS = 2_000
SHANGHAI = ZoneInfo("Asia/Shanghai")
NUMBER = re.compile(r"^SR-(\d{8})-(\d{4,})$")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_database() -> Iterator[str]:
    """A uniquely named, throw-away database on the configured PostgreSQL server."""
    url = os.environ.get("DESKUI_TEST_PG_URL")
    if not url:
        pytest.skip("PostgreSQL not configured (set DESKUI_TEST_PG_URL)")
    name = f"deskui_demo_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{url.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _generate(url: str, **kwargs: Any) -> tuple[Engine, DemoSummary]:
    engine = make_engine(url)
    calls: list[tuple[int, int]] = []
    summary = generate_demo(
        engine, tickets=TICKETS, now=NOW, progress=lambda d, t: calls.append((d, t)), **kwargs
    )
    assert calls and calls[-1] == (TICKETS, TICKETS)
    return engine, summary


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, DemoSummary]]:
    if request.param == "sqlite":
        engine, summary = _generate(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
        yield engine, summary
        engine.dispose()
        return
    for url in _pg_database():
        engine, summary = _generate(url)
        yield engine, summary
        engine.dispose()


@pytest.fixture(scope="module")
def tickets(demo_db: tuple[Engine, DemoSummary]) -> list[Ticket]:
    """Every ticket, read through the ORM (so column types decode as the app sees them)."""
    with Session(demo_db[0]) as session:
        return list(session.scalars(select(Ticket).order_by(Ticket.id)))


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)))


# -- shape --------------------------------------------------------------------------------------


def test_summary_counts_the_rows(demo_db: tuple[Engine, DemoSummary]) -> None:
    engine, summary = demo_db
    tables = {
        "teams": summary.teams,
        "agents": summary.agents,
        "customers": summary.customers,
        "products": summary.products,
        "devices": summary.devices,
        "tickets": summary.tickets,
        "ticket_events": summary.events,
        "callbacks": summary.callbacks,
        "ticket_counters": summary.counters,
    }
    for table, expected in tables.items():
        assert _rows(engine, f"SELECT count(*) FROM {table}")[0][0] == expected, table
    assert summary.tickets == TICKETS
    assert summary.customers >= max(50, TICKETS // 4)
    assert summary.events <= 3 * TICKETS  # keeps a million tickets fast
    assert "tickets" in str(summary)


def test_staff_teams_and_the_signed_in_user(demo_db: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo_db
    agents = _rows(engine, "SELECT username, role, team_id FROM agents")
    roles = {role for _, role, _ in agents}
    assert roles == {r.value for r in Role}
    assert (os_username(), Role.ADMIN.value) in {(u, r) for u, r, _ in agents}
    kinds = {kind for (kind,) in _rows(engine, "SELECT kind FROM teams")}
    assert len(kinds) == 4
    for (team_id,) in _rows(engine, "SELECT id FROM teams"):
        assert any(t == team_id and r == Role.SUPERVISOR.value for _, r, t in agents)


def test_customers_and_devices_look_real(demo_db: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo_db
    customers = _rows(engine, "SELECT name, phone, region, tier FROM customers")
    assert all(re.fullmatch(r"1[3-9]\d{9}", phone) for _, phone, _, _ in customers)
    assert any(re.search(r"[\u4e00-\u9fff]", name) for name, *_ in customers)
    assert any(name.isascii() for name, *_ in customers)
    vip = sum(tier == Tier.VIP.value for *_, tier in customers) / len(customers)
    assert 0.05 < vip < 0.15
    bought = [
        datetime.fromisoformat(str(day)).date()
        for (day,) in _rows(engine, "SELECT purchase_date FROM devices")
    ]
    today = NOW.date()
    assert min(bought) >= today - timedelta(days=4 * 366) and max(bought) <= today
    assert any(today - day > timedelta(days=3 * 365) for day in bought)  # out of warranty


# -- numbers ------------------------------------------------------------------------------------


def test_ticket_numbers_follow_the_local_day(tickets: list[Ticket]) -> None:
    numbers = [t.number for t in tickets]
    assert len(set(numbers)) == len(numbers)
    per_day: dict[str, list[int]] = defaultdict(list)
    for ticket in tickets:
        match = NUMBER.match(ticket.number)
        assert match, ticket.number
        day, sequence = match.groups()
        assert day == ticket.created_at.astimezone(SHANGHAI).strftime("%Y%m%d")
        per_day[day].append(int(sequence))
    for sequences in per_day.values():  # in id (= intake) order, without gaps
        assert sequences == list(range(1, len(sequences) + 1))


def test_counters_continue_the_sequence(demo_db: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo_db
    highest: dict[str, int] = {}
    for (number,) in _rows(engine, "SELECT number FROM tickets"):
        _, day, sequence = number.split("-")
        highest[day] = max(highest.get(day, 0), int(sequence))
    assert dict(_rows(engine, "SELECT day, last FROM ticket_counters")) == highest
    today = NOW.astimezone(SHANGHAI).strftime("%Y%m%d")
    with Session(engine) as session, session.begin():
        assert next_number(session, today) == f"SR-{today}-{highest[today] + 1:04d}"
        session.rollback()


def test_the_app_carries_on_after_the_demo(demo_db: tuple[Engine, DemoSummary]) -> None:
    """Ids continue after the explicit ones the load wrote (PostgreSQL sequences are moved)."""
    engine, summary = demo_db
    with Session(engine) as session, session.begin():
        customer = Customer(name="新客户", phone="13900000000", tier=Tier.NORMAL)
        session.add(customer)
        session.flush()
        assert customer.id == summary.customers + 1
        session.rollback()


def _schema(engine: Engine) -> set[tuple[str, str]]:
    if engine.dialect.name == "sqlite":
        sql = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "UNION SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal"
        )
    return {(kind, name) for kind, name in _rows(engine, sql)}


def test_the_load_leaves_the_schema_as_migrated(
    demo_db: tuple[Engine, DemoSummary], tmp_path: Path
) -> None:
    """Indexes and search triggers dropped for speed are all back."""
    engine, _ = demo_db
    urls = [f"sqlite:///{tmp_path / 'fresh.db'}"] if engine.dialect.name == "sqlite" else None
    for url in urls or _pg_database():
        fresh = make_engine(url)
        ensure_current(fresh)
        try:
            assert _schema(engine) == _schema(fresh)
        finally:
            fresh.dispose()


def test_every_reference_points_at_a_row(demo_db: tuple[Engine, DemoSummary]) -> None:
    """The load runs with foreign-key checks off for speed, so check them all once here."""
    engine, _ = demo_db
    if engine.dialect.name == "sqlite":
        assert _rows(engine, "PRAGMA foreign_key_check") == []
    else:  # PostgreSQL enforced them during COPY; just confirm they exist
        count = "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
        assert _rows(engine, count)[0][0] >= 10


# -- classification -----------------------------------------------------------------------------


def test_every_kind_of_ticket_is_there(tickets: list[Ticket]) -> None:
    assert {t.channel for t in tickets} == set(Channel)
    assert {t.category for t in tickets} == set(Category)
    assert {t.priority for t in tickets} == set(Priority)
    assert {t.status for t in tickets} == set(Status)
    assert {t.tier for t in tickets} == set(Tier)
    complaints = [t for t in tickets if t.category is Category.COMPLAINT]
    assert {t.complaint_type for t in complaints} == set(ComplaintType)
    assert all(t.complaint_type is None for t in tickets if t.category is not Category.COMPLAINT)
    assert sum(t.escalation_level > 0 for t in complaints) <= 0.1 * len(complaints)


def test_dispatch_sends_each_category_to_its_team(demo_db: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo_db
    pairs = _rows(
        engine,
        "SELECT DISTINCT t.category, m.kind FROM tickets t JOIN teams m ON m.id = t.team_id",
    )
    expected = {
        "consult": "service",
        "help": "service",
        "suggestion": "product",
        "complaint": "complaints",
        "repair": "engineering",
    }
    assert {c: k for c, k in pairs} == expected
    strays = _rows(
        engine,
        "SELECT count(*) FROM tickets t JOIN agents a ON a.id = t.assignee_id "
        "WHERE a.team_id <> t.team_id",
    )
    assert strays[0][0] == 0
    unassigned = _rows(
        engine, "SELECT count(*) FROM tickets WHERE status = 'new' AND assignee_id IS NULL"
    )
    assert unassigned == _rows(engine, "SELECT count(*) FROM tickets WHERE status = 'new'")


# -- SLA ----------------------------------------------------------------------------------------


def test_open_tickets_are_on_track_at_risk_and_overdue(tickets: list[Ticket]) -> None:
    open_ = [t for t in tickets if t.is_open]
    assert open_ and all(t.status.is_open for t in open_)
    running = [t for t in open_ if t.next_due_at is not None]
    on_track = [t for t in running if t.next_warn_at > NOW]
    at_risk = [t for t in running if t.next_warn_at <= NOW < t.next_due_at]
    overdue = [t for t in running if t.next_due_at <= NOW]
    assert on_track and at_risk and overdue
    assert all(t.created_at <= NOW and t.updated_at <= NOW for t in tickets)


def test_next_due_is_the_target_still_running(tickets: list[Ticket]) -> None:
    for t in tickets:
        if not t.is_open:
            expected = (None, None)
        elif t.first_response_at is None:
            expected = (t.response_due_at, t.response_warn_at)
        elif t.paused_at is not None:
            expected = (None, None)
        else:
            expected = (t.resolve_due_at, t.resolve_warn_at)
        assert (t.next_due_at, t.next_warn_at) == expected, t.number
        assert (t.paused_at is not None) == (t.status is Status.PENDING_CUSTOMER), t.number
        assert t.is_open == t.status.is_open


def test_due_times_are_the_policys(tickets: list[Ticket]) -> None:
    policy = SlaPolicy.from_settings(SlaSettings())
    for t in tickets[::23]:
        due = policy.due_times(t.priority, t.category, t.tier, t.created_at)
        stored = (t.response_due_at, t.response_warn_at, t.resolve_due_at, t.resolve_warn_at)
        assert stored == (due.response_due, due.response_warn, due.resolve_due, due.resolve_warn)


def test_finished_tickets_have_a_history(tickets: list[Ticket]) -> None:
    finished = [t for t in tickets if not t.is_open]
    for t in finished:
        assert t.first_response_at is not None and t.resolved_at is not None
        assert t.created_at <= t.first_response_at <= t.resolved_at <= NOW
        assert t.solution and t.first_contact_resolved is not None
        assert (t.closed_at is not None) == (t.status is Status.CLOSED)
        if t.closed_at is not None:
            assert t.resolved_at <= t.closed_at == t.updated_at
    fcr = sum(bool(t.first_contact_resolved) for t in finished) / len(finished)
    assert 0.7 < fcr < 0.9
    on_time = [t.first_response_at <= t.response_due_at for t in finished]
    assert 0.85 < sum(on_time) / len(on_time) < 1
    assert any(t.reopen_count for t in tickets) and all(t.version == 1 for t in tickets)


def test_callbacks_follow_resolution(demo_db: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo_db
    rows = _rows(
        engine,
        "SELECT t.status, t.category, c.done_at, c.satisfaction, c.reached, c.attempts, "
        "c.due_at, t.resolved_at, t.closed_at FROM tickets t "
        "LEFT JOIN callbacks c ON c.ticket_id = t.id WHERE t.status IN ('resolved', 'closed')",
    )
    scores: Counter[int] = Counter()
    for status, category, done, score, reached, attempts, due, resolved, closed in rows:
        hours = 24 if category == "complaint" else 72
        assert _utc(due) == _utc(resolved) + timedelta(hours=hours)
        if status == "closed":
            assert done is not None and reached and 1 <= score <= 5 and attempts in (1, 2)
            assert _utc(done) == _utc(closed)
            scores[score] += 1
        else:
            assert done is None and score is None
    assert 0.8 < (scores[4] + scores[5]) / sum(scores.values()) < 0.95
    overdue = [r for r in rows if r[0] == "resolved" and _utc(r[6]) < NOW]
    assert overdue  # some callbacks are late
    assert _rows(engine, "SELECT count(*) FROM callbacks")[0][0] == len(rows)


def _utc(value: Any) -> datetime:
    """A raw timestamp column (text on SQLite, aware datetime on PostgreSQL) as aware UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# -- timeline -----------------------------------------------------------------------------------


def test_every_ticket_has_an_ordered_timeline(
    demo_db: tuple[Engine, DemoSummary], tickets: list[Ticket]
) -> None:
    engine, _ = demo_db
    timeline: dict[int, list[tuple[str, datetime, int | None]]] = defaultdict(list)
    for ticket_id, kind, at, actor in _rows(
        engine, "SELECT ticket_id, kind, at, actor_id FROM ticket_events ORDER BY id"
    ):
        timeline[ticket_id].append((kind, _utc(at), actor))
    for t in tickets:
        events = timeline[t.id]
        assert events[0][0] == "created" and events[0][1] == t.created_at
        assert [e[1] for e in events] == sorted(e[1] for e in events)
        assert events[-1][1] == t.updated_at
        assert all(actor is not None for *_, actor in events)
        if t.status is Status.CLOSED:
            assert [e[0] for e in events][-2:] == ["resolve", "close"]
    kinds = {e[0] for events in timeline.values() for e in events}
    assert {"created", "assign", "responded", "comment", "pause", "resolve", "close"} <= kinds


def test_timeline_payloads_read_back_as_the_services_write_them(
    demo_db: tuple[Engine, DemoSummary], tickets: list[Ticket]
) -> None:
    closed = next(t for t in tickets if t.status is Status.CLOSED)
    with Session(demo_db[0]) as session:
        created, resolve, close = events(session, closed.id)
    assert created.after is not None and created.after["number"] == closed.number
    assert created.after["resolve_due_at"] == closed.resolve_due_at.isoformat()
    assert resolve.before == {"status": "in_progress"} and not resolve.internal
    assert resolve.body == closed.solution
    assert close.after == {"status": "closed", "version": 1}


# -- determinism and refusal --------------------------------------------------------------------


def _fingerprint(engine: Engine) -> list[Any]:
    return _rows(
        engine,
        "SELECT number, subject, status, created_at, resolve_due_at, assignee_id "
        "FROM tickets ORDER BY id",
    )


def test_same_seed_same_history(tmp_path: Path) -> None:
    first, _ = _generate(f"sqlite:///{tmp_path / 'a.db'}")
    second, _ = _generate(f"sqlite:///{tmp_path / 'b.db'}")
    other = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    generate_demo(other, tickets=300, now=NOW, seed=8)
    try:
        assert _fingerprint(first) == _fingerprint(second)
        assert _fingerprint(first)[:300] != _fingerprint(other)
    finally:
        for engine in (first, second, other):
            engine.dispose()


def test_worker_processes_give_the_same_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK_TICKETS", 400)  # several chunks, so workers have work
    here, _ = _generate(f"sqlite:///{tmp_path / 'here.db'}", workers=0)
    forked, _ = _generate(f"sqlite:///{tmp_path / 'forked.db'}", workers=1)
    try:
        assert _fingerprint(here) == _fingerprint(forked)
        assert _rows(here, "SELECT count(*), max(id) FROM ticket_events") == _rows(
            forked, "SELECT count(*), max(id) FROM ticket_events"
        )
    finally:
        here.dispose()
        forked.dispose()


def test_only_an_empty_database_takes_demo_data(demo_db: tuple[Engine, DemoSummary]) -> None:
    engine, _ = demo_db
    before = _rows(engine, "SELECT count(*) FROM tickets")
    with pytest.raises(DemoError):
        generate_demo(engine, tickets=10, now=NOW)
    assert _rows(engine, "SELECT count(*) FROM tickets") == before


def test_search_indexes_the_demo_tickets(demo_db: tuple[Engine, DemoSummary]) -> None:
    """The search index (its triggers only queue what the bulk load wrote) is built after
    the load: a two-character word and part of a phone find what LIKE finds."""
    from sqlalchemy.orm import Session

    from deskui.store import queue as q

    engine, _ = demo_db
    assert _rows(engine, "SELECT count(*) FROM search_queue") == [(0,)]
    comment = "(SELECT string_agg(body, ' ') FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'comment')"
    if engine.dialect.name == "sqlite":
        comment = comment.replace("string_agg(body, ' ')", "group_concat(body, ' ')")
    for term in ("指纹", "138"):
        like = f"'%{term}%'"
        expected = _rows(
            engine,
            "SELECT count(*) FROM tickets t JOIN customers c ON c.id = t.customer_id "
            f"WHERE t.number LIKE {like} OR t.subject LIKE {like} OR t.description LIKE {like} "
            f"OR t.customer_request LIKE {like} OR c.name LIKE {like} OR c.phone LIKE {like} "
            f"OR {comment} LIKE {like}",
        )[0][0]
        with Session(engine) as session:
            query = q.Query(view=q.View.ALL, filter=q.QueueFilter(search=term), now=NOW)
            assert q.count(session, query) == expected > 0, term
