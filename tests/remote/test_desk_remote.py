"""The desk as a server's client: its calls go over the real socket as the caller the kernel
names, a change made elsewhere is pushed to it, and a server that goes away and comes back
is "reconnecting", then the desk carries on with what was typed."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from deskui.api.codec import RemoteDeskApi
from deskui.config import load_settings
from deskui.domain.errors import ServerUnavailable
from deskui.domain.queue import Query
from deskui.remote.desk_client import DeskLink
from deskui.remote.serve import SiteServer
from deskui.services.accounts import os_username
from ui_workers import until, workers_done


def _remote(site: SiteServer) -> tuple[DeskLink, RemoteDeskApi]:
    link = DeskLink(site.server.path, "en")
    return link, RemoteDeskApi(link.send, can_push=True)


def _wait_for(condition: Any, seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "gave up waiting"
        time.sleep(0.05)


def test_desk_calls_act_as_the_sockets_peer(site: SiteServer) -> None:
    link, api = _remote(site)
    try:
        me = api.me()
        assert me.username == os_username()  # the peer, whatever LOGNAME says
        total, rows = api.queue_first(Query(actor_id=me.id, now=site.ctx.now()), 20)
        assert total > 0 and len(rows) <= 20
        ticket = rows[0]
        detail = api.ticket(ticket.id)
        after = api.comment(ticket.id, detail.version, "over the socket 经由服务器", True)
        assert after.events[-1].body == "over the socket 经由服务器"
        assert after.events[-1].actor in (me.display_name, me.username)
    finally:
        link.close()


def test_a_change_elsewhere_is_pushed_to_the_desk(site: SiteServer) -> None:
    link, api = _remote(site)
    other_link, other = _remote(site)
    seen: list[Any] = []
    try:
        api.on_change(seen.append)
        link.watch(api.pushed)
        _wait_for(lambda: seen)  # subscribed: the desk is told to catch up
        seen.clear()
        me = other.me()
        _total, rows = other.queue_first(Query(actor_id=me.id, now=site.ctx.now()), 1)
        detail = other.ticket(rows[0].id)
        other.comment(detail.id, detail.version, "pushed", True)
        _wait_for(lambda: any(batch is not None and batch.changed for batch in seen))
    finally:
        link.close()
        other_link.close()


def test_a_server_that_goes_away_is_reconnecting_then_back(db_url: str, clock, short_dir) -> None:
    from deskui.cli import main

    assert main(["--db", db_url, "demo", "--tickets", "10"], clock=clock) == 0
    loaded = load_settings(overrides={"db_url": db_url})
    socket = short_dir / "run" / "s.sock"
    first = SiteServer(loaded, socket, sweep_seconds=0, feed_seconds=0.2, clock=clock)
    first.start()
    link = DeskLink(socket, "en")
    api = RemoteDeskApi(link.send, can_push=True)
    try:
        me = api.me()
        first.stop()
        with pytest.raises(ServerUnavailable):
            api.me()  # the desk shows "Reconnecting…" for this, and keeps the draft
        second = SiteServer(loaded, socket, sweep_seconds=0, feed_seconds=0.2, clock=clock)
        second.start()
        try:
            assert api.me() == me  # the next call connects again
        finally:
            second.stop()
    finally:
        link.close()


def test_the_desk_opens_on_the_server_and_saves_a_comment(site: SiteServer) -> None:
    from deskui.ui.app import DeskApp
    from deskui.ui.ticket.ticket_detail import TicketDetailPanel

    link, api = _remote(site)
    actor = api.me()
    app = DeskApp(api, actor, settings=site.loaded.settings)
    link.watch(api.pushed)

    async def walk() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(40):
                await pilot.pause(0.1)
                if app.screen.query(TicketDetailPanel) and getattr(app, "reader", True):
                    break
            await pilot.press("enter")
            panel = app.screen.query_one(TicketDetailPanel)
            assert await until(pilot, lambda: panel.ticket is not None)
            await workers_done(app)
            await pilot.press("c", *"typed on a client", "ctrl+s")
            assert await until(
                pilot,
                lambda: (
                    panel.ticket is not None and panel.ticket.events[-1].body == "typed on a client"
                ),
            )

    try:
        asyncio.run(walk())
    finally:
        link.close()


def test_mine_is_the_callers_whatever_agent_id_the_client_sends(site: SiteServer) -> None:
    from deskui.domain.queue import View

    link, api = _remote(site)
    try:
        me = api.me()
        others = [a for a in api.agents() if a.id != me.id]
        now = site.ctx.now()
        mine = api.queue_count(Query(view=View.MINE, actor_id=me.id, now=now))
        for other in others[:5]:
            spoofed = Query(view=View.MINE, actor_id=other.id, now=now)
            assert api.queue_count(spoofed) == mine
    finally:
        link.close()


def test_the_assignees_reminders_reach_their_desk(site: SiteServer, clock) -> None:
    link, api = _remote(site)
    notices: list[Any] = []
    subscribed: list[Any] = []
    try:
        me = api.me()
        _total, rows = api.queue_first(Query(actor_id=me.id, now=site.ctx.now()), 1)
        detail = api.ticket(rows[0].id)
        api.assign(detail.id, detail.version, None, me.id)
        api.on_notice(notices.append)
        api.on_change(subscribed.append)
        link.watch(api.pushed, api.noticed)
        _wait_for(lambda: subscribed)
        clock.now = clock.now.replace(year=2027)  # every target of that ticket is breached
        site.sweeper.once()
        _wait_for(lambda: any(n.ticket_id == detail.id for n in notices))
        mine = next(n for n in notices if n.ticket_id == detail.id)
        assert mine.number == detail.number and mine.kind in ("reminder", "escalate")
    finally:
        link.close()


def test_the_server_decides_the_time_whatever_the_desks_clock(site: SiteServer) -> None:
    """A desk whose clock is years off (or lies) gets the same at-risk and breached rows and
    counts, KPI board, report month and calendar warning as one with the right time."""
    from datetime import timedelta

    from deskui.api.embedded import EmbeddedDeskApi
    from deskui.domain.queue import View

    link, api = _remote(site)
    try:
        me = api.me()
        right = site.ctx.now()
        skews = (right + timedelta(days=3650), right - timedelta(days=3650))
        trusting = EmbeddedDeskApi(site.ctx, me)  # in-process: the caller's clock is the clock
        for view in (View.BREACHED, View.AT_RISK):
            honest = api.queue_first(Query(view=view, actor_id=me.id, now=right), 50)
            for skewed in skews:
                query = Query(view=view, actor_id=me.id, now=skewed)
                assert api.queue_first(query, 50) == honest, (view, skewed)
                assert api.queue_count(query) == honest[0]
        future = Query(view=View.BREACHED, actor_id=me.id, now=skews[0])
        assert trusting.queue_count(future) != api.queue_count(future)  # the skew would matter
        marker = api.changes(-1).marker
        assert all(
            api.queue_counts(me.id, skewed, marker) == api.queue_counts(me.id, right, marker)
            for skewed in skews
        )
        assert all(api.kpi_board(skewed) == api.kpi_board(right) for skewed in skews)
        assert trusting.kpi_board(skews[0]) != api.kpi_board(skews[0])
        month = api.report_month(None, right)
        assert month == right.astimezone(site.ctx.site.zone).strftime("%Y-%m")
        assert [api.report_month(None, s) for s in skews] == [month, month]
        assert trusting.report_month(None, skews[0]) != month
        assert all(api.estimated_years(s) == api.estimated_years(right) for s in skews)
    finally:
        link.close()


def test_the_client_desk_has_its_first_rows_and_policy_asked_for_before_textual_runs(
    site: SiteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the embedded desk does, `deskui --server` asks for the queue's first rows and the
    SLA policy while Textual loads; the desk's first read takes those rows, and the site's
    time zone comes with them."""
    import deskui.ui.app
    from deskui.remote.desk_client import run_desk

    seen: dict[str, Any] = {}

    def run_app(
        api: RemoteDeskApi, actor: Any, settings: Any, reader: Any = None, site: Any = None
    ) -> None:
        seen.update(api=api, actor=actor, reader=reader, site=site)

    monkeypatch.setattr(deskui.ui.app, "run_app", run_app)
    assert run_desk(site.server.path, site.loaded.settings) == 0
    reader, actor = seen["reader"], seen["actor"]
    assert reader is not None
    assert seen["site"] == seen["api"].site()  # read before Textual, not on the UI's thread
    reader._prefetch.join(10)
    early = reader.prefetched(Query(actor_id=actor.id), 5)  # None unless read ahead and fitting
    assert early is not None and early[0] > 0 and len(early[1]) == 5
    _wait_for(lambda: seen["api"]._policy is not None)  # asked for on its own thread


PUBLIC_YEARS_PROBE = """
import sys
from datetime import UTC, date, datetime
from deskui.api.codec import RemoteDeskApi
from deskui.remote.desk_client import DeskLink
link = DeskLink(sys.argv[1], "en")
year = 2030  # the desk's clock, fixed
policy = RemoteDeskApi(link.send, clock=lambda: datetime(year, 6, 1, tzinfo=UTC)).sla_policy()
kinds = [policy.business.day_kind(date(year + n, 10, 1)) for n in range(int(sys.argv[2]), 2)]
print(kinds.count("holiday"), sorted({m.split(".")[0] for m in sys.modules} & {"holidays"}))
"""


@pytest.mark.parametrize(("back", "imported"), [(-2, []), (-4, ["holidays"])])
def test_a_remote_desk_counts_business_time_with_the_servers_public_holidays(
    site: SiteServer, back: int, imported: list[str]
) -> None:
    """The countdowns of a desk on a server need the years around now (back to 3 years ago):
    the server sends their public holidays, so the desk imports no holidays package (150 ms
    of its start-up). A year further back does import it (the probe can see the import)."""
    import subprocess
    import sys

    argv = [sys.executable, "-c", PUBLIC_YEARS_PROBE, str(site.server.path), str(back)]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().split(maxsplit=1) == [str(2 - back), repr(imported)], out.stderr


def test_public_years_are_asked_for_ten_at_a_time(site: SiteServer) -> None:
    from deskui.domain.errors import BadRequest

    link, api = _remote(site)
    try:
        assert [p.year for p in api.public_years([2026, 2027])] == [2026, 2027]
        with pytest.raises(BadRequest):
            api.public_years(list(range(2020, 2031)))
    finally:
        link.close()
