"""The KPI panel: values per period, '—' for empty ones, flags below 80% of target."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_detail_host import Host, World, make_world, sync

from deskui.domain.kpi import Kpi
from deskui.i18n import set_language
from deskui.store.kpi import Period
from deskui.ui.kpis.kpi_panel import KpiPanel, sparkline
from ui_workers import until, workers_done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield make_world(tmp_path)
    set_language("en")


def test_sparkline_scales_and_marks_empty_weeks() -> None:
    assert sparkline([None, 0.0, 0.5, 1.0]) == "·▁▅█"
    assert sparkline([None, None]) == "··"
    assert sparkline([2.0, 2.0]) == "▄▄"


@sync
async def test_panel_shows_periods_and_flags(world: World) -> None:
    app = Host(world, KpiPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        await pilot.pause()
        panel = app.query_one(KpiPanel)
        report = panel.report
        assert report is not None
        today = report.periods[Period.TODAY]
        # the repair was answered at once; the complaint (1 h target) was not, 3 h on
        response = today[Kpi.ON_TIME_RESPONSE]
        assert (response.numerator, response.denominator) == (1, 2)
        assert today[Kpi.CSAT].value.value is None
        assert panel.flagged == ["On-time response"]
    app = Host(world, KpiPanel, lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        await pilot.pause()
        assert app.query_one(KpiPanel).flagged == ["响应及时率"]


@sync
async def test_changes_elsewhere_reread_the_kpis_at_most_once_per_fresh_period(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deskui.ui.kpis.kpi_panel as kpi_panel

    monkeypatch.setattr(kpi_panel, "FRESH_SECONDS", 0.5)
    app = Host(world, KpiPanel)
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        panel = app.query_one(KpiPanel)
        asked: list[object] = []
        board = app.api.kpi_board
        monkeypatch.setattr(app.api, "kpi_board", lambda now: asked.append(now) or board(now))
        for _ in range(5):  # five changes on other desks within the period: none re-read now
            panel.changed_elsewhere()
            await pilot.pause()
        await workers_done(app)
        assert asked == []
        assert await until(pilot, lambda: asked)  # the period is over: the changes are read
        await pilot.pause(0.6)
        await workers_done(app)
        assert len(asked) == 1  # once
        panel.reload()  # the agent's own change or Ctrl+R: at once
        await workers_done(app)
        assert len(asked) == 2
        panel.changed_elsewhere()
        await workers_done(app)
        assert len(asked) == 2
