"""The `deskui server` command (parser and handler; the work is in deskui.remote.serve)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _mode(text: str) -> int:
    from deskui.i18n import _

    try:
        value = int(text, 8)
    except ValueError:
        wrong = _("{text!r} is not an octal mode such as 660")
        raise argparse.ArgumentTypeError(wrong.format(text=text)) from None
    if not 0 <= value <= 0o777:
        wrong = _("{text!r} is not a file mode (000 to 777)")
        raise argparse.ArgumentTypeError(wrong.format(text=text))
    return value


def add_server_command(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    server = add(
        "server",
        cmd_server,
        "run the site's server in the foreground: it owns the database, and agents' deskui "
        "commands reach it over a Unix socket",
    )
    server.add_argument(
        "--socket", required=True, metavar="PATH", help="the Unix socket to listen on"
    )
    server.add_argument(
        "--socket-group",
        metavar="GROUP",
        help="the OS group of the site's agents: only they may connect (else anyone may connect; "
        "the server still checks who each caller is)",
    )
    server.add_argument(
        "--socket-mode",
        type=_mode,
        metavar="MODE",
        help="the socket's mode (default 660 with a group, else 666)",
    )
    server.add_argument(
        "--sweep-seconds",
        type=float,
        default=60.0,
        metavar="S",
        help="run the SLA sweep every S seconds (default 60; 0: never)",
    )


def cmd_server(args: argparse.Namespace) -> int:
    import logging
    import signal

    from deskui.cli import CliError, _settings
    from deskui.remote import files
    from deskui.remote.serve import SiteServer
    from deskui.remote.server import ServerRunning

    logging.basicConfig(level=logging.INFO, format="%(asctime)s deskui server: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    files.private_umask()
    loaded = _settings(args)
    try:
        site = SiteServer(
            loaded,
            Path(args.socket),
            group=args.socket_group,
            mode=args.socket_mode,
            sweep_seconds=args.sweep_seconds,
            clock=args.clock,
        )
        site.start()
    except (ServerRunning, ValueError) as exc:
        raise CliError("{problem}", problem=str(exc)) from None  # the OS's or a path's words
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: site.request_stop())
    try:
        site.wait()
    finally:
        site.stop()
    return 0
