"""Where the site's server is: `--server PATH`, else `DESKUI_SERVER`, else a `server = "…"` line
in the site-wide config file. `none` (or an empty value) means run embedded."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from deskui.i18n import _

ENV = "DESKUI_SERVER"


class LocateError(Exception):
    """The site-wide config file cannot be read; the message names it."""


def _site_value() -> str | None:
    from deskui.paths import site_config_file

    path = site_config_file()
    try:
        path.stat()
    except OSError:  # not there, or in a folder this user may not enter: no site-wide file
        return None
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LocateError(f"{path}: {exc}") from None
    value = data.get("server")
    if value is not None and not isinstance(value, str):
        raise LocateError(
            _(
                '{path}: server must be a path in quotes, e.g. server = "/run/deskui/deskui.sock"'
            ).format(path=path)
        )
    return value


def server_path(given: str | None) -> Path | None:
    """The server's socket path, or None to run embedded."""
    for value in (given, os.environ.get(ENV)):
        if value is not None:
            return _path(value)
    value = _site_value()
    return None if value is None else _path(value)


def _path(value: str) -> Path | None:
    value = value.strip()
    return None if value.lower() in ("", "none") else Path(value)
