"""INSERT … ON CONFLICT for the database in use, loading only that dialect (the PostgreSQL
dialect alone costs a SQLite desk about 50 ms of start-up)."""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy.orm import Session


def insert_for(session: Session, entity: Any) -> Any:
    """`sqlite.insert(entity)` or `postgresql.insert(entity)`, whichever the session uses."""
    name = session.get_bind().dialect.name
    return importlib.import_module(f"sqlalchemy.dialects.{name}").insert(entity)
