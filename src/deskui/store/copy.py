"""Move a site from one database to another (e.g. SQLite to PostgreSQL), table by table."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, select, text

from deskui.store.migrate import ensure_current
from deskui.store.tables import Base

CHUNK = 5_000


class TargetNotEmpty(Exception):
    pass


def rows_in(target: Engine) -> dict[str, int]:
    """The target's tables that hold rows, and how many (what a replacing copy deletes)."""
    ensure_current(target)
    found: dict[str, int] = {}
    with target.connect() as conn:
        for table in Base.metadata.sorted_tables:
            count = conn.execute(select(func.count()).select_from(table)).scalar_one()
            if count:
                found[table.name] = count
    return found


def copy_database(
    source: Engine,
    target: Engine,
    *,
    progress: Callable[[str, int], None] | None = None,
    replace: bool = False,
) -> dict[str, int]:
    """Copy every table in foreign-key order into a migrated target; return row counts.

    The target must be empty, or `replace` deletes what it holds first — in the same
    transaction as the copy, so a failed copy leaves the target as it was."""
    tables = Base.metadata.sorted_tables
    held = rows_in(target)
    if held and not replace:
        first = next(iter(held))
        raise TargetNotEmpty(
            f"{target.url.render_as_string(hide_password=True)}: table {first} is not empty"
        )
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        if held:
            for table in reversed(tables):
                dst.execute(table.delete())
        for table in tables:
            copied = 0
            rows = src.execution_options(yield_per=CHUNK).execute(select(table)).mappings()
            for chunk in rows.partitions(CHUNK):
                dst.execute(table.insert(), [dict(r) for r in chunk])
                copied += len(chunk)
                if progress:
                    progress(table.name, copied)
            counts[table.name] = copied
        if target.dialect.name == "postgresql":
            for table in tables:
                pk = list(table.primary_key.columns)
                if (
                    len(pk) == 1
                    and pk[0].autoincrement is not False
                    and pk[0].type.python_type is int
                ):
                    dst.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                            f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    from deskui.store.search_index import drain_engine

    drain_engine(target)  # the target's triggers queued every ticket for its search index
    return counts
