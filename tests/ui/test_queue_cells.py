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
