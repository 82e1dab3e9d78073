"""Posts from a CSV file, as HR systems export an establishment: one row a post.

Columns (a header row names them; any order; blank cells take the default):
theme, title, and fte or hours (required); grade, point, annual_salary or annual_cost;
full_time_hours (for hours; else the proposal's full_time_hours); start, end, team, funded_by,
full_year, permanent, increments, stated, stated_annual (the stated cost a year), posts (the
printed head count), saving, note; and each post's own terms: pension_scheme, salary_sacrifice
(£ a year, or '5%'), ni_category (A, H or M) and increment_date ('1 October'). An FTE may be
written '4½' or '½'. Each row is validated exactly like a post in YAML, and problems are
reported as CSVFILE:LINE.

The file is read as UTF-8 (with or without the byte-order mark Excel's 'CSV UTF-8' writes);
failing that, as UTF-16 if it starts with UTF-16's byte-order mark (Excel's 'Unicode Text',
separated by tabs); failing that, as Windows-1252 (Excel's 'CSV (Comma delimited)', with £, â
and – in it). :attr:`CsvPosts.encoding` names the one used. Commas, semicolons or tabs separate
the cells, as the header row shows.

Dates (start, end) are day/month/year, never month/day/year. Besides the forms a proposal file
takes (2021-11 for a whole month; 2021-11-01 or 01/11/2021 for a day), a CSV file may give them as
spreadsheets write them:

- a whole month: ``Nov-21``, ``Nov-2021``, ``Nov 2021``, ``November 2021``;
- a day: ``1 Nov 2021``, ``1 November 2021``, ``01-Nov-21``, ``01-Nov-2021``, ``01/11/21``;
- a day at midnight: ``01/11/2021 00:00`` (or ``00:00:00``, or after 2021-11-01); any other
  time of day is refused, since postcost costs whole days;
- an Excel date number, for a column saved without its date format: ``44501`` is 1 November
  2021 (Excel's 1900 date system, counting from 30 December 1899), from 1970 to 2099.

A two-digit year is 20YY. Months are named in English, in full or by their first three letters
(or ``Sept``), in any case. Each form is turned into the proposal file's (``2021-11``,
``2021-11-01``) before the cell is validated.

Numbers with '_' in them (``1_0``) are refused in every column, not read as 10.

An establishment repeats itself (the same grades, FTEs and dates on thousands of rows), so each
distinct cell of a column is validated once, by the validator PostLine uses for that field, and
the fields of a row are then checked together as PostLine checks them. Only a file with some
problem is validated row by row through PostLine itself, for its messages.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import dataclasses
import functools
import io
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from postcost.errors import PostcostError, Problem, describe_error, did_you_mean, excerpt, underscored_number
from postcost.models import WORDS, PostKinds, PostLine, PostRows, Words, pay_basis_problem
from postcost.yamlfile import CSV_POSTS, read_bytes

REQUIRED = ("theme", "title", "fte")  # or hours in fte's place
OPTIONAL = ("grade", "point", "annual_salary", "start", "end", "team", "funded_by", "full_year",
            "permanent", "increments", "stated", "note", "hours", "full_time_hours", "annual_cost",
            "posts", "saving", "stated_annual", "pension_scheme", "salary_sacrifice", "ni_category",
            "increment_date")
COLUMNS = REQUIRED + OPTIONAL
UNNAMED = ""  # a header cell left blank


@dataclass(frozen=True)
class CsvPosts:
    """The posts of a CSV file by the theme each row names, in the file's order, with each row's
    line in the file."""

    file: str
    themes: dict[str, PostRows]
    lines: dict[str, list[int]]
    encoding: str = "UTF-8"  # the file's: "UTF-8", "UTF-16" or "Windows-1252"


@functools.cache
def _adapter() -> TypeAdapter[list[PostLine]]:
    return TypeAdapter(list[PostLine])


@functools.cache
def _field_validator(column: str) -> Callable[[str], Any]:
    """The validator PostLine applies to that field, on its own."""
    field = PostLine.model_fields[column]
    return TypeAdapter(Annotated[field.annotation, field]).validate_python


def read_posts_csv(path: Path) -> CsvPosts:
    """Read and validate every row; raise PostcostError naming every problem by file and line."""
    name = str(path)
    text, encoding = _decoded(read_bytes(path, CSV_POSTS), name)
    records, lines = _records(name, text)
    header = [cell.strip().lower().replace(" ", "_") for cell in records[0]]
    if not any(column in header for column in REQUIRED):  # not a CSV file of posts: quote none of it
        raise PostcostError([Problem(
            name, 1, "is not a CSV file of posts: its first row names none of the columns theme, title and fte",
            f"a CSV file of posts starts with a header row naming its columns: {', '.join(COLUMNS)}",
        )])
    problems = _header_problems(name, header)
    if problems:
        raise PostcostError(problems)
    by_theme, combinations, problems = _rows_by_theme(name, header, records[1:], lines[1:])
    if not by_theme and not problems:  # it would cost nothing, silently
        raise PostcostError([Problem(
            name, 1, "has a header row but no posts under it",
            "add a row a post under the header row, or take posts_csv out of the proposal",
        )])
    themes = None if problems else _trusted_posts(header, by_theme, combinations)
    if themes is None:
        themes = _validated_posts(name, header, by_theme, problems)
    return CsvPosts(name, themes, {theme: rows.lines for theme, rows in by_theme.items()}, encoding)


def _checked(header: list[str]) -> list[int]:
    """The columns a post is validated and costed on: all but its theme, its words and unnamed ones."""
    return [i for i, column in enumerate(header) if column not in ("theme", UNNAMED, *WORDS)]


@dataclass(slots=True)
class _Rows:
    """A theme's rows as read, in the file's order."""

    cells: list[list[str]] = dataclasses.field(default_factory=list)  # as written
    lines: list[int] = dataclasses.field(default_factory=list)
    kind_of: list[int] = dataclasses.field(default_factory=list)  # each row's combination of cells but its words, by its place in the file's distinct ones
    words: list[Words] = dataclasses.field(default_factory=list)  # stripped


def _rows_by_theme(
    name: str, header: list[str], records: list[list[str]], lines: list[int]
) -> tuple[dict[str, _Rows], dict[tuple[str, ...], int], list[Problem]]:
    """Each theme's rows, and the distinct combinations of a row's cells but its theme and its
    words (each numbered by when first seen), and every row whose cells or theme are amiss. A
    blank row is left out, and so are blank cells past the header's last column."""
    by_theme: dict[str, _Rows] = {}
    combinations: dict[tuple[str, ...], int] = {}
    problems = []
    width = len(header)
    theme_at = header.index("theme")
    title_at, team_at, note_at = (header.index(column) if column in header else None for column in WORDS)  # a title column is required
    unnamed = [i for i, column in enumerate(header) if column == UNNAMED]
    checked = _checked(header)
    cells_of = operator.itemgetter(*checked) if len(checked) > 1 else lambda cells: tuple(cells[i] for i in checked)
    for cells, line in zip(records, lines):
        if len(cells) != width:
            if len(cells) > width and not "".join(cells[width:]).strip():
                cells = cells[:width]  # blank cells past the last column, as spreadsheets leave them
            elif not "".join(cells).strip():
                continue  # a blank row
            else:
                problems.append(Problem(name, line, f"has {len(cells)} cells where the header has {width}", "check for a missing or extra comma"))
                continue
        theme = cells[theme_at].strip()
        if not theme:
            if "".join(cells).strip():
                problems.append(Problem(name, line, "column theme: is empty", "every post needs the theme it belongs to"))
            continue
        if unnamed and (filled := [i for i in unnamed if cells[i].strip()]):
            value, column = cells[filled[0]].strip(), filled[0] + 1
            problems.append(Problem(
                name, line, f"has {excerpt(value)} in column {column}, which the header row leaves unnamed",
                "name the column in the header row, or clear the cell",
            ))
            continue
        rows = by_theme.get(theme)
        if rows is None:
            rows = by_theme[theme] = _Rows()
        key = cells_of(cells)
        kind = combinations.get(key)
        if kind is None:
            kind = combinations[key] = len(combinations)
        rows.cells.append(cells)
        rows.lines.append(line)
        rows.kind_of.append(kind)
        rows.words.append((
            cells[title_at].strip(),
            None if team_at is None else cells[team_at].strip() or None,
            None if note_at is None else cells[note_at].strip() or None,
        ))
    return by_theme, combinations, problems


def _records(name: str, text: str) -> tuple[list[list[str]], list[int]]:
    """Every record of the file (the header row first) as its cells, and the line each ends on."""
    def reader() -> Iterator[list[str]]:
        return csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]))

    cells = reader()
    try:
        records = list(cells)
        if cells.line_num == len(records):  # each record on a line of its own
            return records, list(range(1, len(records) + 1))
        cells = reader()  # a quoted cell holds a line break: read again, noting the line each record ends on
        return records, [cells.line_num for _ in cells]
    except csv.Error as exc:
        raise PostcostError([Problem(name, cells.line_num, f"is not valid CSV: {exc}")]) from None


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    """Unknown, repeated and missing columns. A column with no name is allowed (spreadsheets leave
    them) as long as its cells are blank."""
    named = Counter(column for column in header if column != UNNAMED)
    return [
        *(Problem(name, 1, f"unknown column {excerpt(column)}", _column_hint(column)) for column in named if column not in COLUMNS),
        *(Problem(name, 1, f"column {column!r} is given {n} times", "keep one of them") for column, n in named.items() if n > 1),
        *(Problem(name, 1, f"required column {c!r} is missing", f"columns: {', '.join(COLUMNS)}")
          for c in REQUIRED if c not in named and not (c == "fte" and "hours" in named)),
    ]


def _column_hint(column: str) -> str:
    """The column meant by a header an HR system wrote ('Start Date', 'Job Title'), else them all."""
    if exact := [word for word in column.split("_") if word in COLUMNS]:
        return f"did you mean {exact[-1]!r}?"
    return did_you_mean(column, COLUMNS) or f"delete or rename the columns postcost does not read; it reads {', '.join(COLUMNS)}"


def _delimiter(header: str) -> str:
    """Commas; or semicolons or tabs, for a file saved with them (Excel in many locales, HR
    systems' exports), told by its header row, which has no commas then."""
    return next((mark for mark in (",", ";", "\t") if mark in header), ",")


_ABSENT = object()  # a blank cell: the field takes its default


def _trusted_posts(
    header: list[str], by_theme: dict[str, _Rows], combinations: dict[tuple[str, ...], int]
) -> dict[str, PostRows] | None:
    """Each theme's rows as PostRows, sharing the file's distinct posts: each distinct combination
    of a row's cells (but its words) validated once, and each distinct cell in it once, by the
    validators PostLine uses and then together as PostLine checks them; None if any row has a
    problem. Words need no validation: a row needs only a title."""
    if "stated_annual" in header:  # two columns make one field (stated: {total, annual}): row by row
        return None
    if any(not title for rows in by_theme.values() for title, _, _ in rows.words):
        return None
    checked = [header[i] for i in _checked(header)]
    seen = [(column, {}) for column in checked]  # each column, with its cells as written -> their values

    def fields_of(cells: tuple[str, ...]) -> dict[str, Any] | None:
        fields = {}
        for (column, found), raw in zip(seen, cells):
            if raw not in found:
                cell = raw.strip()
                found[raw] = _field_validator(column)(_cell(column, cell)) if cell else _ABSENT
            if (value := found[raw]) is not _ABSENT:
                fields[column] = value
        return None if ("fte" not in fields and "hours" not in fields) or pay_basis_problem(fields) else fields

    try:
        kinds = [fields_of(cells) for cells in combinations]  # in the order they are numbered
    except (ValidationError, BadCell):
        return None
    if None in kinds:
        return None
    posts = PostKinds(kinds)  # type: ignore[arg-type]
    return {theme: PostRows(posts, rows.kind_of, rows.words) for theme, rows in by_theme.items()}


def _validated_posts(name: str, header: list[str], by_theme: dict[str, _Rows], problems: list[Problem]) -> dict[str, PostRows]:
    """Each theme's rows as PostRows, validated row by row through PostLine (each row its own
    distinct post), raising every problem (with those already found). A cell :func:`_cell`
    refuses is reported by its words alone, not PostLine's as well."""
    rows = [cells for theme_rows in by_theme.values() for cells in theme_rows.cells]
    lines = [line for theme_rows in by_theme.values() for line in theme_rows.lines]
    as_dicts = []
    refused = set()  # (row index, column)
    for index, cells in enumerate(rows):
        row = {}
        for column, raw in zip(header, cells):
            if not (cell := raw.strip()) or column in ("theme", UNNAMED):
                continue
            try:
                row[column] = _cell(column, cell)
            except BadCell as bad:
                problems.append(Problem(name, lines[index], f"column {column}: {bad.message}", bad.hint))
                refused.add((index, column))
                row[column] = cell
        if "stated_annual" in row:  # the stated cost for the whole period and a year, as one stated figure
            row["stated"] = {"annual": row.pop("stated_annual"), **({"total": row.pop("stated")} if "stated" in row else {})}
        as_dicts.append(row)
    try:
        posts = _adapter().validate_python(as_dicts)
    except ValidationError as exc:
        for error in exc.errors():
            index, *field = error["loc"]
            column = next((part for part in field if isinstance(part, str) and part in COLUMNS), None)
            if field[:2] in (["stated", "annual"], ["stated", "mapping"]) and "annual" in field:
                column = "stated_annual"
            if (index, column) in refused:
                continue
            message, hint = describe_error(error)
            problems.append(Problem(name, lines[index], f"column {column}: {message}" if column else message, hint))
        posts = []
    if problems:
        raise PostcostError(sorted(problems, key=lambda p: p.line or 0))
    kinds = PostKinds([{k: post.__dict__[k] for k in post.model_fields_set if k not in WORDS} for post in posts])
    words = [tuple(post.__dict__[k] if k in post.model_fields_set else None for k in WORDS) for post in posts]
    themes, start = {}, 0
    for theme, theme_rows in by_theme.items():  # rows theme by theme: each theme's posts are a slice of them
        end = start + len(theme_rows.cells)
        themes[theme] = PostRows(kinds, list(range(start, end)), words[start:end])  # type: ignore[arg-type]
        start = end
    return themes


# --- the file's encoding -------------------------------------------------------------------------

_EXCEL_HINT = "save it from Excel as 'CSV UTF-8', or from another program as UTF-8"


def _decoded(raw: bytes, name: str) -> tuple[str, str]:
    """The file's text and the name of its encoding: UTF-8 (a byte-order mark allowed), else
    UTF-16 if it starts with UTF-16's byte-order mark, else Windows-1252. UTF-8 first: its bytes
    are nearly always valid Windows-1252 as well (£ would read as 'Â£'), while Windows-1252 text
    with a letter beyond ASCII in it is nearly never valid UTF-8; and UTF-16's mark never is."""
    try:
        text, encoding = raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                text, encoding = raw.decode("utf-16"), "UTF-16"
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
                raise PostcostError([Problem(name, line, "is not UTF-16 text, though it starts as UTF-16 does", _EXCEL_HINT)]) from None
        else:
            try:
                text, encoding = raw.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                message = (
                    f"is not text in any encoding postcost reads (UTF-8, UTF-16 with its byte-order mark, "
                    f"Windows-1252): byte 0x{raw[exc.start]:02X} is none of them"
                )
                raise PostcostError([Problem(name, line, message, _EXCEL_HINT)]) from None
    if "\0" in text:  # never in text; UTF-16 saved without its byte-order mark is full of them
        line = text[: text.index("\0")].count("\n") + 1
        raise PostcostError([Problem(name, line, "is not text: it holds NUL characters (is it UTF-16 without its byte-order mark?)", _EXCEL_HINT)])
    if not text.strip():
        raise PostcostError([Problem(name, None, "is empty", CSV_POSTS.needs)])
    return text, encoding


# --- cells as the fields' validators read them ---------------------------------------------------


class BadCell(ValueError):
    """A cell refused before its field's validator sees it, with what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


_NUMBERS = ("fte", "point", "annual_salary", "stated", "hours", "full_time_hours", "annual_cost", "posts", "stated_annual",
            "salary_sacrifice")
_NUMBER_MARKS = frozenset("0123456789_.,+-£eE")


def _cell(column: str, cell: str) -> str:
    """A stripped, non-blank cell as its field's validator is to read it: a date in one of the
    forms a spreadsheet writes, in the proposal file's form; a number with '_' refused (pydantic
    reads '1_0' as 10). Any other cell as it is."""
    if column in ("start", "end"):
        return csv_date(cell)
    if column in _NUMBERS and "_" in cell and set(cell) <= _NUMBER_MARKS and any(c.isdigit() for c in cell):
        raise BadCell(*underscored_number(cell))
    return cell


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
MONTHS = {
    **{name: n for n, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
_FORM = re.IGNORECASE | re.ASCII
_MONTH_ONLY = re.compile(r"([a-z]+)(?:-(\d{2}|\d{4})| +(\d{4}))", _FORM)  # Nov-21, Nov-2021, November 2021
_NAMED_DAY = re.compile(r"(\d{1,2})( +|-)([a-z]+)\2(\d{4}|\d{2})", _FORM)  # 1 Nov 2021, 01-Nov-21
_SHORT_UK_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})", _FORM)  # 01/11/21
_AT_A_TIME = re.compile(r"(.+?)(?: +|T)(\d{1,2}):(\d{2})(?::(\d{2}))?", _FORM)  # 01/11/2021 00:00, 2021-11-01T00:00:00
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?", _FORM)  # an Excel date number
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as its (false) 29 February 1900 leaves it
EXCEL_SERIALS = ((date(1970, 1, 1) - EXCEL_EPOCH).days, (date(2099, 12, 31) - EXCEL_EPOCH).days)
DATE_HINT = "write a day as 2021-11-01, 01/11/2021 or 1 Nov 2021, or a whole month as 2021-11 or Nov-21"


def csv_date(cell: str) -> str:
    """A date cell in the proposal file's form: '2021-11' for a whole month, '2021-11-01' for a
    day (or a form the model reads and checks itself, '01/11/2021', as it is). Raises BadCell for
    a form read here whose date does not exist, and for a time of day other than midnight."""
    if at := _AT_A_TIME.fullmatch(cell):
        if int(at[2]) or int(at[3]) or int(at[4] or 0):
            raise BadCell(f"{excerpt(cell)} has a time of day", "write the date alone: postcost costs whole days")
        day = csv_date(at[1])
        if len(day) == 7:  # a month ('Nov-21 00:00') has no midnight
            raise BadCell(f"{excerpt(cell)} is not a date", DATE_HINT)
        return day
    if serial := _SERIAL.fullmatch(cell):
        number = int(serial[1])
        first, last = EXCEL_SERIALS
        if not first <= number <= last:
            raise BadCell(
                f"{excerpt(cell)} is not a date: as an Excel date number it is outside 1970 to 2099",
                f"format the column as dates before saving it, or {DATE_HINT}",
            )
        return (EXCEL_EPOCH + timedelta(days=number)).isoformat()
    if month := _MONTH_ONLY.fullmatch(cell):
        return f"{_year(month[2] or month[3], cell):04d}-{_month(month[1], cell):02d}"
    if day := _NAMED_DAY.fullmatch(cell):
        return _day(cell, _year(day[4], cell), _month(day[3], cell), int(day[1]))
    if day := _SHORT_UK_DAY.fullmatch(cell):
        month_number = int(day[2])
        if not 1 <= month_number <= 12:
            raise BadCell(f"month {month_number} does not exist in {excerpt(cell)} (dates are day/month/year)", DATE_HINT)
        return _day(cell, _year(day[3], cell), month_number, int(day[1]))
    return cell  # 2021-11, 2021-11-01, 01/11/2021, or not a date: the model's validator says which


def _year(digits: str, cell: str) -> int:
    year = 2000 + int(digits) if len(digits) == 2 else int(digits)
    if year < 1:  # there was no year 0
        raise BadCell(f"{excerpt(cell)} is not a date", DATE_HINT)
    return year


def _month(name: str, cell: str) -> int:
    if name.lower() not in MONTHS:
        raise BadCell(f"{excerpt(cell)} is not a date: {excerpt(name)} is not the name of a month", DATE_HINT)
    return MONTHS[name.lower()]


def _day(cell: str, year: int, month: int, day: int) -> str:
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise BadCell(f"{excerpt(cell)} is not a date: {_MONTH_NAMES[month - 1].title()} {year} has {last} days", DATE_HINT)
    return f"{year:04d}-{month:02d}-{day:02d}"
