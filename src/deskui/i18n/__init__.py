"""Translation layer: English message ids, Simplified Chinese catalogue.

`_("Queue")` returns the text in the active language; `label(Status.NEW)` names an enum
member. Catalogues are plain dicts so there is no compile step and missing entries fall
back to English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Literal

from deskui.i18n.labels import ENGLISH_LABELS

Language = Literal["en", "zh_CN"]
_process_language: Language = "en"
# A server answers several callers at once, each in their own language: `speaking` sets the
# language for one thread or task without touching the process's (the desk's, the CLI's).
_caller_language: ContextVar[Language | None] = ContextVar("deskui_language", default=None)


_zh: tuple[dict[str, str], dict[str, str]] | None = None  # (messages, labels), on first use


def _chinese() -> tuple[dict[str, str], dict[str, str]]:
    global _zh
    if _zh is None:
        from deskui.i18n.zh_cn import LABELS, MESSAGES

        _zh = (MESSAGES, LABELS)
    return _zh


def set_language(language: Language) -> None:
    global _process_language
    _process_language = language


def language() -> Language:
    return _caller_language.get() or _process_language


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Messages made inside the block are in `language`, in this thread or task only."""
    token = _caller_language.set(language)
    try:
        yield
    finally:
        _caller_language.reset(token)


def _(message: str) -> str:
    """The message in the active language (English when untranslated)."""
    if language() == "zh_CN":
        return _chinese()[0].get(message, message)
    return message


def label(member: StrEnum) -> str:
    """A user-facing name for an enum member."""
    key = f"{type(member).__name__}.{member.value}"
    if language() == "zh_CN" and key in (labels := _chinese()[1]):
        return labels[key]
    return ENGLISH_LABELS.get(key, member.value.replace("_", " "))
