"""The desk's API across a connection: every result type round-trips through JSON unchanged,
errors come back as the same classes with what they carry, only the protocol's calls can be
called, a lost server is `ServerUnavailable` (the desk says "Reconnecting…"), and a queue
window crosses as the window, never more."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from desk_api import LoopbackDeskApi

from conftest import FROZEN_NOW, desk_app
from deskui.api import codec
from deskui.api.codec import RemoteDeskApi, dispatch
from deskui.api.embedded import EmbeddedDeskApi
from deskui.domain import errors
from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Channel, EventKind, Priority, Status, Tier
from deskui.domain.queue import Key, Query, QueueRow, Sort, View, end_key
from deskui.domain.repairs import FeeKind, FeeLine, RepairKind
from deskui.domain.rows import EventRow
from deskui.domain.search_tokens import SearchRefused
from deskui.services.context import ServiceContext
from ui_workers import workers_done


def wire(api: Any) -> RemoteDeskApi:
    """`api` behind the codec, every message through JSON text."""
    return RemoteDeskApi(lambda m: json.loads(json.dumps(dispatch(api, json.loads(json.dumps(m))))))


@pytest.fixture
def pair(desk_ctx: ServiceContext, admin_actor: Actor) -> tuple[EmbeddedDeskApi, RemoteDeskApi]:
    embedded = EmbeddedDeskApi(desk_ctx, admin_actor)
    return embedded, wire(EmbeddedDeskApi(desk_ctx, admin_actor))


def same_rows(left: list[QueueRow], right: list[QueueRow]) -> None:
    assert left == right
    assert [r.key for r in left] == [r.key for r in right]  # (keys do not take part in ==)


def test_every_read_returns_the_same_values_through_the_wire(
    pair: tuple[EmbeddedDeskApi, RemoteDeskApi],
) -> None:
    local, remote = pair
    query = Query(actor_id=local.actor.id, now=FROZEN_NOW)
    total, rows = remote.queue_first(query, 60)
    assert (total, rows) == local.queue_first(query, 60)
    same_rows(rows, local.queue_first(query, 60)[1])
    assert any(isinstance(v, datetime) for r in rows for v in (r.key.values or ()))
    # keys that crossed the wire page on like the store's own
    same_rows(
        remote.queue_after(query, rows[10].key, 20), local.queue_after(query, rows[10].key, 20)
    )
    same_rows(
        remote.queue_after(query, rows[10].key, 5, inclusive=True),
        local.queue_after(query, rows[10].key, 5, inclusive=True),
    )
    same_rows(
        remote.queue_before(query, rows[30].key, 10), local.queue_before(query, rows[30].key, 10)
    )
    same_rows(
        remote.queue_before(query, end_key(query.sort), 10),
        local.queue_before(query, end_key(query.sort), 10),
    )
    count, last = remote.queue_last(query, 10)  # End: the count and the last rows in one call
    assert count == total
    same_rows(last, local.queue_before(query, end_key(query.sort), 10))
    created = Query(view=View.ALL, sort=Sort.CREATED, now=FROZEN_NOW)
    same_rows(remote.queue_at(created, 7, 15), local.queue_at(created, 7, 15))
    assert remote.queue_count(created) == local.queue_count(created)
    marker = local.changes(-1).marker
    assert remote.changes(-1) == local.changes(-1)
    assert remote.changes(marker).changed is False
    counts = remote.queue_counts(local.actor.id, FROZEN_NOW, marker)
    assert counts == local.queue_counts(local.actor.id, FROZEN_NOW, marker)
    assert all(isinstance(view, View) for view in counts)
    assert remote.queue_choices() == local.queue_choices()
    assert remote.site() == local.site() and remote.site().zone == local.ctx.site.zone

    ticket_id = rows[0].id
    assert remote.ticket(ticket_id) == local.ticket(ticket_id)
    assert remote.callbacks_due() == local.callbacks_due()
    assert remote.agents() == local.agents()
    assert remote.people() == local.people()
    assert remote.products(limit=50) == local.products(limit=50)
    customer = local.ticket(ticket_id).customer
    assert remote.customers(customer.name[:2]) == local.customers(customer.name[:2])
    assert remote.engineers() == local.engineers()
    assert remote.visits(None, 14) == local.visits(None, 14)
    # a repair scheduled through the wire (a write with an enum, an instant and a decimal)
    with_repairs = next(r.id for r in rows if r.is_open)
    engineer = local.engineers()[0]
    version = local.ticket(with_repairs).version
    scheduled = remote.schedule_repair(
        with_repairs, RepairKind.ON_SITE, engineer.id, datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    )
    assert local.ticket(with_repairs).version >= version
    assert scheduled == local.repair(scheduled.id)
    quoted = remote.quote(scheduled.id, [FeeLine(FeeKind.LABOUR, Decimal("80.50"))])
    assert quoted == local.repair(scheduled.id) and quoted.fees_total == Decimal("80.50")
    repairs, replaced = remote.repair_records(with_repairs)
    assert (repairs, replaced) == local.repair_records(with_repairs)
    assert remote.repair(repairs[0].id) == local.repair(repairs[0].id)
    assert remote.replacement_check(with_repairs, False) == local.replacement_check(
        with_repairs, False
    )
    assert remote.kpi_board(FROZEN_NOW) == local.kpi_board(FROZEN_NOW)
    assert (
        remote.report_month(None, FROZEN_NOW) == local.report_month(None, FROZEN_NOW) == "2026-11"
    )
    assert remote.year_view(2026) == local.year_view(2026)
    assert remote.policy_inputs() == local.policy_inputs()
    ticket = local.ticket(ticket_id)
    due = (ticket.priority, ticket.category, ticket.tier, ticket.created_at)
    local_policy, remote_policy = local.sla_policy(), remote.sla_policy()
    assert remote_policy is not None and remote_policy is remote.sla_policy()  # cached
    assert remote_policy.due_times(*due) == local_policy.due_times(*due)
    assert remote.estimated_years(FROZEN_NOW) == local.estimated_years(FROZEN_NOW)


def test_the_monthly_report_crosses_with_its_values_typed(
    pair: tuple[EmbeddedDeskApi, RemoteDeskApi],
) -> None:
    local, remote = pair
    steps: list[int] = []
    report = remote.monthly_report("2026-10", lambda done, total, step: steps.append(done))
    assert steps == []  # progress is in-process only; a remote report arrives whole
    assert report == local.monthly_report("2026-10")


def test_a_write_through_the_wire_is_the_services_write(
    pair: tuple[EmbeddedDeskApi, RemoteDeskApi],
) -> None:
    local, remote = pair
    row = local.queue_first(Query(actor_id=local.actor.id, now=FROZEN_NOW), 1)[1][0]
    before = local.ticket(row.id)
    after = remote.comment(row.id, before.version, "called the customer", internal=True)
    assert after == local.ticket(row.id)
    assert after.version == before.version + 1
    assert after.events[-1].body == "called the customer"
    assert after.events[-1].actor == local.actor.username  # the API's actor, not a parameter


class Raising:
    """A fake API whose `ticket` raises what it was given."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def ticket(self, ticket_id: int) -> Any:
        raise self.exc


EVENT = EventRow(
    1,
    7,
    datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
    EventKind.COMMENT,
    "li.na",
    False,
    "hi",
    None,
    None,
)


@pytest.mark.parametrize(
    "exc",
    [
        errors.NotFound("no ticket with id 7"),
        errors.PermissionDenied("agents may not do that"),
        errors.InvalidAction("a closed ticket cannot be paused"),
        errors.DatabaseUnavailable("disk I/O error"),
        errors.ReportError("month '2026-13': use YYYY-MM"),
        errors.CalendarConflict("the calendar changed"),
        errors.Conflict(7, 3, 4, [EVENT]),
        errors.CallbackRecorded(7, "qa.wang", 5),
        SearchRefused("Search needs at least two characters.", term="a"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_come_back_as_the_same_class_with_what_they_carry(exc: Exception) -> None:
    exc.message_id = "msg.id"  # type: ignore[attr-defined]  (what translated errors carry)
    if not isinstance(exc, SearchRefused):
        exc.params = {"ticket": 7}  # type: ignore[attr-defined]
    with pytest.raises(type(exc)) as caught:
        wire(Raising(exc)).ticket(7)
    got = caught.value
    assert type(got) is type(exc)
    assert str(got) == str(exc)
    assert got.message_id == "msg.id"  # type: ignore[attr-defined]
    if isinstance(exc, SearchRefused):
        assert got.values == {"term": "a"}  # type: ignore[attr-defined]
    else:
        assert got.params == {"ticket": 7}  # type: ignore[attr-defined]
    for name in ("detail", "ticket_id", "expected", "current", "changes"):
        assert getattr(got, name, None) == getattr(exc, name, None), name


def test_an_unexpected_error_is_a_message_not_a_traceback() -> None:
    reply = dispatch(Raising(KeyError("boom")), {"call": "ticket", "params": {"ticket_id": 7}})
    assert reply["error"]["type"] == "KeyError" and "Traceback" not in json.dumps(reply)
    with pytest.raises(codec.RemoteError, match="KeyError: 'boom'"):
        wire(Raising(KeyError("boom"))).ticket(7)


class Untouchable:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"dispatch reached the API for {name}")


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        ({"call": "nope", "params": {}}, "unknown call 'nope'"),
        ({"call": "sweep", "params": {}}, "unknown call 'sweep'"),  # in-process only
        ({"call": "on_change", "params": {}}, "unknown call"),
        ({"call": "__init__", "params": {}}, "unknown call"),
        ({"call": "ctx", "params": {}}, "unknown call"),
        ({"params": {}}, "unknown call None"),
        (["ticket", 7], "a request is an object"),
        ({"call": "ticket", "params": {}}, "ticket: missing parameter ticket_id"),
        ({"call": "ticket", "params": {"ticket_id": "seven"}}, "ticket: bad ticket_id"),
        (
            {"call": "ticket", "params": {"ticket_id": 7, "actor": "admin"}},
            "unknown parameter(s) actor",
        ),
        ({"call": "ticket", "params": [7]}, "params must be an object"),
        ({"call": "queue_count", "params": {"query": {"view": "everything"}}}, "bad query.view"),
    ],
)
def test_only_the_protocols_calls_with_fitting_params_are_run(request_: Any, says: str) -> None:
    reply = dispatch(Untouchable(), request_)  # type: ignore[arg-type]
    assert reply["error"]["type"] == "BadRequest"
    assert says in reply["error"]["message"]


def test_the_allow_list_is_the_protocols_calls() -> None:
    assert "sweep" not in codec.CALLS and "on_change" not in codec.CALLS
    assert {"ticket", "queue_first", "comment", "reveal"} <= codec.CALLS
    assert all(not name.startswith("_") for name in codec.CALLS)


@pytest.mark.parametrize(
    "failure", [ConnectionRefusedError(111, "Connection refused"), BrokenPipeError(), EOFError()]
)
def test_a_lost_connection_is_server_unavailable(failure: Exception) -> None:
    def send(message: dict[str, Any]) -> dict[str, Any]:
        raise failure

    with pytest.raises(errors.ServerUnavailable) as caught:
        RemoteDeskApi(send).ticket(7)
    assert isinstance(caught.value, errors.ServiceError) and caught.value.detail


def test_a_reply_deskui_cannot_read_is_server_unavailable() -> None:
    with pytest.raises(errors.ServerUnavailable):
        RemoteDeskApi(lambda m: {"what": 1}).ticket(7)


def _row(n: int) -> QueueRow:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    return QueueRow(
        n,
        f"T{n:06d}",
        f"subject {n}",
        Category.CONSULT,
        Priority.NORMAL,
        Status.NEW,
        Tier.NORMAL,
        Channel.PHONE,
        "客户",
        None,
        at,
        at,
        at,
        None,
        at,
        None,
        True,
        Key(0, (at, n)),
    )


class Window:
    """A fake API with a million tickets that serves windows and counts what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    def queue_first(self, query: Query, limit: int) -> tuple[int, list[QueueRow]]:
        self.asked.append(("first", limit))
        return 1_000_000, [_row(n) for n in range(limit)]


def test_a_thousand_row_window_crosses_as_that_window() -> None:
    api = Window()
    request = codec.encode_call("queue_first", (Query(now=FROZEN_NOW), 1000), {})
    reply = json.loads(json.dumps(dispatch(api, request)))  # type: ignore[arg-type]
    assert api.asked == [("first", 1000)]  # one window read, nothing more
    total, rows = reply["result"]
    assert total == 1_000_000 and len(rows) == 1000
    remote_total, remote_rows = RemoteDeskApi(lambda m: reply).queue_first(Query(), 1000)
    assert remote_total == 1_000_000 and remote_rows[999] == _row(999)
    assert remote_rows[999].key == Key(0, (datetime(2026, 11, 1, tzinfo=UTC), 999))


def test_every_call_has_codecs_for_its_params_and_result() -> None:
    for name in codec.CALLS:
        sig = codec.signature(name)
        assert sig.result is not None
        assert "progress" not in sig.params and "self" not in sig.params


def test_queue_rows_and_keys_keep_their_types() -> None:
    row = _row(3)
    back = codec.signature("queue_after").result.validate_python(
        json.loads(
            json.dumps(codec.signature("queue_after").result.dump_python([row], mode="json"))
        )
    )[0]
    for field in fields(QueueRow):
        assert getattr(back, field.name) == getattr(row, field.name), field.name
        assert type(getattr(back, field.name)) is type(getattr(row, field.name)), field.name
    assert isinstance(back.key.values[0], datetime) and isinstance(back.key.values[1], int)


def test_the_desk_says_reconnecting_while_the_server_is_gone_and_carries_on(
    desk_ctx: ServiceContext, admin_actor: Actor
) -> None:
    from deskui.ui.common.header import DeskHeader
    from deskui.ui.desk.desk import DeskScreen

    loop = LoopbackDeskApi(EmbeddedDeskApi(desk_ctx, admin_actor))
    serve: Callable[[dict[str, Any]], dict[str, Any]] = loop._send
    down = False

    def send(message: dict[str, Any]) -> dict[str, Any]:
        if down:
            raise ConnectionRefusedError(111, "Connection refused")
        return serve(message)

    loop._send = send

    async def scenario() -> None:
        nonlocal down
        from deskui.ui.app import DeskApp

        app = DeskApp(loop, admin_actor, settings=desk_ctx.settings, clock=lambda: FROZEN_NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(4):
                await pilot.pause()
                await workers_done(app)
            screen = app.screen
            assert isinstance(screen, DeskScreen)
            header = screen.query_one(DeskHeader)
            down = True
            screen._poll()
            await workers_done(app)
            await pilot.pause()
            assert app.is_running and header.offline
            assert "Reconnecting" in str(screen.query_one("#header-alerts").render())
            down = False
            screen._poll()
            await workers_done(app)
            await pilot.pause()
            assert not header.offline

    asyncio.run(scenario())


def test_the_loopback_mode_really_goes_through_the_codec(
    desk_ctx: ServiceContext, admin_actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desk_api

    monkeypatch.setattr(desk_api, "LOOPBACK", True)
    app = desk_app(desk_ctx, admin_actor)
    assert isinstance(app.api, RemoteDeskApi)
    assert app.api.runs_sweep  # like the embedded desk it stands for
    assert app.api.on_change(lambda batch: None) is False  # no pushes: the desk polls


def test_a_pushed_change_reaches_the_listeners() -> None:
    api = RemoteDeskApi(lambda m: {"result": None}, can_push=True)
    seen: list[Any] = []
    assert api.on_change(seen.append) is True
    api.pushed({"marker": 42, "changed": True})
    api.pushed(None)  # the transport lost the server
    assert [(b.marker, b.changed) if b else None for b in seen] == [(42, True), None]


def test_a_desk_with_pushes_does_not_poll_and_shows_what_is_pushed(
    desk_ctx: ServiceContext, admin_actor: Actor
) -> None:
    from deskui.ui.common.header import DeskHeader
    from deskui.ui.desk.desk import DeskScreen

    loop = LoopbackDeskApi(EmbeddedDeskApi(desk_ctx, admin_actor))
    loop._can_push = True
    loop.runs_sweep = False  # type: ignore[misc]  (as a server's client)

    async def scenario() -> None:
        from deskui.ui.app import DeskApp

        app = DeskApp(loop, admin_actor, settings=desk_ctx.settings, clock=lambda: FROZEN_NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(4):
                await pilot.pause()
                await workers_done(app)
            screen = app.screen
            assert isinstance(screen, DeskScreen)
            timers = {t.name for t in screen._timers}  # type: ignore[attr-defined]
            assert "desk-poll" not in timers and "desk-sweep" not in timers
            header = screen.query_one(DeskHeader)
            await asyncio.to_thread(loop.pushed, None)
            await pilot.pause()
            assert header.offline
            marker = loop.changes(-1).marker
            await asyncio.to_thread(loop.pushed, {"marker": marker, "changed": True})
            await pilot.pause()
            assert not header.offline

    asyncio.run(scenario())


def test_dates_cross_as_dates() -> None:
    sig = codec.signature("set_day")
    adapter = sig.params["day"][0]
    assert adapter.validate_python(adapter.dump_python(date(2026, 10, 1), mode="json")) == date(
        2026, 10, 1
    )


def test_the_desk_says_what_a_lost_server_means_in_its_language() -> None:
    from deskui.i18n import set_language
    from deskui.ui.common.workers import failure_message

    lost = errors.ServerUnavailable("[Errno 111] Connection refused")
    try:
        set_language("zh_CN")
        assert "无法连接 deskui 服务器" in failure_message(lost)
        assert "Connection refused" in failure_message(lost)
    finally:
        set_language("en")
    assert failure_message(lost).startswith("The deskui server could not be reached")


def test_the_policy_asked_for_ahead_is_the_one_the_first_paint_gets(
    desk_ctx: ServiceContext, admin_actor: Actor
) -> None:
    """A desk in client mode asks for the SLA policy on a thread while it starts; a caller
    that needs it meanwhile waits for that answer instead of asking again, and once a policy
    is known, a caller never waits for another thread's check."""
    import threading

    local = EmbeddedDeskApi(desk_ctx, admin_actor)
    asked, release = threading.Event(), threading.Event()
    requests: list[str] = []

    def send(message: dict[str, Any]) -> dict[str, Any]:
        requests.append(message["call"])
        asked.set()
        assert release.wait(10)
        return json.loads(json.dumps(dispatch(local, message)))

    remote = RemoteDeskApi(send)
    got: list[Any] = []
    ahead = threading.Thread(target=lambda: got.append(remote.sla_policy()))
    ahead.start()
    assert asked.wait(10)
    paint = threading.Thread(target=lambda: got.append(remote.sla_policy()))
    paint.start()
    paint.join(0.2)
    assert paint.is_alive()  # no policy known yet: it waits for the one being asked for
    release.set()
    ahead.join(10)
    paint.join(10)
    assert requests == ["policy_inputs", "public_years"]  # asked once, with its holidays
    assert got[0] is not None and got[0] is got[1]

    release.clear()
    asked.clear()
    remote.forget_policy()
    checking = threading.Thread(target=remote.sla_policy)
    checking.start()
    assert asked.wait(10)
    assert remote.sla_policy() is got[0]  # answered at once while the other thread asks
    release.set()
    checking.join(10)
    assert requests == ["policy_inputs", "public_years", "policy_inputs"]  # the same policy


def test_a_remote_desk_counts_down_in_clock_time_until_it_reaches_its_server() -> None:
    def send(message: dict[str, Any]) -> dict[str, Any]:
        raise ConnectionRefusedError(111, "Connection refused")

    assert RemoteDeskApi(send).sla_policy() is None


def test_the_embedded_api_has_every_call_with_the_protocols_parameters() -> None:
    """`dispatch` calls by parameter name: the embedded API must spell them the same."""
    import inspect

    from deskui.api.protocol import DeskApi, DeskCalls

    for name in codec.CALLS:
        want = list(inspect.signature(getattr(DeskCalls, name)).parameters)
        have = list(inspect.signature(getattr(EmbeddedDeskApi, name)).parameters)
        assert have == want, name
    for name in ("runs_sweep", "sweep", "on_change", "sla_policy"):
        assert hasattr(DeskApi, name) and hasattr(EmbeddedDeskApi, name), name
        assert hasattr(RemoteDeskApi, name), name


def test_an_enum_parameter_of_an_error_is_named_in_the_desks_language() -> None:
    from deskui.domain.enums import Status
    from deskui.i18n import describe, speaking

    exc = errors.InvalidAction("cannot close a ticket that is {status}", status=Status.IN_PROGRESS)
    with pytest.raises(errors.InvalidAction) as caught:
        wire(Raising(exc)).ticket(7)
    assert caught.value.params == {"status": Status.IN_PROGRESS}
    with speaking("zh_CN"):
        assert describe(caught.value) == "无法关闭状态为“处理中”的工单"


def test_a_remote_desk_asks_for_the_public_holidays_of_the_years_around_its_clock(
    desk_ctx: Any, admin_actor: Actor
) -> None:
    local = EmbeddedDeskApi(desk_ctx, admin_actor)
    asked: list[dict[str, Any]] = []

    def send(message: dict[str, Any]) -> dict[str, Any]:
        asked.append(message)
        return json.loads(json.dumps(dispatch(local, message)))

    remote = RemoteDeskApi(send, clock=lambda: datetime(2031, 6, 1, tzinfo=UTC))
    policy = remote.sla_policy()
    assert policy is not None
    years = [m["params"]["years"] for m in asked if m["call"] == "public_years"]
    assert years == [[2028, 2029, 2030, 2031, 2032, 2033]]
    assert not policy.business.is_working_day(date(2031, 10, 1))  # National Day, as sent
