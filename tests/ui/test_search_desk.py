"""Pilot tests: every search answers in the desk (typed ahead, empty, refused, last wins)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events

from deskui.store.queue import View
from deskui.ui.common.lines import Lines
from deskui.ui.queue.queue import QueuePanel, QueueTable
from ui_workers import workers_done


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())


async def settle(pilot: Any, app: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


def burst(app: Any, text: str) -> None:
    """Keys as a terminal delivers a quickly typed (or pasted) chunk: all queued at once,
    before the app handles the first. `pilot.press` waits after each key, which hides the
    race this desk had: `/` opened the search box, but its focus moved only after the keys
    already queued were handed to the queue table, so `唐丽` was lost and Enter submitted an
    empty search (or opened a ticket)."""
    names = {"/": "slash", "\r": "enter", " ": "space"}
    for char in text:
        key = events.Key(names.get(char, char), char)
        key.set_sender(app)
        app.post_message(key)


def status(app: Any) -> str:
    return str(app.screen.query_one("#queue-status", Lines).content)


def test_a_search_typed_ahead_is_not_dropped(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            panel = app.screen.query_one(QueuePanel)
            table = app.screen.query_one(QueueTable)
            panel.set_view(View.ALL)
            await settle(pilot, app)
            all_total = table.total
            burst(app, "/谢娟\r")  # a customer's name in the demo data (the was 唐丽)
            await settle(pilot, app)
            assert panel.filter.search == "谢娟"
            assert "Search: 谢娟" in status(app)
            assert 0 < table.total < all_total
            assert app.focused is table
            burst(app, "/门锁\r")  # again: the box opens with 谢娟 selected; typing replaces it
            await settle(pilot, app)
            assert panel.filter.search == "门锁"

    run(scenario)


def test_empty_result_says_so_with_the_term(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            burst(app, "/zzqx 门锁\r")
            await settle(pilot, app)
            table = app.screen.query_one(QueueTable)
            assert table.total == 0
            assert "No tickets match “zzqx 门锁”" in status(app)
            shown = "\n".join(table.render_line(y).text for y in range(3))
            assert "No tickets match “zzqx 门锁”" in shown

    run(scenario)


def test_one_character_and_overlong_searches_are_refused_with_a_hint(
    make_app: Callable[..., Any],
) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            panel = app.screen.query_one(QueuePanel)
            burst(app, "/张\r")
            await settle(pilot, app)
            assert panel.filter.search is None
            assert "at least two" in status(app)
            search = app.screen.query_one("#queue-search")
            assert search.display and search.value == "张"  # kept, to correct it
            search.value = "门" * 5000
            await pilot.press("enter")
            await settle(pilot, app)
            assert panel.filter.search is None
            assert "limited to 100 characters" in status(app)

    run(scenario)


def test_the_last_of_several_searches_wins(make_app: Callable[..., Any]) -> None:
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            panel = app.screen.query_one(QueuePanel)
            panel.set_view(View.ALL)
            await settle(pilot, app)
            burst(app, "/门锁\r/指纹\r/谢娟\r")
            await settle(pilot, app)
            table = app.screen.query_one(QueueTable)
            assert panel.filter.search == "谢娟"
            assert "谢娟" in status(app)
            with app.test_ctx.read() as session:
                from deskui.store import queue as q

                query = panel.current_query()
                assert table.total == q.count(session, query) > 0
                expected = q.full_order(session, query)[: len(table.rows)]
            assert [r.id for r in table.rows] == expected

    run(scenario)


def test_chinese_desk_says_what_it_searches_and_found_nothing(
    make_app: Callable[..., Any],
) -> None:
    async def scenario() -> None:
        app = make_app(lang="zh_CN")
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            burst(app, "/zzqx 门锁\r")
            await settle(pilot, app)
            assert "搜索: zzqx 门锁" in status(app) or "搜索：zzqx 门锁" in status(app)
            assert "没有与“zzqx 门锁”匹配的工单" in status(app)
            assert "最佳匹配" in status(app)
            burst(app, "/张\r")
            await settle(pilot, app)
            assert "请至少输入两个字" in status(app)

    run(scenario)


def test_status_line_says_what_is_being_searched_while_it_reads(
    make_app: Callable[..., Any],
) -> None:
    import threading

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot, app)
            table = app.screen.query_one(QueueTable)
            reader, release = table.reader, threading.Event()
            original = reader.first

            def slow_first(query: Any, limit: int) -> Any:
                release.wait(10)  # the read of the search holds until the test looked
                return original(query, limit)

            reader.first = slow_first  # type: ignore[method-assign]
            burst(app, "/门锁\r")
            for _ in range(5):
                await pilot.pause()
            assert "Searching “门锁”…" in status(app)
            release.set()
            await settle(pilot, app)
            assert "Searching" not in status(app)
            assert "Search: 门锁" in status(app) and f"1/{table.total}" in status(app)

    run(scenario)
