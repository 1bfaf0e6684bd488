"""The words of a report in both languages ("Tickets / 工单数"), so one printed or exported
file serves English and Chinese readers whoever made it.

The English id is the catalogue's msgid (`scripts/i18n.py` extracts the first argument of
`both_words`, `both_column` and `both_notes`); the Chinese is the catalogue's translation.
"""

from __future__ import annotations

from typing import Any

from deskui.domain.report_model import Column, Kind
from deskui.i18n import _, label, speaking

TOTAL = "Total / 合计"
UNASSIGNED = "(unassigned) / 未分派"
NO_TEAM = "(no team) / 无处理组"


def both(member: Any) -> str:
    """'Phone / 电话' for an enum member."""
    with speaking("en"):
        en = label(member)
    with speaking("zh_CN"):
        zh = label(member)
    return f"{en} / {zh}" if zh != en else en


def _pair(msgid: str, params: dict[str, Any]) -> tuple[str, str]:
    with speaking("zh_CN"):
        zh = _(msgid)
    return msgid.format(**params), zh.format(**params)


def both_words(msgid: str, **params: Any) -> str:
    """A short phrase in both languages on one line: a column title or a heading."""
    en, zh = _pair(msgid, params)
    return en if zh == en else f"{en} / {zh}"


def both_column(msgid: str, kind: Kind = "text") -> Column:
    """A column whose title is in both languages, as the report's rows are."""
    return Column(both_words(msgid), kind)


def both_notes(msgid: str, **params: Any) -> list[str]:
    """A note as two paragraphs, English then Chinese: too long to share one line."""
    en, zh = _pair(msgid, params)
    return [en] if zh == en else [en, zh]
