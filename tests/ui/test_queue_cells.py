"""Queue cells are cut to terminal cells, not characters: CJK counts two."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from deskui.ui.queue.queue import fit


@pytest.mark.parametrize(
    ("value", "cells", "shown"),
    [
        ("Washer", 8, "Washer  "),
        ("Washer leaks", 8, "Washer …"),
        ("门锁指纹识别失败", 8, "门锁指 …"),  # a wide character never straddles the cut
        ("门锁指纹识别失败", 9, "门锁指纹…"),
        ("门锁", 4, "门锁"),
        ("[bold]x[/]", 12, "[bold]x[/]  "),  # text, never markup
    ],
)
def test_fit_cuts_and_pads_to_exact_cells(value: str, cells: int, shown: str) -> None:
    assert fit(value, cells) == shown
    assert cell_len(fit(value, cells)) == cells


def test_fit_without_ellipsis_crops() -> None:
    assert fit("abcdef", 4, ellipsis=False) == "abcd"
    assert fit("门锁指纹", 5, ellipsis=False) == "门锁 "


def test_columns_are_as_wide_as_the_language_needs() -> None:
    """Chinese labels are short and its countdown units wide: the SLA column holds a
    two-digit-day countdown with its working mark, the enum columns shrink to their labels
    (the subject gets the room), and English keeps its widths."""
    from deskui.domain.enums import Category, Priority, Status
    from deskui.i18n import label, set_language
    from deskui.ui.queue.queue import layout_columns

    try:
        set_language("zh_CN")
        zh = {column.key: cells for column, cells in layout_columns(117)}
        assert zh["sla"] >= cell_len("✖ -77天03时 工")
        for key, values in (("category", Category), ("status", Status)):
            assert zh[key] == max(cell_len(label(v)) for v in values)  # every label whole
        assert zh["priority"] == cell_len("优先级") > max(cell_len(label(p)) for p in Priority)
        set_language("en")
        en = {column.key: cells for column, cells in layout_columns(117)}
        assert (en["sla"], en["priority"], en["category"], en["status"]) == (13, 9, 9, 11)
        assert zh["subject"] > en["subject"]
    finally:
        set_language("en")
