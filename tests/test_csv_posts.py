"""Posts from a CSV file: validated like YAML posts, problems named by the CSV file and row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from postcost import PostcostError, cost_proposal, load_proposal

from conftest import EXAMPLES, HEADER

CSV_EXAMPLE = EXAMPLES / "csv-establishment.yaml"


def proposal(write, rows: str, themes: str = "themes: []\n"):
    write(rows, "posts.csv")
    return write(HEADER + "posts_csv: posts.csv\n" + themes)


def test_the_csv_example_costs_and_checks(run):
    report = cost_proposal(load_proposal(CSV_EXAMPLE))
    social_worker = next(line for line in report.lines if line.title == "Social Worker")
    # hand derivation in the example's header: 3 × 7 × 42,779.49 / 12 = £74,864.11
    assert social_worker.cost == Decimal("74864.11") and social_worker.fte == 3
    assert run("check", CSV_EXAMPLE).exit_code == 0


def test_rows_join_themes_by_name_in_order(write):
    path = proposal(
        write,
        "theme,title,grade,fte\nA,one,Band B,1\nB,two,Band B,1\nA,three,Band B,1\n",
        "themes:\n  - name: B\n    lines:\n      - {kind: amount, title: yaml line, amount: 5}\n",
    )
    report = cost_proposal(load_proposal(path))
    assert [(t.name, [line.title for line in t.lines]) for t in report.themes] == [
        ("B", ["yaml line", "two"]),
        ("A", ["one", "three"]),
    ]


def test_a_bad_cell_is_reported_at_its_row(write):
    path = proposal(write, "theme,title,grade,fte,start\nA,one,Band B,1,2021-09\nA,two,Band B,two,2021-13\n")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    rendered = [p.render() for p in raised.value.problems]
    csv = str(path.parent / "posts.csv")
    assert rendered == [
        f"{csv}:3: column fte: 'two': Input should be a valid decimal\n  hint: write a number, such as 1 or 0.5",
        f"{csv}:3: column start: month 13 does not exist in '2021-13'",
    ]


def test_an_unknown_column_has_a_hint(write):
    path = proposal(write, "theme,title,grdae,fte\nA,one,Band B,1\n")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.message, problem.hint) == (1, "unknown column 'grdae'", "did you mean 'grade'?")


def test_a_costing_problem_names_the_csv_row(write):
    path = proposal(write, "theme,title,grade,fte\nA,one,Band B,1\nA,two,Band Q,1\n")
    with pytest.raises(PostcostError) as raised:
        cost_proposal(load_proposal(path))
    (problem,) = raised.value.problems
    assert problem.file.endswith("posts.csv") and problem.line == 3
    assert problem.message == "column grade: grade 'Band Q' is not a grade of nottinghamshire"


def test_a_missing_csv_file_is_named_at_the_proposal_line(write, run):
    path = write(HEADER + "posts_csv: nowhere.csv\nthemes: []\n")
    result = run("total", path)
    assert result.exit_code == 2
    assert f"{path}:6: posts_csv: {path.parent / 'nowhere.csv'}: no such CSV file of posts" in result.stderr


def test_a_row_with_too_many_cells(write):
    path = proposal(write, "theme,title,grade,fte\nA,one,Band B,1,extra\n")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    assert raised.value.problems[0].message == "has 5 cells where the header has 4"
