"""What the server streams back for a CLI command: printed output, shown as it arrives, and
output files, held as PendingFile until the final answer says they are complete. Standard
library only (the client's side)."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import IO, Any

from deskui.remote import wire
from deskui.remote.outfile import PendingFile


class Receiver:
    """`take(key, data)` per chunk; then `finish(files)` commits, or `discard()` drops all."""

    def __init__(self, targets: dict[str, Path]) -> None:
        self.files: dict[str, PendingFile] = {}
        try:
            for dest, target in targets.items():
                self.files[dest] = PendingFile(target)
        except BaseException:
            self.discard()
            raise
        self._decoders: dict[str, Any] = {}
        self._held: dict[str, str] = {}  # a CR that may be the start of a CRLF
        self.started = False  # some of a file arrived

    def take(self, key: str, data: bytes) -> None:
        kind, _, name = key.partition(":")
        if kind == "file":
            pending = self.files.get(name)
            if pending is None:
                raise wire.WireError(f"{key} names no output file of this command")
            self.started = True
            pending.write(data)
        elif kind == "bytes":
            out = _stream(name)
            out.flush()
            out.buffer.write(data)  # type: ignore[attr-defined]
            out.buffer.flush()  # type: ignore[attr-defined]
        else:
            decoder = self._decoders.setdefault(name, codecs.getincrementaldecoder("utf-8")())
            try:
                self._text(name, decoder.decode(data))
            except UnicodeDecodeError as exc:
                raise wire.WireError(f"{key} is not UTF-8: {exc.reason}") from None

    def _text(self, name: str, text: str, final: bool = False) -> None:
        """Write text, keeping back a trailing CR: the output path drops a CRLF's CR, and the
        LF may be in the next chunk."""
        text = self._held.pop(name, "") + text
        if text.endswith("\r") and not final:
            text, self._held[name] = text[:-1], "\r"
        if text:
            _stream(name).write(text)

    def end_of_output(self) -> None:
        for name, decoder in self._decoders.items():
            try:
                self._text(name, decoder.decode(b"", final=True), final=True)
            except UnicodeDecodeError as exc:
                raise wire.WireError(f"text:{name} ends inside a character: {exc.reason}") from None
        sys.stdout.flush()
        sys.stderr.flush()

    def finish(self, files: dict[str, Any]) -> None:
        """Commit every file the answer lists, after checking it arrived whole; the others
        (the command did not write them) are dropped, and the caller's names left alone."""
        for dest in files:
            if dest not in self.files:
                raise wire.WireError(f"the answer lists {dest}, which this command does not write")
        for dest, pending in self.files.items():
            if dest in files:
                size = files[dest].get("size") if isinstance(files[dest], dict) else None
                if size != pending.size:
                    raise wire.WireError(
                        f"{dest}: {pending.size:,} of {size} bytes arrived; the transfer is "
                        "incomplete"
                    )
        for dest, pending in list(self.files.items()):
            if dest in files:
                pending.commit()
            else:
                pending.discard()
            del self.files[dest]

    def discard(self) -> None:
        for pending in self.files.values():
            pending.discard()
        self.files.clear()


def _stream(name: str) -> IO[str]:
    return sys.stdout if name == "stdout" else sys.stderr
