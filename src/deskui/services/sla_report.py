"""What `deskui sla show` and `deskui sla explain` print."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from itertools import product

from deskui.domain.enums import Category, EventKind, Priority, SlaTarget, Tier
from deskui.domain.sla import Extension, Pause, SlaPolicy, SlaSettings, explain
from deskui.services.context import ServiceContext
from deskui.services.tickets import TicketService


def _target_text(rule_target: object) -> str:
    if rule_target is None:
        return "—"
    return f"{rule_target.describe()} ({rule_target.calendar_name})"  # type: ignore[attr-defined]


def policy_table(sla: SlaSettings) -> str:
    """The rules, the business calendar, and which rules bind each kind of ticket."""
    cal = sla.calendar
    lines = [
        f"Business calendar: {cal.timezone}, holidays: {cal.country or 'none'}, "
        + ", ".join(f"{day} {' '.join(spans)}" for day, spans in cal.hours.items()),
        f"At risk when {sla.at_risk_fraction:.0%} of a target or less remains; "
        f"escalation {sla.escalation_grace_minutes} min after a resolution breach.",
        "",
        f"{'rule':<18}{'priority':<11}{'category':<12}{'tier':<8}{'response':<30}resolution",
    ]
    for rule in sla.rules:
        lines.append(
            f"{rule.name:<18}{(rule.priority or '*'):<11}{(rule.category or '*'):<12}{(rule.tier or '*'):<8}"
            f"{_target_text(rule.response):<30}{_target_text(rule.resolution)}"
        )
    policy = SlaPolicy(sla)
    lines += [
        "",
        *textwrap.wrap(policy.describe_complaint_rule(), 100),
        "",
        "Effective (among the rules that compete, the earliest due time wins):",
        f"{'priority':<11}{'category':<12}{'tier':<8}{'response rules':<37}resolution rules",
    ]
    for priority, category, tier in product(Priority, Category, Tier):
        response = " / ".join(policy.competing_rules(priority, category, tier, SlaTarget.RESPONSE))
        resolution = " / ".join(
            policy.competing_rules(priority, category, tier, SlaTarget.RESOLUTION)
        )
        lines.append(
            f"{priority.value:<11}{category.value:<12}{tier.value:<8}{response:<37}{resolution}"
        )
    return "\n".join(lines)


def explain_ticket(ctx: ServiceContext, number: str) -> list[str]:
    """How a ticket's due times were reached: rule, calendar, pauses and extensions."""
    ticket = TicketService(ctx).get_by_number(number)
    policy: SlaPolicy = ctx.policy
    due = policy.due_times(ticket.priority, ticket.category, ticket.tier, ticket.created_at)
    pauses: list[Pause] = []
    extensions: list[Extension] = []
    for event in ticket.events:
        if event.kind is EventKind.PAUSE:
            pauses.append(Pause(event.at))
        elif event.kind is EventKind.RESUME and pauses and pauses[-1].resumed_at is None:
            pauses[-1] = Pause(pauses[-1].paused_at, event.at)
        elif event.kind is EventKind.EXTEND and event.after:
            extensions.append(
                Extension(event.at, timedelta(minutes=int(event.after["minutes"])), event.body)
            )
    header = [
        f"{ticket.number}: {ticket.priority.value} {ticket.category.value}, {ticket.tier.value} customer",
    ]
    lines = header + explain(policy, due, pauses, extensions, zone=ctx.site.zone)
    if ticket.first_response_at:
        met = "met" if ticket.first_response_at <= ticket.response_due_at else "missed"
        when = ticket.first_response_at.astimezone(ctx.site.zone).strftime("%Y-%m-%d %H:%M %Z")
        lines.append(f"First response: {when} ({met})")
    if ticket.escalation_level:
        lines.append(f"Escalation level: {ticket.escalation_level}")
    return lines
