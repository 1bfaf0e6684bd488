"""Which of a command's arguments name files: the client reads the input files and writes the
output files; the server only ever sees their bytes.

By default a command's `file` is read and its `--out` is written; a command says otherwise
with `set_defaults(files_in=(...), files_out=(...))` (e.g. `site export FILE` writes FILE).
"""

from __future__ import annotations

import argparse

FILES_IN = ("file",)
FILES_OUT = ("out",)


def files_in(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(getattr(args, "files_in", FILES_IN))


def files_out(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(getattr(args, "files_out", FILES_OUT))
