"""A desk's terminal that hangs up (SSH dropped, tmux killed) is noticed, so the desk quits
instead of spinning on a dead tty (seen at 45 % of a core under `su -`)."""

from __future__ import annotations

import os
import pty

from deskui.ui.common.terminal_watch import terminal_gone


def test_a_live_terminal_is_not_gone_and_a_hung_up_one_is() -> None:
    master, slave = pty.openpty()
    try:
        assert not terminal_gone(slave)
        os.write(master, b"x")  # input waiting is not a hang-up
        assert not terminal_gone(slave)
        os.close(master)  # the terminal emulator (sshd, tmux) went away
        master = -1
        assert terminal_gone(slave)
    finally:
        os.close(slave)
        if master != -1:
            os.close(master)


def test_a_descriptor_that_is_not_open_is_gone() -> None:
    unused = os.sysconf("SC_OPEN_MAX") - 1
    assert terminal_gone(unused)
