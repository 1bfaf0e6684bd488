"""The palette and `?` list the desk's own keys, as the user's role and language allow."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.context import ServiceContext
from deskui.ui.commands import DeskCommands, desk_keys
from deskui.ui.common.help import binding_rows
from ui_workers import workers_done

WRITES = {
    "Comment",
    "Assign",
    "Priority",
    "Wait/resume",
    "Escalate",
    "Resolve",
    "Reopen",
    "Close",
    "Extend",
    "New ticket",
    "Repairs",
    "Replace",
}


def _actor(ctx: ServiceContext, role: Role) -> Actor:
    from deskui.store.tickets import agents

    with ctx.read() as session:
        row = next(a for a in agents(session) if a.role is role)
    return Actor(row.id, row.username, row.display_name, row.role, row.team_id)


async def _settle(pilot: Any, app: Any) -> None:
    for _ in range(4):
        await pilot.pause()
        await workers_done(app)


def _desk(make_ctx: Callable[..., ServiceContext], role: Role, lang: str = "en") -> Any:
    from conftest import desk_app

    ctx = make_ctx(lang=lang)
    return desk_app(ctx, _actor(ctx, role), clock=ctx.clock)


async def _palette_titles(app: Any) -> list[str]:
    provider = DeskCommands(app.screen)
    return [str(hit.text) for hit in [h async for h in provider.discover()]]


def test_qa_is_offered_no_write_action(make_ctx: Callable[..., ServiceContext]) -> None:
    async def scenario() -> None:
        app = _desk(make_ctx, Role.QA)
        async with app.run_test(size=(120, 35)) as pilot:
            await _settle(pilot, app)
            await pilot.press("down", "enter")
            await _settle(pilot, app)
            titles = await _palette_titles(app)
            assert "Sort" in titles and "Show phone" in titles
            assert not WRITES & set(titles), WRITES & set(titles)
            described = {row[2] for row in binding_rows(app.screen)}
            assert not WRITES & described

    asyncio.run(scenario())


def test_help_names_places_in_words_and_lists_no_textual_keys(
    make_ctx: Callable[..., ServiceContext],
) -> None:
    async def scenario() -> None:
        app = _desk(make_ctx, Role.ADMIN, lang="zh_CN")
        async with app.run_test(size=(120, 35)) as pilot:
            await _settle(pilot, app)
            await pilot.press("down", "enter")
            await _settle(pilot, app)
            rows = binding_rows(app.screen)
            places = {where for where, *_rest in rows}
            assert not {p for p in places if p.isascii() and p[:1].isupper()}, places
            assert "队列" in places and "回访" in places, places
            descriptions = {row[2] for row in rows}
            assert {"排序", "筛选"} <= descriptions, descriptions
            assert not {"Copy selected text", "Scroll Up", "Toggle"} & descriptions
            keys = list(desk_keys(app.screen))
            assert all(k.description for k in keys)

    asyncio.run(scenario())
