"""Settings: one pydantic model, from defaults < config.toml < DESKUI_* environment < CLI.

Only what is personal lives here (language, database location, refresh); site policy (SLA
rules, callbacks, KPI targets, time zone, identity) is site data in the database
(`deskui.domain.site`, `deskui site`). `load_settings` records where each value came from so
`deskui config show` can tell a user why a value is what it is, and which site policy keys it
ignored.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deskui import paths

# The top-level keys of the site policy (`deskui.domain.site.SitePolicy`): what a user's
# config.toml may no longer set. Spelled out so that reading settings, which every desk and
# command does first, does not build the policy's models.
SITE_KEYS = ("tz", "identity", "sla", "callbacks", "kpi")

ENV_PREFIX = "DESKUI_"
Language = Literal["en", "zh_CN"]


class ConfigError(Exception):
    """A settings problem explained in one message, never a traceback: a catalogue id and
    its parameters, as a ServiceError's (`deskui.i18n.describe` translates it)."""

    def __init__(self, message_id: str, /, **params: object) -> None:
        self.message_id = message_id
        self.params = params
        super().__init__(message_id.format(**params) if params else message_id)


class Settings(BaseModel):
    """What one user configures for themselves; the site's rules are not here."""

    model_config = ConfigDict(extra="forbid")

    db_url: str = Field(default_factory=paths.default_db_url)
    lang: Language = "en"
    refresh_seconds: float = Field(2.0, gt=0, le=60)
    bell: bool = False  # ring the terminal bell when a reminder arrives from the server


@dataclass(frozen=True, slots=True)
class IgnoredKey:
    """A site policy key a user's config file or environment still sets (and that is ignored)."""

    key: str  # "sla", "tz", ...
    origin: str  # the config file's path, or "environment"
    env_name: str | None = None  # DESKUI_TZ, when from the environment


@dataclass
class LoadedSettings:
    """Settings plus the origin of every value that was not a default."""

    settings: Settings
    file: Path | None
    sources: dict[str, str] = field(default_factory=dict)
    ignored: list[IgnoredKey] = field(default_factory=list)

    def source_of(self, dotted: str) -> str:
        """Where a (possibly nested) key came from: the closest recorded ancestor wins."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            key = ".".join(parts[:end])
            if key in self.sources:
                return self.sources[key]
        return "default"


def default_language() -> Language:
    """Chinese when the user's locale says so, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "en"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            "{path}: not valid TOML: {problem}", path=str(path), problem=str(exc)
        ) from None
    except OSError as exc:
        raise ConfigError(
            "{path}: cannot read: {error}", path=str(path), error=str(exc.strerror)
        ) from None


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """DESKUI_DB_URL -> db_url; DESKUI_SLA__AT_RISK_FRACTION -> sla.at_risk_fraction."""
    result: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name.startswith(ENV_PREFIX + "TEST_"):
            continue
        keys = name[len(ENV_PREFIX) :].lower().split("__")
        target = result
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return result


def _merge(
    base: dict[str, Any],
    over: Mapping[str, Any],
    origin: str,
    sources: dict[str, str],
    prefix: str = "",
) -> None:
    for key, value in over.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value, origin, sources, dotted + ".")
        else:
            base[key] = dict(value) if isinstance(value, Mapping) else value
            sources[dotted] = origin


def _describe(exc: ValidationError, origin: str, sources: dict[str, str]) -> str:
    lines = [f"Invalid settings in {origin}:"]
    for error in exc.errors():
        dotted = ".".join(str(part) for part in error["loc"])
        where = sources.get(dotted) or next(
            (
                sources[k]
                for k in sorted(sources, key=len, reverse=True)
                if dotted.startswith(k + ".")
            ),
            origin,
        )
        message = error["msg"].removeprefix("Value error, ")
        given = error.get("input")
        shown = "" if isinstance(given, dict | list) or given is None else f" (got {given!r})"
        lines.append(f"  {dotted}: {message}{shown} [from {where}]")
    return "\n".join(lines)


def load_settings(
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> LoadedSettings:
    """Build the effective settings; raise ConfigError with a readable message on any problem."""
    environ = os.environ if environ is None else environ
    sources: dict[str, str] = {}
    raw: dict[str, Any] = {"lang": default_language()}
    if raw["lang"] != "en":
        sources["lang"] = "locale"

    explicit = config_path is not None
    path = config_path if explicit else paths.config_file()
    file_used: Path | None = None
    if path is not None and path.exists():
        _merge(raw, _read_toml(path), str(path), sources)
        file_used = path
    elif explicit:
        raise ConfigError("{path}: no such settings file", path=str(path))

    _merge(raw, _env_overrides(environ), "environment", sources)
    for key, value in (overrides or {}).items():
        if value is not None:
            _merge(raw, {key: value}, "command line", sources)
    ignored = _drop_site_keys(raw, sources, environ)

    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        problem = _describe(exc, str(file_used or "settings"), sources)  # in words already
        raise ConfigError("{problem}", problem=problem) from None
    return LoadedSettings(settings=settings, file=file_used, sources=sources, ignored=ignored)


def _drop_site_keys(
    raw: dict[str, Any], sources: dict[str, str], environ: Mapping[str, str]
) -> list[IgnoredKey]:
    """Take the site policy keys out of a user's settings: they are the database's now."""
    ignored: list[IgnoredKey] = []
    for key in SITE_KEYS:
        if key not in raw:
            continue
        del raw[key]
        origins = sorted(
            {origin for dotted, origin in sources.items() if dotted.split(".")[0] == key}
        )
        for dotted in [d for d in sources if d.split(".")[0] == key]:
            del sources[dotted]
        for origin in origins:
            env_name = None
            if origin == "environment":
                env_name = next(
                    name
                    for name in sorted(environ)
                    if name.startswith(ENV_PREFIX)
                    and name[len(ENV_PREFIX) :].lower().split("__")[0] == key
                )
            ignored.append(IgnoredKey(key, origin, env_name))
    return ignored


def flatten(model: BaseModel, prefix: str = "") -> list[tuple[str, Any]]:
    """Dotted key/value pairs of a settings model, for display."""
    rows: list[tuple[str, Any]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        dotted = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            rows.extend(flatten(value, dotted + "."))
        else:
            rows.append((dotted, value))
    return rows


def ignored_notice(item: IgnoredKey) -> str:
    """The one line that tells a user their site policy value is ignored, and what to do."""
    from deskui.i18n import _

    if item.env_name is not None:
        return _(
            "{name} in the environment is site policy now and is ignored; "
            "see `deskui site show` (an admin changes it with `deskui site import <file>`)"
        ).format(name=item.env_name)
    return _(
        "{key} in {file} is site policy now and is ignored; "
        "an admin can load it with `deskui site import {file}`"
    ).format(key=item.key, file=item.origin)
