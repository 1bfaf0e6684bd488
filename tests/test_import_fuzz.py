"""Bounded fuzzing of the ticket import, on SQLite and PostgreSQL (well under a minute).

- 300 generated hostile files (bench/fuzz_files.py; the same generator as the larger
  campaign in bench/fuzz_import.py): each is imported, or refused cleanly — an error naming
  the file, or bad rows each with a line, a column and a reason — with nothing written on
  refusal, no traceback, and no case over 10 s.
- Hypothesis writes arbitrary text into the cells: the import takes it exactly (trimmed) or
  names the line and column; an accepted text survives the CSV export unchanged.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import itertools
import sys
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.text_safety import restore_formula
from deskui.services.context import ServiceContext
from deskui.services.exchange import export_tickets, import_tickets
from deskui.services.table_files import ImportFileError
from deskui.store.tables import Ticket
from site_testing import set_site

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


CASES = 300


def test_generated_files_import_or_are_refused_cleanly(
    engine: object, clock: object, admin: Actor, tmp_path: Path
) -> None:
    fuzz = _load("fuzz_import")
    files = _load("fuzz_files")
    url = str(engine.url)  # type: ignore[attr-defined]
    ctx = ServiceContext(engine, Settings(db_url=url), clock=clock)  # type: ignore[arg-type]
    set_site(ctx, tz=fuzz.FUZZ_ZONE)
    seen: dict[str, int] = {}
    failures = []
    for index in range(CASES):
        case = files.make_case(7, index)
        outcome = fuzz.run_case(ctx, admin, case, tmp_path, 10.0)
        seen[outcome.kind] = seen.get(outcome.kind, 0) + 1
        if outcome.kind not in ("imported", "refused"):
            failures.append((case.name, case.mutations, outcome.kind, outcome.detail[-2000:]))
    assert failures == []
    assert seen.get("imported", 0) > 20 and seen.get("refused", 0) > 100  # both paths tried


_numbers = itertools.count(1)
cell_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(subject=cell_text, name=cell_text, description=cell_text)
def test_any_cell_text_is_kept_exactly_or_named(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, subject: str, name: str, description: str
) -> None:
    number = f"SR-20261101-{next(_numbers):08d}"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["number", "created_at", "channel", "category", "priority", "customer_name",
                     "customer_phone", "subject", "description"])  # fmt: skip
    writer.writerow([number, "2026-11-01 10:00", "phone", "help", "normal", name, "13800001111",
                     subject, description])  # fmt: skip
    path = tmp_path / "typed.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        report = import_tickets(ctx, admin, path)
    except ImportFileError as exc:  # e.g. a name that makes the row look like a header
        assert str(exc).startswith("typed.csv")
        return
    if report.bad:
        assert report.imported == 0
        assert all(b.line == 2 and b.column and b.reason for b in report.bad)
        return
    assert report.imported == 1
    with ctx.read() as session:
        stored = session.execute(
            select(Ticket.subject, Ticket.description).where(Ticket.number == number)
        ).one()
    # restore_formula: how a CSV cell deskui wrote is read back
    assert (stored.subject, stored.description) == (
        restore_formula(subject).strip(),
        restore_formula(description).strip(),
    )
    out = io.StringIO()
    export_tickets(ctx, admin, "csv", out, unmasked=True)
    row = next(r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["number"] == number)
    assert restore_formula(row["subject"]) == stored.subject
    assert restore_formula(row["description"]) == stored.description


def test_the_generator_is_deterministic() -> None:
    files = _load("fuzz_files")
    for index in range(40):
        first, second = files.make_case(7, index), files.make_case(7, index)
        assert (first.name, first.mutations, first.data) == (
            second.name,
            second.mutations,
            second.data,
        )
