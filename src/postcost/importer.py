"""``postcost import``: a report's own costing table, as printed, to a draft proposal.

Three steps, each a function of its own:

1. :func:`read_tables` reads every table of a file into rows of cell texts, each row with
   where it was found (a text file's line, a sheet's row, a Word table's row, a PDF page's
   row): pasted text (tab-separated, or aligned with runs of spaces), ``.csv``/``.tsv``,
   ``.xlsx`` (each sheet's used range), ``.docx`` (every table; each real cell once, at its
   grid column, so a merged cell is not repeated) and text-based ``.pdf`` (pdfplumber; no OCR).
2. :func:`read_costing` recognises a table's columns (from its header row), each row's role
   (heading, line, sub-total, total) and its printed figures, grades and periods.
3. :func:`draft_yaml` writes the draft proposal as YAML text, in the format of "Tables as
   printed" (README), every printed figure in ``stated``, ``stated_subtotal`` or
   ``stated_total`` and each line's row and cells as a comment above it.

A line becomes a post (costed) only when a pay scale is given, the line's grade is one of the
scale's, and the proposal's period is known (given, or found in the table); every other line is
a ``kind: figure`` (its grade kept as text), so that every draft loads and can be checked.
Nothing is guessed silently: what could not be read is listed, with its raw text, in
:attr:`Costing.unread`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from postcost.errors import PostcostError, Problem, excerpt
from postcost.yamlfile import MAX_FILE_BYTES, FileKind, read_bytes

TABLE_FILE = FileKind("file", ".docx, .xlsx, .pdf, .csv or .txt", "a table to import")
SUFFIXES = (".txt", ".csv", ".tsv", ".xlsx", ".docx", ".pdf")


# --- 1. reading tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    where: str  # 'line 12', 'row 5', 'page 2 row 3'
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    where: str  # 'table 1', 'sheet Costs', 'page 2'
    rows: tuple[Row, ...]


def read_tables(path: str) -> list[RawTable]:
    """Every table in the file ``path`` ('-': pasted text on standard input), in document order.
    Raises PostcostError for a file postcost cannot read (one problem, naming the file)."""
    if path == "-":
        raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise _fail("-", f"is more than {MAX_FILE_BYTES:,} bytes; postcost reads at most that")
        return _text_tables(_decoded(raw, "standard input"))
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        hint = "save it as .docx" if suffix in (".doc", ".rtf", ".odt") else "save it as .xlsx" if suffix in (".xls", ".ods") else None
        raise _fail(path, f"postcost cannot import {suffix or 'a file without a suffix'}: it reads {', '.join(SUFFIXES)}",
                    hint or "copy the table and paste it into a .txt file, or save the document as .docx or .pdf")
    raw = read_bytes(path, TABLE_FILE)
    if suffix == ".txt":
        return _text_tables(_decoded(raw, path))
    if suffix in (".csv", ".tsv"):
        return [_csv_table(_decoded(raw, path), tab=suffix == ".tsv")]
    if suffix == ".xlsx":
        return _xlsx_tables(raw, path)
    if suffix == ".docx":
        return _docx_tables(raw, path)
    return _pdf_tables(raw, path)


def _fail(path: str, message: str, hint: str | None = None) -> PostcostError:
    return PostcostError([Problem(path, None, message, hint)])


def _decoded(raw: bytes, name: str) -> str:
    from postcost.csvposts import _decoded as decoded  # UTF-8, UTF-16 with a BOM, or Windows-1252, as Excel saves text

    return decoded(raw, name)[0]


def clean(text: object) -> str:
    """A cell's text as one line: runs of white space (line breaks within a cell, tabs,
    non-breaking spaces) as one space, control and format characters left out."""
    text = "" if text is None else str(text)
    text = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


_SPACES = re.compile(r"\S+(?: \S+)*")  # a cell of aligned text: words separated by single spaces


def _text_tables(text: str) -> list[RawTable]:
    """Tables in pasted text. With a tab in any line, a line with a tab is a row and its cells are
    split at each tab (as Word, Excel and PDF viewers copy a table); otherwise a line with two or
    more cells separated by runs of two or more spaces is a row, its cells placed in the columns
    of the table's fullest row. Within a table, a short line with no cells (a heading) is a row;
    a line of prose ends the table; blank lines are passed over."""
    lines = text.splitlines()
    tabbed = any("\t" in line for line in lines)
    tables: list[list[tuple[int, list[tuple[int, str]]]]] = []
    current: list[tuple[int, list[tuple[int, str]]]] = []
    pending: list[tuple[int, list[tuple[int, str]]]] = []  # single-cell lines, kept if a row follows
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if tabbed:
            cells, offset = [], 0
            for part in line.split("\t"):
                cells.append((offset, part))
                offset += len(part) + 1
            is_row = len(cells) > 1
        else:
            cells = [(m.start(), m.group()) for m in _SPACES.finditer(line)]
            is_row = len(cells) > 1
        if is_row:
            if current:
                current += pending
            current.append((number, cells))
            pending = []
        elif current and len(line.strip()) <= 100 and not line.strip().endswith("."):
            pending.append((number, [(0, line)]))
        else:  # prose: the end of any table
            if current:
                tables.append(current)
            current, pending = [], []
    if current:
        tables.append(current)
    return [
        RawTable(f"table {n}", tuple(Row(f"line {number}", cells) for number, cells in _aligned(rows, tabbed)))
        for n, rows in enumerate(tables, 1)
    ]


def _aligned(rows: list[tuple[int, list[tuple[int, str]]]], tabbed: bool) -> list[tuple[int, tuple[str, ...]]]:
    """Rows of text as cell texts. Tab-separated cells are in order already. Space-aligned cells
    go to the column (of the fullest row's) they overlap most, so that a row leaving cells blank
    keeps the others in their columns."""
    if tabbed:
        return [(number, tuple(clean(text) for _, text in cells)) for number, cells in rows]
    widest = max(rows, key=lambda row: len(row[1]))[1]
    starts = [start for start, _ in widest]
    placed = []
    for number, cells in rows:
        out = [""] * len(starts)
        for start, text in cells:
            end = start + len(text)
            overlaps = [
                min(end, starts[j + 1] if j + 1 < len(starts) else end) - max(start, starts[j]) for j in range(len(starts))
            ]
            best = max(range(len(starts)), key=lambda j: (overlaps[j], -j))
            if overlaps[best] <= 0:  # between columns: the nearest one to its left
                best = max([j for j in range(len(starts)) if starts[j] <= start] or [0])
            out[best] = f"{out[best]} {clean(text)}".strip()
        placed.append((number, tuple(out)))
    return placed


def _csv_table(text: str, tab: bool) -> RawTable:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if tab or ("\t" in first and "," not in first) else ";" if (";" in first and "," not in first) else ","
    rows = [
        Row(f"line {n}", tuple(clean(cell) for cell in cells))
        for n, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1) if any(c.strip() for c in cells)
    ]
    return RawTable("table 1", tuple(rows))


def _xlsx_tables(raw: bytes, path: str) -> list[RawTable]:
    """Each sheet's used range as a table; a cell's number as its format shows it (a '#,##0' cell
    holding 24954.7 is read as printed, 24,955). A formula with no saved value is read as blank
    and listed by :func:`read_costing` as not read."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), data_only=True, read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _fail(path, "is not an Excel workbook postcost can read",
                    "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)") from None
    tables = []
    for sheet in book.worksheets:
        rows = []
        for n, cells in enumerate(sheet.iter_rows(), 1):
            texts = tuple(_xlsx_text(cell) for cell in cells)
            if any(texts):
                rows.append(Row(f"sheet {sheet.title} row {n}", texts))
        if rows:
            tables.append(RawTable(f"sheet {sheet.title}", tuple(rows)))
    book.close()
    return tables


_FORMAT_DECIMALS = re.compile(r"0\.(0+)")


def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        shown = (cell.number_format or "General").split(";")[0]
        if shown != "General" and "0" in shown:
            places = _FORMAT_DECIMALS.search(shown)
            number = number.quantize(Decimal(1).scaleb(-len(places[1])) if places else Decimal(1), rounding=ROUND_HALF_UP)
        text = f"{number:f}"
        if "£" in shown:
            text = "£" + text
        return text
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return clean(value)


def _docx_tables(raw: bytes, path: str) -> list[RawTable]:
    """Every table of a Word document, top level and nested in cells, in order. Each row is
    walked by its real cells (``w:tc``), each placed at its grid column: python-docx's
    ``row.cells`` repeats a cell merged across columns once per column it spans (and a cell
    merged down once per row), which would read a heading spanning the table as several cells,
    or a figure merged over two rows twice."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table, _Cell

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise _fail(path, "is not a Word document postcost can read",
                    "open it in Word or LibreOffice and save it as a Word document (.docx)") from None

    found: list[Table] = []

    def walk(tables) -> None:
        for table in tables:
            found.append(table)
            for tr in table._tbl.tr_lst:
                for tc in tr.tc_lst:
                    walk(_Cell(tc, table).tables)

    walk(document.tables)
    tables = []
    for n, table in enumerate(found, 1):
        rows = []
        for r, tr in enumerate(table._tbl.tr_lst, 1):
            cells: list[str] = [""] * tr.grid_before
            for tc in tr.tc_lst:
                continued = tc.vMerge == "continue"  # merged down from the cell above: read once, there
                cells.append("" if continued else clean(_own_text(_Cell(tc, table))))
                cells += [""] * (tc.grid_span - 1)
            if any(cells):
                rows.append(Row(f"table {n} row {r}", tuple(cells)))
        if rows:
            tables.append(RawTable(f"table {n}", tuple(rows)))
    return tables


def _own_text(cell) -> str:
    """A Word cell's paragraphs (not those of a table nested in it), one space between them."""
    return " ".join(paragraph.text for paragraph in cell.paragraphs)


def _pdf_tables(raw: bytes, path: str) -> list[RawTable]:
    """Tables of a text-based PDF, by pdfplumber: ruled tables (cell borders) first; a page with
    none is read by its words' alignment. A table that goes on at the top of the next page with
    as many columns is one table, its header row repeated there left out."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
        pages = list(pdf.pages)
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError, PDFSyntaxError) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _fail(path, "is an encrypted (password-protected) PDF; postcost cannot read it",
                        "save a copy without a password, or copy the table and paste it into a .txt file") from None
        raise _fail(path, "is not a PDF postcost can read", "open it and save or print it as a new PDF; or copy the table into a .txt file") from None
    found: list[tuple[int, int, int, list[tuple[str, tuple[str, ...]]]]] = []  # first page, last page, table, rows
    any_text = False
    with pdf:
        for p, page in enumerate(pages, 1):
            if page.chars:
                any_text = True
            ruled = page.extract_tables()
            if not ruled and page.chars:
                ruled = page.extract_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
            for t, table in enumerate(ruled, 1):
                rows = [(f"page {p} row {r}", tuple(clean(c) for c in cells)) for r, cells in enumerate(table, 1)
                        if any(clean(c) for c in cells)]
                if not rows:
                    continue
                if found and t == 1 and found[-1][1] == p - 1 and len(found[-1][3][0][1]) == len(rows[0][1]):
                    first, _, number, previous = found[-1]  # the table goes on from the page before
                    if rows[0][1] == previous[0][1]:  # its header row, repeated on the new page
                        rows = rows[1:]
                    found[-1] = (first, p, number, previous + rows)
                else:
                    found.append((p, p, t, rows))
    if not any_text:
        raise _fail(path, "has no text to read (a scanned image?): postcost reads text-based PDFs and does no OCR",
                    "import the document the PDF was made from (.docx, .xlsx), or type the table into a .txt file")
    return [
        RawTable(f"page {first} table {t}" if first == last else f"pages {first}-{last} table", tuple(Row(w, c) for w, c in rows))
        for first, last, t, rows in found
    ]


# --- 2. recognising the costing --------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """A number as the table prints it: its size (positive), its sign and the raw text."""

    value: Decimal
    negative: bool
    raw: str
    marks: str = ""  # footnote marks read off it ('*', '³')
    words: str = ""  # words printed with it ('per new starter')


class Unreadable(ValueError):
    """A cell that should hold a number but does not read as one."""


_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARK_CHARS = "*†‡§¶" + _SUPERSCRIPT
_PLACEHOLDERS = {"n/a", "na", "-", "–", "—", "nil", "tbc", "tba", "tbd", "n.a.", "none", "£-", "£ -"}
_NUMBER = re.compile(
    r"(?P<open>\()?\s*(?P<sign>[-−–—])?\s*£?\s*(?P<sign2>[-−–—])?\s*"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<close>\))?"
)
_POUNDS_IN_WORDS = re.compile(r"\(?[-−]?£\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?(?![\w.,])")  # not '£1.2m'

_FRACTION = re.compile(r"(\d*)\s?([½¼¾⅛⅜⅝⅞⅕⅖⅗⅘⅒])")


def _strip_marks(text: str) -> tuple[str, str]:
    """``text`` without footnote marks at its ends ('1*', '1**', '³737.88', '737.88³'), and the marks."""
    marks = ""
    while text and text[-1] in _MARK_CHARS:
        marks, text = text[-1] + marks, text[:-1].rstrip()
    while text and text[0] in _MARK_CHARS:
        marks, text = marks + text[0], text[1:].lstrip()
    return text, marks


def read_number(cell: str, *, count: bool = False) -> Printed | None:
    """A printed number, or None for a blank or a placeholder ('n/a', '-'). Money: '£74,863',
    '74,864.11', '(19)' and '−19' (negative), '£1,600 per new starter' (a figure with words);
    a count (``count``) also '4½'. Raises Unreadable for a cell that is neither."""
    text = clean(cell)
    if not text or text.lower() in _PLACEHOLDERS:
        return None
    bare, marks = _strip_marks(text)
    if count:
        fraction = _FRACTION.fullmatch(bare)
        if fraction:
            from postcost.models import count_text

            try:
                return Printed(Decimal(count_text(bare)), False, text, marks)
            except ValueError as exc:  # ⅓ and the like: no exact decimal
                raise Unreadable(f"{bare!r} has no exact decimal") from exc
    match = _NUMBER.fullmatch(bare)
    if match and bool(match["open"]) == bool(match["close"]) and not (match["sign"] and match["sign2"]):
        negative = bool(match["open"] or match["sign"] or match["sign2"])
        return Printed(Decimal(match["digits"].replace(",", "")), negative, text, marks)
    if not count:
        amounts = _POUNDS_IN_WORDS.findall(bare)
        if len(amounts) == 1:
            inner = read_number(amounts[0])
            words = clean(bare.replace(amounts[0], " "))
            if inner is not None:
                return replace(inner, raw=text, marks=marks, words=words)
    if re.fullmatch(r"£?\s?\d+,\d{1,2}", bare):
        raise Unreadable("a decimal comma? commas may only separate thousands")
    raise Unreadable("not a number")


# Column headers, by the role of their column (first match wins, in this order)
_HEADERS = (
    ("fte", re.compile(r"\b(fte|wte|full[\s-]*time[\s-]*equivalents?|whole[\s-]*time[\s-]*equivalents?)\b", re.I)),
    ("posts", re.compile(r"\b(posts|head[\s-]*count|staff\s+numbers?)\b", re.I)),  # 'Post' alone is a title
    ("grade", re.compile(r"\b(grades?|bands?|scp|salary\s+scale|scale)\b", re.I)),
    ("period", re.compile(r"\b(permanent|temporary|period|duration|term|contract|dates?|fixed[\s-]*term)\b", re.I)),
    ("cost", re.compile(r"(\b(costs?|amount|total|budget|value|savings?|spend|£\s*'?000s?|£k)\b|£)", re.I)),
    ("team", re.compile(r"\b(team|service|department|directorate|area|section)\b", re.I)),
    ("title", re.compile(r"\b(title|posts?|roles?|job|position|description|items?|details|name)\b", re.I)),
)
_THOUSANDS = re.compile(r"£\s*'?000s?\b|£\s*k\b|\(\s*£?\s*000s?\s*\)|£\s*thousands?", re.I)
_SUBTOTAL = re.compile(r"^\s*sub[\s-]*totals?\b[\s:]*", re.I)
_TOTAL = re.compile(r"\btotals?\b", re.I)
_FUNDED = re.compile(r"^(?:externally\s+)?funded\b(?:\s+(?:from|by)\s+(?:the\s+)?(?P<who>.+))?$", re.I)

GRADE = re.compile(
    r"\b(Band\s+\d[a-d]?|Band\s+[A-Z]{1,2}\d?|Grade\s+\d{1,2}[A-Z]?|SCP\s*\d{1,2}|PO\s?\d{1,2}|SO\s?\d|Scale\s+\d[A-Z]?)\b"
)
_SCP = re.compile(r"SCP\s*(\d{1,2})", re.I)


@dataclass(frozen=True)
class Columns:
    """Which column holds what (None where the table has no such column)."""

    title: int = 0
    grade: int | None = None
    fte: int | None = None
    posts: int | None = None
    period: int | None = None
    team: int | None = None
    cost: int | None = None
    header: str | None = None  # where the header row is
    names: tuple[str, ...] = ()  # the header's cells
    thousands: bool = False  # the header prints £000


def find_columns(table: RawTable) -> tuple[Columns, int]:
    """The table's columns, from its header row (the first row, of the first ten, naming two or
    more known columns and printing no number), and the index of its first row after it. With no
    header, the first column is the title and the last column holding numbers is the cost."""
    for index, row in enumerate(table.rows[:10]):
        roles: dict[str, int] = {}
        for c, cell in enumerate(row.cells):
            for role, pattern in _HEADERS:
                if cell and pattern.search(cell) and (not _is_number(cell) or _THOUSANDS.search(cell)):
                    if role == "cost" or role not in roles:  # the last cost column: the total, rightmost
                        roles[role] = c
                    break
        if len(roles) >= 2 and "cost" in roles:
            roles.setdefault("title", 0)
            if roles["title"] == roles["cost"]:
                roles["title"] = 0
            above = " ".join(" ".join(r.cells) for r in table.rows[: index + 1])
            return Columns(**roles, header=row.where, names=row.cells, thousands=bool(_THOUSANDS.search(above))), index + 1
    counts = Counter(
        max((c for c, cell in enumerate(row.cells) if _is_number(cell)), default=None) for row in table.rows
    )
    counts.pop(None, None)
    cost = counts.most_common(1)[0][0] if counts else None
    return Columns(cost=cost if cost != 0 else None), 0


def _is_number(cell: str) -> bool:
    try:
        return read_number(cell) is not None
    except Unreadable:
        return False


@dataclass(frozen=True)
class Period:
    """When a line runs, as its row prints it."""

    raw: str
    start: str | None = None  # '2021-09', '2021-09-15'
    end: str | None = None
    months: int | None = None  # '12 months'
    permanent: bool = False


_MONTHS = {
    name: number for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")), 1)
    for name in names
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?{_MONTH}\.?,?\s*'?(\d{{4}}|\d{{2}})\b"
_RANGE = re.compile(rf"{_DATE}\s*(?:-|–|—|to|until|till)\s*{_DATE}", re.I)
_UNTIL = re.compile(rf"\b(?:to|until|till|ending|ends?)\s+{_DATE}", re.I)
_FROM = re.compile(rf"\b(?:from|starting|starts?)\s+{_DATE}", re.I)
_LENGTH = re.compile(r"\b(\d{1,2})\s+months?\b", re.I)


def read_period(cell: str) -> Period | None:
    """A period as printed: 'Temporary (Sept 21 - Mar 22)', 'to 31 March 2022', 'until March
    2022', '12 months', 'Permanent'; None where the text gives none."""
    text = clean(cell)
    if not text:
        return None
    found = _RANGE.search(text)
    if found:
        return Period(text, _month_text(*found.groups()[:3], end=False), _month_text(*found.groups()[3:], end=True))
    until, start = _UNTIL.search(text), _FROM.search(text)
    if until or start:
        return Period(text, _month_text(*start.groups(), end=False) if start else None,
                      _month_text(*until.groups(), end=True) if until else None)
    length = _LENGTH.search(text)
    if length:
        return Period(text, months=int(length[1]))
    if re.search(r"\bpermanent\b", text, re.I):
        return Period(text, permanent=True)
    return None


def _month_text(day: str | None, month: str, year: str, *, end: bool) -> str:
    """'2021-09', or '2021-09-15' where a day is printed other than the month's first (for a
    start) or last (for an end), which are the whole month."""
    import calendar

    y = int(year) + (2000 if len(year) == 2 else 0)
    m = _MONTHS[month.lower().rstrip(".")[:3] if month.lower()[:4] != "sept" else "sept"]
    whole = f"{y}-{m:02d}"
    if day is None:
        return whole
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, m)[1] or d == (calendar.monthrange(y, m)[1] if end else 1):
        return whole
    return f"{whole}-{d:02d}"


@dataclass
class Line:
    """A table row that is a line of the costing."""

    where: str
    cells: tuple[str, ...]
    title: str
    grade: str | None = None
    fte: Printed | None = None
    posts: Printed | None = None
    period: Period | None = None
    team: str | None = None
    cost: Printed | None = None
    funded_by: str | None = None  # 'Transforming Care Partnership', from the cost column's text:
    funded_text: str = ""  # 'Funded from Transforming Care Partnership'
    unit_amount: Printed | None = None  # '£1,600 per new starter' in another column
    notes: list[str] = field(default_factory=list)


@dataclass
class ThemeRows:
    name: str | None
    where: str | None
    lines: list[Line] = field(default_factory=list)
    subtotal: Printed | None = None
    subtotal_where: str | None = None
    subtotal_label: str = ""
    fte: Printed | None = None
    posts: Printed | None = None


@dataclass
class Costing:
    """What :func:`read_costing` recognised in a table."""

    file: str
    table: RawTable
    number: int  # the table's position among the file's tables (1-based)
    of: int  # how many tables the file has
    columns: Columns
    themes: list[ThemeRows]
    total: Printed | None = None
    total_where: str | None = None
    total_label: str = ""
    total_fte: Printed | None = None
    total_posts: Printed | None = None
    unread: list[tuple[str, str, str, str]] = field(default_factory=list)  # where, column, raw text, why
    skipped: list[tuple[str, str]] = field(default_factory=list)  # where, why: rows read but not used

    @property
    def lines(self) -> list[Line]:
        return [line for theme in self.themes for line in theme.lines]

    @property
    def subtotals(self) -> int:
        return sum(1 for theme in self.themes if theme.subtotal is not None)

    @property
    def figures(self) -> int:
        """The printed money figures read: lines', sub-totals' and the total."""
        return sum(1 for line in self.lines if line.cost is not None) + self.subtotals + (self.total is not None)


def choose_table(tables: list[RawTable], file: str, number: int | None) -> tuple[RawTable, int]:
    """Table ``number`` (1-based), or by default the table with the most printed figures."""
    if not tables:
        raise _fail(file, "has no table to import", _NO_TABLE_HINT.get(Path(file).suffix.lower(), _NO_TABLE_HINT[".txt"]))
    if number is not None:
        if not 1 <= number <= len(tables):
            count = "one table" if len(tables) == 1 else f"{len(tables)} tables"
            raise _fail(file, f"has {count}; --table {number} names none of them",
                        "give --table 1" if len(tables) == 1 else f"give --table 1 to {len(tables)}")
        return tables[number - 1], number
    scores = [sum(_is_number(cell) for row in table.rows for cell in row.cells) for table in tables]
    best = max(range(len(tables)), key=lambda n: (scores[n], -n))
    return tables[best], best + 1


_NO_TABLE_HINT = {
    ".txt": "paste the table with its cells separated by tabs (as Word, Excel or a PDF viewer copies it) "
            "or aligned by two or more spaces, a row a line",
    ".csv": "the file has no rows with cells",
    ".tsv": "the file has no rows with cells",
    ".xlsx": "every sheet is empty",
    ".docx": "the document has no Word table (a table laid out with tabs or spaces is not one: copy it into a .txt file)",
    ".pdf": "pdfplumber found no table on any page; copy the table from a PDF viewer into a .txt file",
}


def read_costing(file: str, tables: list[RawTable], number: int | None = None) -> Costing:
    """Recognise the costing in table ``number`` (default: the one with most figures): its header,
    headings (a row printing a title alone, which starts a theme), lines, sub-totals (labelled
    'Sub-total', or a row with no title whose figure sums the lines above) and the total
    ('Total', 'TOTAL COST', the last row labelled total). Raises PostcostError where it holds no
    line with a figure."""
    table, number = choose_table(tables, file, number)
    columns, first = find_columns(table)
    costing = Costing(file, table, number, len(tables), columns, [])
    theme = ThemeRows(None, None)
    rows = list(table.rows[first:])
    totals = [i for i, row in enumerate(rows) if _label(row, columns) and _TOTAL.search(_label(row, columns))
              and not _SUBTOTAL.match(_label(row, columns))]

    def close(theme: ThemeRows) -> ThemeRows:
        if theme.lines:
            costing.themes.append(theme)
        elif theme.subtotal is not None:
            costing.skipped.append((theme.subtotal_where, f"a sub-total ({theme.subtotal.raw}) with no lines above it"))
        elif theme.name is not None:
            costing.skipped.append((theme.where, f"a heading ({excerpt(theme.name)}) with no lines under it"))
        return ThemeRows(None, None)

    for i, row in enumerate(rows):
        cells = row.cells
        if cells == columns.names:
            costing.skipped.append((row.where, "the header row, repeated"))
            continue
        label = _label(row, columns)
        cost = _cell_number(costing, row, columns.cost, "cost")
        others = [c for n, c in enumerate(cells) if c and n != columns.title]  # printed beside the label
        if _SUBTOTAL.match(label) or (_TOTAL.search(label) and i in totals and i != totals[-1]):
            theme.subtotal, theme.subtotal_where, theme.subtotal_label = cost, row.where, label
            theme.fte = _cell_number(costing, row, columns.fte, "fte", count=True)
            theme.posts = _cell_number(costing, row, columns.posts, "posts", count=True)
            named = clean(_TOTAL.sub("", _SUBTOTAL.sub("", label)).strip(" :-–"))
            if theme.name is None and named and not named.lower().startswith(("cost", "for")):
                theme.name = named
            theme = close(theme)
            continue
        if label and _TOTAL.search(label):
            theme = close(theme)
            costing.total, costing.total_where, costing.total_label = cost, row.where, label
            costing.total_fte = _cell_number(costing, row, columns.fte, "fte", count=True)
            costing.total_posts = _cell_number(costing, row, columns.posts, "posts", count=True)
            continue
        if not (cells[columns.title] if columns.title < len(cells) else ""):
            if cost is not None and len(others) == 1:  # a figure with no label: a sum of the rows above?
                above = sum((_signed(line.cost) for line in theme.lines if line.cost is not None), Decimal(0))
                if theme.lines and _signed(cost) == above:
                    theme.subtotal, theme.subtotal_where, theme.subtotal_label = cost, row.where, "(a row summing the lines above)"
                    theme = close(theme)
                    continue
                subtotals = [t.subtotal for t in costing.themes if t.subtotal is not None]
                if i == len(rows) - 1 or (subtotals and _signed(cost) == sum(map(_signed, subtotals))):
                    theme = close(theme)
                    costing.total, costing.total_where, costing.total_label = cost, row.where, "(a row summing the sub-totals)"
                    continue
                costing.skipped.append((row.where, f"a figure ({cost.raw}) with no title that sums no rows above it"))
                continue
            counts = [cells[c] for c in (columns.fte, columns.posts, columns.cost) if c is not None and c < len(cells)]
            if theme.lines and others and not any(counts):  # words carried over from the row above (a wrapped cell)
                _carry_over(theme.lines[-1], row, columns)
                continue
            costing.skipped.append((row.where, "a row with no title and no figure"))
            continue
        if not others:  # a title alone: a heading
            theme = close(theme)
            theme = ThemeRows(label, row.where)
            continue
        line = _line(costing, row, columns, cost)
        if line.cost is None and line.fte is None and line.posts is None:
            printed = f" (it prints {line.funded_text!r})" if line.funded_text else ""
            costing.skipped.append((row.where, f"a line printing no cost, FTE or head count{printed}"))
            continue
        theme.lines.append(line)
    close(theme)
    if not costing.lines:
        raise _fail(file, f"{table.where} has no lines with figures to import ({len(table.rows)} rows read)",
                    "name another table with --table N; a costing table has a row per line with its cost")
    return costing


def _carry_over(line: Line, row: Row, columns: Columns) -> None:
    """Add a row's words to the line above it: a cell wrapped onto a row of its own."""
    joined = tuple(f"{a} {b}".strip() for a, b in zip(_padded(line.cells, len(row.cells)), _padded(row.cells, len(line.cells))))
    line.cells, line.title = joined, joined[columns.title]
    if columns.team is not None:
        line.team = joined[columns.team] or None
    if columns.grade is not None and line.unit_amount is None:
        line.grade = joined[columns.grade] or None
    if columns.period is not None:
        line.period = read_period(joined[columns.period])
    line.notes.append(f"joined with {row.where}: its words carried over from this row")


def _padded(cells: tuple[str, ...], n: int) -> tuple[str, ...]:
    return cells + ("",) * (n - len(cells))


def _label(row: Row, columns: Columns) -> str:
    """The row's label: its title cell, or its first non-blank cell where that is blank and no
    figure ('Total' printed in another column)."""
    cells = row.cells
    title = cells[columns.title] if columns.title < len(cells) else ""
    if title:
        return title.rstrip(":").strip()
    for n, cell in enumerate(cells):
        if cell and n != columns.cost and not _is_number(cell):
            return cell.rstrip(":").strip() if _TOTAL.search(cell) else ""
    return ""


def _signed(printed: Printed) -> Decimal:
    return -printed.value if printed.negative else printed.value


def _cell_number(costing: Costing, row: Row, column: int | None, name: str, count: bool = False) -> Printed | None:
    """The number in a row's cell, or None (listed as not read where the cell holds something
    else, or a number no proposal can hold: an FTE of 0, a sum of a trillion pounds)."""
    if column is None or column >= len(row.cells):
        return None
    cell = row.cells[column]
    if name == "cost" and _FUNDED.match(cell):
        return None
    try:
        printed = read_number(cell, count=count)
        if printed is not None:
            _plausible(printed, name)
        return printed
    except Unreadable as exc:
        costing.unread.append((row.where, _column_name(costing.columns, column, name), cell, str(exc)))
        return None


def _plausible(printed: Printed, name: str) -> None:
    """Refuse (as Unreadable) a number outside what a proposal's key of that kind accepts."""
    from postcost.models import MAX_COUNT, MAX_FTE, MAX_MONEY, MIN_FTE

    value = printed.value
    if name == "fte" and not MIN_FTE <= value <= MAX_FTE:
        raise Unreadable(f"an FTE is from {MIN_FTE} to {MAX_FTE:,}")
    if name == "posts" and value >= MAX_COUNT:
        raise Unreadable(f"a head count is under {MAX_COUNT:,}")
    if value >= MAX_MONEY:
        raise Unreadable("too large for a costing")


def _column_name(columns: Columns, column: int, role: str) -> str:
    return columns.names[column] if column < len(columns.names) and columns.names[column] else role


def _line(costing: Costing, row: Row, columns: Columns, cost: Printed | None) -> Line:
    """A line from its row; ``cost`` is its cost column, read already."""
    cells = _padded(row.cells, max(len(columns.names), len(row.cells)))

    def text(column: int | None) -> str | None:
        return (cells[column] or None) if column is not None and column < len(cells) else None

    line = Line(row.where, row.cells, cells[columns.title], team=text(columns.team))
    line.cost = cost
    funded = _FUNDED.match(cells[columns.cost]) if columns.cost is not None and columns.cost < len(cells) else None
    if funded:
        line.funded_text = cells[columns.cost]
        line.funded_by = clean(funded["who"] or line.funded_text)
    grade_text = text(columns.grade)
    if grade_text and grade_text.lstrip("(−-").startswith("£"):  # '£1,600 per new starter': a unit cost
        line.unit_amount = _cell_number(costing, row, columns.grade, "grade")
    elif grade_text:
        line.grade = grade_text
    elif columns.grade is None:
        found = GRADE.search(line.title)  # 'Social Worker (Band B)'
        line.grade = found[1] if found else None
    line.fte = _cell_number(costing, row, columns.fte, "fte", count=True)
    line.posts = _cell_number(costing, row, columns.posts, "posts", count=True)
    if line.cost is not None and line.cost.words:
        line.notes.append(f"{line.cost.raw!r}: read as {line.cost.value}, the words left out")
    period_text = " ".join(filter(None, (text(columns.period), text(columns.title) if columns.period is None else None)))
    line.period = read_period(period_text) if period_text else None
    return line


# --- 3. the draft proposal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    pay_scale: str | None = None  # as the draft names it
    grades: dict[str, str] | None = None  # the scale's grades, by their folded name
    period: tuple[str, str] | None = None  # given with --period
    pay_year: str | None = None
    uncosted: frozenset[str] = frozenset()  # lines (by where) to keep as figures: their costing failed
    why_uncosted: dict[str, str] = field(default_factory=dict)


@dataclass
class Draft:
    text: str
    lines_at: dict[int, str]  # the YAML line each costing line starts at -> the line's where
    kinds: Counter  # how many lines of each kind were written: post, amount, unit_cost, figure
    period: tuple[str, str] | None
    period_from: str  # 'given with --period', "found in N lines' periods ...", ''
    notes: list[str]

    @property
    def posts(self) -> int:
        return self.kinds["post"]


def fold(grade: str) -> str:
    return " ".join(grade.casefold().split())


def proposal_period(costing: Costing, given: tuple[str, str] | None) -> tuple[tuple[str, str] | None, str]:
    """The proposal's period: as given; else from the lines' printed periods (the first start
    to the last end, where lines print both)."""
    if given is not None:
        return given, "given with --period"
    spans = [(line.period.start, line.period.end) for line in costing.lines
             if line.period is not None and line.period.start and line.period.end]
    if not spans:
        return None, ""
    from postcost.models import month_end, month_start

    start = min((s for s, _ in spans), key=month_start)[:7]
    end = max((e for _, e in spans), key=month_end)[:7]
    common = Counter(line.period.raw for line in costing.lines if line.period is not None and line.period.start).most_common(1)[0][0]
    return (start, end), f"found in {len(spans)} lines' periods, e.g. {common!r}"


def draft_yaml(costing: Costing, options: Options) -> Draft:
    """The draft proposal's YAML text (see the module's docstring)."""
    period, period_from = proposal_period(costing, options.period)
    out = _Writer()
    notes: list[str] = []
    source = Path(costing.file).name if costing.file != "-" else "standard input"
    out.comment(f"Drafted by 'postcost import' from {source}, {costing.table.where} "
                f"({costing.number} of {costing.of}, {len(costing.table.rows)} rows).")
    out.comment("Every figure is as the table prints it; above each line, its row and cells as read.")
    out.comment("Read it against the document, fill in what says FILL IN, then: postcost check THIS_FILE")
    out.key("title", Path(source).stem if costing.file != "-" else "Imported table", "FILL IN: the report's title")
    out.key("authority", "FILL IN", "the council or body that published the report")
    out.key("source", f"{source}, {costing.table.where}")
    costed = options.pay_scale is not None and period is not None
    if options.pay_scale is not None:
        out.key("pay_scale", options.pay_scale)
        if options.pay_year:
            out.key("pay_year", options.pay_year)
        else:
            out.comment("pay_year: YYYY/YY   # where the report costs every month at one pay year's salaries "
                        "(e.g. 2020/21 while an award is not yet agreed)")
        if period is None:
            notes.append("no period found: every line stays a figure; give --period START..END to cost the posts")
    if not costed:
        out.comment("Each line is a figure (kind: figure), its grade as printed: with --pay-scale NAME and a period, "
                    "lines whose grade the scale has are costed as posts.")
    if period is not None:
        out.raw(f"period: {{start: {period[0]}, end: {period[1]}}}", period_from)
    if costing.columns.thousands:
        out.key("units", "thousands", "the table's header prints £000")
    if costing.total is not None:
        out.number("stated_total", _signed(costing.total), f"{costing.total_where} {costing.total_label!r}: {costing.total.raw!r}")
    if costing.total_fte is not None:
        out.number("stated_fte", _signed(costing.total_fte), f"{costing.total_where}: {costing.total_fte.raw!r}")
    if costing.total_posts is not None:
        out.number("stated_posts", _signed(costing.total_posts), f"{costing.total_where}: {costing.total_posts.raw!r}")
    out.raw("themes:")
    kinds: Counter = Counter()
    lines_at: dict[int, str] = {}
    for t, theme in enumerate(costing.themes, 1):
        name = theme.name or f"Theme {t}"
        out.raw(f"  - name: {_scalar(name)}", theme.where if theme.name else "FILL IN: the table prints no heading for these lines")
        if theme.subtotal is not None:
            out.number("    stated_subtotal", _signed(theme.subtotal),
                       f"{theme.subtotal_where} {theme.subtotal_label!r}: {theme.subtotal.raw!r}")
        if theme.fte is not None:
            out.number("    stated_fte", _signed(theme.fte), f"{theme.subtotal_where}: {theme.fte.raw!r}")
        if theme.posts is not None:
            out.number("    stated_posts", _signed(theme.posts), f"{theme.subtotal_where}: {theme.posts.raw!r}")
        out.raw("    lines:")
        for line in theme.lines:
            out.comment(f"{line.where}: " + " | ".join(line.cells), indent=6)
            lines_at[out.line_number] = line.where
            kinds[_write_line(out, line, options if costed else None, period)] += 1
    return Draft(out.text(), lines_at, kinds, period, period_from, notes)


def _write_line(out: _Writer, line: Line, options: Options | None, period: tuple[str, str] | None) -> int:
    """Write one line: where the draft costs posts (``options``), a post where its grade is the
    scale's, an amount for a sum with no post, a unit cost for '£1,600 per new starter' × 102;
    every other line a figure. Returns the kind written."""
    saving = line.cost.negative if line.cost is not None else bool(line.fte and line.fte.negative)
    item = _Item(out)
    notes = list(line.notes)  # this draft's notes on the line (a draft may be written twice)
    if options is not None and line.where in options.uncosted:
        notes.append(f"not costed as a post: {options.why_uncosted.get(line.where, 'its costing failed')}")
        options = None
    quantity = line.fte or line.posts
    if options is not None:
        post = _post_basis(line, options, period, notes)
        if post is not None:
            for key, value, comment in post:
                (item.number if isinstance(value, Decimal) else item.key)(key, value, comment)
            if line.funded_by:
                item.key("funded_by", line.funded_by, f"printed {line.funded_text!r}")
            if saving:
                item.key("saving", True)
            if line.posts is not None:
                item.number("posts", line.posts.value, _as_printed(line.posts))
            _team_stated_notes(item, line, notes)
            return "post"
        if line.unit_amount is not None and quantity is not None:
            item.key("kind", "unit_cost")
            item.key("title", line.title)
            item.number("unit_amount", line.unit_amount.value, repr(line.unit_amount.raw))
            if "starter" in line.unit_amount.words.lower():
                item.key("quantity", "new_starters", "the posts this proposal pays for, each FTE rounded up")
                item.number("stated_quantity", quantity.value, repr(quantity.raw))
            else:
                item.number("quantity", quantity.value, repr(quantity.raw))
            _team_stated_notes(item, line, notes)
            return "unit_cost"
        if line.cost is not None and line.grade is None and quantity is None:
            item.key("kind", "amount")
            item.key("title", line.title)
            item.number("amount", line.cost.value, "the printed figure: a sum with no post behind it")
            if saving:
                item.key("saving", True)
            _team_stated_notes(item, line, notes)
            return "amount"
    # a figure: what the table prints, footed, never costed (read_costing keeps only lines printing one)
    item.key("kind", "figure")
    item.key("title", line.title)
    if line.grade:
        unknown = options is not None and not _resolves(line.grade, options)
        item.key("grade", line.grade, f"not a grade of {options.pay_scale}: to cost the line, make it a post with one "
                 "of its grades, a point or an annual_salary" if unknown else None)
    if line.unit_amount is not None and line.cost is not None:  # its count is a quantity, not FTE
        notes.append(f"printed as {line.unit_amount.raw!r} × {quantity.raw if quantity else '?'}: as a unit cost, "
                          f"kind: unit_cost, unit_amount: {line.unit_amount.value}, quantity: "
                          f"{quantity.value if quantity else '?'} (with a period)")
    else:
        if line.fte is not None:
            item.number("fte", line.fte.value, _as_printed(line.fte))
        if line.posts is not None:
            item.number("posts", line.posts.value, _as_printed(line.posts))
    if saving:
        item.key("saving", True)
    if line.funded_by:
        item.key("note", f"printed: {line.funded_text}", "a figure it does not count")
    _team_stated_notes(item, line, notes)
    return "figure"


def _as_printed(printed: Printed) -> str | None:
    """A comment giving the printed text, where it is not the number written."""
    return None if printed.raw == f"{printed.value:f}" else repr(printed.raw)


def _team_stated_notes(item: _Item, line: Line, notes: list[str]) -> None:
    if line.team:
        item.key("team", line.team)
    if line.cost is not None:
        item.number("stated", line.cost.value, repr(line.cost.raw))
    for note in notes:
        item.comment(note)


def _resolves(grade: str, options: Options) -> bool:
    return _SCP.fullmatch(grade.strip()) is not None or fold(grade) in (options.grades or {})


def _post_basis(line: Line, options: Options, period: tuple[str, str], notes: list[str]) -> list[tuple[str, object, str | None]] | None:
    """A post's keys (title, grade or point, fte, start/end or full_year), or None where the line
    cannot be costed: no grade the scale has, no FTE, or a period outside the proposal's (which
    ``notes`` then says)."""
    from postcost.models import month_end, month_start

    if line.grade is None or line.fte is None or line.unit_amount is not None or not _resolves(line.grade, options):
        return None
    keys: list[tuple[str, object, str | None]] = [("title", line.title, None)]
    point = _SCP.fullmatch(line.grade.strip())
    if point:
        keys.append(("point", point[1], f"printed {line.grade!r}"))
    else:
        name = options.grades[fold(line.grade)]
        keys.append(("grade", name, None if name == line.grade else f"printed {line.grade!r}"))
    keys.append(("fte", line.fte.value, repr(line.fte.raw) if line.fte.raw != str(line.fte.value) else None))
    printed = line.period
    if printed is not None and printed.permanent:
        keys.append(("full_year", True, f"printed {printed.raw!r}: costed for the whole financial year it starts in"))
    elif printed is not None:
        start, end = printed.start, printed.end
        if printed.months is not None:
            start = period[0]
            y, m = divmod(int(start[:4]) * 12 + int(start[5:7]) - 1 + printed.months - 1, 12)
            end = f"{y}-{m + 1:02d}"
        if (start and month_start(start) < month_start(period[0])) or (end and month_end(end) > month_end(period[1])):
            notes.append(f"printed period {printed.raw!r} lies outside the proposal's period {period[0]} to {period[1]}")
            return None
        if start and start != period[0]:
            keys.append(("start", start, repr(printed.raw)))
        if end and end != period[1]:
            keys.append(("end", end, repr(printed.raw)))
    return keys


class _Writer:
    """YAML text, written a line at a time, with comments."""

    scale_name = ""

    def __init__(self) -> None:
        self.lines: list[str] = []

    @property
    def line_number(self) -> int:
        """The number the next line written will have."""
        return len(self.lines) + 1

    def raw(self, text: str, comment: str | None = None) -> None:
        self.lines.append(f"{text}   # {_comment(comment)}" if comment else text)

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.append(" " * indent + "# " + _comment(text))

    def key(self, key: str, value: object, comment: str | None = None) -> None:
        self.raw(f"{key}: {_scalar(value)}", comment)

    def number(self, key: str, value: Decimal, comment: str | None = None) -> None:
        self.raw(f"{key}: {value:f}", comment)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Item:
    """One list item of a theme's lines: its first key after '- ', the others under it."""

    def __init__(self, out: _Writer):
        self.out, self.first, self.kind = out, True, "post"

    def _prefix(self) -> str:
        prefix = "      - " if self.first else "        "
        self.first = False
        return prefix

    def key(self, key: str, value: object, comment: str | None = None) -> None:
        if key == "kind":
            self.kind = str(value)
        self.out.raw(f"{self._prefix()}{key}: {_scalar(value)}", comment)

    def number(self, key: str, value: Decimal, comment: str | None = None) -> None:
        self.out.raw(f"{self._prefix()}{key}: {value:f}", comment)

    def comment(self, text: str) -> None:
        self.out.comment(text, indent=8 if not self.first else 6)


_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ""}


def _scalar(value: object) -> str:
    """A YAML scalar for ``value``: true/false, a plain scalar where that reads back as the same
    text, else a double-quoted one with every character that is not printable escaped."""
    if value is True or value is False:
        return "true" if value else "false"
    text = str(value)
    plain = (
        text == text.strip() and text[:1].isalpha() and text.isprintable() and text.lower() not in _RESERVED
        and ": " not in text and " #" not in text and not text.endswith(":") and not re.fullmatch(r"\d{4}-\d\d(-\d\d)?", text)
    )
    if plain:
        return text
    escaped = []
    for ch in text:
        if ch in '"\\':
            escaped.append("\\" + ch)
        elif ch.isprintable():
            escaped.append(ch)
        else:
            escaped.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return '"' + "".join(escaped) + '"'


def _comment(text: str, limit: int = 240) -> str:
    """Text as a YAML comment: one line (every line break, control and separator as a space), cut short."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the whole import ----------------------------------------------------------------------------


@dataclass
class Imported:
    costing: Costing
    draft: Draft
    scale: object = None  # the PayScale given, if any
    files_read: list[str] = field(default_factory=list)  # the table's file and the pay-scale files: never written over

    def loaded(self, name: str):
        """The draft as postcost check loads a proposal, from its text, under the file name ``name``."""
        return load_draft(self.draft.text, name, self.scale)


def parse_period(text: str) -> tuple[str, str]:
    """--period START..END ('2021-09..2022-03'), each a month or a day as a proposal writes them."""
    from pydantic import ValidationError

    from postcost.models import Period as ProposalPeriod

    start, dots, end = text.partition("..")
    try:
        if not dots:
            raise ValueError
        period = ProposalPeriod(start=start.strip(), end=end.strip())
    except (ValidationError, ValueError) as exc:
        why = exc.errors()[0]["msg"].removeprefix("Value error, ") if isinstance(exc, ValidationError) else "not START..END"
        raise PostcostError([Problem(None, None, f"--period {excerpt(text)}: {why}",
                                     "give the months costed as START..END, e.g. --period 2021-09..2022-03")]) from None
    return period.start, period.end


def check_pay_year(text: str) -> str:
    from pydantic import TypeAdapter, ValidationError

    from postcost.models import PayYear

    try:
        return TypeAdapter(PayYear).validate_python(text)
    except ValidationError as exc:
        why = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise PostcostError([Problem(None, None, f"--pay-year: {why}", "e.g. --pay-year 2020/21")]) from None


def import_table(file: str, *, table: int | None = None, pay_scale: str | None = None, draft_folder: Path | None = None,
                 period: tuple[str, str] | None = None, pay_year: str | None = None) -> Imported:
    """Read ``file``'s table (``table``, 1-based; default: the one with most figures) into a draft.
    With ``pay_scale`` (a shipped name, or a path from the current folder, which the draft gives
    from ``draft_folder``, where it is written), lines whose grade the scale has are posts, once a
    period is known (``period``, or the lines' own). A post that cannot be costed (a period the
    scale has no salaries for, say) is kept as a figure, with why, so that the draft always loads."""
    from postcost.loader import load_pay_scale

    costing = read_costing(file, read_tables(file), table)
    options = Options(period=period, pay_year=pay_year)
    scale, files = None, [file] if file != "-" else []
    if pay_scale is not None:
        scale = load_pay_scale(pay_scale, relative_to=Path.cwd())
        files += [scale.authority_file, scale.spine_file, scale.ni_file]
        named = pay_scale
        if pay_scale.endswith((".yaml", ".yml")) or "/" in pay_scale or "\\" in pay_scale:  # a path, as the loader tells one
            named = os.path.relpath(Path(pay_scale).resolve(), (draft_folder or Path.cwd()).resolve())
        grades = {fold(name): name for name in scale.authority.grades}
        options = replace(options, pay_scale=named, grades=grades)
    draft = draft_yaml(costing, options)
    if draft.posts:
        failed = _uncostable(draft, scale)
        if failed:
            options = replace(options, uncosted=frozenset(failed), why_uncosted=failed)
            draft = draft_yaml(costing, options)
    return Imported(costing, draft, scale, files)


def load_draft(text: str, name: str, scale=None):
    """The draft as postcost check loads a proposal, from its text (``scale``: its pay scale,
    already loaded)."""
    from postcost.loader import LoadedProposal, validate
    from postcost.models import Proposal
    from postcost.yamlfile import parse_yaml

    document = parse_yaml(text, name)
    return LoadedProposal(validate(Proposal, document), document, scale)


def _uncostable(draft: Draft, scale) -> dict[str, str]:
    """The draft's lines (by where) that cannot be costed, each with the first problem's message."""
    from postcost.engine import cost_proposal

    try:
        cost_proposal(load_draft(draft.text, "draft", scale))
    except PostcostError as exc:
        starts = sorted(draft.lines_at)
        failed: dict[str, str] = {}
        for problem in exc.problems:
            at = [n for n in starts if n <= (problem.line or 0)]
            if not at:
                raise  # not a line's problem: a bug in the draft, not to be hidden
            failed.setdefault(draft.lines_at[at[-1]], problem.message)
        return failed
    return {}


def summary(imported: Imported) -> list[str]:
    """What the import read, in a few lines: rows, lines, sub-totals, figures, what it could not
    read (with the raw text) and what it passed over."""
    costing, draft = imported.costing, imported.draft
    source = "standard input" if costing.file == "-" else costing.file
    lines = costing.lines
    out = [f"Read {source}, {costing.table.where} ({costing.number} of {costing.of}): {len(costing.table.rows)} rows"
           + (f", its header at {costing.columns.header}." if costing.columns.header else ", no header row found.")]
    parts = [f"{len(lines)} line{'s' * (len(lines) != 1)}", f"{costing.subtotals} sub-total{'s' * (costing.subtotals != 1)}",
             "a total" if costing.total is not None else "no total"]
    out.append(f"  {', '.join(parts)} in {len(costing.themes)} theme{'s' * (len(costing.themes) != 1)}; "
               f"{costing.figures} printed figure{'s' * (costing.figures != 1)}" + (" (£000)" if costing.columns.thousands else "") + ".")
    if set(draft.kinds) == {"figure"}:
        written = "every line a figure (kind: figure), its grade as printed"
        if imported.scale is None:
            written += "; give --pay-scale NAME to cost lines whose grade it has as posts"
        elif draft.period is not None:
            written += "; no line could be costed as a post (each line's comment says why)"
    else:
        words = {"post": ("costed as posts", "costed as a post"), "amount": ("amounts", "amount"),
                 "unit_cost": ("unit costs", "unit cost"), "figure": ("figures", "figure")}
        written = ", ".join(f"{draft.kinds[kind]} {plural if draft.kinds[kind] != 1 else single}"
                            for kind, (plural, single) in words.items() if draft.kinds[kind])
    out.append("  " + "; ".join([written] + draft.notes) + ".")
    if draft.period:
        out.append(f"  Period {draft.period[0]} to {draft.period[1]}, {draft.period_from}.")
    if costing.unread:
        out.append(f"  Could not read {len(costing.unread)} cell{'s' * (len(costing.unread) != 1)}:")
        out += [f"    {where}, {column}: {excerpt(raw)} ({why})" for where, column, raw, why in costing.unread]
    if costing.skipped:
        out.append(f"  Passed over {len(costing.skipped)} row{'s' * (len(costing.skipped) != 1)}:")
        out += [f"    {where}: {why}" for where, why in costing.skipped]
    return out
