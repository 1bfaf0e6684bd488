"""Writers for `services.reports.Report`: Markdown, HTML, CSV and XLSX.

- Markdown and HTML are for reading: rates as "95.2%", durations as "26h 05m", a missing value
  (an empty period: no division by zero) as "—".
- CSV is for other tools: one block per section (a "# title" line, the header, the rows, a
  blank line); raw numbers — rates as fractions, durations as decimal hours — and an empty
  cell where there is no value; headers say the unit.
- XLSX has a cover sheet and one sheet per section, with real number formats (0.0%, [h]:mm,
  #,##0), "—" for missing values, frozen headers, filters, and charts (a Pareto bar chart
  with its cumulative-share line; new tickets by channel).
"""

from __future__ import annotations

import csv
import html
import io
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from deskui.domain.report_model import Cell, Column, Report, Section
from deskui.domain.text_safety import FORMULA_TRIGGERS, neutralise_formula, visible, xlsx_text

FORMATS = ("md", "html", "csv", "xlsx")
MISSING = "—"


# -- values as text ------------------------------------------------------------------------------
def _hours(value: float, sign: bool = False) -> str:
    minutes = round(abs(value) * 60)
    text = f"{minutes // 60}h {minutes % 60:02d}m"
    if sign:
        return ("+" if value > 0 else "−" if value < 0 and minutes else "±") + text
    return text


def format_value(value: Any, kind: str) -> str:
    """A value as people read it; None is '—'."""
    if isinstance(value, Cell):
        value, kind = value.value, value.kind
    if value is None:
        return MISSING
    if kind == "int":
        return f"{int(value):,}"
    if kind == "float":
        return f"{value:,.2f}"
    if kind == "percent":
        return f"{value * 100:.1f}%"
    if kind == "target_min":
        return f"≥ {value * 100:.1f}%"
    if kind == "target_max":
        return f"≤ {value * 100:.1f}%"
    if kind == "pp":
        points = round(value * 100, 1)
        return "±0.0 pp" if points == 0 else f"{points:+.1f} pp"
    if kind == "hours":
        return _hours(value)
    if kind == "dhours":
        return _hours(value, sign=True)
    if kind == "dint":
        return f"{int(value):+,}"
    if kind == "datetime" and isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def _cell(row: list[Any], index: int, column: Column) -> tuple[Any, str]:
    value = row[index]
    if isinstance(value, Cell):
        return value.value, value.kind
    return value, column.kind


_NUMERIC = {"int", "float", "percent", "pp", "hours", "dhours", "dint", "target_min", "target_max"}


def numeric_column(section: Section, index: int) -> bool:
    """Right-align a column when its values are numbers."""
    kinds = {section.columns[index].kind}
    kinds |= {row[index].kind for row in section.rows if isinstance(row[index], Cell)}
    return bool(kinds & _NUMERIC)


# -- Markdown --------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    """One table cell: pipes escaped, whitespace folded, control and bidi characters shown
    as escapes (a report is read in terminals too)."""
    return " ".join(visible(text).replace("\\", "\\\\").replace("|", "\\|").split())


def section_markdown(section: Section, level: int = 2) -> str:
    lines = [f"{'#' * level} {_md_escape(section.title)}", ""]
    head = [_md_escape(c.title) for c in section.columns]
    align = ["---:" if numeric_column(section, i) else "---" for i in range(len(section.columns))]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("| " + " | ".join(align) + " |")
    last = len(section.rows) - 1
    for n, row in enumerate(section.rows):
        cells = [_md_escape(format_value(*_cell(row, i, c))) for i, c in enumerate(section.columns)]
        if section.total and n == last:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    if not section.rows:
        lines.append("| " + " | ".join(MISSING for _ in section.columns) + " |")
    for note in section.notes:
        lines += ["", f"*{_md_escape(note)}*"]
    return "\n".join(lines) + "\n"


def to_markdown(report: Report) -> str:
    parts = [f"# {_md_escape(report.title)}\n\n{_md_escape(report.subtitle)}\n"]
    parts += [section_markdown(section) for section in report.sections]
    return "\n".join(parts)


# -- HTML ------------------------------------------------------------------------------------------
_CSS = """
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 2em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
th { background: #f0f0f0; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
p.note { color: #555; font-size: 0.9em; max-width: 60em; }
"""


def _html_escape(text: str) -> str:
    return html.escape(visible(text))


def to_html(report: Report) -> str:
    e = _html_escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(report.title)}</h1>",
        f"<p>{e(report.subtitle)}</p>",
    ]
    for section in report.sections:
        numeric = [numeric_column(section, i) for i in range(len(section.columns))]
        out.append(f'<h2 id="{e(section.key)}">{e(section.title)}</h2>')
        out.append("<table><thead><tr>")
        out += [f"<th>{e(c.title)}</th>" for c in section.columns]
        out.append("</tr></thead><tbody>")
        last = len(section.rows) - 1
        for n, row in enumerate(section.rows):
            total = ' class="total"' if section.total and n == last else ""
            out.append(f"<tr{total}>")
            for i, column in enumerate(section.columns):
                text = format_value(*_cell(row, i, column))
                out.append(f"<td{' class=n' if numeric[i] else ''}>{e(text)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        out += [f'<p class="note">{e(note)}</p>' for note in section.notes]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- CSV -------------------------------------------------------------------------------------------
_UNITS = {"percent": "ratio", "pp": "ratio", "hours": "hours", "dhours": "hours"}


def _raw(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind in ("percent", "pp", "target_min", "target_max"):
        return round(float(value), 6)
    if kind in ("hours", "dhours", "float"):
        return round(float(value), 4)
    if kind in ("int", "dint"):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_formula(f"# {report.title}")])
    writer.writerow([neutralise_formula(f"# {report.subtitle}")])
    writer.writerow([])
    for section in report.sections:
        writer.writerow([f"# {section.key}: {section.title}"])
        header = []
        for column in section.columns:
            unit = _UNITS.get(column.kind)
            title = f"{column.title} ({unit})" if unit else column.title
            header.append(neutralise_formula(title))
        writer.writerow(header)
        for row in section.rows:
            writer.writerow([_raw(*_cell(row, i, c)) for i, c in enumerate(section.columns)])
        writer.writerow([])
    return buffer.getvalue()


# -- XLSX ------------------------------------------------------------------------------------------
NUMBER_FORMATS = {
    "int": "#,##0",
    "float": "0.00",
    "percent": "0.0%",
    "target_min": '"≥ "0.0%',
    "target_max": '"≤ "0.0%',
    "pp": "+0.0%;-0.0%;0.0%",
    "hours": "[h]:mm",
    "dhours": "+[h]:mm;-[h]:mm;0:00",
    "dint": "+#,##0;-#,##0;0",
    "datetime": "yyyy-mm-dd hh:mm",
}
HEADER_ROW = 3
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(key: str, taken: set[str]) -> str:
    base = key.translate(_BAD_SHEET_CHARS).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _xlsx_value(value: Any, kind: str) -> tuple[Any, str | None]:
    """(cell value, number format) for one value."""
    if value is None:
        return MISSING, None
    if kind in ("hours", "dhours"):
        return float(value) / 24.0, NUMBER_FORMATS[kind]
    if kind == "datetime" and isinstance(value, datetime):
        return value.replace(tzinfo=None), NUMBER_FORMATS[kind]
    if kind in NUMBER_FORMATS:
        return value, NUMBER_FORMATS[kind]
    return value, None


def _put(sheet: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell; text stays text (never a formula) and holds no XML-illegal character."""
    cell = sheet.cell(row, col)
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def write_xlsx(report: Report, target: Path | IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    cover = book.active
    cover.title = "Report"
    taken = {"report"}
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    rule = Border(bottom=Side(style="thin"))
    right = Alignment(horizontal="right")
    _put(cover, 1, 1, report.title).font = Font(bold=True, size=14)
    _put(cover, 2, 1, report.subtitle)
    _put(cover, 4, 1, "Sheets").font = bold
    for n, section in enumerate(report.sections, 5):
        _put(cover, n, 1, section.title)
    cover.column_dimensions["A"].width = 60

    for section in report.sections:
        sheet = book.create_sheet(sheet_name(section.key, taken))
        _put(sheet, 1, 1, section.title).font = Font(bold=True, size=13)
        widths = [_width(c.title) for c in section.columns]
        for col, column in enumerate(section.columns, 1):
            cell = _put(sheet, HEADER_ROW, col, column.title)
            cell.font, cell.fill, cell.border = bold, header_fill, rule
        last = len(section.rows) - 1
        for n, row in enumerate(section.rows):
            for col, column in enumerate(section.columns, 1):
                value, kind = _cell(row, col - 1, column)
                shown, number_format = _xlsx_value(value, kind)
                cell = _put(sheet, HEADER_ROW + 1 + n, col, shown)
                if number_format:
                    cell.number_format = number_format
                if value is None or kind in _NUMERIC:
                    cell.alignment = right
                if section.total and n == last:
                    cell.font = bold
                widths[col - 1] = max(widths[col - 1], _width(format_value(value, kind)))
        for col, width in enumerate(widths, 1):
            sheet.column_dimensions[_letter(col)].width = min(max(width + 2, 8), 60)
        end_row = HEADER_ROW + max(len(section.rows), 1)
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{_letter(len(section.columns))}{end_row}"
        for n, note in enumerate(section.notes):
            _put(sheet, end_row + 2 + n, 1, note).font = Font(italic=True, color="555555")
        if section.chart is not None and section.rows:
            _add_chart(sheet, section, len(section.columns) + 2)
    book.save(target)


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _add_chart(sheet: Any, section: Section, anchor_col: int) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    chart = section.chart
    assert chart is not None
    first, last = HEADER_ROW + 1, HEADER_ROW + chart.rows
    bars = BarChart()
    bars.type = "col"
    bars.title = chart.title
    bars.y_axis.title = section.columns[chart.value_column].title
    bars.y_axis.majorGridlines = None
    col = chart.value_column + 1
    bars.add_data(
        Reference(sheet, min_col=col, min_row=HEADER_ROW, max_row=last), titles_from_data=True
    )
    labels = Reference(sheet, min_col=chart.label_column + 1, min_row=first, max_row=last)
    bars.set_categories(labels)
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    if chart.line_column is not None:
        line = LineChart()
        line_col = chart.line_column + 1
        line.add_data(
            Reference(sheet, min_col=line_col, min_row=HEADER_ROW, max_row=last),
            titles_from_data=True,
        )
        line.y_axis.axId = 200
        line.y_axis.title = section.columns[chart.line_column].title
        line.y_axis.number_format = "0%"
        line.y_axis.scaling.min = 0
        line.y_axis.scaling.max = 1
        line.y_axis.crosses = "max"
        line.y_axis.delete = False
        bars += line
    bars.height, bars.width = 9, 18
    sheet.add_chart(bars, f"{_letter(anchor_col)}{HEADER_ROW}")


# -- entry points ----------------------------------------------------------------------------------
TEXT_WRITERS: dict[str, Callable[[Report], str]] = {
    "md": to_markdown,
    "html": to_html,
    "csv": to_csv,
}


def format_for(path: Path | str | None, given: str | None = None) -> str:
    """The format asked for, else the file's extension, else Markdown."""
    if given:
        return given
    if path is not None:
        suffix = Path(path).suffix.lower().lstrip(".")
        if suffix in ("markdown",):
            return "md"
        if suffix in ("htm",):
            return "html"
        if suffix in FORMATS:
            return suffix
    return "md"


def write_report(report: Report, fmt: str, target: Path | IO[bytes]) -> None:
    """Write the report as `fmt` to a path or a binary stream."""
    if fmt == "xlsx":
        write_xlsx(report, target)
        return
    text = TEXT_WRITERS[fmt](report)
    if isinstance(target, Path):
        # A byte-order mark lets spreadsheet programs read a CSV file's Chinese as UTF-8.
        target.write_bytes(text.encode("utf-8-sig" if fmt == "csv" else "utf-8"))
        return
    data = text.encode("utf-8")
    target.write(data)
