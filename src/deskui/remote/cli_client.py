"""The client's side of a CLI command: send argv and the input files' bytes to the server, show
what the command printed, ask its questions here, write its output files here, and exit with
its code. Standard library and pydantic only: no SQLAlchemy, Alembic or services.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path
from typing import Any

from deskui.i18n import _
from deskui.remote.client import ServerError, ServerUnavailable, connect

UNAVAILABLE = 3  # the server is not there: a script can tell this from a refusal (2)


def _fail(message: str, code: int = 2) -> int:
    print(f"deskui: {message}", file=sys.stderr)
    return code


def _language(args: argparse.Namespace) -> str:
    """The caller's language: --lang, else the personal settings (DESKUI_LANG, config.toml)."""
    if getattr(args, "lang", None):
        return str(args.lang)
    try:
        from deskui.config import load_settings

        return load_settings(getattr(args, "config", None)).settings.lang
    except Exception:  # a broken personal config must not stop a server command
        return "en"


def _input_files(args: argparse.Namespace) -> dict[str, dict[str, str]]:
    from deskui.remote.cli_paths import files_in

    sent = {}
    for dest in files_in(args):
        name = getattr(args, dest, None)
        if name is not None:
            sent[dest] = {"data": base64.b64encode(Path(name).read_bytes()).decode("ascii")}
    return sent


def _show(chunks: list[list[str]]) -> None:
    for stream, kind, data in chunks:
        out = sys.stdout if stream == "stdout" else sys.stderr
        if kind == "bytes":
            out.flush()
            out.buffer.write(base64.b64decode(data))  # type: ignore[attr-defined]
            out.buffer.flush()  # type: ignore[attr-defined]
        else:
            out.write(data)
    sys.stdout.flush()
    sys.stderr.flush()


def _ask() -> str | None:
    """The answer the user types here; None when stdin ends."""
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


def run_remote(socket: Path, argv: list[str], args: argparse.Namespace) -> int:
    """Run the command on the server at `socket`; its exit code."""
    from deskui.cli_faults import os_problem

    if getattr(args, "db", None):
        return _fail(
            _(
                "--db names the server's database, and the server at {socket} chooses it; "
                "leave --db out, or run embedded with --server none"
            ).format(socket=socket)
        )
    try:
        files = _input_files(args)
    except OSError as exc:
        return _fail(os_problem(exc))
    payload: dict[str, Any] = {
        "argv": argv,
        "files": files,
        "answers": [],
        "tty": {"stdin": sys.stdin.isatty(), "stdout": sys.stdout.isatty(), "stderr": False},
    }
    shown: list[list[str]] = []
    try:
        with connect(socket, language=_language(args)) as conn:
            while True:
                reply = conn.call("cli", payload)
                output = reply.get("output", [])
                _show(output[len(shown) :] if output[: len(shown)] == shown else output)
                shown = output
                if "question" not in reply:
                    break
                payload["answers"].append([reply["question"], _ask()])
    except ServerUnavailable as exc:
        return _fail(str(exc), UNAVAILABLE)
    except ServerError as exc:
        return _fail(str(exc))
    for name, data in reply.get("files", {}).items():
        try:
            Path(name).write_bytes(base64.b64decode(data))
        except OSError as exc:
            return _fail(os_problem(exc))
    return int(reply.get("code", 2))
