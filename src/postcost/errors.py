"""Problems found in a user's input, and the one exception that carries all of them.

A Problem names where it is (file and line when known), what is wrong and, where one helps, what
to do. Library code collects problems and raises a single PostcostError; the CLI prints them as
``postcost: error: FILE:LINE: message`` with an indented hint and exits 2. Anything else that
escapes is a bug in postcost and is allowed to raise loudly.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


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


class PostcostError(Exception):
    """Every problem found in one run; raised once, after collecting all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint naming the nearest of ``choices``, or None when nothing is close."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.6)
    if not close:
        return None
    names = " or ".join(repr(lowered[c]) for c in close)
    return f"did you mean {names}?"
