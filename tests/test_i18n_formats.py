"""Dates, money, units and errors read in the active language (Babel formats, catalogue words)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from rich.cells import cell_len

from deskui.domain.enums import Role
from deskui.i18n import _, describe, formats, ngettext, set_language
from deskui.services.errors import Conflict, NotFound, PermissionDenied


@pytest.fixture
def chinese() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("en")


def test_english_keeps_iso_dates_and_the_home_money_sign() -> None:
    at = datetime(2026, 12, 1, 10, 8, tzinfo=UTC)
    assert formats.moment(at, "full", timezone(timedelta(hours=8))) == "2026-12-01 18:08"
    assert formats.moment(None) == "—"
    assert formats.money("1234.5") == "¥1,234.50"
    assert formats.countdown(timedelta(hours=-26, minutes=-3)) == "-1d 02h"
    assert formats.minutes(120) == "120 min"


def test_chinese_dates_money_and_units(chinese: None) -> None:
    assert formats.moment(datetime(2026, 7, 27, 15, 44), "full") == "2026/7/27 15:44"
    assert formats.moment(date(2026, 10, 1), "month") == "2026年10月"
    assert formats.money(150.5) == "¥150.50"
    assert formats.minutes(120) == "120 分钟"
    assert formats.weekday(date(2026, 12, 1)) == "周二"
    for td in (timedelta(days=-347), timedelta(days=-10, hours=-17), timedelta(minutes=-65)):
        shown = formats.countdown(td)
        assert "d" not in shown and "h" not in shown
        assert cell_len(shown) <= 9  # the queue's SLA column


def test_plurals_pick_the_form_for_the_count() -> None:
    assert ngettext("imported {count} ticket", "imported {count} tickets", 1) == (
        "imported {count} ticket"
    )
    assert ngettext("imported {count} ticket", "imported {count} tickets", 2).endswith("tickets")


def test_a_service_error_carries_its_id_and_reads_in_both_languages(chinese: None) -> None:
    exc = NotFound("no ticket numbered {number}", number="SR-1")
    assert (exc.message_id, exc.params) == ("no ticket numbered {number}", {"number": "SR-1"})
    assert str(exc) == "no ticket numbered SR-1"  # English, for logs and the audit
    assert describe(exc) == "没有单号为 SR-1 的工单"
    refused = PermissionDenied("your role ({role}) may not import products", role=Role.AGENT)
    assert describe(refused) == "客服不可导入产品"  # an enum parameter is named by its label
    assert describe(ValueError("plain")) == "plain"


def test_a_refused_action_is_named_in_words_even_across_a_server(chinese: None) -> None:
    """The role and the action are enum members: each reads as its label in Chinese, and the
    codec rebuilds them on the desk's side, so a server's refusal reads the same."""
    from deskui.api.codec import decode_error, encode_error
    from deskui.domain.actors import Action, Actor
    from deskui.services.tickets import TicketService

    agent = Actor(id=1, username="li", display_name="Li", role=Role.QA, team_id=None)
    with pytest.raises(PermissionDenied) as refused:
        TicketService._require(agent, Action.ASSIGN_ANYONE)
    assert describe(refused.value) == "质检不可执行：分派给任何人"
    assert describe(decode_error(encode_error(refused.value))) == describe(refused.value)
    set_language("en")
    assert describe(refused.value) == "your role (Quality) may not assign to anyone"


def test_an_error_rebuilt_from_its_id_and_params_reads_the_same(chinese: None) -> None:
    """What a server sends (message_id, params) is enough to describe the error."""
    exc = Conflict(7, 3, 4, [])
    again = NotFound(exc.message_id, **exc.params)
    assert describe(again) == describe(exc)
    assert "工单" in describe(exc)


def test_a_translated_template_never_loses_a_placeholder(chinese: None) -> None:
    assert _("Ticket {number}").format(number="SR-1") == "工单 SR-1"


def test_a_timeline_note_reads_in_the_desk_language(chinese: None) -> None:
    from datetime import datetime

    from deskui.domain.enums import EventKind
    from deskui.domain.notes import event_note
    from deskui.domain.rows import EventRow
    from deskui.ui.common.formatting import describe_event

    n = event_note("repair.cancelled", "Repair cancelled: {reason}", reason="客户不修了")
    assert n.text == "Repair cancelled: 客户不修了"  # stored in English for the audit trail
    row = EventRow(
        id=1,
        ticket_id=1,
        at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        kind=EventKind.FIELD_CHANGE,
        actor="王芳",
        internal=True,
        body=n.text,
        before=None,
        after=n.payload(),
    )
    shown = describe_event(row, UTC).plain
    assert "维修已取消：客户不修了" in shown


def test_lists_of_names_follow_the_language() -> None:
    from deskui.i18n import formats, set_language

    assert formats.listing(["A", "B", "C"]) == "A, B, and C"
    set_language("zh_CN")
    try:
        assert formats.listing(["一次性解决率", "客户满意度"]) == "一次性解决率和客户满意度"
        assert formats.listing(["甲", "乙", "丙"]) == "甲、乙和丙"
    finally:
        set_language("en")
    assert formats.listing([]) == ""
