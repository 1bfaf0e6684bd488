"""Snapshots of the desk's panels one at a time, the monthly report and the unknown-user
screen, at 80x24 and 120x35, in English and Chinese (frozen clock).

With the dialogs (test_modal_snapshots.py), the desk and its queue views
(test_desk_snapshots.py), the detail, intake, callbacks and KPI panels on their own
(test_detail_snapshots.py), the calendar (test_calendar_screen.py) and the visits screen and
repairs section (test_repairs_ui.py), every screen of the app has a picture at both sizes.
At 80x24 the number keys show one panel at a time; at 120x35 they move the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_detail_host import LANGS, SIZES, size_id
from test_modal_snapshots import desk_keys

from deskui.i18n import set_language

SCREENS = {
    "ticket-panel": ("2",),
    "callbacks-panel": ("3",),
    "kpi-panel": ("4",),
    "report": ("4", "m"),
}


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(SCREENS))
def test_desk_screen_snapshot(
    snap_compare: Any, make_app: Callable[..., Any], case: str, lang: str, size: tuple[int, int]
) -> None:
    assert snap_compare(
        make_app(lang=lang), terminal_size=size, run_before=desk_keys(*SCREENS[case])
    )


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_unknown_user_snapshot(snap_compare: Any, lang: str, size: tuple[int, int]) -> None:
    from deskui.ui.unknown_user import UnknownUserApp

    set_language(lang)  # type: ignore[arg-type]
    try:
        app = UnknownUserApp("li.na", inactive=False, admins=["demo.admin", "zhou.min"])
        assert snap_compare(app, terminal_size=size)
    finally:
        set_language("en")
