"""argparse in the user's language: deskui's help texts and argparse's own words ("usage:",
"options", "the following arguments are required: …") read in Chinese with `--lang zh_CN`.

argparse looks its words up with `gettext.gettext`, bound as the module global `argparse._`,
either while building a parser (group titles, `-h`'s help) or while formatting and parsing.
Replacing that global would change every parser in the process and, scoped to a call, race
between a server's threads (each caller speaks its own language). Instead the ids are in
deskui's catalogue and this module translates them where argparse hands its text over:

- the formatter: the usage prefix (`add_usage`), section titles (`start_section`), every help
  text and description (`_expand_help`, `add_text`), all as English ids, translated when
  printed;
- `Parser.error`, the one place every parse error passes through (as finished English text):
  the text is matched against argparse's templates and re-made from their translation, the
  values (the user's words, the choices) kept as they are. A message argparse words in a way
  this table does not know stays English, never wrong.

Help lines are broken by `deskui.i18n.wrap` (in terminal cells, between Chinese characters),
as argparse breaks only at spaces and would run a Chinese help text past the terminal.

This relies on nothing but public override points and argparse's message texts, which are the
same in 3.11-3.13 (tests/test_cli_help.py shows each in Chinese).
"""

from __future__ import annotations

import argparse
import copy
import itertools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import NoReturn

from deskui.i18n import N_, Language, _, ngettext, set_language

# argparse's own ids (3.11-3.13) that a deskui user can meet; the catalogue translates them.
BUILT_IN = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
)
# Templates of parse errors, the outer ("argument X: …") first; its message is matched again.
ERRORS = (
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _expected(n: int) -> str:
    return ngettext("expected %s argument", "expected %s arguments", n)


PLURALS: tuple[tuple[str, str, Callable[[int], str]], ...] = (
    ("expected %s argument", "expected %s arguments", _expected),
)
_SPEC = re.compile(r"%(?:\((\w+)\))?[srd%]")


def _pattern(template: str) -> tuple[re.Pattern[str], list[str]]:
    """A regex that matches `template` filled in, and the name (or position) of each group."""
    parts: list[str] = []
    names: list[str] = []
    at = 0
    for spec in _SPEC.finditer(template):
        parts.append(re.escape(template[at : spec.start()]))
        at = spec.end()
        if spec.group(0) == "%%":
            parts.append("%")
            continue
        names.append(spec.group(1) or str(len(names)))
        parts.append(f"(?P<g{len(names) - 1}>.*?)")
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts), re.DOTALL), names


def _fill(template: str, values: dict[str, str]) -> str:
    """`template` with its specs replaced by the text already shown (no second repr)."""
    position = itertools.count()

    def one(spec: re.Match[str]) -> str:
        if spec.group(0) == "%%":
            return "%"
        return values.get(spec.group(1) or str(next(position)), spec.group(0))

    return _SPEC.sub(one, template)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], list[str], Callable[[dict[str, str]], str]], ...]:
    found = []
    for template in ERRORS:
        found.append((*_pattern(template), lambda v, t=template: _fill(_(t), v)))
    for singular, plural, pick in PLURALS:
        for form in (singular, plural):
            found.append((*_pattern(form), lambda v, p=pick: _fill(p(int(v["0"])), v)))
    return tuple(found)


def translate_error(message: str) -> str:
    """An argparse error message in the active language (as it came when no template fits)."""
    for pattern, names, make in _patterns():
        match = pattern.fullmatch(message)
        if match is None:
            continue
        values = {name: match.group(f"g{i}") for i, name in enumerate(names)}
        if "message" in values:
            values["message"] = translate_error(values["message"])
        try:
            return make(values)
        except ValueError:  # a plural whose count is not a number: not this template
            continue
    return message


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class TranslatingFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        """argparse indents the usage's next lines by the prefix's length; "用法：" is three
        characters but six columns wide, so they get the difference too."""
        text: str = super()._format_usage(usage, actions, groups, prefix)
        extra = _columns(prefix) - len(prefix) if prefix else 0
        return text.replace("\n ", "\n" + " " * (extra + 1)) if extra > 0 else text

    def start_section(self, heading: str | None) -> None:
        shown = _(heading) if heading and heading is not argparse.SUPPRESS else heading
        super().start_section(shown)

    def add_text(self, text: str | None) -> None:
        super().add_text(_(text) if text and text is not argparse.SUPPRESS else text)

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Help lines broken as Chinese and English are read, in terminal cells (argparse
        breaks only at spaces, so a Chinese help text would run past the terminal)."""
        from deskui.i18n.wrap import wrap

        return wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        from deskui.i18n.wrap import wrap

        flat = self._whitespace_matcher.sub(" ", text).strip()
        return "\n".join(indent + line for line in wrap(flat, width - len(indent)))

    def _expand_help(self, action: argparse.Action) -> str:
        if action.help and action.help is not argparse.SUPPRESS:
            action = copy.copy(action)
            action.help = _(action.help)
        return super()._expand_help(action)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (and, through add_subparsers, sub-parsers) that prints translated help
    and translated errors."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        return TranslatingFormatter(prog=self.prog)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        shown = {"prog": self.prog, "message": translate_error(message)}
        self.exit(2, _("%(prog)s: error: %(message)s\n") % shown)


def language_name(text: str) -> str:
    """`--lang`'s value: `zh`, `zh-CN`, `zh_cn` all mean zh_CN (the choices say the rest)."""
    return "zh_CN" if text.replace("-", "_").lower() in ("zh", "zh_cn") else text


def help_language(argv: Sequence[str]) -> None:
    """Set the language from `--lang` or the locale before parsing, for `--help` and usage
    errors (the settings file is read later, by the command)."""
    from deskui.config import default_language

    chosen: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    if chosen is not None:
        chosen = language_name(chosen)
    lang: Language = "zh_CN" if chosen == "zh_CN" else "en" if chosen else default_language()
    set_language(lang)
