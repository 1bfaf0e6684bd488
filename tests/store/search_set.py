"""The hand-made search set: customers and tickets whose words are each in one field, so
the tests can write every answer out by hand (tests/store/test_search*.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from deskui.domain.enums import Category, Channel, EventKind, Priority, Status, Tier
from deskui.store.tables import Customer, Team, Ticket, TicketEvent

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

CUSTOMERS = {
    "zhang": ("张伟", "13812345678"),
    "alice": ("Alice Smith", "139-0000-1111"),
    "tang": ("唐丽", "02087654321"),
    "wang": ("王芳", "13612348888"),
    "li": ("李娜", "15900002222"),
}

# key: (number, subject, description, customer request, customer, comments, days ago)
TICKETS: dict[str, tuple[str, str, str, str, str, list[str], int]] = {
    "T1": (
        "SR-20261101-0001",
        "SL-300 门锁指纹识别失败",
        "客户说多次尝试都不行",
        "上门维修",
        "zhang",
        ["已通知技术部"],
        10,
    ),
    "T2": (
        "SR-20261102-0002",
        "Refund request for damaged box",
        "The parcel arrived crushed",
        "全额退款",
        "alice",
        [],
        9,
    ),
    "T3": (
        "SR-20261103-0003",
        "门铃没有声音",
        "DB-100 doorbell is silent",
        "",
        "tang",
        ["customer asked about the 门锁 warranty"],
        8,
    ),
    "T4": (
        "SR-20261104-0004",
        "App 显示离线",
        "网关重启后仍然离线",
        "尽快处理",
        "wang",
        ["张伟 的同事来电"],
        7,
    ),
    "T5": (
        "SR-20261105-0005",
        "SL-300 网关离线",
        "gateway offline after update",
        "",
        "li",
        [],
        6,
    ),
    "T6": (
        "SR-20261123-1234",
        "安装预约",
        "预约周末上门",
        "",
        "li",
        [],
        5,
    ),
    "T7": ("SR-20261107-0007", "错误代码 1234", "屏幕提示代码", "", "li", [], 4),
    "T8": ("SR-20261108-0008", "设备重置", "reset gives error 1234 again", "", "li", [], 3),
}


def seed(engine: Engine) -> dict[str, int]:
    with Session(engine) as session, session.begin():
        team = Team(name="Service", kind="service")
        session.add(team)
        customers = {
            key: Customer(name=name, phone=phone, tier=Tier.NORMAL)
            for key, (name, phone) in CUSTOMERS.items()
        }
        session.add_all(customers.values())
        session.flush()
        ids: dict[str, int] = {}
        for key, (number, subject, desc, request, who, comments, days) in TICKETS.items():
            created = NOW - timedelta(days=days)
            due = NOW + timedelta(hours=days)
            ticket = Ticket(
                number=number,
                channel=Channel.PHONE,
                category=Category.HELP,
                priority=Priority.NORMAL,
                tier=Tier.NORMAL,
                status=Status.NEW,
                is_open=True,
                subject=subject,
                description=desc,
                customer_request=request,
                customer_id=customers[who].id,
                team_id=team.id,
                created_at=created,
                updated_at=created,
                response_due_at=due,
                response_warn_at=due,
                resolve_due_at=due,
                resolve_warn_at=due,
                next_due_at=due,
                next_warn_at=due,
                escalation_level=0,
                reopen_count=0,
            )
            session.add(ticket)
            session.flush()
            ids[key] = ticket.id
            for body in comments:
                session.add(
                    TicketEvent(ticket_id=ticket.id, at=created, kind=EventKind.COMMENT, body=body)
                )
    return ids
