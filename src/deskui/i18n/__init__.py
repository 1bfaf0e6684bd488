"""Translation layer: English message ids, Simplified Chinese catalogue.

`_("Queue")` returns the text in the active language; `label(Status.NEW)` names an enum
member. Catalogues are plain dicts so there is no compile step and missing entries fall
back to English.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from deskui.i18n.labels import ENGLISH_LABELS
from deskui.i18n.zh_cn import LABELS as ZH_LABELS
from deskui.i18n.zh_cn import MESSAGES as ZH_MESSAGES

Language = Literal["en", "zh_CN"]
_active: Language = "en"


def set_language(language: Language) -> None:
    global _active
    _active = language


def language() -> Language:
    return _active


def _(message: str) -> str:
    """The message in the active language (English when untranslated)."""
    if _active == "zh_CN":
        return ZH_MESSAGES.get(message, message)
    return message


def label(member: StrEnum) -> str:
    """A user-facing name for an enum member."""
    key = f"{type(member).__name__}.{member.value}"
    if _active == "zh_CN" and key in ZH_LABELS:
        return ZH_LABELS[key]
    return ENGLISH_LABELS.get(key, member.value.replace("_", " "))
