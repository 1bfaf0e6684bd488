"""Every file-system location deskui uses, in one place."""

from __future__ import annotations

from pathlib import Path

APP_NAME = "deskui"


def config_dir() -> Path:
    """Per-user configuration folder (platformdirs' user config dir)."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The settings file read when no --config is given."""
    return config_dir() / "config.toml"


def data_dir() -> Path:
    """Per-user data folder where the default SQLite database lives."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_db_url() -> str:
    """SQLite database under the data dir; the folder is created on first use."""
    return f"sqlite:///{data_dir() / 'deskui.db'}"


def site_config_file() -> Path:
    """The site-wide settings file (platformdirs' site config dir, e.g. /etc/xdg/deskui): it
    names the site's server and nothing else; site policy is data in the database."""
    from platformdirs import site_config_path

    return site_config_path(APP_NAME, appauthor=False) / "config.toml"
