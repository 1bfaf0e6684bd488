"""Translation layer: English message ids, gettext catalogues (one per language).

`_("Queue")` returns the text in the active language; `pgettext(context, id)` when one English
word has two translations; `ngettext(singular, plural, n)` for counts; `label(Status.NEW)` names
an enum member (context: the enum's name). The catalogues are `locale/<lang>/LC_MESSAGES/
deskui.po`, compiled to `.mo` by `scripts/i18n.py` and loaded here with the standard library's
`gettext`, so start-up imports no Babel. Missing entries fall back to English.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import Literal

from deskui.i18n.labels import ENGLISH_LABELS

Language = Literal["en", "zh_CN"]
LANGUAGES: tuple[Language, ...] = ("en", "zh_CN")
DOMAIN = "deskui"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_process_language: Language = "en"
# A server answers several callers at once, each in their own language: `speaking` sets the
# language for one thread or task without touching the process's (the desk's, the CLI's).
_caller_language: ContextVar[Language | None] = ContextVar("deskui_language", default=None)

_ENGLISH = _gettext.NullTranslations()
_catalogues: dict[str, _gettext.NullTranslations] = {}  # loaded on first use


def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang` (English: the ids themselves)."""
    if lang == "en":
        return _ENGLISH
    found = _catalogues.get(lang)
    if found is None:
        try:
            with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fp:
                found = _gettext.GNUTranslations(fp)
        except OSError:  # no catalogue: English rather than a crash
            found = _ENGLISH
        _catalogues[lang] = found
    return found


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
    return catalogue(language()).gettext(message)


def pgettext(context: str, message: str) -> str:
    """`message` in the active language, as meant in `context` (one English word, two senses)."""
    return catalogue(language()).pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The template for `n` items in the active language; format it with `n` yourself."""
    return catalogue(language()).ngettext(singular, plural, n)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return catalogue(language()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined (a table); `_()` translates it later."""
    return message


def label(member: StrEnum) -> str:
    """A user-facing name for an enum member; the enum's name is the catalogue context."""
    kind = type(member).__name__
    english = ENGLISH_LABELS.get(f"{kind}.{member.value}", member.value.replace("_", " "))
    return pgettext(kind, english)


def describe(exc: BaseException) -> str:
    """An error's message in the active language.

    A ServiceError carries `message_id` (its English template) and `params`; other errors (and
    ids with no translation) read as `str(exc)`. Enum parameters are named with `label`.
    """
    message_id = getattr(exc, "message_id", None)
    if not isinstance(message_id, str) or not message_id:
        return str(exc)
    params = getattr(exc, "params", None)
    template = _(message_id)
    if not isinstance(params, Mapping) or not params:
        return template
    shown = {k: label(v) if isinstance(v, StrEnum) else v for k, v in params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError, AttributeError):
        return str(exc)
