"""The server's side of a CLI command: run the caller's argv with the caller's identity, on the
server's context, and hand back what it printed and the files it wrote.

The client sends the bytes of its input files (the server never opens a client's path) and the
names of its output files; here they live in a private folder for the length of the request,
and the temporary paths are shown to the caller as the paths it gave. Output files (and output
past the capture's spill size) go back as chunks read from that folder, never whole in memory.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from deskui.remote.capture import SPILL_AT, Capture, NeedsAnswer, capturing
from deskui.remote.chunks import file_pieces
from deskui.remote.cli_paths import files_in, files_out
from deskui.remote.server import Caller, HandlerError, Streamed
from deskui.remote.uploads import uploaded


def _safe_name(name: str, fallback: str) -> str:
    """The file's own name (its extension tells the format), never a path."""
    base = Path(str(name)).name
    return base if base not in ("", ".", "..") else fallback


class CliHandler:
    """Handler for requests of kind "cli"; `served` is (ServiceContext, LoadedSettings)."""

    def __init__(self, served: tuple[Any, Any], *, spill_at: int = SPILL_AT) -> None:
        self.served = served
        self.spill_at = spill_at  # output held in memory, at most; keep it under a frame

    def __call__(self, caller: Caller, payload: dict[str, Any]) -> dict[str, Any] | Streamed:
        argv = payload.get("argv")
        if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
            raise HandlerError("argv must be a list of strings", "bad_frame")
        answers = [(str(c), None if a is None else str(a)) for c, a in payload.get("answers", [])]
        tty = {k: bool(v) for k, v in dict(payload.get("tty", {})).items()}
        folder = Path(tempfile.mkdtemp(prefix="deskui-request-"))
        capture = Capture(answers=answers, tty=tty, spool_dir=folder, spill_at=self.spill_at)
        outputs: dict[str, Path] = {}
        handed_over = False
        try:
            try:
                with capturing(capture):
                    code = self._run(argv, payload, folder, capture, outputs)
            except NeedsAnswer as question:
                return {"question": question.context, "output": _chunks(capture)}
            written = {dest: path for dest, path in outputs.items() if path.is_file()}
            reply = {
                "code": code,
                "output": [] if capture.spilled else _chunks(capture),
                "files": {dest: {"size": path.stat().st_size} for dest, path in written.items()},
            }
            if not written and not capture.spilled:
                return reply
            handed_over = True
            return Streamed(
                reply,
                lambda size: _pieces(capture, written, size),
                lambda: _clean_up(capture, folder),
            )
        finally:
            if not handed_over:
                _clean_up(capture, folder)

    def _run(
        self,
        argv: list[str],
        payload: dict[str, Any],
        folder: Path,
        capture: Capture,
        outputs: dict[str, Path],
    ) -> int:
        """The command's exit code; `capture.rename` learns the temporary paths it used, and
        `outputs` where each output file is to be written (by its argument's name)."""
        from deskui import cli

        try:
            args = cli.build_parser().parse_args(argv)  # one per request: threads share nothing
        except SystemExit as exc:  # argparse printed why
            return exc.code if isinstance(exc.code, int) else 2
        if args.handler in cli._local_handlers():
            raise HandlerError("this command runs on your own machine, not on the server")
        if getattr(args, "db", None):
            raise HandlerError("--db names the server's database, which the server chooses")
        for name in ("config", "db", "lang"):
            if not hasattr(args, name):
                setattr(args, name, None)
        args.clock = None
        shown = capture.rename
        given = dict(payload.get("files", {}))
        for dest in files_in(args):
            if getattr(args, dest, None) is None:
                continue
            path = folder / "in" / _safe_name(getattr(args, dest), "input")
            path.parent.mkdir(exist_ok=True)
            _receive_input(dest, given.get(dest), path)
            shown[str(path)] = getattr(args, dest)
            setattr(args, dest, str(path))
        for dest in files_out(args):
            if getattr(args, dest, None) is None:
                continue
            path = folder / "out" / dest / _safe_name(getattr(args, dest), "output")
            path.parent.mkdir(parents=True)
            shown[str(path)] = getattr(args, dest)
            outputs[dest] = path
            setattr(args, dest, str(path))
        token = cli.served.set(self.served)
        try:
            return cli._run_command(args)
        finally:
            cli.served.reset(token)


def _receive_input(dest: str, sent: Any, path: Path) -> None:
    """Put the caller's input file at `path`: streamed ahead of the request (`uploaded`), or
    inline as base64 (small files, older clients)."""
    streamed = uploaded(f"file:{dest}")
    if isinstance(sent, dict) and sent.get("streamed") is True:
        if streamed is None:  # an empty file sends no chunks
            path.write_bytes(b"")
        else:
            shutil.move(streamed, path)
    elif isinstance(sent, dict) and isinstance(sent.get("data"), str):
        path.write_bytes(base64.b64decode(sent["data"], validate=True))
    else:
        raise HandlerError(
            "the request names {dest} but does not carry its content", "failed", dest=dest
        )


def _pieces(capture: Capture, files: dict[str, Path], size: int) -> Iterator[tuple[str, bytes]]:
    """What goes back in chunks: spooled output first (the caller shows it as it comes), then
    each output file."""
    if capture.spilled:
        yield from capture.unseen(size)
    for dest, path in files.items():
        yield from file_pieces(path, f"file:{dest}", size)


def _clean_up(capture: Capture, folder: Path) -> None:
    capture.close()
    shutil.rmtree(folder, ignore_errors=True)


def _chunks(capture: Capture) -> list[list[str]]:
    """[stream, "text" | "bytes", data] in order, as the caller is to see them."""
    return [
        [stream, "bytes", base64.b64encode(data).decode("ascii")]
        if isinstance(data, bytes)
        else [stream, "text", data]
        for stream, data in capture.items()
    ]
