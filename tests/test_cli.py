"""The command line: exit codes, stdout and stderr kept apart, help for every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
import typer.main

from postcost.cli import app
from postcost.money import round_pounds

from conftest import JULY_2021


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("postcost ")


def command_names():
    return sorted(typer.main.get_command(app).commands)


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    command = typer.main.get_command(app).commands[name]
    assert command.help and len(command.help.split()) > 5, f"{name} needs help text"


def test_missing_file_is_one_clear_line_and_exit_2(run):
    result = run("total", "no-such.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("postcost: error: no-such.yaml: no such proposal file")
    assert "Traceback" not in result.stderr


def test_bad_input_names_file_and_line(run, write):
    text = JULY_2021.read_text(encoding="utf-8")
    line = text[: text.index("grade: Band C\n")].count("\n") + 1  # theme 1, line 2
    path = write(text.replace("grade: Band C\n", "grade: Band Q\n", 1))
    result = run("total", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"postcost: error: {path}:{line}: themes[0].lines[1].grade: grade 'Band Q' is not a grade of nottinghamshire\n"
    )
    assert "hint: did you mean" in result.stderr


def test_table_can_be_written_to_a_file(run, tmp_path):
    out = tmp_path / "t.txt"
    result = run("total", JULY_2021, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert "£3,342,243" in out.read_text(encoding="utf-8")


def test_square_brackets_in_titles_print_as_written(run, write):
    # rich would read "[draft]" as markup and drop it: the table passes every cell as plain text
    path = write("""\
        title: Test [draft]
        authority: Test Council
        pay_scale: nottinghamshire
        period: {start: 2021-08, end: 2022-03}
        themes:
          - name: Adults [east]
            lines:
              - {kind: amount, title: "Fees [x] [/x]", amount: 100}
        """)
    result = run("total", path)
    assert result.exit_code == 0, result.output
    for text in ("Test [draft]", "Adults [east]", "Fees [x] [/x]", "Sub-total: Adults [east]"):
        assert text in result.stdout


def test_square_brackets_in_a_checked_title_print_as_written(run, write):
    path = write("""\
        title: Test
        authority: Test Council
        period: {start: 2021-08, end: 2022-03}
        themes:
          - name: Adults
            lines:
              - {kind: amount, title: "Fees [x]", amount: 100, stated: 99}
        """)
    result = run("check", path)
    assert result.exit_code == 1, result.output  # 100 computed against 99 stated
    assert "Fees [x]" in result.stdout


# The console script (cli.main) ends the process with os._exit once its output is flushed: it
# must keep every exit code and every byte of output that the app itself gives.
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("total", "--format", "json", str(JULY_2021)), 0),
        (("total", "no-such.yaml"), 2),
        (("check", "{disagreeing}"), 1),
        (("--version",), 0),
    ],
)
def test_the_console_script_keeps_exit_codes_and_output(write, args, code):
    disagreeing = write("""\
        title: Test
        authority: Test Council
        period: {start: 2021-08, end: 2022-03}
        themes:
          - name: Adults
            lines:
              - {kind: amount, title: Fees, amount: 100, stated: 99}
        """)
    args = [arg.format(disagreeing=disagreeing) for arg in args]
    done = subprocess.run(
        [sys.executable, "-c", "from postcost.cli import main; main()", *args],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, "COLUMNS": "100"},
    )
    assert done.returncode == code, done.stderr
    if args[0] == "total" and code == 0:
        # every byte flushed: the JSON is whole, and its total is the report's £3,342,243
        # (Nottinghamshire County Council, ASCPH Committee, 26 July 2021, para 61)
        assert round_pounds(Decimal(json.loads(done.stdout)["grand_total"])) == 3342243
    elif code == 2:
        assert done.stderr.startswith("postcost: error: no-such.yaml") and done.stdout == ""
    elif code == 1:
        assert "Fees" in done.stdout
    else:
        assert done.stdout.startswith("postcost ")
