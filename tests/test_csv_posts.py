"""Posts from a CSV file: validated like YAML posts, problems named by the CSV file and row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postcost import PostcostError, cost_proposal, load_proposal
from postcost.check import AGREES, DIFFERS, check_proposal

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


def test_check_compares_the_rows_that_state_a_cost_at_their_rows(write, run):
    """Rows alike but for their stated figure are checked each at its own row; a row stating
    nothing gives no finding. Same HEADER period and rates as the CSV example (whose header
    derives them): 3 FTE Band B, Sept 2021 - March 2022 = 3 × 7 × 42,779.49 / 12 = £74,864.11, and
    1 FTE the third of that, 7 × 42,779.49 / 12 = 24,954.7025 -> £24,954.70."""
    path = proposal(
        write,
        "theme,title,grade,fte,stated\n"
        "A,agrees,Band B,3,74864.11\n"
        "A,says nothing,Band B,3,\n"
        "A,differs,Band B,1,24954\n"
        "A,agrees in pounds,Band B,1,24955\n",
    )
    findings = check_proposal(load_proposal(path)).findings
    assert [(Path(f.file).name, f.line, f.subject, f.status) for f in findings] == [
        ("posts.csv", 2, "1.1 agrees", AGREES),
        ("posts.csv", 4, "1.3 differs", DIFFERS),  # £24,955 against £24,954
        ("posts.csv", 5, "1.4 agrees in pounds", AGREES),
    ]
    assert run("check", path).exit_code == 1


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


def test_rows_alike_are_costed_once_and_a_problem_is_named_at_each_row(write):
    """Rows alike in every field but their words share one costing, across themes; a costing
    problem of such rows is reported at every one of them."""
    path = proposal(write, "theme,title,grade,fte\nA,one,Band B,1\nB,two,Band B,1,\nA,three,Band B,2\n")
    one, two, three = (line for theme in cost_proposal(load_proposal(path)).themes for line in theme.lines)
    assert (one.title, two.title, three.title) == ("one", "three", "two")
    assert one.figures is three.figures and one.figures is not two.figures and one.basis is two.basis

    path = proposal(write, "theme,title,grade,fte\nA,one,Band Q,1\nB,two,Band Q,1\n")
    with pytest.raises(PostcostError) as raised:
        cost_proposal(load_proposal(path))
    assert [(p.line, p.message) for p in raised.value.problems] == [
        (2, "column grade: grade 'Band Q' is not a grade of nottinghamshire"),
        (3, "column grade: grade 'Band Q' is not a grade of nottinghamshire"),
    ]


def test_csv_rows_follow_the_themes_lines(write):
    """A theme's CSV rows follow its YAML lines: the loaded proposal keeps them apart (each row's
    distinct post and words), and the costed theme's lines are an ordinary tuple, YAML lines first."""
    path = proposal(
        write,
        "theme,title,grade,fte,team\nB,two,Band B,1,East\nB,three,Band C,0.5,\n",
        "themes:\n  - name: B\n    lines:\n      - {kind: amount, title: yaml line, amount: 5}\n",
    )
    loaded = load_proposal(path)
    assert [line.title for line in loaded.proposal.themes[0].lines] == ["yaml line"]
    posts = loaded.csv_rows[0].posts()
    assert [post.title for post in posts] == ["two", "three"]
    assert posts[1].fte == Decimal("0.5") and posts[1].team is None and posts[0].team == "East"
    theme = cost_proposal(loaded).themes[0]
    costed = theme.lines
    assert isinstance(costed, tuple)
    assert [(line.position, line.title, line.team) for line in costed] == [
        ("1.1", "yaml line", None), ("1.2", "two", "East"), ("1.3", "three", None),
    ]
    assert costed[-1].fte == Decimal("0.5") and [line.title for line in costed[1:]] == ["two", "three"]
    assert theme.subtotal == sum(line.cost for line in costed) and len(theme.tally) == 3


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


def test_uk_dates_cost_as_their_iso_forms(write):
    # HR systems and Excel export dates day/month/year: 15/11/2021 is 2021-11-15
    uk = proposal(write, "theme,title,grade,fte,start,end\nA,one,Band B,1,15/11/2021,31/03/2022\n")
    uk_line = next(cost_proposal(load_proposal(uk)).lines)
    iso = proposal(write, "theme,title,grade,fte,start,end\nA,one,Band B,1,2021-11-15,2022-03\n")
    iso_line = next(cost_proposal(load_proposal(iso)).lines)
    assert (uk_line.start, uk_line.end) == (iso_line.start, iso_line.end)
    assert uk_line.cost == iso_line.cost and uk_line.month_count == iso_line.month_count


@pytest.mark.parametrize("mark", [";", "\t"])
def test_a_file_saved_with_semicolons_or_tabs_reads_as_with_commas(write, mark):
    rows = ["theme,title,grade,fte,team", "A,Social Worker,Band B,3,East", "A,Senior Practitioner,Band C,1,West"]
    path = proposal(write, "\n".join(rows) + "\n")
    with_commas = [(line.title, line.team, line.cost) for line in cost_proposal(load_proposal(path)).lines]
    path = proposal(write, "\n".join(row.replace(",", mark) for row in rows) + "\n")
    assert [(line.title, line.team, line.cost) for line in cost_proposal(load_proposal(path)).lines] == with_commas


def test_a_decimal_comma_is_refused_not_read_as_thousands(write):
    # a semicolon file from a decimal-comma locale: 74864,11 must not become £7,486,411
    path = proposal(write, "theme;title;grade;fte;stated\nA;Social Worker;Band B;3;74864,11\n")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    (problem,) = raised.value.problems
    assert problem.line == 2
    assert problem.message == "column stated: '74864,11': commas may only separate thousands, as in 74,864.11 (write decimals with a point)"


# The fast path strips and validates each distinct cell once with the field's own validator; it
# must accept exactly the rows PostLine accepts (given the stripped cells), and build the same
# PostLine.
CELLS = {
    "title": st.sampled_from(["Social Worker", "x", "Team Manager – Adults"]),
    "grade": st.sampled_from(["Band B", " Band B ", "Grade 5", "band b", "", "  ", "Band Z"]),
    "point": st.sampled_from(["", "12", "012", "44", "44.0", "4_4", "L", "-3", "1.5", "abc"]),
    "annual_salary": st.sampled_from(["", "30000", "30,000", "£28,000.50", "30_000", "-1", "1e15", "x"]),
    "fte": st.sampled_from(["", "1", " 1", "0.5", "0", "-1", "1e6", "nan", "2.50", "1_0", "one"]),
    "start": st.sampled_from(["", "2021-04", "2021-04-15", "15/04/2021", "2021-13", "04/13/2021", "April 2021",
                              "Apr-21", "1 Apr 2021", "15/04/21", "44287", "15/04/2021 00:00", "15/04/2021 09:00", "Apri 2021"]),
    "end": st.sampled_from(["", "2022-03", "2022-03-31", "31/3/2022", "2022-02-30", "30/02/2022", "30 Feb 2022", "Mar-22"]),
    "full_year": st.sampled_from(["", "true", "false", "yes", "no", "1", "maybe"]),
    "permanent": st.sampled_from(["", "true", "0", "nope"]),
    "increments": st.sampled_from(["", "true", "false", "2"]),
    "team": st.sampled_from(["", "East", " East ", " "]),
    "funded_by": st.sampled_from(["", "Better Care Fund"]),
    "stated": st.sampled_from(["", "74863", "£74,863", "74863,50", "1.5e3", "7_4", "lots"]),
    "note": st.sampled_from(["", "a note"]),
}


@given(st.fixed_dictionaries(CELLS))
@settings(max_examples=400, deadline=None)
def test_the_fast_path_accepts_and_builds_exactly_what_postline_does(cells):
    from pydantic import ValidationError

    from postcost.csvposts import BadCell, _cell, _rows_by_theme, _trusted_posts
    from postcost.models import PostLine

    header = ["theme", *cells]
    by_theme, combinations, problems = _rows_by_theme("posts.csv", header, [["Adults", *cells.values()]], [2])
    assert not problems
    trusted = _trusted_posts(header, by_theme, combinations)
    try:  # the slow path's reading: each stripped cell through _cell, then PostLine
        row = {column: _cell(column, cell.strip()) for column, cell in cells.items() if cell.strip()}
        validated = PostLine.model_validate(row)
    except (BadCell, ValidationError):
        assert trusted is None
        return
    assert trusted is not None
    built = trusted["Adults"].posts()
    assert built == [validated]
    assert built[0].model_fields_set == validated.model_fields_set


@pytest.mark.parametrize(
    "header, hint",
    [
        ("start_date", "did you mean 'start'?"),  # 'Start Date', as HR systems name it
        ("job_title", "did you mean 'title'?"),
        ("cost_centre", "delete or rename the columns postcost does not read; it reads theme, title, fte, grade, "
         "point, annual_salary, start, end, team, funded_by, full_year, permanent, increments, stated, note, hours, full_time_hours, annual_cost, posts, saving, stated_annual, "
         "pension_scheme, salary_sacrifice, ni_category, increment_date"),
    ],
)
def test_an_hr_systems_header_is_pointed_to_the_column_meant(write, header, hint):
    path = proposal(write, f"theme,title,grade,fte,{header}\nA,one,Band B,1,x\n")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.message, problem.hint) == (1, f"unknown column {header!r}", hint)


def test_a_csv_file_excel_saved_in_windows_1252_is_read_as_windows_1252(write):
    path = proposal(write, "")
    (path.parent / "posts.csv").write_bytes("theme,title,grade,fte\nA,Officer £,Band B,1\n".encode("cp1252"))
    (line,) = cost_proposal(load_proposal(path)).lines
    assert line.title == "Officer £"


def test_an_empty_csv_file_says_what_it_needs(write):
    path = proposal(write, "")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    (problem,) = raised.value.problems
    assert problem.message.endswith("posts.csv: is empty")
    assert problem.hint == "a CSV file of posts needs a header row naming its columns, then a row a post"


def test_blank_columns_and_cells_a_spreadsheet_leaves_are_ignored(write):
    # Excel saves columns once touched as empty header cells, and blank cells past the last column
    path = proposal(write, "theme,title,grade,fte,,\nA,one,Band B,1,,\nA,two,Band B,1,,,,\n")
    assert [line.title for line in cost_proposal(load_proposal(path)).lines] == ["one", "two"]


@pytest.mark.parametrize(
    "rows, line, message, hint",
    [
        ("theme,title,grade,fte,\nA,one,Band B,1,x\n", 2,
         "has 'x' in column 5, which the header row leaves unnamed", "name the column in the header row, or clear the cell"),
        ("theme,title,fte,fte,grade\nA,one,1,2,Band B\n", 1, "column 'fte' is given 2 times", "keep one of them"),
    ],
)
def test_a_value_without_a_column_or_a_column_given_twice_is_refused(write, rows, line, message, hint):
    path = proposal(write, rows)
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    (problem,) = raised.value.problems
    assert (problem.line, problem.message, problem.hint) == (line, message, hint)
