"""Who is at the other end of a Unix socket, as the kernel says (SO_PEERCRED).

The credentials are those of the process that connected, fixed at connect time; nothing the
client sends or sets (LOGNAME, USER, a field in a message) is consulted.
"""

from __future__ import annotations

import pwd
import socket
import struct
from dataclasses import dataclass

_UCRED = struct.Struct("3i")  # struct ucred: pid_t pid, uid_t uid, gid_t gid


@dataclass(frozen=True, slots=True)
class PeerCredentials:
    pid: int
    uid: int
    gid: int

    @property
    def username(self) -> str:
        """The passwd name of the uid; the number itself when the uid has no entry."""
        try:
            return pwd.getpwuid(self.uid).pw_name
        except KeyError:
            return str(self.uid)


def peer_credentials(sock: socket.socket) -> PeerCredentials:
    """The connecting process's pid, uid and gid (Linux; OSError where unsupported)."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size)
    pid, uid, gid = _UCRED.unpack(raw)
    return PeerCredentials(pid, uid, gid)
