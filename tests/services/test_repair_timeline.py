"""The ticket's timeline tells each repair step in words, with its details (amounts in the
language's money format, the engineer, the parts, who signed), in English and in Chinese.

The steps are made by the real repair service; the timeline entry is what the desk draws
(`describe_event`). The audit trail keeps the English text (tests/services/test_repairs.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_repairs import FIRST_DAY_OUT, LAST_DAY_IN, World, world  # noqa: F401 (a fixture)

from deskui.domain.enums import EventKind
from deskui.domain.repairs import FeeKind, FeeLine, PartKind, PartLine
from deskui.domain.rows import EventRow
from deskui.i18n import speaking
from deskui.ui.common.formatting import describe_event


def _steps(world: World) -> dict[str, EventRow]:  # noqa: F811
    """Every repair step once: a paid repair from visit to sign-off, a cancelled one, and a
    replacement; the first entry of each kind."""
    paid = world.ticket(FIRST_DAY_OUT)
    repair = world.schedule(paid)
    world.repairs.quote(
        world.admin,
        repair.id,
        [FeeLine(FeeKind.LABOUR, Decimal("150.00")), FeeLine(FeeKind.MATERIALS, Decimal("89.90"))],
    )
    world.repairs.accept_quote(world.admin, repair.id, accepted_by="王芳")
    world.repairs.record_work(
        world.engineer,
        repair.id,
        diagnosis="Fingerprint传感器损坏",
        fault_code="E21",
        work_done="更换传感器",
        parts=[
            PartLine("指纹模块", PartKind.ACCESSORY, 1, Decimal("80.00"), charged=True),
            PartLine("螺丝", PartKind.MAIN, 4, charged=False),
        ],
    )
    world.repairs.add_fee(world.engineer, repair.id, FeeKind.TRANSPORT, Decimal("1234.5"), "上门")
    world.repairs.accept_quote(world.admin, repair.id, accepted_by="王芳")
    world.repairs.approve_fees(world.supervisor, repair.id)
    world.repairs.complete(world.engineer, repair.id, "王芳")
    cancelled = world.schedule(world.ticket(LAST_DAY_IN, phone="13900001111"))
    world.repairs.cancel(world.admin, cancelled.id, "客户不修了")
    replaced = world.ticket(LAST_DAY_IN, phone="13900002222")
    world.repairs.replace(
        world.admin,
        replaced,
        new_model="AC-200",
        colour="白色",
        accepted_by="王芳",
        reason="",
        quality_defect=True,
    )
    steps: dict[str, EventRow] = {}
    for ticket_id in (paid, cancelled.ticket_id, replaced):
        for event in world.tickets.get(ticket_id).events:
            step = (event.after or {}).get("repair_event")
            if event.kind is EventKind.FIELD_CHANGE and step:
                steps.setdefault(step, event)  # the paid repair's, the first of each
    in_warranty = world.tickets.get(cancelled.ticket_id).events
    steps["repair.scheduled in warranty"] = next(
        e for e in in_warranty if (e.after or {}).get("repair_event") == "repair.scheduled"
    )
    return steps


@pytest.fixture
def steps(world: World) -> dict[str, EventRow]:  # noqa: F811
    return _steps(world)


def _shown(event: EventRow, world: World, lang: str) -> str:  # noqa: F811
    with speaking(lang):  # type: ignore[arg-type]
        return describe_event(event, world.ctx.site.zone).plain


EXPECTED = {
    "repair.scheduled": (
        "Admin  Repair\n"
        "Repair scheduled: On-site by 李雷, 2026-11-23 14:00, out of warranty: quote first",
        "Admin  维修\n已预约维修：上门维修，工程师 李雷，2026/11/23 14:00，已过保修期：须先报价",
    ),
    "repair.scheduled in warranty": (
        "Admin  Repair\nRepair scheduled: On-site by 李雷, 2026-11-23 14:00, in warranty",
        "Admin  维修\n已预约维修：上门维修，工程师 李雷，2026/11/23 14:00，在保修期内",
    ),
    "repair.quoted": (
        "Admin  Repair\nRepair quoted: ¥239.90, lines: 2",
        "Admin  维修\n维修报价：¥239.90，共 2 项",
    ),
    "repair.quote_accepted": (
        "Admin  Repair\nQuote of ¥239.90 accepted by 王芳",
        "Admin  维修\n王芳 已认可报价 ¥239.90",
    ),
    "repair.work": (
        "李雷  Repair\nWork recorded [E21]: Fingerprint传感器损坏; done: 更换传感器\n"
        "Part: 指纹模块 ×1, charged ¥80.00\nPart: 螺丝 ×4, not charged\n"
        "the charges changed after the customer accepted ¥239.90: the customer must accept "
        "¥319.90 again",
        "李雷  维修\n已记录维修［E21］：故障原因 Fingerprint传感器损坏；处理 更换传感器\n"
        "配件：指纹模块 ×1，收费 ¥80.00\n配件：螺丝 ×4，不收费\n"
        "客户认可 ¥239.90 之后费用有变：客户须重新认可 ¥319.90",
    ),
    "repair.fee": (
        "李雷  Repair\nFee added: Transport ¥1,234.50 (上门)",
        "李雷  维修\n新增费用：交通费 ¥1,234.50（上门）",
    ),
    "repair.fees_approved": (
        "boss  Repair\nFees of ¥1,474.40 approved",
        "boss  维修\n费用 ¥1,474.40 已审核",
    ),
    "repair.done": (
        "李雷  Repair\nRepair done, signed off by 王芳",
        "李雷  维修\n维修完成，王芳 验收",
    ),
    "repair.cancelled": (
        "Admin  Repair\nRepair cancelled: 客户不修了",
        "Admin  维修\n维修已取消：客户不修了",
    ),
    "repair.replaced": (
        "Admin  Repair\nDevice replaced: AC-100 → AC-200 白色, accepted by 王芳\n"
        "Condition: quality defect",
        "Admin  维修\n已换机：AC-100 → AC-200 白色，王芳 签收\n更换条件：质量问题",
    ),
}


@pytest.mark.parametrize("step", sorted(EXPECTED))
def test_each_repair_step_reads_in_words(
    step: str,
    steps: dict[str, EventRow],
    world: World,  # noqa: F811
) -> None:
    english, chinese = EXPECTED[step]
    assert _shown(steps[step], world, "en") == english
    assert _shown(steps[step], world, "zh_CN") == chinese


def test_every_step_is_covered(steps: dict[str, EventRow]) -> None:
    from deskui.domain.notes import REPAIR_EVENTS

    assert (
        sorted(steps)
        == sorted(EXPECTED)
        == sorted([*REPAIR_EVENTS, "repair.scheduled in warranty"])
    )


def test_an_old_event_without_its_step_keeps_its_text(world: World) -> None:  # noqa: F811
    from datetime import UTC, datetime

    old = EventRow(
        1,
        1,
        datetime(2026, 1, 1, tzinfo=UTC),
        EventKind.FIELD_CHANGE,
        "li.lei",
        True,
        "repair fee added: labour 120.00",
        None,
        {"repair_id": 3},
    )
    assert _shown(old, world, "zh_CN") == "li.lei  修改\nrepair fee added: labour 120.00"
