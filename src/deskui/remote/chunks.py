"""Bulk data as numbered pieces: reading a file a chunk at a time, numbering what one side
sends and checking, on the other, that nothing was lost, repeated or reordered. Standard
library only (the client's side uses it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from deskui.remote import wire


def file_pieces(path: Path, key: str, size: int) -> Iterator[tuple[str, bytes]]:
    """(key, bytes) of at most `size` bytes each; an empty file gives none."""
    with path.open("rb") as handle:
        while data := handle.read(size):
            yield key, data


class Numbering:
    """The next `seq` of each key, from 0: the sending side."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, key: str) -> int:
        seq = self._next.get(key, 0)
        self._next[key] = seq + 1
        return seq


class Sequence:
    """The receiving side: each key's chunks must come numbered 0, 1, 2 …"""

    def __init__(self) -> None:
        self._expected = Numbering()

    def check(self, chunk: wire.Chunk) -> None:
        expected = self._expected(chunk.key)
        if chunk.seq != expected:
            raise wire.WireError(
                f"chunk {chunk.seq} of {chunk.key} arrived where {expected} was due"
            )
