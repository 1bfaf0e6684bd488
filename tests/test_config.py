"""Settings: file < environment < command line, and one clear message for a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskui.cli import main
from deskui.config import ConfigError, load_settings


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults_use_platformdirs_data_dir(tmp_path: Path) -> None:
    loaded = load_settings(environ={})
    assert loaded.settings.db_url.endswith("/deskui/deskui.db")
    assert loaded.ignored == []
    assert loaded.source_of("db_url") == "default"


def test_file_then_environment_then_cli(tmp_path: Path) -> None:
    path = write(tmp_path, 'db_url = "sqlite:///file.db"\nlang = "zh_CN"\n')
    loaded = load_settings(path, environ={"DESKUI_DB_URL": "sqlite:///env.db"})
    assert loaded.settings.db_url == "sqlite:///env.db"
    assert loaded.settings.lang == "zh_CN"
    assert loaded.source_of("db_url") == "environment"
    assert loaded.source_of("lang") == str(path)
    cli = load_settings(
        path,
        environ={"DESKUI_DB_URL": "sqlite:///env.db"},
        overrides={"db_url": "sqlite:///cli.db"},
    )
    assert cli.settings.db_url == "sqlite:///cli.db"
    assert cli.source_of("db_url") == "command line"


def test_user_config_file_is_found(tmp_path: Path) -> None:
    from deskui import paths

    paths.config_dir().mkdir(parents=True)
    paths.config_file().write_text('lang = "zh_CN"\n', encoding="utf-8")
    loaded = load_settings(environ={})
    assert loaded.settings.lang == "zh_CN"
    assert loaded.file == paths.config_file()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('lang = "fr"\n', ["lang", "'en'", "'zh_CN'"]),
        ("refresh_seconds = -1\n", ["refresh_seconds", "greater than 0"]),
        ("colour = 1\n", ["colour", "not permitted"]),
    ],
)
def test_bad_values_name_file_field_and_allowed(
    tmp_path: Path, body: str, expected: list[str]
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    message = str(caught.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message


def test_broken_toml_is_one_message(tmp_path: Path) -> None:
    path = write(tmp_path, "lang = \n")
    with pytest.raises(ConfigError, match=r"config\.toml: not valid TOML"):
        load_settings(path, environ={})


def test_bad_environment_value_names_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"lang: .* \[from environment\]"):
        load_settings(environ={"DESKUI_LANG": "klingon"})


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such settings file"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_cli_prints_message_not_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, 'lang = "fr"\n')
    assert main(["--config", str(path), "config", "show"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("deskui: Invalid settings in")
    assert "Traceback" not in err


def test_config_show_lists_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, 'lang = "en"\n')
    monkeypatch.setenv("DESKUI_LANG", "zh_CN")
    assert main(["--config", str(path), "config", "show"]) == 0
    out = capsys.readouterr().out
    assert "tz = " not in out  # site policy: `deskui site show`
    assert "lang = 'zh_CN'    # environment" in out
    assert "refresh_seconds = 2.0    # default" in out


def test_the_keys_a_user_may_no_longer_set_are_the_site_policys() -> None:
    """`SITE_KEYS` is spelled out (reading settings must not build the policy's models): it
    must name exactly the policy's top-level fields."""
    from deskui.config import SITE_KEYS
    from deskui.domain.site import SitePolicy

    assert sorted(SITE_KEYS) == sorted(SitePolicy.model_fields)
