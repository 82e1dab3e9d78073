"""Posts from a CSV file, as HR systems export an establishment: one row a post.

Columns (a header row names them; any order; blank cells take the default):
theme, title, fte (required); grade, point or annual_salary; start, end, team, funded_by,
full_year, permanent, increments, stated, note. Each row is validated exactly like a post in
YAML, and problems are reported as CSVFILE:LINE.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from postcost.errors import PostcostError, Problem, describe_error, did_you_mean
from postcost.models import PostLine
from postcost.yamlfile import read_text

REQUIRED = ("theme", "title", "fte")
OPTIONAL = ("grade", "point", "annual_salary", "start", "end", "team", "funded_by", "full_year",
            "permanent", "increments", "stated", "note")
COLUMNS = REQUIRED + OPTIONAL


@dataclass(frozen=True)
class CsvPost:
    theme: str
    post: PostLine
    file: str
    line: int


@functools.cache
def _adapter() -> TypeAdapter[list[PostLine]]:
    return TypeAdapter(list[PostLine])


def read_posts_csv(path: Path) -> list[CsvPost]:
    """Read and validate every row; raise PostcostError naming every problem by file and line."""
    name = str(path)
    reader = csv.reader(io.StringIO(read_text(path, what="CSV file of posts"), newline=""))
    try:
        header = [cell.strip().lower().replace(" ", "_") for cell in next(reader)]
    except StopIteration:  # pragma: no cover - read_text refuses empty files
        raise PostcostError([Problem(name, 1, "has no header row")]) from None
    problems = [
        Problem(name, 1, f"unknown column {column!r}", did_you_mean(column, COLUMNS) or f"columns: {', '.join(COLUMNS)}")
        for column in header
        if column not in COLUMNS
    ]
    problems += [Problem(name, 1, f"required column {c!r} is missing", f"columns: {', '.join(COLUMNS)}") for c in REQUIRED if c not in header]
    if problems:
        raise PostcostError(problems)
    rows, themes, lines = [], [], []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.append(Problem(name, reader.line_num, f"has {len(cells)} cells where the header has {len(header)}", "check for a missing or extra comma"))
                continue
            row = {key: cell.strip() for key, cell in zip(header, cells) if cell.strip()}
            theme = row.pop("theme", None)
            if theme is None:
                problems.append(Problem(name, reader.line_num, "column theme: is empty", "every post needs the theme it belongs to"))
                continue
            rows.append(row)
            themes.append(theme)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise PostcostError([Problem(name, reader.line_num, f"is not valid CSV: {exc}")]) from None
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
    return [CsvPost(theme, post, name, line) for theme, post, line in zip(themes, posts, lines)]
