"""A desk whose terminal went away quits instead of spinning on a dead tty.

An SSH session that drops, or a tmux session killed, hangs the terminal up; the kernel's SIGHUP
reaches only the terminal's session, so a desk started under `su -` (its own session) would
keep running, reading nothing, at a good part of a core. The desk asks every few seconds.
"""

from __future__ import annotations

import select

GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_gone(fd: int) -> bool:
    """True once `fd` is hung up or closed (poll reports these whatever the mask)."""
    poller = select.poll()
    try:
        poller.register(fd, 0)
        return any(mask & GONE for _, mask in poller.poll(0))
    except (OSError, ValueError):
        return True
