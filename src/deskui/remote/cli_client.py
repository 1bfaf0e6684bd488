"""The client's side of a CLI command: send argv and the input files' bytes to the server, show
what the command printed, ask its questions here, write its output files here, and exit with
its code. Files travel both ways in chunks, so neither side holds one whole in memory; an
output file appears under the caller's name only once all of it has arrived.
Standard library and pydantic only: no SQLAlchemy, Alembic or services.
"""

from __future__ import annotations

import argparse
import base64
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from deskui.i18n import _
from deskui.remote import client, wire
from deskui.remote.chunks import file_pieces
from deskui.remote.client import ServerError, ServerUnavailable, connect
from deskui.remote.receive import Receiver

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


def _named(args: argparse.Namespace, dests: tuple[str, ...]) -> dict[str, Path]:
    return {dest: Path(name) for dest in dests if (name := getattr(args, dest, None)) is not None}


def _check_readable(inputs: dict[str, Path]) -> None:
    """Fail here, before the server is asked, on an input file that cannot be read."""
    for path in inputs.values():
        path.open("rb").close()


def _upload(inputs: dict[str, Path]) -> Iterator[tuple[str, bytes]]:
    for dest, path in inputs.items():
        yield from file_pieces(path, f"file:{dest}", wire.chunk_size(client.SEND_LIMIT))


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
    from deskui.remote.cli_paths import files_in, files_out

    inputs = _named(args, files_in(args))
    try:
        _check_readable(inputs)
        receiver = Receiver(_named(args, files_out(args)))
    except OSError as exc:
        return _fail(os_problem(exc))
    try:
        return _converse(socket, argv, args, inputs, receiver)
    finally:
        receiver.discard()  # whatever was not committed: the caller's names stay as they were


def _converse(
    socket: Path,
    argv: list[str],
    args: argparse.Namespace,
    inputs: dict[str, Path],
    receiver: Receiver,
) -> int:
    from deskui.cli_faults import os_problem

    payload: dict[str, Any] = {
        "argv": argv,
        "files": {dest: {"streamed": True} for dest in inputs},
        "answers": [],
        "tty": {"stdin": sys.stdin.isatty(), "stdout": sys.stdout.isatty(), "stderr": False},
    }
    shown: list[list[str]] = []
    try:
        with connect(socket, language=_language(args)) as conn:
            while True:
                reply = conn.call("cli", payload, upload=_upload(inputs), on_chunk=receiver.take)
                output = reply.get("output", [])
                _show(output[len(shown) :] if output[: len(shown)] == shown else output)
                shown = output
                if "question" not in reply:
                    break
                payload["answers"].append([reply["question"], _ask()])
            receiver.end_of_output()
            receiver.finish(reply.get("files", {}))
    except ServerUnavailable as exc:
        return _fail(_unfinished(receiver, str(exc)), UNAVAILABLE)
    except ServerError as exc:
        return _fail(_unfinished(receiver, str(exc)))
    except wire.WireError as exc:
        unreadable = _("the server's answer is not readable: {detail}")
        return _fail(_unfinished(receiver, unreadable.format(detail=exc)))
    except OSError as exc:
        return _fail(os_problem(exc))
    return int(reply.get("code", 2))


def _unfinished(receiver: Receiver, problem: str) -> str:
    """The problem, and that the output files it was receiving were not written."""
    if not receiver.started:
        return problem
    names = ", ".join(str(pending.target) for pending in receiver.files.values())
    return _("{problem}; nothing was written to {path}").format(problem=problem, path=names)
