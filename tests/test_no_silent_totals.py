"""Input that once gave a silently wrong total with exit 0 is refused, naming the file and line.

The YAML cases are in the error catalogue (tests/errors/); these are the ones it cannot hold
(CSV rows, every spelling of a placeholder) and what the refusals leave working (pay_only).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from postcost import PostcostError, cost_proposal, load_proposal
from postcost.models import PostLine

from conftest import HEADER

FUNDER_HINT = "hint: name the funder (e.g. 'Public Health grant'), or leave it out (the council pays)"

PLACEHOLDERS = [
    "no", "No", "NO", " none ", "None", "n/a", "N/A", "na", "NA", "nil", "null", "-", "–", "—",
    "false", "True", "yes", "YES", "0", "not funded", "Not Funded", "", "   ",
]


@pytest.mark.parametrize("value", [*PLACEHOLDERS, False, True, 0, None])
def test_a_placeholder_is_not_a_funder(value):
    with pytest.raises(ValidationError) as raised:
        PostLine(title="x", grade="Band B", fte=1, funded_by=value)
    assert raised.value.errors()[0]["type"] == "not_a_funder"


@pytest.mark.parametrize("value", ["Public Health grant", "NHS", "Better Care Fund", "Nottinghamshire Transforming Care Partnership"])
def test_a_funder_named_is_kept_as_written(value):
    assert PostLine(title="x", grade="Band B", fte=1, funded_by=value).funded_by == value


def test_csv_rows_funded_by_no_and_n_a_are_refused_at_their_lines(write, run):
    # a CSV cell is stripped before it is validated, so " N/A " is read as "N/A"
    write("theme,title,grade,fte,funded_by\nA,one,Band B,1,Public Health grant\nA,two,Band B,1,No\nA,three,Band B,1, N/A \n", "posts.csv")
    path = write(HEADER + "posts_csv: posts.csv\nthemes: []\n")
    result = run("total", path)
    assert result.exit_code == 2
    csv = path.parent / "posts.csv"
    assert result.stderr == (
        f"postcost: error: {csv}:3: column funded_by: 'No' does not name a funder\n  {FUNDER_HINT}\n"
        f"postcost: error: {csv}:4: column funded_by: 'N/A' does not name a funder\n  {FUNDER_HINT}\n"
    )


def test_a_csv_row_dated_outside_the_period_is_refused_at_its_line(write):
    # HEADER's period is September 2021 to March 2022
    write("theme,title,grade,fte,start,end\nA,in,Band B,1,2021-10,\nA,early,Band B,1,01/08/2021,\nA,late,Band B,1,,2022-04\n", "posts.csv")
    path = write(HEADER + "posts_csv: posts.csv\nthemes: []\n")
    with pytest.raises(PostcostError) as raised:
        cost_proposal(load_proposal(path))
    csv = str(path.parent / "posts.csv")
    hint = "\n  hint: widen the proposal's period, or fix the date"
    assert [p.render() for p in raised.value.problems] == [
        f"{csv}:3: column start: the post starts (01 Aug 2021) before the proposal's period (01 Sep 2021 – 31 Mar 2022){hint}",
        f"{csv}:4: column end: the post ends (30 Apr 2022) after the proposal's period (01 Sep 2021 – 31 Mar 2022){hint}",
    ]


def test_a_full_year_post_starting_in_the_period_runs_its_whole_financial_year(write):
    # a full-year post from November 2021 runs April 2021 to March 2022, though the period starts
    # in September: 12 months of Band B in 2020/21 pay = 42,779.49 (the worked check in
    # pay_scales/nottinghamshire.yaml: 32,234 × 1.227 + 0.138 × (32,234 − 8,840))
    path = write(HEADER + "themes:\n  - name: T\n    lines:\n      - {title: SW, grade: Band B, fte: 1, start: 2021-11, full_year: true}\n")
    line = next(cost_proposal(load_proposal(path)).lines)
    assert line.cost == Decimal("42779.49")


def test_a_full_year_post_must_still_start_within_the_period(write):
    path = write(HEADER + "themes:\n  - name: T\n    lines:\n      - {title: SW, grade: Band B, fte: 1, start: 2021-04, full_year: true}\n")
    with pytest.raises(PostcostError) as raised:
        cost_proposal(load_proposal(path))
    assert [p.message for p in raised.value.problems] == [
        "themes[0].lines[0].start: the post starts (01 Apr 2021) before the proposal's period (01 Sep 2021 – 31 Mar 2022)"
    ]


PAY_ONLY = """\
title: Pay only
authority: A council
on_costs: {pay_only: true, source: "the report costs pay only, para 12"}
period: {start: 2021-04, end: 2022-03}
themes:
  - name: T
    lines:
      - {title: Officer, annual_salary: 30000, fte: 1}
"""


def test_pay_only_costs_pay_and_nothing_else(write, run):
    # 12 whole months of 30,000 ÷ 12 = 2,500.00, no NI, no on-costs: 12 × 2,500 = £30,000.00
    report = cost_proposal(load_proposal(write(PAY_ONLY)))
    assert report.grand_total == Decimal("30000.00")
    result = run("total", write(PAY_ONLY))
    assert result.exit_code == 0
    assert "On-costs: throughout: pay only (stated in the proposal: the report costs pay only, para 12)." in " ".join(result.stdout.split())


def test_pay_only_replaces_a_scales_rules(write):
    # Band B at SCP 28 in 2020/21 is 32,234 a year: 12 months of pay alone is £32,234.00
    text = HEADER + 'on_costs: {pay_only: true, source: "para 12"}\nperiod: {start: 2021-04, end: 2022-03}\n'
    text = text.replace("period: {start: 2021-09, end: 2022-03}\n", "")
    path = write(text + "themes:\n  - name: T\n    lines:\n      - {title: SW, grade: Band B, fte: 1}\n")
    assert cost_proposal(load_proposal(path)).grand_total == Decimal("32234.00")


@pytest.mark.parametrize("fte", ["0.0001", "1000"])
def test_the_fte_limits_themselves_are_accepted(fte):
    assert PostLine(title="x", grade="Band B", fte=fte).fte == Decimal(fte)


@pytest.mark.parametrize("fte", ["0.00009", "1000.01"])
def test_an_fte_past_either_limit_is_refused(fte):
    with pytest.raises(ValidationError) as raised:
        PostLine(title="x", grade="Band B", fte=fte)
    assert raised.value.errors()[0]["type"] == "fte_range"


@pytest.mark.parametrize("when", ["1899-12", "3000-01", "1899-12-31", "01/01/3000"])
def test_years_outside_1900_to_2999_are_refused(when):
    with pytest.raises(ValidationError) as raised:
        PostLine(title="x", grade="Band B", fte=1, start=when)
    assert raised.value.errors()[0]["type"] == "implausible_year"


def test_a_financial_year_of_year_zero_is_refused(write, run):
    result = run("total", write(HEADER.replace("pay_year: 2020/21", "pay_year: 0000/01") + "themes:\n  - name: T\n    lines:\n      - {title: SW, grade: Band B, fte: 1}\n"))
    assert result.exit_code == 2
    assert "pay_year: '0000/01' is not a plausible financial year; years run from 1900 to 2999" in result.stderr
