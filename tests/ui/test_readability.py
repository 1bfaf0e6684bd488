"""Readable everywhere (issue 16): one state vocabulary, columns that give way by importance,
whole footer keys, a timeline in words, full KPI names."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console
from test_detail_host import make_world

from deskui.domain.enums import EventKind, SlaState
from deskui.domain.rows import EventRow
from deskui.i18n import set_language
from deskui.services import directory
from deskui.ui.common.footer import FooterKey, fitting_keys, key_cells
from deskui.ui.common.formatting import _summary, timeline
from deskui.ui.common.states import COLOUR, MONO, SYMBOLS, state_style
from deskui.ui.queue.queue import COLUMNS, DROP_ORDER, SUBJECT_MIN, layout_columns
from ui_workers import workers_done


def test_each_state_has_its_own_symbol_and_none_is_a_priority_mark() -> None:
    assert set(SYMBOLS) == set(SlaState) == set(COLOUR) == set(MONO)
    assert len(set(SYMBOLS.values())) == len(SlaState)
    assert not set(SYMBOLS.values()) & {"▲", "▼", "·", "⏸", "✗"}  # priority, KPI, old duplicates


def test_without_colour_the_most_urgent_state_is_the_most_visible() -> None:
    mono = SimpleNamespace(no_color=True)
    breached = state_style(SlaState.BREACHED, mono)
    at_risk = state_style(SlaState.AT_RISK, mono)
    assert breached.reverse and breached.bold and breached.color is None
    assert at_risk.bold and not at_risk.reverse and at_risk.color is None
    assert state_style(SlaState.MET, mono).dim
    assert state_style(SlaState.BREACHED, SimpleNamespace(no_color=False)).color is not None


@pytest.mark.parametrize("width", [40, 60, 69, 77, 80, 100, 118, 160])
def test_queue_columns_fill_the_width_and_drop_the_least_important_first(width: int) -> None:
    shown = layout_columns(width)
    keys = [c.key for c, _ in shown]
    assert {"sla", "number", "subject"} <= set(keys)
    fixed = sum(c.width for c, _ in shown) + len(shown) - 1
    assert sum(cells for _, cells in shown) + len(shown) - 1 == max(width, fixed + 8)
    dropped = [k for k in DROP_ORDER if k not in keys]
    assert dropped == list(DROP_ORDER[: len(dropped)])  # in order, least important first
    if dropped:
        subject = dict((c.key, n) for c, n in shown)["subject"]
        assert subject >= SUBJECT_MIN or dropped == list(DROP_ORDER)


def test_a_wide_queue_carries_every_column() -> None:
    assert [c.key for c, _ in layout_columns(118)] == [c.key for c in COLUMNS]


def _keys(*names: tuple[str, bool]) -> tuple[FooterKey, ...]:
    return tuple(FooterKey(n[0], n[0], d, enabled) for d, enabled in names for n in [d])


def test_footer_keeps_whole_keys_dropping_dimmed_then_last_ones() -> None:
    keys = _keys(("Comment", True), ("Reopen", False), ("Resolve", True), ("Queue", True))
    everything = sum(key_cells(k) for k in keys)
    assert fitting_keys(keys, everything) == list(keys)
    without_reopen = [k for k in keys if k.description != "Reopen"]
    assert fitting_keys(keys, everything - 1) == without_reopen
    room = sum(key_cells(k) for k in keys[:1] + keys[2:3])
    assert [k.description for k in fitting_keys(keys, room)] == ["Comment", "Resolve"]
    assert fitting_keys(keys, 3) == []


def _event(kind: EventKind, before: dict, after: dict) -> EventRow:  # type: ignore[type-arg]
    from datetime import UTC, datetime

    return EventRow(
        1, 1, datetime(2026, 11, 23, 2, tzinfo=UTC), kind, "zhou", False, "", before, after
    )


def test_timeline_speaks_names_not_ids(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    teams = {t.name: t.id for t in directory.teams(world.ctx)}
    agents = {a.display_name: a.id for a in directory.agents(world.ctx)}
    event = _event(
        EventKind.ASSIGN,
        {"team_id": teams["Engineers 维修"], "assignee_id": agents["Li Lei 李雷"], "status": "new"},
        {
            "team_id": teams["Complaints 投诉"],
            "assignee_id": agents["Zhou 周"],
            "status": "assigned",
        },
    )
    set_language("en")  # the language is process-wide: another test may have left Chinese
    names = directory.event_names(world.ctx, [event])
    assert set(names.agents) == {agents["Li Lei 李雷"], agents["Zhou 周"]}  # only these ids
    summary = _summary(event, world.ctx.site.zone, names)
    assert summary == (
        "Engineers 维修 → Complaints 投诉, Li Lei 李雷 → Zhou 周, Status: New → Assigned"
    )
    assert "team_id" not in summary and "assignee_id" not in summary
    set_language("zh_CN")
    try:
        shown = _summary(event, world.ctx.site.zone, names)
        assert (
            shown == "Engineers 维修 → Complaints 投诉，Li Lei 李雷 → Zhou 周，状态：新建 → 已分派"
        )
    finally:
        set_language("en")


def test_wrapped_timeline_lines_hang_under_their_entry() -> None:
    event = _event(
        EventKind.EXTEND,
        {"resolve_due_at": "2026-11-24T07:00:00+00:00"},
        {"resolve_due_at": "2026-12-01T10:08:00+00:00", "minutes": 120},
    )
    body = EventRow(
        2,
        1,
        event.at,
        EventKind.COMMENT,
        "zhou",
        True,
        "Fingerprint reader replaced and tested with the customer present",
        None,
        None,
    )
    from zoneinfo import ZoneInfo

    console = Console(width=40, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(timeline([event, body], ZoneInfo("Asia/Shanghai")))
    lines = console.export_text().splitlines()
    assert len(lines) > 2
    for line in lines:
        assert line.startswith("11-23 10:00") or line.startswith(" " * 13)  # hanging indent
    words = " ".join(line[13:].strip() for line in lines).split()
    assert "Fingerprint" in words  # never cut mid-word


@pytest.mark.parametrize("width", [80, 160])
def test_the_header_keeps_counts_clock_and_name_and_gives_kpi_names_way(
    make_app: Any, width: int
) -> None:
    """With three KPIs flagged at 80 columns the names would push the agent off the header:
    the KPIs are counted instead, and the signed-in name stays whole."""
    import asyncio

    from deskui.ui.common.header import DeskHeader

    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(width, 24)) as pilot:
            for _ in range(3):
                await pilot.pause()
                await workers_done(app)
            header = app.screen.query_one(DeskHeader)
            kpis = ("First-contact fix rate", "Satisfaction", "Escalation rate")
            header.set_alerts(3, 12, kpis)
            await pilot.pause()
            who = str(header.query_one("#header-who").render())
            alerts = str(header.query_one("#header-alerts").render())
            assert app.actor.display_name in who and "…" not in who
            assert "Breached 12" in alerts and "At risk 3" in alerts
            if width == 80:
                assert "3 KPIs off target" in alerts or "▼ 3" in alerts
            else:
                assert "First-contact fix rate, Satisfaction, and Escalation rate" in alerts

    asyncio.run(scenario())
