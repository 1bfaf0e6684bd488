"""`deskui report …` sub-commands (monthly analysis, staff assessment, weekly feedback, fees)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def add_report_commands(sub: Any, add: Callable[..., Any]) -> None:
    """Register the report commands on the main parser's sub-parsers."""
