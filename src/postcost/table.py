"""Text tables for people: postcost's own column layout, drawn with rich Text and styles.

Why not rich's Table: it drops the columns that do not fit (a four-year table at 100 columns lost
its Cost column and the grand total with it), it cuts a word longer than its column to an
ellipsis ('Training/Mentor…'), and it lays out a few hundred lines a second, which was most of
the time `postcost total` took on a committee report. The rules here are short enough to state:

- a column that does not wrap (positions, FTE, periods, money) is as wide as its widest cell;
- a column that wraps (titles, grades) takes the room left, breaking between words; it is never
  narrower than its minimum width, its longest word, or NARROWEST characters (so that a cell as
  short as 'line 102' is not broken) unless all its cells are narrower;
- if the table is still wider than the screen, a short cell may break between its words;
- if it is still too wide, the optional columns (a table's financial-year split, say) are left
  out together, and :func:`draw` says so for a footnote;
- if it is still too wide, words longer than their column are folded onto the next line (down
  to NARROWEST characters), and beyond that the table runs past the screen rather than lose a
  figure.

The look is rich's SIMPLE_HEAD box: bold headers over a rule, one space of padding either side
of each cell, a blank line between sections; trailing spaces are trimmed. Notes under a table
(:func:`print_note`) wrap between words, a bullet's later lines under its text.

Every cell, title line and note is made :func:`postcost.text.printable` before it is measured or
drawn: a proposal's words can hold no control character or bidirectional control that reaches
the terminal, and a line break in them is a space (a Text keeps its styles, which rich draws).
A column's cells are made printable and laid out once for each distinct text (a long table
repeats its cells: an establishment's grades, FTEs, periods and costs).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal, NamedTuple

from rich.cells import cell_len as _rich_cell_len
from rich.console import Console
from rich.segment import Segment
from rich.text import Span, Text

from postcost.text import printable

NARROWEST = 8  # a wrapping column is never squeezed below this (or its widest cell, if narrower)

Justify = Literal["left", "right"]
Cell = str | Text  # plain text, or text with styles
_Piece = tuple[str, list[Span]]  # a line of a cell: its characters, and its styles' spans


@dataclass(frozen=True)
class Column:
    header: str
    justify: Justify = "left"
    wrap: bool = False  # break between words to fit; otherwise as wide as the widest cell
    min_width: int = 0
    max_width: int | None = None  # a wrapping column's widest, however long its cells
    optional: bool = False  # left out (with every other optional column) when the table does not fit


class Row(NamedTuple):
    cells: tuple[Cell, ...]
    style: str | None = None  # applied to the whole row, as 'bold red' for a failed check
    end_section: bool = False  # a blank line follows


@dataclass
class Table:
    columns: Sequence[Column]
    title: tuple[Cell, ...] = ()  # its lines, each wrapped to the table's width
    rows: list[Row] = field(default_factory=list)

    def add_row(self, *cells: Cell, style: str | None = None, end_section: bool = False) -> None:
        """One row; missing cells at the end are blank. Each cell is shown made printable (a tab
        or a line break in it is a space)."""
        self.rows.append(Row((*cells, *("",) * (len(self.columns) - len(cells))), style, end_section))

    def column_cells(self) -> list[tuple[Cell, ...]]:
        """Each column's cells, top to bottom."""
        return list(zip(*(row.cells for row in self.rows))) or [() for _ in self.columns]


@dataclass(frozen=True)
class Drawn:
    left_out: list[str]  # headers of the optional columns left out to fit
    full_width: int  # the width that would show every column


def draw(console: Console, table: Table) -> Drawn:
    """Print ``table`` fitted to ``console.width``; say which optional columns it left out."""
    cells = table.column_cells()
    measures = _measure(table, cells)
    kept, widths = fit(table, console.width, measures)
    sheet = render(console, table, kept, widths, cells)
    if console.color_system is None:  # no styles to show (a file, a pipe, NO_COLOR): the text as it is
        console.file.write(sheet.plain() + "\n")
    else:
        console.print(_AsLaidOut(sheet.text()), crop=False)
    left_out = [c.header for i, c in enumerate(table.columns) if i not in kept]
    if left_out:
        return Drawn(left_out, table_width(_fit(table, range(len(table.columns)), 0, measures, WHOLE_CELLS)))
    return Drawn(left_out, table_width(widths))


def table_width(widths: Iterable[int]) -> int:
    """A table's width from its columns': an edge and a space of padding either side of every
    column, and one space between columns."""
    widths = list(widths)
    return sum(widths) + 3 * len(widths) + 1


# How narrow a wrapping column may get, tried in this order: short cells and words whole, then
# words whole, then (the optional columns left out, and both again) words folded.
WHOLE_CELLS, WHOLE_WORDS, FOLDED = "whole cells", "whole words", "folded"


def fit(table: Table, width: int, measures: list[tuple[int, int]] | None = None) -> tuple[list[int], list[int]]:
    """The columns to show (indexes) and their widths, by the rules in the module docstring."""
    measures = measures or _measure(table, table.column_cells())
    every = list(range(len(table.columns)))
    required = [i for i in every if not table.columns[i].optional]
    attempts = [(every, WHOLE_CELLS), (every, WHOLE_WORDS)]
    if required and required != every:
        attempts += [(required, WHOLE_CELLS), (required, WHOLE_WORDS)]
    attempts.append((attempts[-1][0], FOLDED))
    for kept, floor in attempts:
        widths = _fit(table, kept, width, measures, floor)
        if table_width(widths) <= width:
            break
    return kept, widths


def _measure(table: Table, column_cells: list[tuple[Cell, ...]]) -> list[tuple[int, int]]:
    """Each column's widest line and longest word, over its header and cells (made printable),
    given the table's :meth:`~Table.column_cells`."""
    found = []
    for column, cells in zip(table.columns, column_cells):
        texts = {column.header, *(cell if isinstance(cell, str) else _printable(cell).plain for cell in cells)}  # a long list repeats itself
        every = "\n".join(map(printable, texts))  # its lines are the texts' lines, its words their words
        width = len if every.isascii() else _rich_cell_len  # as cell_len measures each
        widest = max(map(width, every.split("\n")))
        found.append((widest, max(map(width, every.split()), default=0) if column.wrap else widest))
    return found


def _fit(table: Table, kept: Iterable[int], width: int, measures: list[tuple[int, int]], floor: str) -> list[int]:
    widths, floors = [], []
    for i in kept:
        column = table.columns[i]
        natural, longest_word = measures[i]
        if column.wrap and column.max_width is not None:
            natural = min(natural, column.max_width)
        widths.append(max(natural, column.min_width))
        if not column.wrap:
            floors.append(widths[-1])
        else:
            narrowest = {
                WHOLE_CELLS: max(longest_word, NARROWEST),
                WHOLE_WORDS: longest_word,
                FOLDED: NARROWEST,
            }[floor]
            floors.append(min(widths[-1], max(column.min_width, narrowest)))
    excess = table_width(widths) - width
    while excess > 0:  # take a cell of width from the widest wrapping column that can spare one
        spare = [j for j, w in enumerate(widths) if w > floors[j]]
        if not spare:
            break
        j = max(spare, key=lambda j: widths[j])
        widths[j] -= 1
        excess -= 1
    return widths


def render(console: Console, table: Table, kept: list[int], widths: list[int],
           cells: list[tuple[Cell, ...]]) -> "_Sheet":
    """The table's lines: title, header, rule, rows; each line trimmed of trailing spaces.
    ``cells`` are the table's :meth:`~Table.column_cells`."""
    columns = [table.columns[i] for i in kept]
    total = table_width(widths)
    sheet = _Sheet()
    for title in map(_printable, table.title):
        for line in (title if isinstance(title, Text) else Text(title)).wrap(console, total):
            sheet.add(*_piece(line))
    sheet.add("", [])  # the box's blank top edge, as rich draws it
    header = [_cell_lines(console, Text(c.header, style="bold"), c, width) for c, width in zip(columns, widths)]
    _add_row(sheet, header, widths, None)
    sheet.add(" " + "─" * (total - 2), [])
    laid_out, several = [], set()  # each column's blocks; the rows with a block of several lines or styles
    for i, width in zip(kept, widths):
        blocks, not_plain = _lay_out(console, cells[i], table.columns[i], width)
        laid_out.append(blocks)
        several |= not_plain
    for k, (row, blocks) in enumerate(zip(table.rows, zip(*laid_out))):
        if row.style is None and k not in several:  # one plain line, as _add_row lays it out: most rows
            sheet.add(("  " + "   ".join(blocks)).rstrip())
        else:
            _add_row(sheet, blocks, widths, row.style)
        if row.end_section:
            sheet.add("", [])
    sheet.add("", [])
    return sheet


class _AsLaidOut:
    """A text printed line for line as it is, with its styles: never wrapped or cropped again (a
    Text printed itself would be split into lines and joined again, most of the printing time)."""

    def __init__(self, text: Text):
        self.text = text

    def __rich_console__(self, console: Console, options: object) -> Iterable[Segment]:
        return self.text.render(console, end="\n")


class _Sheet:
    """Lines of text and their styles' spans, gathered into one Text (which rich prints far
    quicker than a Text a line)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.styled: list[tuple[int, list[Span]]] = []  # (a line's index, its spans) for the lines with styles

    def add(self, line: str, spans: Sequence[Span] = ()) -> None:
        if spans:
            self.styled.append((len(self.parts), list(spans)))
        self.parts.append(line)

    def text(self) -> Text:
        starts = [0, *accumulate(len(line) + 1 for line in self.parts)]  # where each line begins in the Text
        spans = []
        for n, line_spans in self.styled:
            at, end = starts[n], len(self.parts[n])
            for span in line_spans:
                if span.start < min(span.end, end):
                    spans.append(Span(at + span.start, at + min(span.end, end), span.style))
        return Text("\n".join(self.parts), spans=spans)

    def plain(self) -> str:
        return "\n".join(self.parts)


_Block = str | list[_Piece]  # a cell's lines: one plain line (padded to its column), or its pieces


def _lay_out(console: Console, cells: Sequence[Cell], column: Column, width: int) -> tuple[list[_Block], set[int]]:
    """A column's cells, each made printable and padded or wrapped to the column's width
    (:func:`_cell_lines`), and the indexes of those that are not one plain line. A plain cell is
    laid out once for all the cells of the column with its text (a long table repeats its
    cells); most are ASCII text that fits, and are padded here."""
    pad = str.rjust if column.justify == "right" else str.ljust
    done: dict[str, _Block] = {}
    blocks: list[_Block] = []
    all_plain = True  # every block one plain line (most columns)
    for cell in cells:
        if isinstance(cell, str):
            block = done.get(cell)
            if block is None:
                text = printable(cell)
                if text.isascii() and len(text) <= width:  # one column a character: it fits
                    block = done[cell] = pad(text, width)
                else:
                    block = done[cell] = _block(_cell_lines(console, text, column, width))
                    all_plain = all_plain and isinstance(block, str)
        else:
            block = _block(_cell_lines(console, _printable(cell), column, width))
            all_plain = all_plain and isinstance(block, str)
        blocks.append(block)
    if all_plain:
        return blocks, set()
    return blocks, {k for k, block in enumerate(blocks) if not isinstance(block, str)}


def _block(lines: list[_Piece]) -> _Block:
    return lines[0][0] if len(lines) == 1 and not lines[0][1] else lines


def _add_row(sheet: _Sheet, blocks: Sequence[_Block], widths: list[int], style: str | None) -> None:
    """One row's lines onto ``sheet``, from its cells laid out to their columns' widths."""
    if all(isinstance(block, str) for block in blocks):  # one line, no styles: most rows
        line = ("  " + "   ".join(blocks)).rstrip()  # as the loop below lays it out
        sheet.add(line, [Span(1, len(line), style)] if style else [])
        return
    pieces = [[(block, [])] if isinstance(block, str) else block for block in blocks]
    for k in range(max(map(len, pieces))):
        parts, spans, at = [" "], [], 1
        for j, (block, width) in enumerate(zip(pieces, widths)):
            gap = " " if j == 0 else "   "  # padding, or padding, the box's (blank) divider, padding
            at += len(gap)
            plain, piece_spans = block[k] if k < len(block) else (" " * width, [])
            spans += [Span(at + span.start, at + span.end, span.style) for span in piece_spans]
            parts += (gap, plain)
            at += len(plain)
        line = "".join(parts).rstrip()
        if style:
            spans.insert(0, Span(1, len(line), style))
        sheet.add(line, spans)


def _cell_lines(console: Console, cell: Cell, column: Column, width: int) -> list[_Piece]:
    plain, spans = _piece(cell)
    if "\n" not in plain:
        gap = width - cell_len(plain)
        if gap >= 0:  # fits: pad it, the common case, without wrapping
            if column.justify == "right":
                return [(" " * gap + plain, [Span(s.start + gap, s.end + gap, s.style) for s in spans])]
            return [(plain + " " * gap, spans)]
    text = cell if isinstance(cell, Text) else Text(cell)
    return [_piece(line) for line in text.wrap(console, width, justify=column.justify, overflow="fold")]


def _piece(cell: Cell) -> _Piece:
    if isinstance(cell, str):
        return cell, []
    spans = list(cell.spans)
    if cell.style:
        spans.insert(0, Span(0, len(cell.plain), cell.style))
    return cell.plain, spans


def _printable(cell: Cell) -> Cell:
    """``cell`` made :func:`printable`; a Text keeps its styles on the characters that remain."""
    if isinstance(cell, str):
        return printable(cell)
    if printable(cell.plain) == cell.plain:
        return cell
    safe = cell.blank_copy()
    # pieces cut at every span's ends: each piece is wholly inside or outside each span
    for piece in cell.divide(sorted({edge for span in cell.spans for edge in (span.start, span.end)})):
        plain = printable(piece.plain)
        safe.append_text(Text(plain, spans=[Span(0, len(plain), span.style) for span in piece.spans]))
    return safe


def cell_len(text: str) -> int:
    """The columns ``text`` takes on a terminal: one a character for printable ASCII (every cell
    is :func:`printable` by now), else as rich measures wide and combining characters."""
    return len(text) if text.isascii() else _rich_cell_len(text)


_HANGING = re.compile(r" *(?:- |\[\d+\] )?")  # a note's lead: its indent, and a bullet or a number


def print_note(console: Console, text: str, style: str | None = None) -> None:
    """A note under a table, wrapped between words to the console's width. The lines after the
    first of a bullet ('  - ') or a numbered note ('[1] ') start under its text; no line ends in
    spaces (rich's own wrapping leaves them). A word wider than the screen, such as a source's
    URL, is left whole, to be copied. ``text`` is made printable first."""
    text = printable(text)
    indent = " " * _HANGING.match(text).end()  # type: ignore[union-attr]  # the pattern matches ''
    lines = textwrap.wrap(text, console.width, subsequent_indent=indent, break_long_words=False,
                          break_on_hyphens=False) or [""]
    for line in lines:
        console.print(Text(line, style=style or ""), soft_wrap=True)
