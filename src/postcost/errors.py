"""Problems found in a user's input, and the one exception that carries all of them.

A Problem names where it is (file and line when known), what is wrong and, where one helps, what
to do. Library code collects problems and raises a single PostcostError; the CLI prints them as
``postcost: error: FILE:LINE: message`` with an indented hint and exits 2. Anything else that
escapes is a bug in postcost and is allowed to raise loudly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    file: str | None
    line: int | None
    message: str
    hint: str | None = None

    @property
    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def at_line(self, line: int | None) -> Problem:
        return Problem(self.file, line, self.message, self.hint)

    def render(self) -> str:
        where = self.location
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


_KEY_PATH = re.compile(r"[A-Za-z_]\w*(?:\[\d+\]|\.\w+)*: ")  # 'themes[2].lines[0].grade: ', leading a message
_INDEX = re.compile(r"\[\d+\]")
SHOWN_REPEATS = 5  # the lines named, one by one, for a problem repeated at other lines


def render_problems(problems: Iterable[Problem]) -> list[str]:
    """Each problem rendered as :meth:`Problem.render`, except that a problem repeated at other
    lines of the same file (the same message, key and hint: a grade a whole CSV export misspells,
    a date past the pay scale on every post) is given in full once, at its first line, and its
    other lines follow, in order, in one line of their own:
    'posts.csv:3, 4, 5, 6, 7 and 4,995 more lines: the same problem as line 2'."""
    repeats: dict[tuple[object, ...], list[Problem]] = {}
    for problem in problems:
        repeats.setdefault(_same_but_for_place(problem), []).append(problem)
    rendered = []
    for alike in repeats.values():
        first, *again = sorted(alike, key=lambda p: p.line or 0)
        rendered.append(first.render())
        if again:
            lines = [str(p.line) for p in again]
            named = ", ".join(lines[:SHOWN_REPEATS])
            more = f" and {len(lines) - SHOWN_REPEATS:,} more lines" if len(lines) > SHOWN_REPEATS else ""
            rendered.append(f"{first.file}:{named}{more}: the same problem as line {first.line}")
    return rendered


def _same_but_for_place(problem: Problem) -> tuple[object, ...]:
    """What two problems at different lines share when they are the same problem: the file, the
    hint and the message, its key path's indexes left out ('themes[].lines[].grade: ...'). A
    problem without a line stands alone."""
    if problem.file is None or problem.line is None:
        return (id(problem),)
    message = problem.message
    path = _KEY_PATH.match(message)
    if path:
        message = _INDEX.sub("[]", path.group()) + message[path.end():]
    return (problem.file, message, problem.hint)


EXCERPT = 40  # characters of a user's value a message quotes at most


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A value as a message quotes it: its repr (so control characters are escaped, as in
    'a\\tb'), of at most ``limit`` characters between its quotes, cut with '…'. A message never
    dumps a file: a long cell, or a whole line read as one value, is shown by its start."""
    if not isinstance(value, str):
        shown = repr(value)
        return shown if len(shown) <= limit else shown[:limit] + "…"
    text = value[:limit]
    while len(repr(text)) > limit + 2:  # escapes ('\\x1b') take more room than their character
        text = text[:-1]
    return repr(text + "…") if len(text) < len(value) else repr(text)


def underscored_number(text: str) -> tuple[str, str]:
    """The message and hint refusing a number written with '_' ('1_0'): YAML, Python and pydantic
    read it as 10, but it may well be 1.0 mistyped."""
    message = f"{excerpt(text)}: a number may not contain '_'"
    if len(text) > EXCERPT:
        return message, "write it in plain digits"
    hint = f"write it in plain digits, as {text.replace('_', '')}"
    if text.count("_") == 1 and "." not in text:
        hint += f", or {text.replace('_', '.')} if the '_' is a mistyped point"
    return message, hint


class PostcostError(Exception):
    """Every problem found in one run; raised once, after collecting all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint naming the nearest of ``choices``, or None when nothing is close."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.7)
    if not close:
        return None
    names = " or ".join(repr(lowered[c]) for c in close)
    return f"did you mean {names}?"


def describe_error(error: dict[str, Any]) -> tuple[str, str | None]:
    """Pydantic's message for one error, with the value quoted and a hint for common types."""
    kind = error["type"]
    if kind == "missing":
        return f"required {error['loc'][-1]!r} is missing", None
    if kind == "extra_forbidden":
        return f"unknown key {excerpt(error['loc'][-1])}", None
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message.removesuffix(", unable to interpret input")
    if kind == "greater_than" and error.get("ctx", {}).get("gt") == 0:
        message = "must be a positive number"
    if kind == "less_than":
        message = f"is too large; it must be under {error['ctx']['lt']:,}"
    value = error.get("input")
    quotable = isinstance(value, (str, int)) and not isinstance(value, bool)
    if quotable and repr(value) in message:  # a validator's own message quotes the value in full
        message = message.replace(repr(value), excerpt(value))
    elif kind not in ("model_type", "line_kind") and quotable:
        message = f"{excerpt(value)}: {message}"
    return message, error.get("ctx", {}).get("hint") or _TYPE_HINTS.get(kind)


_TYPE_HINTS = {
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "decimal_parsing": "write a number, such as 1 or 0.5",
    "decimal_type": "write a number, such as 1 or 0.5",
    "string_type": "write text (quote it if it looks like a number or a date)",
    "dict_type": "write a mapping of keys, each on its own line as 'key: value'",
    "list_type": "write a list, each item on its own line starting with '- '",
}
