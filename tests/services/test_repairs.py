"""Repair and replacement use-cases on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from deskui.domain.actors import Actor
from deskui.domain.enums import (
    Category,
    Channel,
    ComplaintType,
    EventKind,
    Priority,
    Role,
    TeamKind,
)
from deskui.domain.repairs import (
    FeeKind,
    FeeLine,
    PartKind,
    PartLine,
    RepairKind,
    RepairStatus,
    ReplacementCondition,
)
from deskui.domain.schemas import IntakeForm, ResolveForm
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.services.errors import InvalidAction, PermissionDenied
from deskui.services.products import add_product
from deskui.services.repairs import RepairChanged, RepairService, fees_report
from deskui.services.tickets import TicketService
from deskui.store import repairs as store
from deskui.store.tables import Team

# The clock stands at 2026-11-23 10:00 in Shanghai (02:00 UTC).
APPOINTMENT = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 local, same day
LAST_DAY_IN = date(2023, 11, 24)  # 36 months: covered through 2026-11-23
FIRST_DAY_OUT = date(2023, 11, 23)  # covered through 2026-11-22


@dataclass
class World:
    ctx: ServiceContext
    admin: Actor
    engineer: Actor
    engineer2: Actor
    supervisor: Actor
    qa: Actor
    repairs: RepairService
    tickets: TicketService

    def ticket(
        self,
        purchase: date | None,
        *,
        model: str = "AC-100",
        phone: str = "13812345678",
        complaint: ComplaintType | None = None,
    ) -> int:
        data: dict[str, object] = {
            "customer_name": "王芳",
            "customer_phone": phone,
            "channel": Channel.PHONE,
            "category": Category.COMPLAINT if complaint else Category.REPAIR,
            "priority": Priority.NORMAL,
            "subject": "空调不制冷",
            "product_model": model,
            "serial": "SN-1",
            "purchase_date": purchase,
        }
        if complaint:
            data["complaint_type"] = complaint
        return self.tickets.intake(self.admin, IntakeForm.model_validate(data)).id

    def schedule(self, ticket_id: int, engineer: Actor | None = None, **kw: object):
        return self.repairs.schedule(
            self.admin,
            ticket_id,
            kind=kw.pop("kind", RepairKind.ON_SITE),  # type: ignore[arg-type]
            engineer_id=(engineer or self.engineer).id,
            # never in the past: a repair cannot be scheduled before now
            appointment_at=kw.pop("appointment_at", max(APPOINTMENT, self.ctx.now())),  # type: ignore[arg-type]
        )


@pytest.fixture
def world(ctx: ServiceContext, admin: Actor) -> World:
    def teams(session) -> None:
        session.add(Team(name="Field Engineers", kind=TeamKind.ENGINEERING))

    ctx.write(teams)
    engineer = add_agent(
        ctx, "li.lei", role=Role.AGENT, team="Field Engineers", display_name="李雷"
    )
    engineer2 = add_agent(
        ctx, "han.mei", role=Role.AGENT, team="Field Engineers", display_name="韩梅"
    )
    supervisor = add_agent(ctx, "boss", role=Role.SUPERVISOR, team="Customer Service")
    qa = add_agent(ctx, "qa", role=Role.QA, team="Customer Service")
    add_product(ctx, admin, model="AC-100", name="Air conditioner")
    add_product(ctx, admin, model="FR-200", name="Fridge", warranty_main_months=24)
    return World(
        ctx, admin, engineer, engineer2, supervisor, qa, RepairService(ctx), TicketService(ctx)
    )


def _resolve(world: World, ticket_id: int):
    ticket = world.tickets.get(ticket_id)
    return world.tickets.resolve(
        world.admin,
        ticket.id,
        ticket.version,
        ResolveForm(solution="repaired by the field engineer", first_contact=False),
    )


def test_in_warranty_repair_on_the_last_day_needs_no_quote(world: World, clock) -> None:
    ticket_id = world.ticket(LAST_DAY_IN)
    repair = world.schedule(ticket_id)
    assert repair.in_warranty is True
    assert repair.status is RepairStatus.SCHEDULED
    assert repair.engineer_name == "李雷"
    assert repair.customer_phone == "138****5678"
    assert repair.product_model == "AC-100"
    # the engineer records the work directly: free repair
    repair = world.repairs.record_work(
        world.engineer,
        repair.id,
        diagnosis="压缩机继电器烧毁 compressor relay burnt",
        fault_code="E21",
        work_done="replaced the relay",
        parts=[PartLine("relay", PartKind.MAIN, 1, Decimal("45.00"))],
    )
    assert repair.status is RepairStatus.IN_PROGRESS
    assert [(p.name, p.in_warranty, p.charged, p.amount) for p in repair.parts] == [
        ("relay", True, False, Decimal("0.00"))
    ]
    # resolving the ticket is refused while the repair is open
    with pytest.raises(InvalidAction, match="open repair"):
        _resolve(world, ticket_id)
    repair = world.repairs.complete(world.engineer, repair.id, accepted_by="王芳")
    assert repair.status is RepairStatus.DONE and repair.accepted_by == "王芳"
    assert _resolve(world, ticket_id).status.value == "resolved"
    bodies = [
        e.body for e in world.tickets.get(ticket_id).events if e.kind is EventKind.FIELD_CHANGE
    ]
    assert bodies[0] == (
        "Repair scheduled: on_site by 李雷, 2026-11-23T14:00+08:00, in warranty"
    )  # the audit trail's English; the desk shows it in words (tests/ui/test_repair_timeline)
    assert any(b.startswith("Work recorded [E21]: ") for b in bodies)
    assert "Part: relay ×1, not charged" in bodies[1]
    assert any(b == "Repair done, signed off by 王芳" for b in bodies)


def test_out_of_warranty_repair_needs_an_accepted_quote(world: World) -> None:
    ticket_id = world.ticket(FIRST_DAY_OUT)
    repair = world.schedule(ticket_id)
    assert repair.in_warranty is False

    def work() -> None:
        world.repairs.record_work(
            world.engineer, repair.id, diagnosis="fan motor", fault_code="F1", work_done="new fan"
        )

    with pytest.raises(InvalidAction, match="quote"):
        work()
    repair = world.repairs.quote(
        world.admin,
        repair.id,
        [
            FeeLine(FeeKind.LABOUR, Decimal("150.00")),
            FeeLine(FeeKind.MATERIALS, Decimal("89.90")),
        ],
    )
    assert repair.status is RepairStatus.QUOTED
    assert repair.quote_total == Decimal("239.90")
    with pytest.raises(InvalidAction, match="quote"):
        work()  # quoted, not yet accepted
    repair = world.repairs.accept_quote(world.admin, repair.id, accepted_by="王芳")
    assert repair.status is RepairStatus.ACCEPTED and repair.quote_accepted_by == "王芳"
    work()
    repair = world.repairs.complete(world.engineer, repair.id, "王芳")
    assert repair.fees_total == Decimal("239.90")


def test_a_charged_part_makes_an_in_warranty_repair_paid(world: World) -> None:
    # bought 2025-06-01: main unit in warranty, accessories (12 months) out since 2026-06-01
    ticket_id = world.ticket(date(2025, 6, 1))
    repair = world.schedule(ticket_id)
    assert repair.in_warranty is True
    with pytest.raises(InvalidAction, match="quote"):
        world.repairs.record_work(
            world.engineer,
            repair.id,
            diagnosis="remote broken",
            fault_code="R1",
            work_done="new remote",
            parts=[PartLine("remote control", PartKind.ACCESSORY, 1, Decimal("59.00"))],
        )
    # a free accessory (price 0) is fine
    repair = world.repairs.record_work(
        world.engineer,
        repair.id,
        diagnosis="remote broken",
        fault_code="R1",
        work_done="new remote",
        parts=[PartLine("remote control", PartKind.ACCESSORY, 1, Decimal("0"))],
    )
    assert repair.parts[0].in_warranty is False


def test_permissions_and_engineers(world: World) -> None:
    ticket_id = world.ticket(LAST_DAY_IN)
    with pytest.raises(PermissionDenied):
        world.repairs.schedule(
            world.qa,
            ticket_id,
            kind=RepairKind.ON_SITE,
            engineer_id=world.engineer.id,
            appointment_at=APPOINTMENT,
        )
    with pytest.raises(InvalidAction, match="not an engineer"):
        world.repairs.schedule(
            world.admin,
            ticket_id,
            kind=RepairKind.ON_SITE,
            engineer_id=world.supervisor.id,
            appointment_at=APPOINTMENT,
        )
    repair = world.schedule(ticket_id)
    # an agent of another team cannot touch the repair; the engineer's teammates can
    outsider = add_agent(world.ctx, "outsider", role=Role.AGENT, team="Sales")
    with pytest.raises(PermissionDenied):
        world.repairs.record_work(
            outsider, repair.id, diagnosis="x", fault_code=None, work_done="y"
        )
    repair = world.repairs.add_fee(world.engineer, repair.id, FeeKind.TRANSPORT, Decimal("30"))
    with pytest.raises(PermissionDenied):
        world.repairs.approve_fees(world.engineer, repair.id)
    with pytest.raises(InvalidAction):
        world.repairs.add_fee(world.engineer, repair.id, FeeKind.OTHER, Decimal("0"))
    repair = world.repairs.approve_fees(world.supervisor, repair.id)
    assert repair.fees_approved_by == world.supervisor.id and repair.fees_approved_at
    with pytest.raises(InvalidAction, match="approved"):
        world.repairs.add_fee(world.engineer, repair.id, FeeKind.OTHER, Decimal("5"))
    # a transport fee of an in-warranty repair is a cost, not a charge: no quote needed
    world.repairs.record_work(
        world.engineer, repair.id, diagnosis="x", fault_code=None, work_done="y"
    )
    # stale version
    with pytest.raises(RepairChanged):
        world.repairs.cancel(world.admin, repair.id, "customer away", version=repair.version)
    fresh = world.repairs.get(repair.id)
    cancelled = world.repairs.cancel(world.admin, repair.id, "customer away", version=fresh.version)
    assert cancelled.status is RepairStatus.CANCELLED
    assert _resolve(world, ticket_id).status.value == "resolved"  # cancelled is not open


def test_fee_totals_and_fees_report(world: World, clock) -> None:
    """Hand-computed: two done repairs in November, one done in December, one cancelled."""
    fees_a = [
        FeeLine(FeeKind.LABOUR, Decimal("100.10")),
        FeeLine(FeeKind.MATERIALS, Decimal("20.20")),
    ]
    fees_b = [FeeLine(FeeKind.LABOUR, Decimal("50.05")), FeeLine(FeeKind.OTHER, Decimal("0.15"))]

    def paid_repair(model: str, engineer: Actor, fees: list[FeeLine], phone: str) -> int:
        ticket_id = world.ticket(FIRST_DAY_OUT, model=model, phone=phone)
        repair = world.schedule(ticket_id, engineer)
        world.repairs.quote(world.admin, repair.id, fees)
        world.repairs.accept_quote(world.admin, repair.id, "customer")
        world.repairs.record_work(engineer, repair.id, diagnosis="d", fault_code="C", work_done="w")
        return repair.id

    a = paid_repair("AC-100", world.engineer, fees_a, "13800000001")
    b = paid_repair("FR-200", world.engineer2, fees_b, "13800000002")
    c = paid_repair("AC-100", world.engineer2, fees_b, "13800000003")
    world.repairs.add_fee(world.engineer, a, FeeKind.TRANSPORT, Decimal("15.00"), "taxi")
    with pytest.raises(InvalidAction, match=r"accept 135\.30 again"):
        world.repairs.complete(world.engineer, a, "王芳")  # the fees changed after acceptance
    world.repairs.accept_quote(world.admin, a, "王芳")
    world.repairs.complete(world.engineer, a, "王芳")
    world.repairs.complete(world.engineer2, b, "李四")
    world.repairs.approve_fees(world.supervisor, a)
    cancelled = paid_repair("AC-100", world.engineer, fees_a, "13800000004")
    world.repairs.cancel(world.admin, cancelled, "customer declined")
    clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # December, Shanghai
    world.repairs.complete(world.engineer2, c, "王五")

    start = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 2026-11-01 00:00 Shanghai
    end = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    with world.ctx.read() as session:
        totals = store.fee_totals(session, start, end)
    assert totals.by_kind == {
        FeeKind.LABOUR: Decimal("150.15"),
        FeeKind.MATERIALS: Decimal("20.20"),
        FeeKind.TRANSPORT: Decimal("15.00"),
        FeeKind.OTHER: Decimal("0.15"),
    }
    assert totals.total.total == Decimal("185.50")
    assert totals.total.approved == Decimal("135.30")  # repair a only
    assert totals.total.repairs == 2
    assert [(g.key, g.total) for g in totals.by_product] == [
        ("AC-100", Decimal("135.30")),
        ("FR-200", Decimal("50.20")),
    ]
    assert [(g.label, g.repairs, g.total) for g in totals.by_engineer] == [
        ("李雷", 1, Decimal("135.30")),
        ("韩梅", 1, Decimal("50.20")),
    ]
    assert all(isinstance(v, Decimal) for v in totals.by_kind.values())

    report = fees_report(world.ctx, "2026-11")
    assert report.period == "2026-11"
    kinds = report.section("fees_by_kind")
    assert kinds.row("Total / 合计")["Amount"] == Decimal("185.50")
    assert kinds.row("Labour / 人工费")["Amount"] == Decimal("150.15")
    products = report.section("fees_by_product")
    assert products.row("AC-100 Air conditioner")["Total"] == Decimal("135.30")
    assert products.row("Total / 合计")["Repairs"] == 2
    engineers = report.section("fees_by_engineer")
    assert engineers.row("韩梅")["Other"] == Decimal("0.15")
    december = fees_report(world.ctx, "2026-12").section("fees_by_kind")
    assert december.row("Total / 合计")["Amount"] == Decimal("50.20")


def _done_repair(world: World, ticket_id: int, code: str, diagnosis: str = "relay") -> int:
    repair = world.schedule(ticket_id)
    world.repairs.record_work(
        world.engineer, repair.id, diagnosis=diagnosis, fault_code=code, work_done="fixed"
    )
    world.repairs.complete(world.engineer, repair.id, "王芳")
    return repair.id


def test_replacement_refused_without_a_condition(world: World) -> None:
    ticket_id = world.ticket(LAST_DAY_IN)
    check = world.repairs.replacement_check(ticket_id)
    assert not check.allowed and "no replacement condition" in check.reason
    with pytest.raises(InvalidAction, match=r"^no replacement condition holds"):
        world.repairs.replace(
            world.admin,
            ticket_id,
            new_model="AC-100",
            colour="white",
            accepted_by="王芳",
            reason="",
        )


def test_replacement_for_the_same_fault_after_an_in_warranty_repair(world: World, clock) -> None:
    ticket_id = world.ticket(date(2025, 1, 10))
    first = _done_repair(world, ticket_id, "E21")
    ticket = world.tickets.get(ticket_id)
    device_id = ticket.device.id if ticket.device else None
    assert device_id is not None
    clock.now += timedelta(days=30)
    # same device, new visit, the same code written differently
    repair = world.schedule(ticket_id, appointment_at=clock.now + timedelta(hours=2))
    world.repairs.record_work(
        world.engineer, repair.id, diagnosis="relay again", fault_code="e-21", work_done="checked"
    )
    check = world.repairs.replacement_check(ticket_id)
    assert check.allowed and check.condition is ReplacementCondition.REPEAT_FAULT
    assert f"#{first}" in check.reason
    row = world.repairs.replace(
        world.admin,
        ticket_id,
        new_model="AC-200",
        colour="白色 white",
        accepted_by="王芳",
        reason="same fault twice",
    )
    assert row.old_model == "AC-100" and row.new_model == "AC-200"
    assert row.condition is ReplacementCondition.REPEAT_FAULT
    assert row.accepted_by == "王芳" and row.replaced_at == clock.now
    assert world.repairs.replacements(ticket_id) == [row]
    events = world.tickets.get(ticket_id).events
    assert events[-1].body.startswith(
        "Device replaced: AC-100 → AC-200 白色 white, accepted by 王芳"
    )


def test_replacement_repeat_fault_needs_different_fault_or_time(world: World, clock) -> None:
    ticket_id = world.ticket(date(2025, 1, 10))
    _done_repair(world, ticket_id, "E21")
    clock.now += timedelta(days=30)
    repair = world.schedule(ticket_id, appointment_at=clock.now)
    world.repairs.record_work(
        world.engineer, repair.id, diagnosis="door seal", fault_code="D1", work_done="new seal"
    )
    assert not world.repairs.replacement_check(ticket_id).allowed
    # the same fault, but 91 days after the first repair: too late for the rule
    ticket2 = world.ticket(date(2025, 1, 10), phone="13900000000")
    _done_repair(world, ticket2, "E21")
    clock.now += timedelta(days=91)
    repair = world.schedule(ticket2, appointment_at=clock.now)
    world.repairs.record_work(
        world.engineer, repair.id, diagnosis="relay", fault_code="E21", work_done="again"
    )
    assert not world.repairs.replacement_check(ticket2).allowed


def test_replacement_for_quality_defect_and_loss_of_function(world: World, clock) -> None:
    quality = world.ticket(LAST_DAY_IN, complaint=ComplaintType.QUALITY)
    check = world.repairs.replacement_check(quality)
    assert check.allowed and check.condition is ReplacementCondition.QUALITY_DEFECT
    # a flag on the request
    plain = world.ticket(date(2025, 1, 10), phone="13700000000")
    assert world.repairs.replacement_check(plain, quality_defect=True).allowed
    # loss of function after a repair: a done repair, then a visit that finds function lost
    _done_repair(world, plain, "E5")
    clock.now += timedelta(days=5)
    repair = world.schedule(plain, appointment_at=clock.now)
    world.repairs.record_work(
        world.engineer,
        repair.id,
        diagnosis="no cooling since the repair",
        fault_code="E9",
        work_done="diagnosed",
        function_lost=True,
    )
    check = world.repairs.replacement_check(plain)
    assert check.allowed and check.condition is ReplacementCondition.LOSS_OF_FUNCTION


def test_function_lost_without_an_earlier_repair_is_not_enough(world: World) -> None:
    ticket_id = world.ticket(LAST_DAY_IN)
    repair = world.schedule(ticket_id)
    world.repairs.record_work(
        world.engineer,
        repair.id,
        diagnosis="dead",
        fault_code="X",
        work_done="-",
        function_lost=True,
    )
    assert not world.repairs.replacement_check(ticket_id).allowed


def test_visits_list_and_top_failing(world: World, clock) -> None:
    t1 = world.ticket(date(2025, 1, 10))
    t2 = world.ticket(date(2025, 1, 10), model="FR-200", phone="13900001111")
    later = world.schedule(t1, appointment_at=APPOINTMENT + timedelta(days=2))
    sooner = world.schedule(t2, appointment_at=APPOINTMENT)
    other = world.schedule(t2, world.engineer2, appointment_at=APPOINTMENT + timedelta(hours=1))
    far = world.schedule(t1, appointment_at=APPOINTMENT + timedelta(days=9))
    mine = world.repairs.visits(world.engineer.id)
    assert [v.repair_id for v in mine] == [sooner.id, later.id]
    assert mine[0].customer_phone == "139****1111" and mine[0].product_model == "FR-200"
    everyone = world.repairs.visits(None, days=30)
    assert [v.repair_id for v in everyone] == [sooner.id, other.id, later.id, far.id]
    world.repairs.cancel(world.admin, sooner.id, "moved")
    assert [v.repair_id for v in world.repairs.visits(world.engineer.id)] == [later.id]
    assert [e.display_name for e in world.repairs.engineers()] == ["李雷", "韩梅"]

    for repair, engineer in ((later, world.engineer), (other, world.engineer2)):
        world.repairs.record_work(
            engineer,
            repair.id,
            diagnosis="d",
            fault_code="c",
            work_done="w",
            parts=[PartLine("relay", PartKind.MAIN, 2)],
        )
    with world.ctx.read() as session:
        top = store.top_failing(session, clock.now - timedelta(days=1), clock.now + timedelta(1))
    assert {(p.model, p.repairs) for p in top.products} == {("AC-100", 1), ("FR-200", 1)}
    assert [(p.name, p.quantity, p.repairs) for p in top.parts] == [("relay", 4, 2)]

    from deskui.services.reports import monthly_report

    month = clock.now.astimezone(world.ctx.site.zone).strftime("%Y-%m")
    report = monthly_report(world.ctx, month)
    products = next(s for s in report.sections if s.key == "Failing products")
    assert sorted(zip(products.column("Model"), products.column("Repairs"), strict=True)) == [
        ("AC-100", 1),
        ("FR-200", 1),
    ]
    parts = next(s for s in report.sections if s.key == "Parts replaced")
    assert parts.row("relay") == {"Part": "relay", "Kind": "main", "Quantity": 4, "Repairs": 2}


def test_cli_visits_and_fees_report(world: World, clock, capsys, tmp_path) -> None:
    from deskui.cli import main

    ticket_id = world.ticket(FIRST_DAY_OUT)
    repair = world.schedule(ticket_id)
    world.repairs.quote(world.admin, repair.id, [FeeLine(FeeKind.LABOUR, Decimal("99.95"))])
    world.repairs.accept_quote(world.admin, repair.id, "王芳")
    db = ["--db", world.ctx.settings.db_url]
    assert main(["visits", "--engineer", "li.lei", *db], clock=clock) == 0
    out = capsys.readouterr().out
    assert "Visits of 李雷" in out and "14:00 on-site" in out and "138****5678" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    world.repairs.record_work(
        world.engineer, repair.id, diagnosis="d", fault_code="", work_done="w"
    )
    world.repairs.complete(world.engineer, repair.id, "王芳")
    target = tmp_path / "fees.csv"
    month = f"{clock.now:%Y-%m}"
    assert main(["report", "fees", "--month", month, "--out", str(target), *db], clock=clock) == 0
    text = target.read_text(encoding="utf-8")
    assert "Labour / 人工费,99.95" in text
    assert main(["visits", "--engineer", "nobody", *db], clock=clock) == 2


# -- issue 18: repairs that can't be gamed or get lost ---------------------------------------------
def test_a_repair_cannot_be_scheduled_in_the_past(world: World, clock) -> None:
    ticket_id = world.ticket(date(2025, 1, 10))
    with pytest.raises(InvalidAction, match="past"):
        world.schedule(ticket_id, appointment_at=clock.now - timedelta(days=22))
    assert world.repairs.for_ticket(ticket_id) == []
    assert world.schedule(ticket_id, appointment_at=clock.now + timedelta(hours=1)).id


def test_a_missed_visit_stays_on_the_visits_list(world: World, clock) -> None:
    ticket_id = world.ticket(date(2025, 1, 10))
    missed = world.schedule(ticket_id, appointment_at=clock.now + timedelta(hours=1))
    done = world.schedule(ticket_id, appointment_at=clock.now + timedelta(hours=2))
    world.repairs.record_work(
        world.engineer, done.id, diagnosis="d", work_done="w", fault_code=None
    )
    clock.now += timedelta(days=3)  # both appointments are now in the past
    upcoming = world.schedule(ticket_id, appointment_at=clock.now + timedelta(days=1))
    visits = world.repairs.visits(world.engineer.id)
    assert [(v.repair_id, v.missed) for v in visits] == [(missed.id, True), (upcoming.id, False)]
    # an explicit window is just that window
    window = world.repairs.visits(
        world.engineer.id, clock.now - timedelta(hours=1), clock.now + timedelta(days=2)
    )
    assert [v.repair_id for v in window] == [upcoming.id]


def test_charged_parts_are_in_the_total_and_a_changed_quote_needs_acceptance_again(
    world: World,
) -> None:
    ticket_id = world.ticket(FIRST_DAY_OUT)  # out of warranty: a paid repair
    repair = world.schedule(ticket_id)
    world.repairs.quote(
        world.admin,
        repair.id,
        [FeeLine(FeeKind.LABOUR, Decimal("500.50")), FeeLine(FeeKind.TRANSPORT, Decimal("50"))],
    )
    accepted = world.repairs.accept_quote(world.admin, repair.id, "王芳")
    assert accepted.quote_accepted_amount == Decimal("550.50")
    worked = world.repairs.record_work(
        world.engineer,
        repair.id,
        diagnosis="compressor relay",
        fault_code="E21",
        work_done="replaced the relay",
        parts=[PartLine("relay", PartKind.MAIN, 1, Decimal("120.00"), charged=True)],
    )
    assert worked.parts_total == Decimal("120.00")
    assert worked.total == Decimal("670.50")  # the charged part is in the total
    assert not worked.quote_accepted and worked.quote_total == Decimal("670.50")
    assert worked.quote_accepted_amount == Decimal("550.50")  # what was accepted stays on record
    with pytest.raises(InvalidAction, match=r"accepted 550\.50.*670\.50 again"):
        world.repairs.complete(world.engineer, repair.id, "王芳")
    again = world.repairs.accept_quote(world.admin, repair.id, "王芳")
    assert again.quote_accepted and again.quote_accepted_amount == Decimal("670.50")
    assert again.status is RepairStatus.IN_PROGRESS
    world.repairs.add_fee(world.engineer, repair.id, FeeKind.OTHER, Decimal("80"), "extra")
    with pytest.raises(InvalidAction, match="again"):
        world.repairs.complete(world.engineer, repair.id, "王芳")
    world.repairs.accept_quote(world.admin, repair.id, "王芳")
    done = world.repairs.complete(world.engineer, repair.id, "王芳")
    assert done.status is RepairStatus.DONE and done.quote_accepted_amount == Decimal("750.50")
    assert done.total == Decimal("750.50")
    now = world.ctx.now()
    with world.ctx.read() as session:  # the fees report counts the charged part too
        totals = store.fee_totals(session, now - timedelta(days=1), now + timedelta(days=1))
    assert totals.total.parts == Decimal("120.00")
    assert totals.total.total == Decimal("750.50") and totals.total.repairs == 1


def test_fees_on_an_accepted_quote_before_work_need_acceptance_again(world: World) -> None:
    ticket_id = world.ticket(FIRST_DAY_OUT)
    repair = world.schedule(ticket_id)
    world.repairs.quote(world.admin, repair.id, [FeeLine(FeeKind.LABOUR, Decimal("550.50"))])
    world.repairs.accept_quote(world.admin, repair.id, "王芳")
    raised = world.repairs.add_fee(world.admin, repair.id, FeeKind.MATERIALS, Decimal("80"))
    assert raised.status is RepairStatus.QUOTED and raised.quote_total == Decimal("630.50")
    with pytest.raises(InvalidAction, match="customer accepted before work starts"):
        world.repairs.record_work(
            world.engineer, repair.id, diagnosis="d", fault_code=None, work_done="w"
        )
