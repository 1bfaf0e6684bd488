"""Dates, numbers, money and durations in the active language, formatted by Babel.

Date patterns are catalogue entries (CLDR syntax, `MM-dd HH:mm`): the translator picks the order
and the words (`M月d日 HH:mm`), Babel applies them. Babel is imported on the first call, never
at start-up, and everything that costs per call (locales, parsed patterns, unit words) is
cached per language, so a page of rows costs a dict look-up and one Babel apply per value.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from deskui.i18n import N_, _, language, ngettext

# Weekday names, Monday first (never strftime('%a'): it follows the C locale, not ours).
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
# Named date patterns (CLDR syntax); their translations are the Chinese patterns.
PATTERNS = {
    "short": N_("MM-dd HH:mm"),
    "full": N_("yyyy-MM-dd HH:mm"),
    "date": N_("yyyy-MM-dd"),
    "day": N_("MM-dd"),
    "month": N_("yyyy-MM"),
    "time": N_("HH:mm"),
}


@functools.cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)


@functools.cache
def _pattern(lang: str, name: str) -> Any:
    from babel.dates import parse_pattern

    from deskui.i18n import catalogue

    return parse_pattern(catalogue(lang).gettext(PATTERNS[name]))


def moment(value: datetime | date | None, name: str = "short", zone: tzinfo | None = None) -> str:
    """`value` by the named pattern of the active language ('—' for nothing)."""
    if value is None:
        return "—"
    if zone is not None and isinstance(value, datetime):
        value = value.astimezone(zone)
    lang = language()
    return _pattern(lang, name).apply(value, _locale(lang))


def weekday(value: date) -> str:
    return _(WEEKDAYS[value.weekday()])


def decimal(value: float | int | Decimal, digits: int | None = None) -> str:
    """A number with the language's grouping ('12,345', '1,234.5')."""
    from babel.numbers import format_decimal

    fmt = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=fmt, locale=_locale(language()))


HOME = "zh_CN"  # the site's country: its currency is written with its own sign (¥, not CN¥)


@functools.cache
def _money_format(lang: str, currency: str) -> tuple[Any, Any, str, str]:
    from babel.numbers import get_currency_symbol, parse_pattern

    locale = _locale(lang)
    pattern = parse_pattern(locale.currency_formats["standard"])
    ours, home = get_currency_symbol(currency, locale), get_currency_symbol(currency, HOME)
    return pattern, locale, ours, home


def money(amount: Any, currency: str = "CNY") -> str:
    """An amount of money in the language's pattern, with the home sign ('¥1,234.50')."""
    pattern, locale, ours, home = _money_format(language(), currency)
    text = pattern.apply(Decimal(str(amount)), locale, currency=currency, currency_digits=True)
    return text.replace(ours, home, 1) if ours != home else text


@functools.cache
def _units(lang: str) -> tuple[str, str, str]:
    from deskui.i18n import catalogue

    found = catalogue(lang)
    return (
        found.pgettext("unit of time", "d"),
        found.pgettext("unit of time", "h"),
        found.pgettext("unit of time", "m"),
    )


def countdown(td: timedelta, day: timedelta | None = None) -> str:
    """The SLA countdown ('1h 12m', '2d 03h') with the language's unit letters."""
    from deskui.domain.sla import format_countdown

    units = _units(language())
    return format_countdown(td, day, units, " " if all(u.isascii() for u in units) else "")


def minutes(count: int) -> str:
    """'+120 min' style lengths: '120 min' / '120 分钟'."""
    return ngettext("{n} min", "{n} min", count).format(n=count)


def listing(items: Sequence[str]) -> str:
    """Names as the reader's language lists them: "A, B, and C" / "A、B和C"."""
    from babel.lists import format_list

    return format_list(list(items), style="standard", locale=_locale(language())) if items else ""
