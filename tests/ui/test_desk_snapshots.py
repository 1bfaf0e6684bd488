"""Snapshots of the desk at 80x24 and 120x35, in English and Chinese, on a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_detail_host import LANGS, SIZES, size_id

from ui_workers import screen_settled, workers_done


async def _settle(pilot: Any) -> None:
    from deskui.ui.desk.desk import FOLLOW_DELAY

    await pilot.pause(FOLLOW_DELAY + 0.05)  # the detail follows the queue cursor once it rests
    for round_ in range(6):
        await pilot.pause()
        await workers_done(pilot.app)
        if round_ == 3:  # the KPI panel has loaded: recount so the header shows its flags
            pilot.app.screen._counts()
    await screen_settled(pilot)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
def test_desk_snapshot(
    snap_compare: Any, make_app: Callable[..., Any], lang: str, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_queue_breached_view_snapshot(
    snap_compare: Any, make_app: Callable[..., Any], lang: str, size: tuple[int, int]
) -> None:
    async def before(pilot: Any) -> None:
        await _settle(pilot)
        for _ in range(4):  # open -> mine -> unassigned -> at risk -> breached
            await pilot.press("right_square_bracket")
        await pilot.press("down")
        await _settle(pilot)

    assert snap_compare(make_app(lang=lang), terminal_size=size, run_before=before)


@pytest.mark.parametrize("mode", ["no_color", "ansi16"])
@pytest.mark.parametrize("size", [(80, 24), (120, 35)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_desk_colour_mode_snapshot(
    snap_compare: Any,
    make_app: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    size: tuple[int, int],
) -> None:
    """Without colour (NO_COLOR: breached rows and counts reversed and bold, at risk bold)
    and in the 16-colour ANSI theme a TERM=linux console gets. The picture shows the styles
    the desk chooses; the greying of remaining colours is Textual's output filter."""
    from deskui.ui.common.states import ANSI_THEME

    if mode == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    if mode == "ansi16":
        app.theme = ANSI_THEME
    assert snap_compare(app, terminal_size=size, run_before=_settle)
