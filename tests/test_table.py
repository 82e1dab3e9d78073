"""The table layout (postcost.table): widths, wrapping, leaving optional columns out, and never
losing a character or a figure, whatever the screen's width."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from postcost.cli import app
from postcost.table import NARROWEST, Column, Table, draw, fit, print_note, table_width

from conftest import EXAMPLES, JULY_2021

BAND_B = EXAMPLES / "band-b-social-worker-2022-2026.yaml"


def drawn(table: Table, width: int) -> tuple[str, object]:
    out = io.StringIO()
    result = draw(Console(file=out, width=width, color_system=None), table)
    return out.getvalue(), result


def total_at(width: int, path=JULY_2021) -> str:
    result = CliRunner().invoke(app, ["total", str(path)], env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_column_that_does_not_wrap_is_as_wide_as_its_widest_cell_and_wrapping_takes_the_rest():
    table = Table([Column("#", justify="right"), Column("Line", wrap=True), Column("Cost", justify="right")])
    table.add_row("1.10", "Community Care Officer", "126,230")
    kept, widths = fit(table, 30)
    # 30 columns less the edges and padding (3 a column + 1) leave 20: '#' takes 4 and 'Cost' 7,
    # so 'Line' has 9, and 'Community' (9 letters) still fits whole
    assert (kept, widths) == ([0, 1, 2], [4, 9, 7])
    text, _ = drawn(table, 30)
    assert text.splitlines()[3:6] == ["  1.10   Community   126,230", "         Care", "         Officer"]


def test_a_short_cell_is_broken_only_where_a_word_would_otherwise_be_folded():
    table = Table([Column("Where", wrap=True), Column("Figure", wrap=True), Column("Diff", justify="right")])
    table.add_row("line 102", "2.2 Service Improvement Officer: cost", "+1")
    # 33 columns less 10 of edges and padding, 8 for 'line 102' and 4 for 'Diff' leave 11 for
    # the figure: 'Improvement', its longest word, just fits, and 'line 102' stays whole
    text, _ = drawn(table, 33)
    assert text.splitlines()[3:7] == [
        "  line 102   2.2 Service     +1", "             Improvement", "             Officer:", "             cost",
    ]
    # one column fewer: 'line 102' breaks between its words rather than 'Improvement' being folded
    text, _ = drawn(table, 32)
    assert text.splitlines()[3:5] == ["  line      2.2 Service     +1", "  102       Improvement"]


def test_a_word_is_not_cut_to_an_ellipsis():
    # rich's table printed 'Training/Mentor…' for 'Specialist Resource – Training/Mentoring' at 80
    # columns: the title lost its last letters
    out = total_at(80)
    assert "Training/Mentoring" in out
    assert "…" not in out


def test_financial_years_are_left_out_together_where_they_do_not_fit_and_the_cost_always_shows():
    # The four-year Band B example: at 100 columns rich's table dropped its Cost column, and the
    # grand total with it. The years are derived by hand in the example's header:
    # £46,327.93 + £48,768.72 + £50,529.57 + £53,162.30 = £198,788.52, shown as £198,789, and
    # 2022/23 shown as 46,328
    narrow = total_at(100, BAND_B)
    assert "£198,789" in narrow and "Cost £" in narrow
    assert "2023/24" not in narrow.split("Financial years")[0]
    assert "Financial years (2022/23, 2023/24, 2024/25, 2025/26) are left out to fit 100 columns" in narrow
    width = int(narrow.split("(COLUMNS=")[1].split(")")[0])
    wide = total_at(width, BAND_B)
    assert "Financial years" not in wide
    assert "46,328" in wide and "£198,789" in wide
    assert max(len(line) for line in wide.split("\n\nPay scale")[0].splitlines()) <= width


def test_on_a_very_narrow_screen_every_figure_still_shows_in_full():
    out = total_at(30)
    for cost in ("31,043", "1,070,237", "£3,342,243"):  # ASCPH Committee, 26 July 2021, para 61
        assert cost in out


def test_lines_carry_no_trailing_spaces():
    table_part = total_at(80).split("\n\nPay scale")[0]
    assert all(line == line.rstrip() for line in table_part.splitlines())


def test_a_note_wraps_between_words_under_its_bullet_and_keeps_a_long_word_whole():
    out = io.StringIO()
    console = Console(file=out, width=30, color_system=None)
    print_note(console, "  - on-cost rule from 01 Apr 2023: see https://example.org/a/very/long/address/page")
    print_note(console, "[2] no salary for point F-bottom in pay year 2025/26")
    assert out.getvalue().splitlines() == [
        "  - on-cost rule from 01 Apr",
        "    2023: see",
        "    https://example.org/a/very/long/address/page",  # wider than 30: left whole, to copy
        "[2] no salary for point",
        "    F-bottom in pay year",
        "    2025/26",
    ]


def test_a_row_style_colours_the_row_and_styled_cells_keep_their_style():
    table = Table([Column("Where"), Column("Status", wrap=True)])
    table.add_row("line 4", "DIFFERS", style="bold red")
    table.add_row("line 5", "agrees")
    out = io.StringIO()
    draw(Console(file=out, width=40, force_terminal=True, color_system="standard"), table)
    lines = out.getvalue().splitlines()
    assert lines[3] == " \x1b[1;31m line 4   DIFFERS\x1b[0m"
    assert lines[4] == "  line 5   agrees"


def test_a_tab_in_a_cell_prints_as_a_space():
    # a tab would move the rest of the line to the screen's next tab stop, out of its column
    table = Table([Column("Line", wrap=True), Column("Cost", justify="right")])
    table.add_row("Fee\twith a tab", "100")
    table.add_row(Text("Theme\tname", style="bold"), "200")
    text, _ = drawn(table, 40)
    assert text.splitlines()[3:5] == ["  Fee with a tab    100", "  Theme name        200"]


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz£,.–", min_size=1, max_size=14)
cells = st.lists(words, max_size=5).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    wraps=st.lists(st.booleans(), min_size=1, max_size=6),
    optional=st.lists(st.booleans(), min_size=6, max_size=6),
    rows=st.lists(st.lists(cells, min_size=6, max_size=6), max_size=6),
    width=st.integers(min_value=10, max_value=140),
)
def test_every_character_of_every_shown_column_is_printed_and_the_table_fits_where_it_can(wraps, optional, rows, width):
    columns = [Column(f"C{i}", wrap=w, optional=o) for i, (w, o) in enumerate(zip(wraps, optional))]
    table = Table(columns)
    for row in rows:
        table.add_row(*row[: len(columns)])
    text, result = drawn(table, width)
    kept, widths = fit(table, width)
    assert [c.header for i, c in enumerate(columns) if i not in kept] == result.left_out
    assert all(not columns[i].optional for i in kept) or not result.left_out
    body = text.splitlines()[1:]  # after the blank top edge: header, rule, rows
    expected = "".join(columns[i].header + "".join(row[i] for row in rows) for i in kept)
    printed = "".join(line for n, line in enumerate(body) if n != 1)  # all but the rule
    assert sorted(printed.replace(" ", "")) == sorted(expected.replace(" ", ""))
    # it fits whenever it can: when the columns that must show, those that cannot wrap at their
    # widest cell and the others at NARROWEST (or narrower, if all their cells are), fit the width
    def widest(i: int) -> int:
        return max(len(text) for text in [columns[i].header, *(row[i] for row in rows)])

    must = [i for i, c in enumerate(columns) if not c.optional] or list(range(len(columns)))  # all optional: all kept
    if table_width(min(widest(i), NARROWEST) if columns[i].wrap else widest(i) for i in must) <= width:
        assert table_width(widths) <= width
        assert max(map(len, body)) <= width
