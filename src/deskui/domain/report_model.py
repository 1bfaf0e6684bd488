"""A report as data: sections of typed columns and rows, which the writers render and the
desk shows (no SQLAlchemy, so a desk talking to a server can show and save it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer

MONTHLY_STEPS = 10  # the progress steps of the monthly report

Kind = Literal[
    "text",
    "int",
    "percent",
    "hours",
    "float",
    "pp",
    "dhours",
    "dint",
    "datetime",
    "target_min",
    "target_max",
]


@dataclass(frozen=True, slots=True)
class Cell:
    """A value whose kind differs from its column's (the KPI table mixes rates and hours)."""

    value: Any
    kind: Kind


@dataclass(frozen=True, slots=True)
class Column:
    title: str  # "Tickets / 工单数": a report's words are in both languages
    kind: Kind = "text"

    @property
    def english(self) -> str:
        """The title's English part, by which callers look a figure up."""
        return self.title.split(" / ", 1)[0]


def _tagged(value: Any) -> Any:
    """A cell's value as JSON that says its type (a report's cells mix kinds)."""
    if isinstance(value, Cell):
        return {"cell": _tagged(value.value), "kind": value.kind}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _untagged(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "cell" in value:
        return Cell(_untagged(value["cell"]), value["kind"])
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    if "decimal" in value:
        return Decimal(value["decimal"])
    return value


# A row's value (text, number, instant, decimal or a `Cell`), typed across a connection.
WireValue = Annotated[Any, PlainSerializer(_tagged, when_used="json"), BeforeValidator(_untagged)]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart over the first `rows` data rows: bars of `value_column` labelled by
    `label_column`, and (Pareto) a line of `line_column` on a second axis."""

    title: str
    label_column: int
    value_column: int
    rows: int
    line_column: int | None = None


@dataclass
class Section:
    key: str  # short and unique: the XLSX sheet name and the CSV block name
    title: str
    columns: list[Column]
    rows: list[list[WireValue]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None
    total: bool = False  # the last row is a total

    def column(self, title: str) -> list[Any]:
        """The values of one column, named by its whole title or its English part (tests
        and callers look figures up by header)."""
        index = next((i for i, c in enumerate(self.columns) if title in (c.title, c.english)), None)
        if index is None:
            raise ValueError(title)
        return [plain(row[index]) for row in self.rows]

    def row(self, first: str) -> dict[str, Any]:
        """The row whose first cell is `first`, as {header's English part: value}."""
        for row in self.rows:
            if plain(row[0]) == first:
                return {c.english: plain(v) for c, v in zip(self.columns, row, strict=True)}
        raise KeyError(first)


@dataclass
class Report:
    kind: str  # monthly | agents | weekly
    title: str
    period: str  # 2026-10, 2026Q3, 2026-W47
    start: datetime  # local, aware
    end: datetime  # local, aware (exclusive)
    generated_at: datetime  # local, aware
    zone: str
    sections: list[Section]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def subtitle(self) -> str:
        last = self.end - timedelta(days=1)
        return (
            f"{self.start:%Y-%m-%d} – {last:%Y-%m-%d} ({self.zone}); "
            f"generated / 生成于 {self.generated_at:%Y-%m-%d %H:%M}"
        )

    def default_filename(self, fmt: str) -> str:
        return f"deskui-{self.kind}-{self.period}.{fmt}"


def plain(value: Any) -> Any:
    return value.value if isinstance(value, Cell) else value
