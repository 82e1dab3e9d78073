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
    out = tmp_path / "t.txt"  # .txt is no format of its own: --format says what to write
    result = run("total", JULY_2021, "--format", "table", "-o", out)
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


# 100 computed against 99 stated: check exits 1
A_FEE_STATED_WRONG = """\
    title: Test
    authority: Test Council
    period: {start: 2021-08, end: 2022-03}
    themes:
      - name: Adults
        lines:
          - {kind: amount, title: "Fees [x]", amount: 100, stated: 99}
    """


def test_square_brackets_in_a_checked_title_print_as_written(run, write):
    result = run("check", write(A_FEE_STATED_WRONG))
    assert result.exit_code == 1, result.output
    assert "Fees [x]" in result.stdout


def console(*args: object) -> subprocess.CompletedProcess:
    """Run the console script, cli.main, which ends the process with os._exit once its output is
    flushed: it must keep every exit code and every byte of output the app gives."""
    return subprocess.run(
        [sys.executable, "-c", "from postcost.cli import main; main()", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, "COLUMNS": "100"}, check=False,
    )


def test_the_console_script_writes_all_its_output():
    done = console("total", "--format", "json", JULY_2021)
    assert done.returncode == 0, done.stderr
    # the JSON is whole, and its total is the report's £3,342,243
    # (Nottinghamshire County Council, ASCPH Committee, 26 July 2021, para 61)
    assert round_pounds(Decimal(json.loads(done.stdout)["grand_total"])) == 3342243


def test_the_console_script_keeps_exit_codes(write):
    assert console("--version").returncode == 0
    assert console("check", write(A_FEE_STATED_WRONG)).returncode == 1
    done = console("total", "no-such.yaml")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("postcost: error: no-such.yaml")


def test_check_annotates_bad_input_for_github_at_its_file_and_line(run, write):
    bad = write("""\
        title: t
        authority: a
        pay_scale: nottinghamshire
        period: {start: 2021-09, end: 2022-03}
        themes:
          - name: T
            lines:
              - {title: Social Worker, grade: Band Q, fte: 1}
        """)
    result = run("check", "--format", "github", bad, JULY_2021)
    assert result.exit_code == 2  # bad input outranks the July file's clean check
    annotation = result.stdout.splitlines()[0]
    assert annotation.startswith(f"::error file={bad},line=8,title=postcost: bad input::themes[0].lines[0].grade: ")
    assert "(hint: did you mean" in annotation
    assert "July" not in annotation and "OK: 67 figures checked" in result.stdout
    assert json.loads(run("check", "--format", "json", bad).stdout)["errors"][0]["line"] == 8


def test_check_passes_over_a_pay_scale_file_and_total_refuses_one(run):
    scale = JULY_2021.parent.parent / "pay_scales" / "nottinghamshire.yaml"
    result = run("check", JULY_2021, scale)
    assert result.exit_code == 0
    kind_line = scale.read_text(encoding="utf-8").splitlines().index("kind: authority") + 1
    assert f"postcost: {scale}:{kind_line}: a pay-scale file, not a proposal: not checked" in result.stderr
    result = run("total", scale)
    assert result.exit_code == 2
    assert "this is a pay-scale file (kind: authority), not a proposal" in result.stderr
    assert "unknown key" not in result.stderr
