"""The costing inputs of real tables (issue 20): FTE written as a vulgar fraction, posts in hours,
posts at a stated annual cost, unit costs per month, and recurring sums.

Every figure asserted is derived by hand in a comment beside it. The proposals state their
on-costs as pay only, so a post costs its salary × FTE × its months ÷ 12 and nothing else.
"""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
from pydantic import ValidationError

from postcost.csvposts import read_posts_csv
from postcost.models import count_text, proposal_json_schema

PAY_ONLY = """\
title: Inputs
authority: Test Council
on_costs: {pay_only: true, source: the report costs pay only}
period: {start: 2021-04, end: 2022-03}
"""


def costed(run, path) -> dict:
    result = run("total", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def lines_of(data: dict) -> dict[str, dict]:
    return {line["title"]: line for theme in data["themes"] for line in theme["lines"]}


# --- FTE as a vulgar fraction --------------------------------------------------------------------


@pytest.mark.parametrize("text, read", [
    ("4½", "4.5"), ("4 ½", "4.5"), ("½", "0.5"), ("1¼", "1.25"), ("¾", "0.75"), ("⅛", "0.125"),
    ("2⅜", "2.375"), ("⅝", "0.625"), ("⅞", "0.875"), ("⅕", "0.2"), ("⅖", "0.4"), ("⅗", "0.6"),
    ("⅘", "0.8"), ("⅒", "0.1"), (" 3½ ", "3.5"),
])
def test_a_vulgar_fraction_reads_as_its_exact_decimal(text, read):
    assert count_text(text) == read


@pytest.mark.parametrize("value", ["0.5", "12", "1,000", 3, Decimal("2.5"), "new_starters", "½½", "4½x"])
def test_anything_else_is_left_to_the_number_s_own_validator(value):
    assert count_text(value) == value


@pytest.mark.parametrize("text", ["⅓", "1⅔", "⅙", "2 ⅚"])
def test_a_fraction_with_no_exact_decimal_is_refused_with_a_hint(text):
    with pytest.raises(ValidationError) as caught:
        from postcost.models import PostLine

        PostLine(title="x", annual_salary=30000, fte=text)
    (error,) = caught.value.errors()
    assert "has no exact decimal" in error["msg"]
    assert "hours and full_time_hours" in error["ctx"]["hint"]


def test_an_fte_fraction_costs_as_its_decimal(run, write):
    path = write(PAY_ONLY + """\
themes:
  - name: Staff
    lines:
      - {title: Four and a half, annual_salary: 30000, fte: "4½"}
      - {title: A quarter, annual_salary: 30000, fte: "¼"}
      - {kind: unit_cost, title: Packs, unit_amount: 10, quantity: "2½"}
""")
    lines = lines_of(costed(run, path))
    assert lines["Four and a half"]["cost"] == "135000.00"  # 4.5 × £30,000 × 12/12
    assert lines["Four and a half"]["fte"] == "4.5"
    assert lines["A quarter"]["cost"] == "7500.00"  # 0.25 × £30,000
    assert lines["Packs"]["cost"] == "25.00"  # £10 × 2.5


# --- hours and full_time_hours -------------------------------------------------------------------


def test_hours_of_full_time_hours_cost_as_an_exact_fraction_rounded_once(run, write):
    path = write(PAY_ONLY + """\
themes:
  - name: Staff
    lines:
      - {title: Part-time, annual_salary: 30000, hours: 30, full_time_hours: 37}
""")
    data = costed(run, path)
    line = lines_of(data)["Part-time"]
    # 30/37 × £30,000 × 12/12 = 900,000/37 = £24,324.324…, rounded once: £24,324.32 (a four-place
    # FTE, 0.8108 × 30,000 = £24,324.00, would be £0.32 short)
    assert line["cost"] == "24324.32"
    assert (line["fte"], line["hours"], line["full_time_hours"]) == ("0.8108", "30", "37")
    assert data["grand_total"] == "24324.32"


def test_the_nearest_full_time_hours_wins(run, write):
    path = write(PAY_ONLY + """\
full_time_hours: 37
themes:
  - name: Own and proposal's
    lines:
      - {title: Own, annual_salary: 30000, hours: 18, full_time_hours: 36}
      - {title: Proposal's, annual_salary: 30000, hours: 18}
  - name: Theme's
    full_time_hours: "37.5"
    lines:
      - {title: Theme's, annual_salary: 30000, hours: 18}
      - {title: Own over theme's, annual_salary: 30000, hours: 18, full_time_hours: 36}
""")
    lines = lines_of(costed(run, path))
    assert lines["Own"]["cost"] == "15000.00"  # 18/36 × 30,000
    assert lines["Proposal's"]["cost"] == "14594.59"  # 18/37 × 30,000 = 14,594.594…
    assert lines["Theme's"]["cost"] == "14400.00"  # 18/37.5 = 0.48; × 30,000
    assert lines["Own over theme's"]["cost"] == "15000.00"  # 18/36 × 30,000


def test_more_hours_than_full_time_are_several_posts(run, write):
    # a line of several part-timers ("three posts at 24.67 hours"): 74 hours of 37 is 2 FTE
    path = write(PAY_ONLY + """\
themes:
  - name: Staff
    lines:
      - {title: Team, annual_salary: 30000, hours: 74, full_time_hours: 37}
""")
    line = lines_of(costed(run, path))["Team"]
    assert (line["fte"], line["cost"]) == ("2", "60000.00")  # 74/37 = 2; 2 × 30,000


def test_new_starters_count_a_post_in_hours_as_its_fte_rounded_up(run, write):
    path = write(PAY_ONLY + """\
full_time_hours: 37
themes:
  - name: Staff
    lines:
      - {title: Part-time, annual_salary: 30000, hours: 30}
      - {title: Two, annual_salary: 30000, hours: 74}
      - {title: Over two, annual_salary: 30000, hours: 75}
      - {kind: unit_cost, title: Induction, unit_amount: 100, quantity: new_starters}
""")
    line = lines_of(costed(run, path))["Induction"]
    # ceil(30/37) + ceil(74/37) + ceil(75/37) = 1 + 2 + 3 = 6; × £100
    assert (line["quantity"], line["cost"]) == ("6", "600.00")


def test_explain_shows_the_hours_and_the_division_last(run, write):
    path = write(PAY_ONLY + """\
themes:
  - name: Staff
    lines:
      - {title: Part-time, annual_salary: 30000, hours: 30, full_time_hours: 37}
""")
    result = run("explain", path)
    assert result.exit_code == 0, result.stderr
    assert "FTE 30 hours of 37 full-time = 0.8108 (to four places)" in result.stdout
    assert "× 30 hours ÷ 37 full-time hours (divided last, exactly) = 24,324.3243" in result.stdout
    as_json = json.loads(run("explain", path, "--format", "json").stdout)["lines"][0]
    assert (as_json["hours"], as_json["full_time_hours"], as_json["gross_cost"]) == ("30", "37", "24324.32")


def test_the_table_shows_the_fte_with_its_hours(run, write):
    path = write(PAY_ONLY + """\
themes:
  - name: Staff
    lines:
      - {title: Part-time, annual_salary: 30000, hours: 30, full_time_hours: 37}
""")
    assert "0.8108 (30/37 h)" in run("total", path).stdout
    csv_text = run("total", path, "--format", "csv").stdout
    head, line = csv_text.splitlines()[:2]
    assert head.endswith(",hours,full_time_hours") and line.endswith(",30,37")


# --- a stated annual cost ------------------------------------------------------------------------


def test_an_annual_cost_is_the_line_s_cost_a_year_with_no_scale_and_no_on_costs(run, write):
    path = write("""\
title: Costs
authority: Test Council
period: {start: 2021-04-15, end: 2022-03}
themes:
  - name: Staff
    lines:
      - {title: Officers, annual_cost: 33000, fte: "1½", permanent: true}
      - {title: Whole year, annual_cost: 33000, fte: 1.5, start: 2021-04-15}
""")
    data = costed(run, path)
    line = lines_of(data)["Officers"]
    # £33,000 a year for all 1.5 FTE (not × 1.5), from 15 April: 16/30 of April + 11 months,
    # 33,000 × (16/30 + 11) ÷ 12 = 2,750 × 11.5333… = £31,716.666…, rounded once £31,716.67
    assert line["cost"] == "31716.67"
    assert (line["annual_cost"], line["salary_per_fte"]) == ("33000", "22000.00")  # 33,000 ÷ 1.5
    assert line["full_year_effect"] == "33000.00"  # the whole of 2021/22: 12/12 × 33,000
    assert line["annual_salaries"] == []
    assert data["pay_scale"] is None
    table = " ".join(run("total", path).stdout.split())
    assert "Pay scale: none (every post states its annual cost)." in table
    assert "nothing is added to it" in table
    explained = run("explain", path, "1.1").stdout
    assert "stated annual cost £33,000.00 a year for all 1.5 FTE" in explained
    assert "£22,000.00 per FTE" in explained


def test_an_annual_cost_with_a_pay_scale_adds_none_of_its_on_costs(run, write):
    path = write("""\
title: Costs
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
period: {start: 2021-04, end: 2022-03}
themes:
  - name: Staff
    lines:
      - {title: Officers, annual_cost: 33000, fte: 1.5}
""")
    data = costed(run, path)
    assert lines_of(data)["Officers"]["cost"] == "33000.00"  # 12/12 × 33,000; no NI, no pension
    assert "annual_cost" not in data["on_costs"]  # the scale's rules used: none (no salaried post)


# --- a quantity per month ------------------------------------------------------------------------


def test_a_quantity_per_month_counts_each_month_from_start_to_end(run, write):
    path = write(PAY_ONLY.replace("end: 2022-03}", "end: 2023-03}") + """\
themes:
  - name: Running costs
    lines:
      - {kind: unit_cost, title: Planning, unit_amount: 100, quantity: {per_month: 5}, start: 2021-10, end: 2022-03}
      - {kind: unit_cost, title: Part month, unit_amount: 100, quantity: {per_month: 5}, start: 2021-10-15, end: 2022-03}
      - {kind: unit_cost, title: Over two years, unit_amount: "10.5", quantity: {per_month: 2}, start: 2022-01, end: 2022-06}
      - {kind: unit_cost, title: The period, unit_amount: 1, quantity: {per_month: "½"}}
""")
    lines = lines_of(costed(run, path))
    # October to March: 6 months × 5 = 30; × £100
    assert (lines["Planning"]["quantity"], lines["Planning"]["cost"]) == ("30", "3000.00")
    assert lines["Planning"]["per_month"] == "5" and lines["Planning"]["months"] == "6"
    # from 15 October: October still counts whole (a part month counted whole), as above
    assert lines["Part month"]["cost"] == "3000.00"
    # January to March 2022 in 2021/22, April to June in 2022/23: 3 × 2 × £10.50 = £63 each
    assert lines["Over two years"]["cost"] == "126.00"
    assert lines["Over two years"]["financial_years"] == {"2021/22": "63.00", "2022/23": "63.00"}
    # the proposal's period, April 2021 to March 2023: 24 months × ½ = 12; × £1
    assert lines["The period"]["cost"] == "12.00"
    assert "£100 × 5 a month × 6" in run("total", path, "--format", "markdown").stdout


# --- recurring sums ------------------------------------------------------------------------------


RECURRING = PAY_ONLY + """\
themes:
  - name: Service
    lines:
      - {title: Permanent officer, annual_salary: 30000, fte: 1, start: 2021-10, permanent: true}
      - {kind: amount, title: Licence, amount: 1000, recurring: true}
      - {kind: amount, title: Launch, amount: 500}
"""


def test_recurring_a_year_is_shown_beside_one_off(run, write):
    path = write(RECURRING)
    data = costed(run, path)
    # the officer: October to March, 6/12 × 30,000 = £15,000; its full year (2021/22) £30,000.
    # Total 15,000 + 1,000 + 500 = £16,500. Recurring a year: the licence £1,000 + the officer's
    # full year £30,000 = £31,000. One-off: the rest of the total, the launch £500.
    assert data["grand_total"] == "16500.00"
    assert (data["recurring_a_year"], data["one_off"]) == ("31000.00", "500.00")
    assert lines_of(data)["Licence"]["recurring"] is True
    assert "recurring" not in lines_of(data)["Launch"]
    assert "Recurring a year: £31,000 (recurring sums, and permanent posts' full-year effect); one-off: £500" \
        in " ".join(run("total", path).stdout.split())
    csv_rows = run("total", path, "--format", "csv").stdout.splitlines()
    assert csv_rows[-2].startswith("recurring_a_year,") and csv_rows[-2].endswith(",31000.00,31000")
    assert csv_rows[-1].startswith("one_off,") and csv_rows[-1].endswith(",500.00,500")
    assert "Recurring a year: £31,000" in run("total", path, "--format", "markdown").stdout


def test_with_no_recurring_line_nothing_new_is_printed(run, write):
    path = write(RECURRING.replace(", recurring: true", ""))
    data = costed(run, path)
    assert "recurring_a_year" not in data and "one_off" not in data
    assert "Recurring" not in run("total", path).stdout


# --- the CSV file of posts -----------------------------------------------------------------------


def test_a_csv_file_takes_hours_annual_cost_and_fractions(run, write):
    write("theme,title,fte,hours,full_time_hours,annual_cost,annual_salary\n"
          "Staff,Part-time,,30,,,30000\n"
          "Staff,Part-time again,,30,,,30000\n"
          "Staff,Own week,,18,36,,30000\n"
          "Staff,Four and a half,4½,,,,30000\n"
          "Staff,Officers,1½,,,33000,\n", "posts.csv")
    path = write("""\
title: CSV
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
on_costs: {pay_only: true, source: the report costs pay only}
full_time_hours: 37
period: {start: 2021-04, end: 2022-03}
posts_csv: posts.csv
""")
    lines = lines_of(costed(run, path))
    assert lines["Part-time"]["cost"] == "24324.32"  # 30/37 × 30,000 (the proposal's 37)
    assert lines["Own week"]["cost"] == "15000.00"  # 18/36 × 30,000
    assert lines["Four and a half"]["cost"] == "135000.00"  # 4.5 × 30,000
    assert lines["Officers"]["cost"] == "33000.00"  # the stated annual cost, 12/12
    # the fast path: the two alike rows are one distinct post
    found = read_posts_csv(path.parent / "posts.csv").themes["Staff"]
    assert found.kind_of[0] == found.kind_of[1] and len(found.kinds.fields) == 4


def test_a_csv_file_of_posts_in_hours_needs_no_fte_column(run, write):
    write("theme,title,hours,full_time_hours,annual_salary\nStaff,Part-time,21,35,30000\n", "posts.csv")
    path = write("""\
title: CSV
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
on_costs: {pay_only: true, source: the report costs pay only}
period: {start: 2021-04, end: 2022-03}
posts_csv: posts.csv
""")
    assert lines_of(costed(run, path))["Part-time"]["cost"] == "18000.00"  # 21/35 = 0.6; × 30,000


# --- the schema and the workbook -----------------------------------------------------------------


def test_the_schema_accepts_the_new_keys():
    proposal = {
        "title": "x", "authority": "y", "period": {"start": "2021-04", "end": "2022-03"}, "full_time_hours": 37,
        "themes": [{"name": "t", "full_time_hours": "37.5", "lines": [
            {"title": "a", "annual_salary": 30000, "hours": 30, "full_time_hours": 37},
            {"title": "b", "annual_cost": 33000, "fte": "4½"},
            {"kind": "unit_cost", "title": "c", "unit_amount": 5, "quantity": {"per_month": 5}, "start": "2021-10"},
            {"kind": "amount", "title": "d", "amount": 1000, "recurring": True},
        ]}],
    }
    jsonschema.validate(proposal, json.loads(proposal_json_schema()))


WORKBOOK = """\
title: Hours workbook
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
period: {start: 2021-09, end: 2023-03}
full_time_hours: 37
themes:
  - name: Hours
    full_time_hours: "37.5"
    lines:
      - {title: Part months in hours, grade: Band B, hours: 30, start: 2021-09-15, end: 2022-11-13}
      - {title: Own week, grade: Band A, hours: "22.5", full_time_hours: 36}
      - {title: A fraction, annual_salary: 30000.55, fte: "4½", start: 2022-01-31}
      - {title: Funded hours, grade: Band C, hours: 7, start: 2021-12-06, funded_by: A partner}
  - name: Stated costs and months
    lines:
      - {title: Officers, annual_cost: 33000.01, fte: "1¼", start: 2021-10-03}
      - {title: Cost in hours, annual_cost: 12345, hours: 20, start: 2021-10-03, end: 2022-05-17}
      - {title: The proposal's week, grade: Band C, hours: 21}
      - {kind: unit_cost, title: Planning, unit_amount: "100.5", quantity: {per_month: "1½"}, start: 2021-10}
      - {kind: amount, title: Licence, amount: 1000, recurring: true}
"""


def test_the_workbook_computes_hours_and_stated_costs_to_the_penny(run, tmp_path):
    pytest.importorskip("formulas")
    from test_xlsx import assert_computes_as_postcost  # evaluates every formula as a spreadsheet does

    source = tmp_path / "hours.yaml"
    source.write_text(WORKBOOK, encoding="utf-8")
    # every line's cost and financial-year parts, each sub-total and the total, as postcost's
    # own JSON gives them (that those are right is the tests above); no Check cell flagged
    assert_computes_as_postcost(run, source, tmp_path / "hours.xlsx")
