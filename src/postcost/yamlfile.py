"""Reading YAML safely: exact numbers, no duplicate keys, bounded aliases, and a line for every value.

PyYAML's own constructors are not used. The document is composed into nodes (with the C parser
when it is present) and built into plain Python values here, so that:

- no tag can run code: only the core YAML tags are accepted;
- numbers are exact: ``0.10`` becomes ``Decimal("0.10")`` from its text, never a binary float;
  YAML 1.1's surprises (octal ``010``, sexagesimal ``1:30``) are refused, not guessed;
- ``yes``/``no``/``on``/``off`` stay strings (as YAML 1.2 reads them); only true/false are booleans;
- dates stay text (the models parse them), so every date is validated in one place;
- a key given twice is an error naming both lines (PyYAML silently keeps the last);
- aliases cannot blow a small file up into a huge one ("billion laughs");
- every mapping value and list item records the line it is on, for error messages.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from postcost.errors import EXCERPT, PostcostError, Problem, excerpt, underscored_number

try:  # the C parser is several times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, remembering the tag it resolves for each distinct scalar. Even the C
    parser asks Python to resolve every scalar's tag (a regex match or two), and a long proposal
    repeats the same keys, grades and months on every line. The safe loader's tags depend only
    on the scalar's text and quoting (it has no path resolvers), so remembering them is exact."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._tags: dict[tuple[object, ...], str] = {}

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag

MAX_FILE_BYTES = 64 * 1024 * 1024

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT_TAG, _FLOAT, _TIMESTAMP, _MAP, _SEQ, _MERGE = (
    _TAG + name for name in ("str", "null", "bool", "int", "float", "timestamp", "map", "seq", "merge")
)
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[-+]?([0-9]+)?(\.[0-9]*)?([eE][-+]?[0-9]+)?")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

Path_ = tuple[Any, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file: its plain value and the line of every value within it."""

    filename: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def problem(self, path: Path_, message: str, hint: str | None = None) -> Problem:
        """A problem at ``path``, its message led by the path: 'themes[2].lines[0].grade: ...'."""
        where = render_path(path)
        return Problem(self.filename, self.line_of(path), f"{where}: {message}" if where else message, hint)


def render_path(path: Path_) -> str:
    """('themes', 2, 'lines', 0, 'grade') -> 'themes[2].lines[0].grade'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class FileKind:
    """What a file is, in the words :func:`read_bytes`'s messages use for it."""

    name: str  # "proposal file"
    suffix: str  # ".yaml"
    needs: str  # what an empty one lacks
    too_large: str | None = None  # what to do instead of a file over MAX_FILE_BYTES


PROPOSAL = FileKind(
    "proposal file", ".yaml", "a proposal needs at least a title, a pay scale, a period and themes",
    too_large="take long lists of posts from a CSV file instead",
)
PAY_SCALE = FileKind("pay-scale file", ".yaml", "a pay-scale file needs its kind, its name and its figures")
CSV_POSTS = FileKind(
    "CSV file of posts", ".csv", "a CSV file of posts needs a header row naming its columns, then a row a post",
)

_SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")  # the kernel's and devices' files: never a user's input


def read_bytes(path: str | Path, kind: FileKind) -> bytes:
    """The bytes of an ordinary file of at most MAX_FILE_BYTES, turning every way that can fail
    into one clear Problem. Anything else (a named pipe, a device, a socket, a file of the
    system's under /proc, /sys or /dev, even through a link) is refused before it is opened:
    reading one could wait for ever, never end, or read out what is not a proposal at all."""
    name = str(path)
    p = Path(path)

    def fail(message: str, hint: str | None = None) -> PostcostError:
        return PostcostError([Problem(name, None, message, hint)])

    if not p.exists():
        raise fail(f"no such {kind.name}", "check the path; it is taken relative to where you run postcost")
    if p.is_dir():
        raise fail(f"is a directory, not a {kind.name}", f"name a {kind.suffix} file inside it")
    real = os.path.realpath(p)
    if any(real == folder or real.startswith(folder + "/") for folder in _SYSTEM_FOLDERS):
        where = "" if real == os.path.abspath(p) else f" (it leads to {real})"
        raise fail(f"is a system file{where}, not a {kind.name}", f"name a {kind.suffix} file of your own")
    try:
        info = p.stat()
        if not stat.S_ISREG(info.st_mode):
            raise fail(f"is {_special(info.st_mode)}, not a {kind.name}", f"name a {kind.suffix} file of your own")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"is {size:,} bytes; postcost reads files of at most {MAX_FILE_BYTES:,} bytes", kind.too_large)
        with p.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)  # whatever its size said: it may have grown since
    except PermissionError:
        raise fail("cannot be read (permission denied)", "check the file's permissions") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"is more than {MAX_FILE_BYTES:,} bytes; postcost reads files of at most that", kind.too_large)
    return raw


def _special(mode: int) -> str:
    """What a file that is not an ordinary one is, by its stat mode."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_text(path: str | Path, kind: FileKind) -> str:
    """Read a UTF-8 text file (a BOM allowed), turning every way that can fail into one clear Problem."""
    name = str(path)
    raw = read_bytes(path, kind)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "save the file as UTF-8 (most editors offer it under 'Save as')"
        raise PostcostError([Problem(name, line, "is not UTF-8 text", hint)]) from None
    if not text.strip():
        raise PostcostError([Problem(name, None, "is empty", kind.needs)])
    return text


def load_yaml(path: str | Path, kind: FileKind = PROPOSAL) -> YamlDocument:
    """Read and parse one YAML file into a :class:`YamlDocument`."""
    return parse_yaml(read_text(path, kind), str(path))


def parse_yaml(text: str, filename: str) -> YamlDocument:
    """Parse YAML text; raise PostcostError listing every problem found."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = "is not valid YAML: " + " ".join(_clipped(str(part)) for part in (exc.context, exc.problem) if part)
        raise PostcostError(
            [Problem(filename, line, message, "check indentation and quoting on this line and the one before")]
        ) from None
    except yaml.YAMLError as exc:
        raise PostcostError([Problem(filename, None, f"is not valid YAML: {_clipped(str(exc))}")]) from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise PostcostError([Problem(filename, None, "is empty (it holds only comments)")])
    if len(nodes) > 1:
        raise PostcostError(
            [Problem(filename, nodes[1].start_mark.line + 1, "holds more than one YAML document", "keep one proposal per file")]
        )
    builder = _Builder(filename, budget=2 * len(text) + 1000)
    builder.lines[()] = nodes[0].start_mark.line + 1
    data = builder.build(nodes[0], ())
    if builder.problems:
        raise PostcostError(builder.problems)
    return YamlDocument(filename, data, builder.lines)


class _Builder:
    def __init__(self, filename: str, budget: int):
        self.filename = filename
        self.budget = budget  # values a document of this size can honestly hold
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.filename, node.start_mark.line + 1, message, hint))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        """The value of ``node``, at ``path`` (whose line its parent has recorded)."""
        self.budget -= 1
        if self.budget < 0:
            self.fail(node, "aliases expand this document far beyond its size", "remove the '*' aliases")
            raise PostcostError(self.problems)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node, f"the tag {_shown(node.tag)} is not allowed", "remove the tag")
            items = []
            for i, item in enumerate(node.value):
                self.lines[path + (i,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (i,)))
            return items
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        if node.tag != _MAP:
            self.fail(node, f"the tag {_shown(node.tag)} is not allowed", "remove the tag")
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                self.fail(key_node, "merge keys ('<<') are not supported", "write the keys out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be a plain name or number")
                continue
            key = self._scalar(key_node)
            if isinstance(key, Decimal):
                key = str(key)
            if key in first_line:
                self.fail(
                    key_node,
                    f"key {excerpt(key)} is given twice (lines {first_line[key]} and {line})",
                    "delete one of them: YAML would silently keep only the last",
                )
                continue
            first_line[key] = line
            self.lines[path + (key,)] = line  # the key's own line, even for a block value below it
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            return text  # yes/no/on/off/y/n: text, as YAML 1.2 reads it
        if tag in (_INT_TAG, _FLOAT) and "_" in text:  # YAML 1.1 drops them: 1_0 would be 10
            self.fail(node, *underscored_number(text))
            return text
        if tag == _INT_TAG:
            if _INT.fullmatch(text):
                return int(text)
            self.fail(node, f"{excerpt(text)} is an ambiguous number", "write it in plain decimal digits, or quote it as text")
            return text
        if tag == _FLOAT:
            if _DECIMAL.fullmatch(text) and any(ch.isdigit() for ch in text):
                try:
                    return Decimal(text)
                except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
                    pass
            self.fail(node, f"{excerpt(text)} is not a finite number", "write a plain number such as 0.138")
            return text
        if tag == _TIMESTAMP:
            return text
        self.fail(node, f"the tag {_shown(tag)} is not allowed", "remove the tag; postcost reads plain YAML only")
        return text


def _shown(tag: str) -> str:
    """A tag as it is written in YAML: 'tag:yaml.org,2002:python/object' -> '!!python/object'."""
    return _clipped("!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag)


def _clipped(text: str, limit: int = 2 * EXCERPT) -> str:
    """PyYAML's words, which may quote a name from the file (an alias, a tag), cut short."""
    return text if len(text) <= limit else text[:limit] + "…"
