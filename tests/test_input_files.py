"""Input files a finance officer can trust: only ordinary files are read, and boundedly; messages
quote excerpts, never a file's contents; a CSV file of posts reads as Excel saves it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from postcost import PostcostError, cost_proposal, load_proposal
from postcost.csvposts import read_posts_csv
from postcost.errors import excerpt
from postcost import yamlfile
from postcost.yamlfile import CSV_POSTS, read_bytes

from conftest import EXAMPLES, HEADER

SECRET = "DB_PASSWORD=hunter2\n"  # a .env file, named by mistake


def csv_proposal(write, rows: str | bytes) -> Path:
    path = write(HEADER + "posts_csv: posts.csv\nthemes: []\n")
    csv = path.parent / "posts.csv"
    csv.write_bytes(rows if isinstance(rows, bytes) else rows.encode("utf-8"))
    return path


def problem_of(path: Path):
    with pytest.raises(PostcostError) as raised:
        cost_proposal(load_proposal(path))
    (problem,) = raised.value.problems
    return problem


# --- only ordinary files ---------------------------------------------------------------------


def test_a_fifo_as_pay_scale_is_refused_without_being_opened(write, tmp_path):
    fifo = tmp_path / "scale.yaml"
    os.mkfifo(fifo)
    path = write(
        HEADER.replace("pay_scale: nottinghamshire", f"pay_scale: {fifo}")
        + "themes:\n  - {name: A, lines: [{title: x, grade: Band B, fte: 1}]}\n"
    )
    # a subprocess, so that a reader blocked on the pipe fails the test at the timeout rather
    # than hanging the suite (the timeout guards; it asserts nothing about speed)
    result = subprocess.run(
        [sys.executable, "-m", "postcost", "total", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"postcost: error: {fifo}: is a named pipe (FIFO), not a pay-scale file\n"
        "  hint: name a .yaml file of your own\n"
    )


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null", "/proc/self/environ", "/sys/kernel"])
def test_a_system_file_named_or_linked_to_is_refused(write, tmp_path, target):
    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")
    link = tmp_path / "linked.csv"
    link.symlink_to(target)
    for named in (target, link):
        path = write(HEADER + f"posts_csv: {named}\nthemes: []\n")
        problem = problem_of(path)
        assert problem.file == str(path) and problem.line == 6  # the posts_csv line
        real = os.path.realpath(named)
        shown = "" if real == os.path.abspath(named) else f" (it leads to {real})"  # /proc/self is a link too
        kind = "a directory, not a CSV file of posts" if target == "/sys/kernel" else f"a system file{shown}, not a CSV file of posts"
        assert problem.message == f"posts_csv: {named}: is {kind}"


def test_proc_environ_shows_nothing_of_the_environment(write, run, monkeypatch):
    monkeypatch.setenv("POSTCOST_TEST_SECRET", "hunter2")
    result = run("total", write(HEADER + "posts_csv: /proc/self/environ\nthemes: []\n"))
    assert result.exit_code == 2 and "hunter2" not in result.stderr and "system file" in result.stderr


def test_a_socket_is_refused(tmp_path):
    where = tmp_path / "s.csv"
    if len(str(where)) > 100:  # a Unix socket's path is at most 108 bytes
        pytest.skip("tmp_path too long for a Unix socket")
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(where))
        with pytest.raises(PostcostError) as raised:
            read_bytes(where, CSV_POSTS)
    assert raised.value.problems[0].message == "is a socket, not a CSV file of posts"


def test_a_file_larger_than_its_size_said_is_refused(tmp_path, monkeypatch):
    """The read is bounded whatever stat says: a file reported as 0 bytes (as /proc's are, or
    one growing as it is read) and holding 11 bytes, with a 10-byte limit, is refused."""
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 10)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 12345678")  # 11 bytes
    real = big.stat()
    said = os.stat_result((real.st_mode, *real[1:6], 0, *real[7:]))  # st_size (index 6) said as 0
    monkeypatch.setattr(Path, "stat", lambda self, **kw: said if self == big else os.stat(self, **kw))
    with pytest.raises(PostcostError) as raised:
        read_bytes(big, yamlfile.PROPOSAL)
    assert raised.value.problems[0].message == "is more than 10 bytes; postcost reads files of at most that"
    monkeypatch.undo()
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 10)
    with pytest.raises(PostcostError) as raised:  # and when stat tells the truth, its size is named
        read_bytes(big, yamlfile.PROPOSAL)
    assert raised.value.problems[0].message == "is 11 bytes; postcost reads files of at most 10 bytes"


# --- excerpts, never contents ----------------------------------------------------------------


def test_an_excerpt_is_short_and_escapes_control_characters():
    assert excerpt("Band B") == "'Band B'"
    assert excerpt(44) == "44"
    assert excerpt("a\tb\x1b[31m") == "'a\\tb\\x1b[31m'"
    assert excerpt("x" * 41) == "'" + "x" * 40 + "…'"  # 40 characters of the text, then '…'
    assert excerpt("x" * 40) == "'" + "x" * 40 + "'"
    assert excerpt(10**50) == "1" + "0" * 39 + "…"


@pytest.mark.parametrize("as_what", ["pay_scale", "posts_csv"])
@pytest.mark.parametrize("secret", [SECRET, "export DB_PASSWORD=hunter2\nAPI_KEY=hunter2\n", "hunter2"])
def test_a_file_of_secrets_named_by_mistake_is_refused_quoting_none_of_it(write, run, tmp_path, as_what, secret):
    (tmp_path / ".env").write_text(secret, encoding="utf-8")
    header = HEADER.replace("pay_scale: nottinghamshire", "pay_scale: ./.env") if as_what == "pay_scale" else HEADER
    extra = "posts_csv: ./.env\n" if as_what == "posts_csv" else ""
    result = run("total", write(header + extra + "themes:\n  - {name: A, lines: [{title: x, grade: Band B, fte: 1}]}\n"))
    assert result.exit_code == 2
    assert "hunter2" not in result.stderr and "PASSWORD" not in result.stderr
    if as_what == "posts_csv":
        assert ".env:1: is not a CSV file of posts: its first row names none of the columns theme, title and fte" in result.stderr
    else:
        assert ".env:1: the top level must be a mapping of keys (such as 'title:'), not a single value (text)" in result.stderr


def test_a_long_unknown_column_is_quoted_by_its_start(write):
    header = "theme,title,fte," + "x" * 5000
    problem = problem_of(csv_proposal(write, header + "\nA,one,1,\n"))
    assert problem.message == "unknown column '" + "x" * 40 + "…'"


def test_a_long_value_is_quoted_by_its_start(write):
    path = write(HEADER + f"themes:\n  - {{name: A, lines: [{{title: x, grade: Band B, fte: '{'9' * 500}x'}}]}}\n")
    problem = problem_of(path)
    assert problem.message == "themes[0].lines[0].fte: '" + "9" * 40 + "…': Input should be a valid decimal"
    path = write(HEADER + f"themes:\n  - {{name: A, lines: [{{title: x, grade: Band B, fte: 1, start: '{'2' * 500}'}}]}}\n")
    assert "2" * 41 not in problem_of(path).message  # the month validator's own message, shortened too


# --- encodings -------------------------------------------------------------------------------

NAMED = "Multi-Agency Safeguarding Hub"
ACCENTED = "Siân’s team – £ Hub"  # every one of â ’ – £ is in Windows-1252


def shipped_csv_example(tmp_path: Path, encoding: str | None, tabs: bool = False) -> Path:
    """The shipped CSV example in tmp_path, a team renamed with Windows-1252's letters (the cost
    does not depend on it), saved in ``encoding`` as Excel saves it."""
    shutil.copy(EXAMPLES / "csv-establishment.yaml", tmp_path / "csv-establishment.yaml")
    (tmp_path / "csv").mkdir()
    text = (EXAMPLES / "csv" / "establishment-posts.csv").read_text(encoding="utf-8")
    assert NAMED in text
    text = text.replace(NAMED, ACCENTED)
    if tabs:
        text = text.replace(",", "\t")  # no cell of the example holds a comma
    if encoding == "utf-16":  # Excel's 'Unicode Text': UTF-16 little-endian with its byte-order mark, CRLF
        data = text.replace("\n", "\r\n").encode("utf-16")
    else:
        data = text.encode(encoding or "utf-8")
    (tmp_path / "csv" / "establishment-posts.csv").write_bytes(data)
    return tmp_path / "csv-establishment.yaml"


def grand_total(run, path: Path) -> str:
    result = run("total", "--format", "json", path)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["grand_total"]


@pytest.mark.parametrize(
    "encoding, tabs, name",
    [("utf-8-sig", False, "UTF-8"), ("cp1252", False, "Windows-1252"), ("utf-16", True, "UTF-16"), ("utf-16", False, "UTF-16"),
     ("utf-16-be", False, None)],
)
def test_the_shipped_csv_example_resaved_by_excel_costs_the_same(run, tmp_path, encoding, tabs, name):
    original = grand_total(run, EXAMPLES / "csv-establishment.yaml")
    assert original == "405290.32"  # the shipped example's total (tests/golden)
    if encoding == "utf-16-be":  # big-endian, with its byte-order mark written by hand
        path = shipped_csv_example(tmp_path, None)
        csv = tmp_path / "csv" / "establishment-posts.csv"
        csv.write_bytes(b"\xfe\xff" + csv.read_text(encoding="utf-8").encode("utf-16-be"))
        name = "UTF-16"
    else:
        path = shipped_csv_example(tmp_path, encoding, tabs)
    assert grand_total(run, path) == original
    found = read_posts_csv(tmp_path / "csv" / "establishment-posts.csv")
    assert found.encoding == name
    teams = [post.team for post in load_proposal(path).csv_rows[1].posts()]
    assert teams[0] == ACCENTED
    # the footer names an encoding that is not UTF-8, and explain shows the same footer
    note = f"Posts read from {tmp_path / 'csv' / 'establishment-posts.csv'} as {name} text (it is not UTF-8)."
    assert (note in cost_proposal(load_proposal(path)).notes) == (name != "UTF-8")


def test_utf8_is_read_as_utf8_not_as_windows_1252(write):
    path = csv_proposal(write, "theme,title,grade,fte\nA,Siân £,Band B,1\n")
    assert read_posts_csv(path.parent / "posts.csv").encoding == "UTF-8"
    assert next(cost_proposal(load_proposal(path)).lines).title == "Siân £"  # not 'SiÃ¢n Â£'


def test_bytes_no_encoding_reads_are_named_at_their_line(write):
    # 0x81 is a character in none of UTF-8 (a lone continuation byte) and Windows-1252 (unassigned)
    path = csv_proposal(write, b"theme,title,grade,fte\nA,one,Band B,1\nA,two \x81,Band B,1\n")
    problem = problem_of(path)
    assert problem.file.endswith("posts.csv") and problem.line == 3
    assert problem.message == (
        "is not text in any encoding postcost reads (UTF-8, UTF-16 with its byte-order mark, Windows-1252): "
        "byte 0x81 is none of them"
    )
    assert problem.hint == "save it from Excel as 'CSV UTF-8', or from another program as UTF-8"


def test_utf16_without_its_byte_order_mark_is_refused(write):
    path = csv_proposal(write, "theme,title,grade,fte\nA,one,Band B,1\n".encode("utf-16-le"))
    problem = problem_of(path)
    assert (problem.line, problem.message) == (
        1, "is not text: it holds NUL characters (is it UTF-16 without its byte-order mark?)"
    )


def test_broken_utf16_is_named_at_its_line(write):
    # a lone high surrogate (0xD800) on line 2 is not UTF-16
    path = csv_proposal(write, "theme,title,grade,fte\nA,".encode("utf-16") + b"\x00\xd8" + "x,Band B,1\n".encode("utf-16-le"))
    problem = problem_of(path)
    assert (problem.line, problem.message) == (2, "is not UTF-16 text, though it starts as UTF-16 does")


def test_yaml_files_stay_utf8_only(write, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes((HEADER + "themes: []\nnote: £5\n").encode("cp1252"))
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.message) == (7, "is not UTF-8 text")


# --- no posts, and no CSV of posts -----------------------------------------------------------


@pytest.mark.parametrize("rows", ["theme,title,grade,fte\n", "theme,title,grade,fte\n,,,\n\n , , , \n"])
def test_a_header_with_no_posts_under_it_is_an_error(write, rows):
    problem = problem_of(csv_proposal(write, rows))
    assert problem.file.endswith("posts.csv") and problem.line == 1
    assert problem.message == "has a header row but no posts under it"


def test_a_first_row_naming_no_column_of_posts_is_not_quoted(write):
    problem = problem_of(csv_proposal(write, "user,password\nadmin,hunter2\n"))
    assert problem.line == 1 and "hunter2" not in problem.render() and "password" not in problem.render()
    assert problem.message == "is not a CSV file of posts: its first row names none of the columns theme, title and fte"


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "{title: x, grade: Band B, fte: 1_0}",
        "{title: x, grade: Band B, point: 2_8, fte: 1}",
        "{title: x, annual_salary: 30_000, fte: 1}",
        "{title: x, grade: Band B, fte: 1, stated: 7_4}",
        "{kind: amount, title: x, amount: 1_000}",
        "{kind: amount, title: x, amount: '1_000'}",  # quoted: read through the money reader
        "{kind: unit_cost, title: x, unit_amount: 5, quantity: 1_0}",
    ],
)
def test_a_yaml_number_with_an_underscore_is_refused(write, line):
    problem = problem_of(write(HEADER + f"themes:\n  - name: A\n    lines:\n      - {line}\n"))
    assert problem.line == 9 and "a number may not contain '_'" in problem.message
    assert "write it in plain digits" in (problem.hint or problem.message)


@pytest.mark.parametrize(
    "column, cell, digits",
    [("fte", "1_0", "10, or 1.0 if the '_' is a mistyped point"), ("point", "2_8", "28, or 2.8 if the '_' is a mistyped point"),
     ("annual_salary", "30_000", "30000, or 30.000 if the '_' is a mistyped point"), ("stated", "74_864.11", "74864.11")],
)
def test_a_csv_number_with_an_underscore_is_refused(write, column, cell, digits):
    basis = "" if column == "annual_salary" else "grade,"
    value = "" if column == "annual_salary" else "Band B,"
    fte = "" if column == "fte" else ",1"
    head = f"theme,title,{basis}{column}" + ("" if column == "fte" else ",fte")
    problem = problem_of(csv_proposal(write, f"{head}\nA,x,{value}{cell}{fte}\n"))
    assert (problem.line, problem.message) == (2, f"column {column}: '{cell}': a number may not contain '_'")
    assert problem.hint == f"write it in plain digits, as {digits}"


def test_point_44_0_is_point_44_in_yaml_and_csv(write):
    # SCP 44 is £47,806 in 2020/21 (see examples/csv-establishment.yaml); 44.5 is no point
    costs = []
    for written in ("44", "44.0", "44.00"):
        yaml_path = write(HEADER + f"themes:\n  - {{name: A, lines: [{{title: x, grade: Band E, point: {written}, fte: 1}}]}}\n")
        yaml_line = next(cost_proposal(load_proposal(yaml_path)).lines)
        csv_line = next(cost_proposal(load_proposal(csv_proposal(write, f"theme,title,grade,point,fte\nA,x,Band E,{written},1\n"))).lines)
        assert yaml_line.point == csv_line.point == "44"
        assert yaml_line.annual_salaries == csv_line.annual_salaries == (Decimal("47806"),)
        costs.append((yaml_line.cost, csv_line.cost))
    assert len(set(costs)) == 1
    problem = problem_of(write(HEADER + "themes:\n  - {name: A, lines: [{title: x, grade: Band E, point: 44.5, fte: 1}]}\n"))
    assert "'44.5'" in problem.message
