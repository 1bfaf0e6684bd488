"""argparse in the user's language: help and descriptions are message ids, translated when
printed (the language is known by then), so `deskui --lang zh_CN --help` reads in Chinese."""

from __future__ import annotations

import argparse
import copy
from collections.abc import Sequence

from deskui.i18n import Language, _, set_language


class TranslatingFormatter(argparse.HelpFormatter):
    def add_text(self, text: str | None) -> None:
        super().add_text(_(text) if text and text is not argparse.SUPPRESS else text)

    def _expand_help(self, action: argparse.Action) -> str:
        if action.help and action.help is not argparse.SUPPRESS:
            action = copy.copy(action)
            action.help = _(action.help)
        return super()._expand_help(action)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (and, through add_subparsers, sub-parsers) that prints translated help."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        return TranslatingFormatter(prog=self.prog)


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
    lang: Language = "zh_CN" if chosen == "zh_CN" else "en" if chosen else default_language()
    set_language(lang)
