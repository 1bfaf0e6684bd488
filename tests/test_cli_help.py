"""The CLI speaks the user's language all through: deskui's help texts and argparse's own
words (usage, section titles, -h's help, parse errors), while English stays argparse's."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from deskui import cli
from deskui.cli_help import BUILT_IN, ERRORS, PLURALS, translate_error
from deskui.i18n import catalogue, speaking
from deskui.i18n.wrap import width


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


COMMANDS = [path for path, _ in _parsers(cli.build_parser())]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def test_every_argument_and_command_has_help_in_both_languages() -> None:
    zh = catalogue("zh_CN")
    untranslated = []
    for path, parser in _parsers(cli.build_parser()):
        texts = [parser.description] if path else []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                texts += [choice.help for choice in action._choices_actions]
            elif action.help is not argparse.SUPPRESS:
                texts.append(action.help)
        for text in texts:
            if text is None or zh.gettext(text) == text:
                untranslated.append((" ".join(path), text))
    assert untranslated == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "deskui")
def test_help_reads_in_chinese(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = _run(["--lang", "zh_CN", *path, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"用法：deskui {' '.join(path)}".rstrip() + " ")
    assert "显示此帮助信息并退出" in out
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out
    # what is left in Latin letters are flags, metavars, choices and names (csv, TOML, SLA)
    body = out.split("\n\n", 1)[1]  # after the usage, which names the command
    words = set(re.findall(r"(?<![-\w{,'])[a-z]{4,}(?: [a-z]{2,})+", body))
    assert words == set()
    # Chinese help is broken in terminal cells (CJK: two), so it fits an 80-column terminal
    # (an option's own {choices} may not, in any language: argparse never breaks them)
    chinese = [line for line in body.splitlines() if width(line) > len(line)]
    assert [line for line in chinese if width(line) > 80] == []


def test_usage_lines_align_under_the_chinese_prefix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = _run(["--lang", "zh_CN", "list", "--help"], capsys)
    first, second = out.splitlines()[:2]
    # "用法：" is six columns: the next line starts under the first option, after "deskui list "
    assert first.startswith("用法：deskui list [-h]")
    assert second.startswith(" " * 18 + "[") and not second.startswith(" " * 19)


@pytest.mark.parametrize(
    ("argv", "english", "chinese"),
    [
        (
            ["export", "--format", "x"],
            "deskui export: error: argument --format: invalid choice: 'x' "
            "(choose from 'csv', 'json', 'xlsx')",
            "deskui export：错误：参数 --format：无效的选择：'x'（可选：'csv', 'json', 'xlsx'）",
        ),
        (
            ["db"],
            "deskui db: error: the following arguments are required: ACTION",
            "deskui db：错误：缺少必需的参数：ACTION",
        ),
        (
            ["list", "--bogus", "1"],
            "deskui: error: unrecognized arguments: --bogus 1",
            "deskui：错误：无法识别的参数：--bogus 1",
        ),
        (
            ["list", "--limit", "many"],
            "deskui list: error: argument --limit: invalid int value: 'many'",
            "deskui list：错误：参数 --limit：无效的 int 值：'many'",
        ),
        (
            ["list", "--limit"],
            "deskui list: error: argument --limit: expected one argument",
            "deskui list：错误：参数 --limit：需要一个参数",
        ),
    ],
)
def test_parse_errors_in_both_languages(
    argv: list[str], english: str, chinese: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["--lang", "en", *argv], capsys)
    assert (code, err.splitlines()[-1]) == (2, english)  # exactly argparse's own words
    assert err.startswith("usage: deskui")
    code, _, err = _run(["--lang", "zh_CN", *argv], capsys)
    assert (code, err.splitlines()[-1]) == (2, chinese)
    assert err.startswith("用法：deskui")


def test_an_unknown_message_passes_unchanged_and_plurals_take_their_count() -> None:
    with speaking("zh_CN"):
        assert translate_error("argument --x: 日期不对") == "参数 --x：日期不对"
        assert translate_error("something argparse never said") == "something argparse never said"
        assert translate_error("argument N: expected 2 arguments") == "参数 N：需要 2 个参数"
        assert translate_error("expected 1 argument") == "需要 1 个参数"


def test_translations_keep_argparse_placeholders() -> None:
    zh = catalogue("zh_CN")
    spec = re.compile(r"%(?:\(\w+\))?[srd]")
    for template in (*BUILT_IN, *ERRORS, "%(prog)s: error: %(message)s\n"):
        shown = zh.gettext(template)
        assert shown != template
        assert sorted(spec.findall(shown)) == sorted(spec.findall(template)), template
    for singular, plural, _ in PLURALS:
        assert spec.findall(zh.ngettext(singular, plural, 2)) == ["%s"]


@pytest.mark.parametrize("spelling", ["zh", "zh-CN", "zh_cn", "zh_CN"])
def test_lang_zh_in_any_usual_spelling_means_chinese(
    spelling: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run([f"--lang={spelling}", "export", "--help"], capsys)
    assert code == 0 and out.startswith("用法：deskui export")
    assert cli.build_parser().parse_args(["--lang", spelling, "db", "status"]).lang == "zh_CN"


def test_opening_the_desk_builds_no_commands_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """`deskui --server PATH` (the desk) is read by the top-level options alone; a command,
    a help request or a bad value goes to the whole parser, with its usage and its words."""
    opened: list[argparse.Namespace] = []
    monkeypatch.setattr(cli, "_run_command", lambda args: opened.append(args) or 0)
    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("built every command"))
    assert cli.main(["--server", "none", "--lang", "zh", "--db", "sqlite://"]) == 0
    assert opened[0].handler is cli.cmd_run and opened[0].lang == "zh_CN"
    for argv in (["list"], ["-h"], ["--lang", "fr"], ["--db"]):
        assert cli._desk_args(argv) is None, argv


def test_a_bad_desk_option_gets_the_whole_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["--lang", "fr"], capsys)
    assert code == 2 and "COMMAND ..." in err and "invalid choice: 'fr'" in err
