"""The CLI's one output path: everything a command prints goes through `SafeStream`, which
shows control and bidi characters as `\\x1b` / `U+202E` escapes instead of sending them, so
customer text can never move the cursor, clear the screen, set the clipboard (OSC 52) or
reorder a line. deskui's own progress bars write to `raw(stream)`.

This holds for CSV and JSON sent to standard output too (JSON escapes such characters as
\\uXXXX itself, so it stays exact); `--out FILE` writes a CSV file's data as it is, with
formula triggers neutralised.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from deskui.domain.text_safety import visible


class SafeStream(io.TextIOBase):
    """A text stream that writes `visible(text)` to the stream it wraps."""

    def __init__(self, raw: IO[str]) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", "utf-8")

    @property
    def buffer(self) -> Any:
        """Binary output (an XLSX file) goes to the real stream's buffer."""
        return self.raw.buffer  # type: ignore[attr-defined]


def raw(stream: IO[str]) -> IO[str]:
    """The unfiltered stream under a SafeStream: for deskui's own control sequences only."""
    return stream.raw if isinstance(stream, SafeStream) else stream


@contextmanager
def safe_output() -> Iterator[None]:
    """Route sys.stdout and sys.stderr through SafeStream for the length of a command."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
        finally:
            sys.stdout, sys.stderr = out, err


class Refused(Exception):
    """A destructive command was not confirmed; nothing was changed."""


def confirm(plan: str, *, yes: bool) -> None:
    """Show what a destructive command will do and ask; `--yes` answers for a script.
    Without a terminal to ask on (cron, a pipe) and without `--yes`, refuse."""
    from deskui.i18n import _

    if yes:
        return
    if not (sys.stdin and sys.stdin.isatty()):
        raise Refused(
            _("this would {plan}; nothing changed: add --yes to confirm without asking").format(
                plan=plan
            )
        )
    print(_("This will {plan}.").format(plan=plan), file=sys.stderr)
    try:
        answer = input(_("Go ahead? [y/N] "))
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes", "是", "是的"):
        raise Refused(_("cancelled; nothing changed"))
