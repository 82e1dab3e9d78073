"""Posts from a CSV file, as HR systems export an establishment: one row a post.

Columns (a header row names them; any order; blank cells take the default):
theme, title, fte (required); grade, point or annual_salary; start, end, team, funded_by,
full_year, permanent, increments, stated, note. Each row is validated exactly like a post in
YAML, and problems are reported as CSVFILE:LINE.

An establishment repeats itself (the same grades, FTEs and dates on thousands of rows), so each
distinct cell of a column is validated once, by the validator PostLine uses for that field, and
the fields of a row are then checked together as PostLine checks them. Only a file with some
problem is validated row by row through PostLine itself, for its messages.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from postcost.errors import PostcostError, Problem, describe_error, did_you_mean
from postcost.models import PostKinds, PostLine, PostRows, pay_basis_problem
from postcost.yamlfile import CSV_POSTS, read_text

REQUIRED = ("theme", "title", "fte")
OPTIONAL = ("grade", "point", "annual_salary", "start", "end", "team", "funded_by", "full_year",
            "permanent", "increments", "stated", "note")
COLUMNS = REQUIRED + OPTIONAL
UNNAMED = ""  # a header cell left blank
_WORDS = ("title", "team", "note")  # any text is valid, and the cost does not depend on it


@dataclass(frozen=True)
class CsvPosts:
    """The posts of a CSV file by the theme each row names, in the file's order, with each row's
    line in the file."""

    file: str
    themes: dict[str, PostRows]
    lines: dict[str, list[int]]


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
    text = read_text(path, CSV_POSTS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]))
    try:
        header = [cell.strip().lower().replace(" ", "_") for cell in next(reader)]
    except StopIteration:  # pragma: no cover - read_text refuses empty files
        raise PostcostError([Problem(name, 1, "has no header row")]) from None
    problems = _header_problems(name, header)
    if problems:
        raise PostcostError(problems)
    rows, themes, lines = [], [], []
    width = len(header)
    theme_at = header.index("theme")
    unnamed = [i for i, column in enumerate(header) if column == UNNAMED]
    try:
        for cells in reader:  # cells as written; _trusted_rows strips each distinct one once
            if len(cells) > width and not "".join(cells[width:]).strip():
                cells = cells[:width]  # blank cells past the last column, as spreadsheets leave them
            theme = cells[theme_at].strip() if len(cells) == width else ""
            if unnamed and theme and (filled := [i for i in unnamed if cells[i].strip()]):
                value, column = cells[filled[0]].strip(), filled[0] + 1
                problems.append(Problem(
                    name, reader.line_num, f"has {value!r} in column {column}, which the header row leaves unnamed",
                    "name the column in the header row, or clear the cell",
                ))
                continue
            if not theme:
                if not "".join(cells).strip():
                    continue  # a blank row
                if len(cells) != width:
                    problems.append(Problem(name, reader.line_num, f"has {len(cells)} cells where the header has {width}", "check for a missing or extra comma"))
                else:
                    problems.append(Problem(name, reader.line_num, "column theme: is empty", "every post needs the theme it belongs to"))
                continue
            rows.append(cells)
            themes.append(theme)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise PostcostError([Problem(name, reader.line_num, f"is not valid CSV: {exc}")]) from None
    columns = None if problems else _trusted_rows(header, rows)
    if columns is None:
        as_dicts = [
            {column: cell for column, raw in zip(header, cells) if (cell := raw.strip()) and column not in ("theme", UNNAMED)}
            for cells in rows
        ]
        columns = _as_rows(_validated_posts(name, as_dicts, lines, problems))
    fields, kind_of, words = columns
    kinds = PostKinds(fields)
    by_theme: dict[str, tuple[list[int], list[dict[str, str]], list[int]]] = {}
    for theme, kind, row_words, line in zip(themes, kind_of, words, lines):
        found = by_theme.get(theme)
        if found is None:
            found = by_theme[theme] = ([], [], [])
        found[0].append(kind)
        found[1].append(row_words)
        found[2].append(line)
    return CsvPosts(
        name,
        {theme: PostRows(kinds, kind_of, row_words) for theme, (kind_of, row_words, _) in by_theme.items()},
        {theme: found_lines for theme, (_, _, found_lines) in by_theme.items()},
    )


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    """Unknown, repeated and missing columns. A column with no name is allowed (spreadsheets leave
    them) as long as its cells are blank."""
    named = Counter(column for column in header if column != UNNAMED)
    return [
        *(Problem(name, 1, f"unknown column {column!r}", _column_hint(column)) for column in named if column not in COLUMNS),
        *(Problem(name, 1, f"column {column!r} is given {n} times", "keep one of them") for column, n in named.items() if n > 1),
        *(Problem(name, 1, f"required column {c!r} is missing", f"columns: {', '.join(COLUMNS)}") for c in REQUIRED if c not in named),
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


Columns = tuple[list[dict[str, Any]], list[int], list[dict[str, str]]]  # PostKinds's fields; PostRows's kind_of, words


def _trusted_rows(header: list[str], rows: list[list[str]]) -> Columns | None:
    """Every row as a PostRows column: its distinct post (its fields but its words) and its
    words; None if any row has a problem. Each distinct cell is stripped and validated once, and
    each distinct combination of them checked together once (words need neither: they are only
    stripped)."""
    text = [(i, column) for i, column in enumerate(header) if column in _WORDS]
    checked = [(i, column, {}) for i, column in enumerate(header) if column not in ("theme", UNNAMED, *_WORDS)]
    checked_cells = operator.itemgetter(*(i for i, _, _ in checked)) if checked else (lambda cells: ())
    kind_at: dict[object, int] = {}  # checked cells -> index into kinds
    kinds: list[dict[str, Any]] = []

    def fields_of(cells: list[str]) -> dict[str, Any] | None:
        fields = {}
        for i, column, seen in checked:  # seen: cell as written -> its value
            raw = cells[i]
            if raw not in seen:
                cell = raw.strip()
                seen[raw] = _field_validator(column)(cell) if cell else _ABSENT
            value = seen[raw]
            if value is not _ABSENT:
                fields[column] = value
        return None if "fte" not in fields or pay_basis_problem(fields) else fields

    kind_of, words = [], []
    try:
        for cells in rows:
            key = checked_cells(cells)
            kind = kind_at.get(key)
            if kind is None:
                fields = fields_of(cells)
                if fields is None:
                    return None
                kind = kind_at[key] = len(kinds)
                kinds.append(fields)
            row_words = {column: cell for i, column in text if (cell := cells[i].strip())}
            if "title" not in row_words:
                return None
            kind_of.append(kind)
            words.append(row_words)
    except ValidationError:
        return None
    return kinds, kind_of, words


def _as_rows(posts: list[PostLine]) -> Columns:
    """Posts validated one by one, as PostRows columns (each its own kind)."""
    kinds = [{k: post.__dict__[k] for k in post.model_fields_set if k not in _WORDS} for post in posts]
    words = [{k: post.__dict__[k] for k in post.model_fields_set if k in _WORDS} for post in posts]
    return kinds, list(range(len(posts))), words


def _validated_posts(name: str, rows: list[dict[str, str]], lines: list[int], problems: list[Problem]) -> list[PostLine]:
    """Validate row by row through PostLine, raising every problem (with those already found)."""
    try:
        posts = _adapter().validate_python(rows)
    except ValidationError as exc:
        for error in exc.errors():
            index, *field = error["loc"]
            message, hint = describe_error(error)
            column = next((part for part in field if isinstance(part, str) and part in COLUMNS), None)
            problems.append(Problem(name, lines[index], f"column {column}: {message}" if column else message, hint))
        posts = []
    if problems:
        raise PostcostError(sorted(problems, key=lambda p: p.line or 0))
    return posts
