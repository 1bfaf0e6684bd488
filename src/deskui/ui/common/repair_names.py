"""Repair words the desk shows in more than one place (the repairs section, its dialogs, the
ticket's timeline): visit kinds, fee kinds, replacement conditions, amounts of money."""

from __future__ import annotations

from typing import Any

from deskui.i18n import _, formats


def value_of(member: Any) -> str:
    return str(getattr(member, "value", member) or "")


def kind_name(kind: Any) -> str:
    names = {"on_site": _("On-site"), "send_back": _("Send-in")}
    return names.get(value_of(kind), value_of(kind).replace("_", " "))


def fee_kind_name(kind: Any) -> str:
    names = {
        "labour": _("Labour"),
        "materials": _("Materials"),
        "transport": _("Transport"),
        "other": _("Other"),
    }
    return names.get(value_of(kind), value_of(kind).replace("_", " "))


def condition_name(condition: Any) -> str:
    """Which §7 condition allowed a replacement."""
    names = {
        "quality_defect": _("quality defect"),
        "loss_of_function": _("a repair caused loss of function"),
        "repeat_fault": _("the same fault again after an in-warranty repair"),
    }
    return names.get(value_of(condition), value_of(condition).replace("_", " "))


def money(amount: Any) -> str:
    """Yuan in the language's way (Babel); what is no number is shown as it is."""
    try:
        return formats.money(amount)
    except Exception:
        return str(amount)
