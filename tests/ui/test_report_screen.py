"""The monthly report screen: loads in a worker with a progress bar, moves between months,
saves to the current directory or a chosen path, speaks Chinese, and opens over the desk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, ProgressBar, Static

from conftest import FROZEN_NOW, frozen_clock
from deskui import i18n
from deskui.services.context import ServiceContext
from deskui.services.reports import MONTHLY_STEPS
from deskui.ui.kpis.report import ReportScreen, SaveReportScreen
from ui_workers import workers_done


def sync(test: Callable[..., Any]) -> Callable[..., Any]:
    """Run an async test with asyncio (the venv has no async pytest plugin)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(test(*args, **kwargs))

    return wrapper


class Host(App[None]):
    """The desk's contract for screens: `app.api`, `app.zone` and `app.now()`."""

    def __init__(self, ctx: ServiceContext, month: str | None = None) -> None:
        from desk_api import make_api

        from deskui.domain.actors import Actor
        from deskui.domain.enums import Role

        super().__init__()
        self.ctx = ctx
        self.api = make_api(ctx, Actor(0, "reporter", "Reporter", Role.ADMIN, None))
        self.zone = ctx.site.zone
        self.month = month

    def now(self) -> datetime:
        return frozen_clock()

    def on_mount(self) -> None:
        self.push_screen(ReportScreen(self.month))


async def settle(app: App[Any], pilot: Any) -> None:
    for _ in range(3):
        await workers_done(app)
        await pilot.pause()


def texts(screen: ReportScreen) -> str:
    return "\n".join(str(w.render()) for w in screen.query("#report-body Static").results(Static))


@pytest.fixture
def report_ctx(make_ctx: Callable[..., ServiceContext]) -> ServiceContext:
    return make_ctx()


@sync
async def test_shows_the_current_month_then_moves(report_ctx: ServiceContext) -> None:
    app = Host(report_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert FROZEN_NOW.isoformat().startswith("2026-11-23")
        assert screen.month == "2026-11" and screen.report.period == "2026-11"
        assert screen.query_one(ProgressBar).progress == MONTHLY_STEPS
        assert not screen.query_one("#report-loading").display
        shown = texts(screen)
        assert "Monthly after-sales analysis / 售后问题月度分析报告 2026-11" in shown
        assert "Volume by channel / 按渠道" in shown
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert screen.report.period == "2026-10"
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.report.period == "2026-11"
        await pilot.press("right_square_bracket")  # no later month: stays
        await settle(app, pilot)
        assert screen.month == "2026-11"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportScreen)


@sync
async def test_saves_into_the_current_directory_or_a_chosen_path(
    report_ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = Host(report_ctx, "2026-10")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveReportScreen)
        field = dialog.query_one(Input)
        assert field.value == str(tmp_path / "deskui-monthly-2026-10.xlsx")
        await pilot.press("enter")
        await settle(app, pilot)
        saved = tmp_path / "deskui-monthly-2026-10.xlsx"
        assert saved.read_bytes()[:2] == b"PK"  # a zip: XLSX
        assert screen.saved_to == saved
        assert str(saved) in str(screen.query_one("#report-status", Static).render())

        await pilot.press("s")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "sub/october.txt"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveReportScreen)  # refused: not a report format
        field.value = "sub/october.md"
        await pilot.press("enter")
        await settle(app, pilot)
        text = (tmp_path / "sub" / "october.md").read_text(encoding="utf-8")
        assert text.startswith("# Monthly after-sales analysis / 售后问题月度分析报告 2026-10")


@sync
async def test_speaks_chinese(make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx(lang="zh_CN")
    i18n.set_language("zh_CN")
    try:
        app = Host(ctx, "2026-10")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert "月度分析报告 · 2026-10" in str(
                screen.query_one("#report-title", Static).render()
            )
            descriptions = {
                b.description for items in screen._bindings.key_to_bindings.values() for b in items
            }
            assert {"上个月", "下个月", "保存", "返回"} <= descriptions
    finally:
        i18n.set_language("en")


@sync
async def test_opens_over_the_desk(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        desk = app.screen
        app.push_screen(ReportScreen())
        await settle(app, pilot)
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.report.period == "2026-11"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is desk


def test_a_section_shows_customer_text_literally_under_two_line_headers() -> None:
    from rich.console import Console

    from deskui.domain.report_model import Column, Section
    from deskui.ui.kpis.report import section_table

    subject = "Door [bold]stuck[/bold] [link=http://x]here\x1b[31m"
    section = Section(
        "Complaints",
        "Complaints / 投诉",
        [Column("Subject / 主题"), Column("Tickets / 工单数", "int")],
        [[subject, 1200]],
    )
    console = Console(width=70, record=True, color_system=None)
    console.print(section_table(section))
    lines = console.export_text().splitlines()
    assert lines[0].split() == ["Subject", "Tickets"]
    assert lines[1].split() == ["主题", "工单数"]
    assert "Door [bold]stuck[/bold] [link=http://x]here␛[31m" in lines[2]
    assert lines[2].rstrip().endswith("1,200")
