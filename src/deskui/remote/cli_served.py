"""The server's side of a CLI command: run the caller's argv with the caller's identity, on the
server's context, and hand back what it printed and the files it wrote.

The client sends the bytes of its input files (the server never opens a client's path) and the
names of its output files; here they live in a private folder for the length of the request,
and the temporary paths are shown to the caller as the paths it gave.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from pathlib import Path
from typing import Any

from deskui.remote.capture import Capture, NeedsAnswer, capturing
from deskui.remote.cli_paths import files_in, files_out
from deskui.remote.server import Caller, HandlerError


def _safe_name(name: str, fallback: str) -> str:
    """The file's own name (its extension tells the format), never a path."""
    base = Path(str(name)).name
    return base if base not in ("", ".", "..") else fallback


class CliHandler:
    """Handler for requests of kind "cli"; `served` is (ServiceContext, LoadedSettings)."""

    def __init__(self, served: tuple[Any, Any]) -> None:
        self.served = served

    def __call__(self, caller: Caller, payload: dict[str, Any]) -> dict[str, Any]:
        argv = payload.get("argv")
        if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
            raise HandlerError("argv must be a list of strings", "bad_frame")
        answers = [(str(c), None if a is None else str(a)) for c, a in payload.get("answers", [])]
        tty = {k: bool(v) for k, v in dict(payload.get("tty", {})).items()}
        capture = Capture(answers=answers, tty=tty)
        folder = Path(tempfile.mkdtemp(prefix="deskui-request-"))
        try:
            with capturing(capture):
                code = self._run(argv, payload, folder, capture)
            outputs = self._outputs(capture.rename, folder)
        except NeedsAnswer as question:
            return {"question": question.context, "output": _chunks(capture)}
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return {"code": code, "output": _chunks(capture), "files": outputs}

    def _run(self, argv: list[str], payload: dict[str, Any], folder: Path, capture: Capture) -> int:
        """The command's exit code; `capture.rename` learns the temporary paths it used."""
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
            sent = given.get(dest)
            if not isinstance(sent, dict) or "data" not in sent:
                raise HandlerError(
                    "the request names {dest} but does not carry its content", "failed", dest=dest
                )
            path = folder / "in" / _safe_name(getattr(args, dest), "input")
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(base64.b64decode(sent["data"], validate=True))
            shown[str(path)] = getattr(args, dest)
            setattr(args, dest, str(path))
        for dest in files_out(args):
            if getattr(args, dest, None) is None:
                continue
            path = folder / "out" / dest / _safe_name(getattr(args, dest), "output")
            path.parent.mkdir(parents=True)
            shown[str(path)] = getattr(args, dest)
            setattr(args, dest, str(path))
        token = cli.served.set(self.served)
        try:
            return cli._run_command(args)
        finally:
            cli.served.reset(token)

    @staticmethod
    def _outputs(shown: dict[str, str], folder: Path) -> dict[str, str]:
        """The output files the command wrote, keyed by the caller's path for them."""
        out = folder / "out"
        return {
            original: base64.b64encode(Path(path).read_bytes()).decode("ascii")
            for path, original in shown.items()
            if Path(path).is_relative_to(out) and Path(path).is_file()
        }


def _chunks(capture: Capture) -> list[list[str]]:
    """[stream, "text" | "bytes", data] in order, as the caller is to see them."""
    return [
        [stream, "bytes", base64.b64encode(data).decode("ascii")]
        if isinstance(data, bytes)
        else [stream, "text", capture.shown(data)]
        for stream, data in capture.chunks
    ]
