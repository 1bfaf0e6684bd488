"""The queue's countdown and its at-risk mark run on one clock, and the cell says which."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.cells import cell_len

from deskui.domain.enums import Category, Channel, Priority, SlaState, Status, Tier
from deskui.domain.sla import SlaPolicy
from deskui.i18n import set_language
from deskui.store.queue import Key, QueueRow
from deskui.ui.queue.queue import COLUMNS, row_sla

SH = ZoneInfo("Asia/Shanghai")


def row(priority: Priority, created: datetime, policy: SlaPolicy) -> QueueRow:
    due = policy.due_times(priority, Category.HELP, Tier.NORMAL, created)
    return QueueRow(
        id=1,
        number="SR-1",
        subject="s",
        category=Category.HELP,
        priority=priority,
        status=Status.IN_PROGRESS,
        tier=Tier.NORMAL,
        channel=Channel.PHONE,
        customer_name="c",
        assignee_name=None,
        created_at=created,
        next_due_at=due.response_due,
        next_warn_at=due.response_warn,
        paused_at=None,
        resolve_due_at=due.resolve_due,
        resolved_at=None,
        is_open=True,
        key=Key(0, None),
    )


def test_a_business_countdown_is_working_time_and_marked() -> None:
    set_language("en")
    policy = SlaPolicy()
    created = datetime(2026, 11, 23, 17, 0, tzinfo=SH)  # Monday 17:00; 1 working day to reply
    normal = row(Priority.NORMAL, created, policy)
    evening = datetime(2026, 11, 23, 20, 0, tzinfo=SH)
    state, shown = row_sla(normal, evening, policy)
    # 9 working hours - 1 worked = 8 h left: working time, not the 21 h of clock time
    assert (state, shown) == (SlaState.ON_TRACK, "8h 00m w")
    at_risk = datetime(2026, 11, 24, 15, 0, tzinfo=SH)  # 2 h of working time left
    assert row_sla(normal, at_risk, policy) == (SlaState.AT_RISK, "2h 00m w")
    # without a policy (no site context) the cell falls back to clock time, unmarked
    assert row_sla(normal, at_risk, None)[1] == "2h 00m"
    urgent = row(Priority.URGENT, created, policy)  # 15 minutes round the clock
    assert row_sla(urgent, created + timedelta(minutes=5), policy) == (
        SlaState.ON_TRACK,
        "0h 10m",
    )


def test_the_marked_countdown_fits_the_sla_column() -> None:
    width = next(c.width for c in COLUMNS if c.key == "sla")
    for lang in ("en", "zh_CN"):
        set_language(lang)
        assert cell_len(f"✖ -347d {'工' if lang == 'zh_CN' else 'w'}") <= width
        assert cell_len("! -8d 08h 工") <= width
    set_language("en")
