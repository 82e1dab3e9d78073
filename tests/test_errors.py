"""The error catalogue: each file in tests/errors/ and the exact message it must give.

Every case exits 2 with the expected text on stderr (file, line, what is wrong, and a hint where
one helps), nothing on stdout and no traceback. To add a case, write
tests/errors/NAME.yaml and NAME.expected (the stderr of `postcost total tests/errors/NAME.yaml`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postcost.errors import Problem, render_problems

from conftest import ROOT

ERRORS = ROOT / "tests" / "errors"
CASES = sorted(ERRORS.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # the expected messages name files as tests/errors/NAME.yaml


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_error_catalogue(run, case: Path):
    result = run("total", case.relative_to(ROOT))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == case.with_suffix(".expected").read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr


def test_every_case_has_its_expected_text():
    assert {p.stem for p in ERRORS.glob("*.expected")} == {p.stem for p in CASES}


def test_each_message_names_the_file_once_per_problem():
    for case in CASES:
        for line in case.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
            if not line.startswith("  hint: "):  # the case's file, or the sibling it names (NAME.csv)
                assert line.startswith(f"postcost: error: tests/errors/{case.stem}."), line


def test_separate_mistakes_are_all_reported_in_one_run(run):
    for name, count in (("three-mistakes", 3), ("three-costing-mistakes", 3), ("form-and-costing-mistakes", 4)):
        result = run("total", f"tests/errors/{name}.yaml")
        assert result.stderr.count("postcost: error:") == count


def test_a_problem_repeated_at_other_lines_is_given_once_then_its_lines():
    hint = "did you mean 'Band B'?"
    message = "column grade: grade 'Band Q' is not a grade of x"
    grade = [Problem("p.csv", line, message, hint) for line in range(9, 1, -1)]  # out of order, as costing may find them
    assert render_problems(grade) == [
        "p.csv:2: column grade: grade 'Band Q' is not a grade of x\n  hint: did you mean 'Band B'?",
        "p.csv:3, 4, 5, 6, 7 and 2 more lines: the same problem as line 2",
    ]


def test_problems_alike_but_for_their_key_or_file_stay_apart():
    problems = [
        Problem("p.yaml", 9, "themes[0].lines[0].fte: must be a positive number"),
        Problem("p.yaml", 12, "themes[0].lines[1].stated: must be a positive number"),  # another key
        Problem("q.yaml", 9, "themes[0].lines[0].fte: must be a positive number"),  # another file
        Problem("p.yaml", None, "themes: is empty"),
        Problem("p.yaml", None, "themes: is empty"),  # no line to tell them apart by: each stands alone
        Problem("p.yaml", 20, "themes[1].lines[4].fte: must be a positive number"),  # the first again
    ]
    assert render_problems(problems) == [
        "p.yaml:9: themes[0].lines[0].fte: must be a positive number",
        "p.yaml:20: the same problem as line 9",
        "p.yaml:12: themes[0].lines[1].stated: must be a positive number",
        "q.yaml:9: themes[0].lines[0].fte: must be a positive number",
        "p.yaml: themes: is empty",
        "p.yaml: themes: is empty",
    ]


def test_missing_file(run):
    result = run("total", "tests/errors/no-such-file.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("postcost: error: tests/errors/no-such-file.yaml: no such proposal file\n")


def test_directory(run):
    result = run("total", "tests/errors")
    assert result.exit_code == 2
    assert result.stderr.startswith("postcost: error: tests/errors: is a directory, not a proposal file\n")


def test_check_gives_the_same_messages(run):
    result = run("check", "tests/errors/unknown-key.yaml")
    assert result.exit_code == 2
    assert result.stderr == (ERRORS / "unknown-key.expected").read_text(encoding="utf-8")
