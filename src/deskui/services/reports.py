"""Reports (service-standards §6): the monthly analysis (售后问题月度分析报告), the quarterly
staff assessment and the weekly feedback report.

A report is built from SQL aggregates (`store/report_queries.py`, `store/kpi.py`) into a plain
`Report` — titled sections of typed columns and rows — that `services/report_render.py` writes
as Markdown, HTML, CSV or XLSX and the TUI shows on screen. Values stay raw (rates as
fractions, durations as hours, None for "no value") until a writer formats them.

Periods are calendar months, quarters and ISO weeks in the site's time zone (`ctx.site.tz`).
Labels in the report are bilingual (English / 中文) so one file serves both audiences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from deskui.domain.enums import Category, Channel, ComplaintType, Priority, Tier
from deskui.domain.errors import ReportError
from deskui.domain.kpi import (
    WARNING_ABOVE,
    Kpi,
    KpiTargets,
    KpiValue,
    ReportKpi,
    Unit,
    add_months,
    bucket_width,
    business_seconds,
    change,
    definition,
    mean,
    measure,
    rate,
    shortfall,
    warning_reason,
)
from deskui.domain.report_model import (
    MONTHLY_STEPS,
    Cell,
    Chart,
    Kind,
    Report,
    Section,
)
from deskui.i18n import N_
from deskui.services.context import ServiceContext
from deskui.services.report_words import (
    NO_TEAM,
    TOTAL,
    UNASSIGNED,
    both,
    both_column,
    both_notes,
)
from deskui.store import kpi as kpi_store
from deskui.store import report_queries as q
from deskui.store.kpi import Range
from deskui.store.repairs import TopFailing, top_failing

Progress = Callable[[int, int, str], None]
PARETO_ROWS = 20
VITAL_FEW = 0.8  # the Pareto "vital few": problems that make up the first 80% of tickets
LIST_LIMIT = 50


# -- periods -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Period:
    label: str
    first: date  # local dates, end exclusive
    after: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        return datetime(self.after.year, self.after.month, self.after.day, tzinfo=self.zone)

    @property
    def range(self) -> Range:
        return Range(self.start.astimezone(UTC), self.end.astimezone(UTC))


_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
_QUARTER = re.compile(r"^([0-9]{4})-?[Qq]([1-4])$")
_WEEK = re.compile(r"^([0-9]{4})-?[Ww]([0-9]{1,2})$")
FIRST_YEAR, LAST_YEAR = 1971, 2099  # a period and the one before it stay in 1970-2100


def _in_years(found: re.Match[str] | None) -> re.Match[str] | None:
    """The match, or None when its year is outside what deskui reports on."""
    return found if found and FIRST_YEAR <= int(found[1]) <= LAST_YEAR else None


_LAST = {"last", "previous", "prev"}
_THIS = {"", "this", "current"}


def month_period(text: str | None, now: datetime, zone: ZoneInfo) -> Period:
    """'2026-10', or 'this' / 'last' (default: this month) in the site's zone."""
    spec = (text or "").strip().lower()
    today = now.astimezone(zone).date()
    if spec in _THIS or spec in _LAST:
        first = add_months(today, -1 if spec in _LAST else 0)
    else:
        found = _in_years(_MONTH.match(spec))
        if not found or not 1 <= int(found[2]) <= 12:
            raise ReportError(
                "month {text!r}: use YYYY-MM between {first_year} and {last_year}, e.g. 2026-10 (or 'last')",
                text=text,
                first_year=FIRST_YEAR,
                last_year=LAST_YEAR,
            )
        first = date(int(found[1]), int(found[2]), 1)
    return Period(f"{first:%Y-%m}", first, add_months(first, 1), zone)


def quarter_period(text: str | None, now: datetime, zone: ZoneInfo) -> Period:
    """'2026Q3' (or '2026-Q3'), or 'this' / 'last' (default: this quarter)."""
    spec = (text or "").strip().lower()
    today = now.astimezone(zone).date()
    if spec in _THIS or spec in _LAST:
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        if spec in _LAST:
            first = add_months(first, -3)
    else:
        found = _in_years(_QUARTER.match(spec))
        if not found:
            raise ReportError("quarter {text!r}: use YYYYQn, e.g. 2026Q3 (or 'last')", text=text)
        first = date(int(found[1]), (int(found[2]) - 1) * 3 + 1, 1)
    label = f"{first.year}Q{(first.month - 1) // 3 + 1}"
    return Period(label, first, add_months(first, 3), zone)


def week_period(text: str | None, now: datetime, zone: ZoneInfo) -> Period:
    """ISO week '2026-W47', or 'this' / 'last' (default: this week, Monday to Sunday)."""
    spec = (text or "").strip().lower()
    today = now.astimezone(zone).date()
    if spec in _THIS or spec in _LAST:
        monday = today - timedelta(days=today.weekday())
        if spec in _LAST:
            monday -= timedelta(weeks=1)
    else:
        found = _in_years(_WEEK.match(spec))
        try:
            if not found:
                raise ValueError
            monday = date.fromisocalendar(int(found[1]), int(found[2]), 1)
        except ValueError:
            raise ReportError(
                "week {text!r}: use an ISO week, e.g. 2026-W47 (or 'last')", text=text
            ) from None
    year, week, _ = monday.isocalendar()
    return Period(f"{year}-W{week:02d}", monday, monday + timedelta(weeks=1), zone)


def previous(period: Period) -> Period:
    """The period of the same length just before (month, quarter or week)."""
    if period.label[4:6] == "-W":
        return week_period("last", period.start, period.zone)
    months = 3 if "Q" in period.label else 1
    first = add_months(period.first, -months)
    if months == 3:
        return quarter_period(
            f"{first.year}Q{(first.month - 1) // 3 + 1}", period.start, period.zone
        )
    return month_period(f"{first:%Y-%m}", period.start, period.zone)


class _Steps:
    """Calls `progress(done, total, label)` as a report's queries finish."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, label: str) -> None:
        self.done = min(self.done + 1, self.total)
        if self.progress is not None:
            self.progress(self.done, self.total, label)

    def finish(self) -> None:
        """The last step: the report is put together."""
        self.done = self.total - 1
        self("done")


# -- KPI figures -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class KpiFigure:
    value: KpiValue
    numerator: float
    denominator: int


def kpi_figures(
    ctx: ServiceContext, session: Session, r: Range, now: datetime
) -> dict[ReportKpi, KpiFigure]:
    """Every report KPI for one period: the panel's six from `store.kpi.figures`, plus reopen
    rate, callback completion and MTTR in business hours; values through `measure()`."""
    targets: KpiTargets = ctx.site.kpi
    raw: dict[str, tuple[float, int]] = {
        str(k): (f.numerator, f.denominator)
        for k, f in kpi_store.figures(session, r, now, targets).items()
    }
    raw[ReportKpi.REOPEN_RATE] = q.reopen_counts(session, r)
    raw[ReportKpi.CALLBACK_COMPLETION] = q.callback_completion(session, r, now)
    seconds = _business_seconds(ctx, session, r, by_owner=False).get(None, 0.0)
    raw[ReportKpi.MTTR_BUSINESS_HOURS] = (seconds / 3600.0, raw[Kpi.MTTR_HOURS][1])
    return {
        k: KpiFigure(measure(k, raw[k][0], raw[k][1], targets), raw[k][0], raw[k][1])
        for k in ReportKpi
    }


def _business_seconds(
    ctx: ServiceContext, session: Session, r: Range, *, by_owner: bool
) -> dict[Any, float]:
    """Business time from creation to resolution, summed over tickets resolved in `r`."""
    calendar = ctx.policy.business
    width = bucket_width(calendar, years=range(r.start.year - 1, r.end.year + 1))
    rows = q.resolution_buckets(session, r, width, by_owner=by_owner)
    return business_seconds(calendar, width, rows)


def _kpi_cell(kpi: ReportKpi, value: float | None) -> Cell:
    unit = definition(kpi).unit
    return Cell(value, "percent" if unit is Unit.RATE else "hours" if unit is Unit.HOURS else "int")


def _delta_cell(kpi: ReportKpi, value: float | None) -> Cell:
    unit = definition(kpi).unit
    return Cell(value, "pp" if unit is Unit.RATE else "dhours" if unit is Unit.HOURS else "dint")


def status_text(value: KpiValue) -> str:
    """Bilingual status; the domain words it for the KPI's direction (a ceiling is "above
    the maximum", never "below 80% of target")."""
    reason = warning_reason(value)
    if reason == WARNING_ABOVE:
        return "▼ WARNING: above the maximum / 超出上限"
    if reason is not None:
        return "▼ WARNING: below 80% of target / 低于目标80%"
    if value.met is True:
        return "✓ met / 达标"
    if shortfall(value) == WARNING_ABOVE:
        return "· above the maximum / 超出上限"
    if value.met is False:
        return "· below target / 未达标"
    return "—" if value.target is None or value.value is None else ""


def _kpi_section(
    current: dict[ReportKpi, KpiFigure],
    before: dict[ReportKpi, KpiFigure],
    this: str,
    previous: str,
) -> Section:
    section = Section(
        "KPIs",
        "KPIs against target / 考核指标",
        [
            both_column("KPI"),
            both_column(this, "float"),
            both_column("Target", "float"),
            both_column(previous, "float"),
            both_column("Change", "float"),
            both_column("Status"),
            both_column("Numerator", "float"),
            both_column("Denominator", "int"),
        ],
        notes=both_notes(
            "A KPI below 80% of its target, or a maximum exceeded by more than a quarter "
            "(above the maximum ÷ 0.8), is a warning for the manager. Definitions: docs/kpi.md."
        ),
    )
    for k in ReportKpi:
        now_fig, then_fig = current[k], before[k]
        target = now_fig.value.target
        goal: Kind = "target_max" if now_fig.value.lower_is_better else "target_min"
        unit = definition(k).unit
        section.rows.append(
            [
                definition(k).label,
                _kpi_cell(k, now_fig.value.value),
                Cell(target, goal) if target is not None else Cell(None, "text"),
                _kpi_cell(k, then_fig.value.value),
                _delta_cell(k, change(now_fig.value.value, then_fig.value.value)),
                status_text(now_fig.value) if target is not None else "tracked / 跟踪",
                Cell(now_fig.numerator, "hours" if unit is Unit.HOURS else "int"),
                Cell(now_fig.denominator if unit is not Unit.COUNT else None, "int"),
            ]
        )
    return section


# -- volume tables -------------------------------------------------------------------------------
def _share_table(key: str, title: str, first: str, counts: Iterable[tuple[str, int]]) -> Section:
    items = list(counts)
    total = sum(n for _, n in items)
    section = Section(
        key,
        title,
        [both_column(first), both_column("Tickets", "int"), both_column("Share", "percent")],
        total=True,
    )
    for name, n in items:
        section.rows.append([name, n, rate(n, total)])
    section.rows.append([TOTAL, total, rate(total, total)])
    return section


def _mix_sum(rows: list[q.MixRow], attr: str, member: Any, field_name: str = "tickets") -> int:
    return sum(getattr(r, field_name) for r in rows if getattr(r, attr) == member)


def _pareto(problems: list[q.Problem], total: int, key: str, title: str) -> Section:
    section = Section(
        key,
        title,
        [
            both_column("Rank"),
            both_column("Problem (subject)"),
            both_column("Category"),
            both_column("Tickets", "int"),
            both_column("Share", "percent"),
            both_column("Cumulative share", "percent"),
            both_column("Vital few"),
        ],
        notes=both_notes(
            "Problems are ticket subjects grouped after normalising (trimmed, spaces "
            "collapsed, lower-cased), so the same problem reported with the same words "
            "counts once. Vital few: the problems that together make up the first 80% of "
            "tickets."
        ),
        total=True,
    )
    running = 0
    for rank, problem in enumerate(problems, 1):
        before = rate(running, total) or 0.0
        running += problem.tickets
        section.rows.append(
            [
                str(rank),
                problem.subject,
                both(problem.category) if problem.category else "(mixed) / 多类",
                problem.tickets,
                rate(problem.tickets, total),
                rate(running, total),
                "●" if before < VITAL_FEW else "",
            ]
        )
    shown = len(section.rows)
    rest = total - running
    if rest > 0:
        section.rows.append(
            [
                "",
                "All other problems / 其他问题",
                "",
                rest,
                rate(rest, total),
                rate(total, total),
                "",
            ]
        )
    section.rows.append(["", TOTAL, "", total, rate(total, total), None, ""])
    if shown:
        section.chart = Chart("Most frequent problems (Pareto)", 1, 3, shown, line_column=5)
    return section


def _sla_section(rows: list[q.MixRow]) -> Section:
    section = Section(
        "SLA",
        "SLA compliance by priority / 按优先级时效达成",
        [
            both_column("Priority"),
            both_column("Tickets", "int"),
            both_column("Response decided", "int"),
            both_column("Response met", "int"),
            both_column("Response met %", "percent"),
            both_column("Resolution decided", "int"),
            both_column("Resolution met", "int"),
            both_column("Resolution met %", "percent"),
        ],
        notes=both_notes(
            "Tickets created in the period. A target is decided once met or once its due time "
            "has passed; tickets still inside their target are not counted yet."
        ),
        total=True,
    )

    def line(name: str, chosen: list[q.MixRow]) -> list[Any]:
        s = {
            f: sum(getattr(r, f) for r in chosen)
            for f in (
                "tickets",
                "response_decided",
                "response_met",
                "resolution_decided",
                "resolution_met",
            )
        }
        return [
            name,
            s["tickets"],
            s["response_decided"],
            s["response_met"],
            rate(s["response_met"], s["response_decided"]),
            s["resolution_decided"],
            s["resolution_met"],
            rate(s["resolution_met"], s["resolution_decided"]),
        ]

    for priority in Priority:
        section.rows.append(line(both(priority), [r for r in rows if r.priority is priority]))
    section.rows.append(line(TOTAL, rows))
    return section


# -- per team / per agent ------------------------------------------------------------------------
@dataclass
class OwnerFigures:
    """Everything a team or agent did in a period (sums of the grouped rows)."""

    tickets: int = 0
    response_decided: int = 0
    response_met: int = 0
    responded: int = 0
    response_seconds: float = 0.0
    complaints: int = 0
    complaints_escalated: int = 0
    escalated: int = 0
    resolved_once: int = 0
    reopened: int = 0
    resolved: int = 0
    first_contact: int = 0
    clock_seconds: float = 0.0
    business_seconds: float = 0.0
    scored: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    score_sum: int = 0

    def add(self, row: Any) -> None:
        for name in self.__dataclass_fields__:
            if hasattr(row, name):
                setattr(self, name, getattr(self, name) + getattr(row, name))

    @property
    def active(self) -> bool:
        return bool(self.tickets or self.resolved or self.scored)

    # the KPI formulas, per owner
    def on_time(self) -> float | None:
        return rate(self.response_met, self.response_decided)

    def fcr(self) -> float | None:
        return rate(self.first_contact, self.resolved)

    def csat(self) -> float | None:
        return rate(self.satisfied, self.scored)

    def complaint_rate(self) -> float | None:
        return rate(self.dissatisfied, self.scored)

    def mean_score(self) -> float | None:
        return mean(self.score_sum, self.scored)

    def reopen(self) -> float | None:
        return rate(self.reopened, self.resolved_once)

    def escalation(self) -> float | None:
        return rate(self.complaints_escalated, self.complaints)

    def mttr_clock(self) -> float | None:
        return mean(self.clock_seconds / 3600.0, self.resolved)

    def mttr_business(self) -> float | None:
        return mean(self.business_seconds / 3600.0, self.resolved)

    def response_hours(self) -> float | None:
        return mean(self.response_seconds / 3600.0, self.responded)


OwnerKey = tuple[int | None, int | None]


def owner_figures(
    ctx: ServiceContext, session: Session, r: Range, now: datetime, steps: _Steps | None = None
) -> dict[OwnerKey, OwnerFigures]:
    """Per (team_id, assignee_id) of the tickets: four grouped queries and a histogram."""
    result: dict[OwnerKey, OwnerFigures] = {}

    def put(rows: Iterable[Any]) -> None:
        for row in rows:
            result.setdefault((row.team_id, row.assignee_id), OwnerFigures()).add(row)

    put(q.created_by_owner(session, r, now))
    put(q.resolved_by_owner(session, r))
    if steps:
        steps("tickets per team and agent")
    put(q.callbacks_by_owner(session, r))
    for key, seconds in _business_seconds(ctx, session, r, by_owner=True).items():
        result.setdefault(key, OwnerFigures()).business_seconds += seconds
    if steps:
        steps("callbacks and resolution times per agent")
    return result


def _group(
    figures: dict[OwnerKey, OwnerFigures], by: Callable[[OwnerKey], Any]
) -> dict[Any, OwnerFigures]:
    grouped: dict[Any, OwnerFigures] = {}
    for key, fig in figures.items():
        grouped.setdefault(by(key), OwnerFigures()).add(fig)
    return grouped


def _total(figures: dict[Any, OwnerFigures]) -> OwnerFigures:
    total = OwnerFigures()
    for fig in figures.values():
        total.add(fig)
    return total


_OWNER_COLUMNS = [
    both_column("New tickets", "int"),
    both_column("Resolved", "int"),
    both_column("On-time response", "percent"),
    both_column("First-contact resolution", "percent"),
    both_column("CSAT", "percent"),
    both_column("Scored callbacks", "int"),
    both_column("Escalated", "int"),
    both_column("Reopen rate", "percent"),
    both_column("MTTR clock", "hours"),
    both_column("MTTR business", "hours"),
]


def _owner_values(fig: OwnerFigures) -> list[Any]:
    return [
        fig.tickets,
        fig.resolved,
        fig.on_time(),
        fig.fcr(),
        fig.csat(),
        fig.scored,
        fig.escalated,
        fig.reopen(),
        fig.mttr_clock(),
        fig.mttr_business(),
    ]


_OWNER_NOTE = N_(
    "New tickets, on-time response, escalations and reopen rate: tickets created in the "
    "period. Resolved, first-contact resolution and MTTR: tickets resolved in the period. "
    "CSAT: callbacks scored in the period, credited to the ticket's team and assignee."
)


def _team_section(figures: dict[OwnerKey, OwnerFigures], teams: dict[int, str]) -> Section:
    by_team = _group(figures, lambda key: key[0])
    section = Section(
        "Teams",
        "Per team / 按处理组",
        [both_column("Team"), *_OWNER_COLUMNS],
        notes=both_notes(_OWNER_NOTE),
        total=True,
    )
    ordered = sorted(by_team.items(), key=lambda kv: (kv[0] is None, teams.get(kv[0] or 0, "")))
    for team_id, fig in ordered:
        if fig.active:
            name = teams.get(team_id, f"#{team_id}") if team_id is not None else NO_TEAM
            section.rows.append([name, *_owner_values(fig)])
    section.rows.append([TOTAL, *_owner_values(_total(by_team))])
    return section


def _agent_label(agent_id: int | None, agents: dict[int, q.AgentName]) -> str:
    if agent_id is None:
        return UNASSIGNED
    found = agents.get(agent_id)
    if found is None:
        return f"#{agent_id}"
    if found.display_name and found.display_name != found.username:
        return f"{found.display_name} ({found.username})"
    return found.username


def _agent_team(agent_id: int | None, agents: dict[int, q.AgentName], teams: dict[int, str]) -> str:
    found = agents.get(agent_id) if agent_id is not None else None
    if found is None or found.team_id is None:
        return ""
    return teams.get(found.team_id, "")


def _agent_section(
    figures: dict[OwnerKey, OwnerFigures], teams: dict[int, str], agents: dict[int, q.AgentName]
) -> Section:
    by_agent = _group(figures, lambda key: key[1])
    section = Section(
        "Agents",
        "Per agent / 按处理人",
        [both_column("Agent"), both_column("Team"), *_OWNER_COLUMNS],
        notes=[*both_notes(_OWNER_NOTE), *both_notes("Team: the agent's current team.")],
        total=True,
    )
    ordered = sorted(
        by_agent.items(), key=lambda kv: (kv[0] is None, -kv[1].resolved, -kv[1].tickets)
    )
    for agent_id, fig in ordered:
        if fig.active:
            section.rows.append(
                [
                    _agent_label(agent_id, agents),
                    _agent_team(agent_id, agents, teams),
                    *_owner_values(fig),
                ]
            )
    section.rows.append([TOTAL, "", *_owner_values(_total(by_agent))])
    return section


# -- monthly analysis ---------------------------------------------------------------------------


def _failing_sections(failing: TopFailing) -> list[Section]:
    """Repairs whose work was recorded this month: the products and parts that fail most
    (service-standards §7), so product teams see repeat failures."""
    products = Section(
        "Failing products",
        "Most repaired products / 维修最多的产品",
        [
            both_column("Model"),
            both_column("Product"),
            both_column("Repairs", "int"),
            both_column("Devices", "int"),
        ],
    )
    for p in failing.products:
        products.rows.append([p.model, p.name, p.repairs, p.devices])
    parts = Section(
        "Parts replaced",
        "Most replaced parts / 更换最多的配件",
        [
            both_column("Part"),
            both_column("Kind"),
            both_column("Quantity", "int"),
            both_column("Repairs", "int"),
        ],
    )
    for part in failing.parts:
        parts.rows.append([part.name, part.kind.value, part.quantity, part.repairs])
    if not failing.products:
        products.notes.append("No repair work recorded this month. / 本月无维修记录。")
    return [products, parts]


def monthly_report(
    ctx: ServiceContext, month: str | None = None, progress: Progress | None = None
) -> Report:
    """售后问题月度分析报告 for a calendar month (default: this month) in the site's zone."""
    now = ctx.now()
    zone = ctx.site.zone
    period = month_period(month, now, zone)
    before = previous(period)
    steps = _Steps(progress, MONTHLY_STEPS)
    r = period.range
    with ctx.read() as session:
        mix = q.created_mix(session, r, now)
        steps("volume by channel, category and priority")
        products = q.volume_by_product(session, r)
        regions = q.volume_by_region(session, r)
        steps("volume by product and region")
        problems = q.top_problems(session, r, PARETO_ROWS)
        steps("most frequent problems")
        current = kpi_figures(ctx, session, r, now)
        steps("KPIs this month")
        earlier = kpi_figures(ctx, session, before.range, now)
        steps("KPIs last month")
        figures = owner_figures(ctx, session, r, now, steps)
        teams = q.team_names(session)
        agents = q.agent_names(session)
        steps("names")
        failing = top_failing(session, r.start, r.end)
        steps("repairs by product and part")

    total = sum(row.tickets for row in mix)
    sections = [_kpi_section(current, earlier, N_("This month"), N_("Previous month"))]
    channel = _share_table(
        "Channels",
        "Volume by channel / 按渠道",
        N_("Channel"),
        [(both(c), _mix_sum(mix, "channel", c)) for c in Channel],
    )
    channel.chart = Chart("New tickets by channel", 0, 1, len(Channel))
    sections.append(channel)
    sections.append(
        _share_table(
            "Categories",
            "Volume by category / 按问题分类",
            N_("Category"),
            [(both(c), _mix_sum(mix, "category", c)) for c in Category],
        )
    )
    complaints = [r for r in mix if r.category is Category.COMPLAINT]
    types = _share_table(
        "Complaint types",
        "Complaints by sub-type / 投诉类型",
        N_("Complaint type"),
        [(both(t), _mix_sum(complaints, "complaint_type", t)) for t in ComplaintType],
    )
    untyped = _mix_sum(complaints, "complaint_type", None)
    if untyped:
        types.rows.insert(-1, ["(not recorded) / 未填写", untyped, None])
        types.rows[-1][1] += untyped
        for row in types.rows:
            row[2] = rate(row[1], types.rows[-1][1])
    sections.append(types)
    sections.append(
        _share_table(
            "Products",
            "Volume by product / 按产品",
            N_("Product"),
            [
                (f"{v.key} {v.name}" if v.key else "(no product recorded) / 未登记产品", v.tickets)
                for v in products
            ],
        )
    )
    sections.append(
        _share_table(
            "Regions",
            "Volume by region / 按地区",
            N_("Region"),
            [(v.key or "(not recorded) / 未填写", v.tickets) for v in regions],
        )
    )
    sections.append(
        _share_table(
            "Customer tiers",
            "Volume by customer tier / 按客户类型",
            N_("Customer tier"),
            [(both(t), _mix_sum(mix, "tier", t)) for t in Tier],
        )
    )
    sections.append(
        _pareto(problems, total, "Pareto", "Most frequent problems / 高频问题（帕累托）")
    )
    sections.append(_sla_section(mix))
    sections.extend(_failing_sections(failing))
    sections.append(_team_section(figures, teams))
    sections.append(_agent_section(figures, teams, agents))
    steps.finish()
    return Report(
        "monthly",
        f"Monthly after-sales analysis / 售后问题月度分析报告 {period.label}",
        period.label,
        period.start,
        period.end,
        now.astimezone(zone),
        zone.key,
        sections,
    )


# -- quarterly staff assessment ------------------------------------------------------------------
AGENT_STEPS = 4


def agents_report(
    ctx: ServiceContext, quarter: str | None = None, progress: Progress | None = None
) -> Report:
    """The staff assessment table (季度考核) per agent for a quarter (default: this quarter)."""
    now = ctx.now()
    zone = ctx.site.zone
    period = quarter_period(quarter, now, zone)
    steps = _Steps(progress, AGENT_STEPS)
    with ctx.read() as session:
        figures = owner_figures(ctx, session, period.range, now, steps)
        teams = q.team_names(session)
        agents = q.agent_names(session)
        steps("names")
    by_agent = _group(figures, lambda key: key[1])
    section = Section(
        "Assessment",
        "Staff assessment / 员工考核",
        [
            both_column("Agent"),
            both_column("Team"),
            both_column("Tickets handled", "int"),
            both_column("CSAT", "percent"),
            both_column("Mean score", "float"),
            both_column("Scored callbacks", "int"),
            both_column("Complaint rate", "percent"),
            both_column("Mean response time", "hours"),
            both_column("On-time response", "percent"),
            both_column("MTTR business", "hours"),
            both_column("MTTR clock", "hours"),
            both_column("First-contact resolution", "percent"),
            both_column("Escalated", "int"),
        ],
        notes=[
            *both_notes(
                "Tickets handled: tickets the agent resolved in the quarter (assignee when "
                "resolved). Resolution time (MTTR) over those tickets, in business and clock "
                "time."
            ),
            *both_notes(
                "CSAT and mean score: callbacks scored in the quarter on the agent's tickets. "
                "Complaint rate: the share of those scores that were 1 or 2 (a dissatisfied "
                "customer); deskui does not link complaint tickets to the person complained "
                "about."
            ),
            *both_notes(
                "Mean response time (clock time, creation to first response) and on-time "
                "response: tickets created in the quarter and assigned to the agent."
            ),
        ],
        total=True,
    )
    ordered = sorted(
        ((k, f) for k, f in by_agent.items() if k is not None and f.active),
        key=lambda kv: (-kv[1].resolved, _agent_label(kv[0], agents)),
    )
    staff = OwnerFigures()
    for agent_id, fig in ordered:
        staff.add(fig)
        section.rows.append(
            [
                _agent_label(agent_id, agents),
                _agent_team(agent_id, agents, teams),
                *_assessment_values(fig),
            ]
        )
    section.rows.append([TOTAL, "", *_assessment_values(staff)])
    unassigned = by_agent.get(None)
    if unassigned is not None and unassigned.active:
        section.notes += both_notes(
            "Not in the table: {new:,} new and {resolved:,} resolved tickets without an assignee.",
            new=unassigned.tickets,
            resolved=unassigned.resolved,
        )
    teams_section = _team_section(figures, teams)
    steps.finish()
    return Report(
        "agents",
        f"Staff assessment / 员工季度考核 {period.label}",
        period.label,
        period.start,
        period.end,
        now.astimezone(zone),
        zone.key,
        [section, teams_section],
    )


def _assessment_values(fig: OwnerFigures) -> list[Any]:
    return [
        fig.resolved,
        fig.csat(),
        fig.mean_score(),
        fig.scored,
        fig.complaint_rate(),
        fig.response_hours(),
        fig.on_time(),
        fig.mttr_business(),
        fig.mttr_clock(),
        fig.fcr(),
        fig.escalated,
    ]


# -- weekly feedback report ----------------------------------------------------------------------
WEEKLY_STEPS = 7
TOP_ISSUES = 10


def weekly_report(
    ctx: ServiceContext, week: str | None = None, progress: Progress | None = None
) -> Report:
    """The weekly feedback report: new complaints and suggestions, top issues, callbacks not
    reached, and the week's KPIs against the week before (default: this ISO week)."""
    now = ctx.now()
    zone = ctx.site.zone
    period = week_period(week, now, zone)
    before = previous(period)
    steps = _Steps(progress, WEEKLY_STEPS)
    r = period.range
    with ctx.read() as session:
        mix = q.created_mix(session, r, now)
        steps("new tickets")
        complaints = q.new_tickets(session, r, [Category.COMPLAINT], LIST_LIMIT)
        suggestions = q.new_tickets(session, r, [Category.SUGGESTION], LIST_LIMIT)
        steps("complaints and suggestions")
        problems = q.top_problems(session, r, TOP_ISSUES)
        steps("top issues")
        unreached, unreached_total = q.unreached_callbacks(session, min(r.end, now), LIST_LIMIT)
        steps("callbacks not reached")
        current = kpi_figures(ctx, session, r, now)
        steps("KPIs this week")
        earlier = kpi_figures(ctx, session, before.range, now)
        steps("KPIs last week")

    total = sum(row.tickets for row in mix)
    n_complaints = _mix_sum(mix, "category", Category.COMPLAINT)
    n_suggestions = _mix_sum(mix, "category", Category.SUGGESTION)
    complaint_rows = [r for r in mix if r.category is Category.COMPLAINT]
    summary = Section(
        "Summary",
        "Week summary / 周概况",
        [both_column("Item"), both_column("Count", "int")],
        rows=[
            ["New tickets / 新增问题", total],
            ["New complaints / 新增投诉", n_complaints],
            *[
                [f"Complaints: {both(t)}", _mix_sum(complaint_rows, "complaint_type", t)]
                for t in ComplaintType
            ],
            ["New suggestions / 新增建议", n_suggestions],
            ["Callbacks not reached / 未接通回访", unreached_total],
        ],
    )
    sections = [
        summary,
        _ticket_list(
            "Complaints",
            "New complaints / 新增投诉",
            complaints,
            n_complaints,
            zone,
            with_type=True,
        ),
        _ticket_list("Suggestions", "New suggestions / 新增建议", suggestions, n_suggestions, zone),
        _pareto(problems, total, "Top issues", "Top issues / 高频问题"),
        _callback_list(unreached, unreached_total, zone),
        _kpi_section(current, earlier, N_("This week"), N_("Previous week")),
    ]
    steps.finish()
    return Report(
        "weekly",
        f"Weekly feedback report / 客户反馈周报 {period.label}",
        period.label,
        period.start,
        period.end,
        now.astimezone(zone),
        zone.key,
        sections,
    )


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return None if moment is None else moment.astimezone(zone)


def _ticket_list(
    key: str,
    title: str,
    lines: list[q.TicketLine],
    total: int,
    zone: ZoneInfo,
    *,
    with_type: bool = False,
) -> Section:
    columns = [both_column("Number"), both_column("Received", "datetime")]
    if with_type:
        columns.append(both_column("Type"))
    columns += [
        both_column("Priority"),
        both_column("Tier"),
        both_column("Status"),
        both_column("Subject"),
        both_column("Team"),
        both_column("Assignee"),
    ]
    section = Section(key, title, columns)
    for line in lines:
        row: list[Any] = [line.number, _local(line.created_at, zone)]
        if with_type:
            row.append(both(line.complaint_type) if line.complaint_type else "")
        row += [
            both(line.priority),
            both(line.tier),
            both(line.status),
            line.subject,
            line.team or "",
            line.assignee or "",
        ]
        section.rows.append(row)
    if total > len(lines):
        section.notes += both_notes(
            "The newest {shown} of {total:,} are listed.", shown=len(lines), total=total
        )
    if not total:
        section.notes += both_notes("None this week.")
    return section


def _callback_list(lines: list[q.CallbackLine], total: int, zone: ZoneInfo) -> Section:
    section = Section(
        "Callbacks not reached",
        "Callbacks not reached / 未接通回访",
        [
            both_column("Number"),
            both_column("Category"),
            both_column("Resolved", "datetime"),
            both_column("Next try due", "datetime"),
            both_column("Attempts", "int"),
            both_column("Last caller"),
            both_column("Notes"),
        ],
        notes=both_notes(
            "Callbacks still open after at least one attempt that did not reach the customer "
            "(as of now), for tickets resolved before the end of the week; oldest due first."
        ),
    )
    for line in lines:
        section.rows.append(
            [
                line.number,
                both(line.category),
                _local(line.resolved_at, zone),
                _local(line.due_at, zone),
                line.attempts,
                line.agent or "",
                " ".join(line.notes.split())[:120],
            ]
        )
    if total > len(lines):
        section.notes += both_notes(
            "The {shown} oldest of {total:,} are listed.", shown=len(lines), total=total
        )
    return section


REPORTS: dict[str, Callable[..., Report]] = {
    "monthly": monthly_report,
    "agents": agents_report,
    "weekly": weekly_report,
}
