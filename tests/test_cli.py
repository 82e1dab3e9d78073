"""The command line: exit codes, stdout and stderr kept apart, help for every command."""

from __future__ import annotations

import pytest
import typer.main

from postcost.cli import app

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
