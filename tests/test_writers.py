"""The writers' shortcuts for the common cell give what the general rule gives, for every cell."""

from __future__ import annotations

import itertools

from postcost.report import FORMULA_LEADS, _csv_cell, _text_cell, as_sheet_text


def test_a_text_cell_in_csv_is_as_sheet_text_then_quoted_if_need_be():
    # every string of up to three characters from the ones either rule looks at, and a few others
    alphabet = [*FORMULA_LEADS, ",", '"', "\n", "a", " ", "'", "é", "|"]
    for n in range(4):
        for chars in itertools.product(alphabet, repeat=n):
            cell = "".join(chars)
            assert _text_cell(cell) == _csv_cell(as_sheet_text(cell)), repr(cell)
    assert _text_cell("=1+1") == "'=1+1"
    assert _text_cell('-say "hi", then') == '"\'-say ""hi"", then"'
    assert _text_cell("Post 1") == "Post 1"
