"""Real tables as they are printed: savings, figures with no basis, £000, head counts and FTE
columns, stated ranges and printed parts, and the footing hints. Every figure is derived by hand
in the comments."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from postcost.check import footing_hint

PLAIN = """\
title: Staffing changes
authority: Test Council
period: {start: 2021-04, end: 2022-03}
"""

FIGURES = """\
title: Departmental manpower
authority: A Department
"""


def findings(run, path, *extra):
    result = run("check", path, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)["files"][0]


def only(data, check, subject_part=""):
    found = [f for f in data["findings"] if f["check"] == check and subject_part in f["subject"]]
    assert len(found) == 1, data["findings"]
    return found[0]


# --- savings -------------------------------------------------------------------------------------


def test_a_saving_subtracts_and_its_theme_foots_against_a_subtotal_that_includes_it(write, run):
    # £30,000 of new spending less a deleted £19,000: £11,000, as the printed sub-total says
    path = write(PLAIN + """\
themes:
  - name: Office
    stated_subtotal: 11000
    lines:
      - {kind: amount, title: New system, amount: 30000, stated: 30000}
      - {kind: amount, title: Admission Order Office post deleted, amount: 19000, saving: true, stated: 19000}
""")
    total = json.loads(run("total", path, "--format", "json").stdout)
    line = total["themes"][0]["lines"][1]
    assert (line["cost"], line["saving"], line["stated"]) == ("-19000.00", True, "-19000")
    assert total["grand_total"] == "11000.00"
    code, data = findings(run, path)
    assert code == 0
    assert only(data, "total", "theme 1")["computed"] == "11000"
    assert only(data, "footing")["computed"] == "11000"  # 30,000 − 19,000 as printed


def test_a_negative_amount_is_an_error_with_or_without_saving(write, run):
    for saving in ("", ", saving: true"):
        path = write(PLAIN + f"""\
themes:
  - name: Office
    lines:
      - {{kind: amount, title: Post deleted, amount: -19000{saving}}}
""")
        result = run("total", path)
        assert result.exit_code == 2
        assert "amount: -19000: must not be negative" in result.stderr
        assert "saving: true" in result.stderr  # the hint says how to write a saving


def test_a_deleted_post_counts_negatively_and_is_no_new_starter(write, run):
    # £30,000 a year, pay only, twelve months: 12 × £2,500 = £30,000, negative for the deletion.
    # new_starters counts the one new post (FTE 1, rounded up: 1), not the deleted one.
    path = write(PLAIN + """\
on_costs: {pay_only: true, source: the report costs pay only}
themes:
  - name: Team
    lines:
      - {title: New officer, annual_salary: 30000, fte: 1}
      - {title: Old officer (deleted), annual_salary: 30000, fte: 2, saving: true}
      - {kind: unit_cost, title: Laptops, unit_amount: 1000, quantity: new_starters}
""")
    total = json.loads(run("total", path, "--format", "json").stdout)
    costs = [line["cost"] for line in total["themes"][0]["lines"]]
    assert costs == ["30000.00", "-60000.00", "1000.00"]
    assert total["grand_total"] == "-29000.00"  # 30,000 − 60,000 + 1,000


# --- figures only --------------------------------------------------------------------------------


def test_a_figures_only_proposal_needs_no_pay_scale_or_period_and_its_total_is_footed(write, run):
    # lines £30,000 + £30,000 = £60,000; the printed total is £10,000 above them
    text = FIGURES + """\
stated_total: {total}
themes:
  - name: Grades
    lines:
      - {{kind: figure, title: Grade 6, stated: 30000, fte: 1.5, posts: 2}}
      - {{kind: figure, title: Grade 7, stated: 30000, fte: 1}}
"""
    code, data = findings(run, write(text.format(total=70000)))
    assert code == 1
    wrong = only(data, "footing", "total")
    assert (wrong["stated"], wrong["computed"], wrong["difference"]) == ("70000", "60000", "-10000")
    code, data = findings(run, write(text.format(total=60000)))
    assert code == 0 and data["ok"]


def test_a_figure_with_years_and_a_total_is_cross_footed(write, run):
    # 2021/22 £10,000 + 2022/23 £12,000 = £22,000, printed £21,000
    path = write(FIGURES + """\
themes:
  - name: Budget
    lines:
      - {kind: figure, title: Pay, stated: {total: 21000, financial_years: {"2021/22": 10000, "2022/23": 12000}}}
""")
    code, data = findings(run, path)
    assert code == 1
    cross = only(data, "cross_foot")
    assert (cross["stated"], cross["computed"]) == ("21000", "22000")


def test_a_figure_line_must_print_something(write, run):
    path = write(FIGURES + """\
themes:
  - name: Grades
    lines:
      - {kind: figure, title: Grade 6}
""")
    result = run("check", path)
    assert result.exit_code == 2
    assert "a figure line needs what the table prints" in result.stderr


def test_posts_need_a_period(write, run):
    path = write(FIGURES + """\
on_costs: {pay_only: true, source: x}
themes:
  - name: Grades
    lines:
      - {title: Officer, annual_salary: 30000, fte: 1}
""")
    result = run("total", path)
    assert result.exit_code == 2
    assert "needs a period" in result.stderr


# --- £000 ----------------------------------------------------------------------------------------


def test_thousands_are_compared_at_the_precision_they_are_printed_to(write, run):
    # £000 to one decimal: a £12,340 amount is 12.3 (to £100) and 12 (to £1,000); 12.4 differs by £100.
    # The £19,000 saving is written 19. Sub-total 12.34 − 19 = −6.66 (£000), printed −6.7.
    path = write(FIGURES + """\
units: thousands
themes:
  - name: Changes
    stated_subtotal: -6.7
    lines:
      - {kind: amount, title: New system, amount: 12.34, stated: 12.3}
      - {kind: amount, title: Also stated in whole £000, amount: 12.34, stated: 12}
      - {kind: amount, title: Misprinted, amount: 12.34, stated: 12.4}
      - {kind: amount, title: Post deleted, amount: 19, saving: true, stated: 19}
      - {kind: amount, title: Post deleted too, amount: 18.34, saving: true, stated: 18.3}
""")
    code, data = findings(run, path)
    by_subject = {f["subject"]: f for f in data["findings"] if f["check"] == "total"}
    assert by_subject["1.1 New system"]["computed"] == "12300" and by_subject["1.1 New system"]["status"] == "agrees"
    assert by_subject["1.2 Also stated in whole £000"]["computed"] == "12000"
    assert by_subject["1.3 Misprinted"]["difference"] == "-100"
    assert by_subject["1.4 Post deleted"]["stated"] == "-19000"
    assert by_subject["1.5 Post deleted too"]["computed"] == "-18300"
    # 12,340 × 3 − 19,000 − 18,340 = −320, to £100: −300; printed −6.7 (−6,700)
    assert by_subject["theme 1 Changes"]["computed"] == "-300"
    assert code == 1


# --- FTE and head counts -------------------------------------------------------------------------


def test_fte_and_head_count_columns_are_footed_with_savings_negative(write, run):
    # FTE 1.5 + 1 − 0.5 = 2.0, printed 2.5 (0.5 out: the deleted post's own FTE, counted the
    # wrong way, would explain it — the hint names it). Posts 2 + 1 − 1 = 2, printed 2.
    path = write(FIGURES + """\
stated_fte: 2.5
stated_posts: 2
themes:
  - name: Grades
    stated_fte: 2
    lines:
      - {kind: figure, title: Grade 6, stated: 30000, fte: 1.5, posts: 2}
      - {kind: figure, title: Grade 7, stated: 30000, fte: 1, posts: 1}
      - {kind: figure, title: Grade 7 deleted, stated: 15000, fte: 0.5, posts: 1, saving: true}
""")
    code, data = findings(run, path)
    assert code == 1
    theme_fte = only(data, "fte", "theme")
    assert (theme_fte["computed"], theme_fte["status"]) == ("2.0", "agrees")
    total_fte = only(data, "fte", "total")
    assert (total_fte["stated"], total_fte["computed"], total_fte["status"]) == ("2.5", "2.0", "differs")
    assert "1.3" in total_fte["note"]
    assert only(data, "posts", "total")["status"] == "agrees"


# --- ranges and printed parts --------------------------------------------------------------------


def test_a_range_without_a_known_top_must_contain_the_cost(write, run):
    # £30,000 a year, pay only, twelve months: £30,000
    text = PLAIN + """\
on_costs: {pay_only: true, source: the report costs pay only}
themes:
  - name: Team
    lines:
      - {title: Officer, annual_salary: 30000, fte: 1, stated: {min: LOW, max: HIGH}}
"""
    code, data = findings(run, write(text.replace("LOW", "29000").replace("HIGH", "31000")))
    assert code == 0 and only(data, "range")["status"] == "agrees"
    code, data = findings(run, write(text.replace("LOW", "31000").replace("HIGH", "32000")))
    assert code == 1 and only(data, "range")["status"] == "differs"


def test_a_range_is_compared_at_the_bottom_and_top_of_the_grade(write, run, tmp_path):
    # A grade of NJC points 10 to 12, pension 20% and nothing else; 2021/22 (from 1 April 2021)
    # salaries read from the shipped spine: a whole year at a point costs salary × 1.2.
    import yaml

    from postcost.loader import _shipped_folder

    spine = yaml.safe_load((_shipped_folder() / "njc-spine.yaml").read_text(encoding="utf-8"))
    points = {str(k): Decimal(str(v)) for k, v in spine["pay_years"]["2021/22"]["points"].items()}
    bottom, top = points["10"] * Decimal("1.2"), points["12"] * Decimal("1.2")
    (tmp_path / "council.yaml").write_text("""\
kind: authority
name: test-council
authority: Test Council
spine: njc-spine
grades:
  G: {bottom: 10, top: 12, source: test grade, confidence: H}
on_costs:
  - {start: 2000-01-01, end: 2099-12-31, employer_ni: false, rates: {pension: 0.2}, source: test rule, confidence: H}
""", encoding="utf-8")
    path = write(f"""\
title: Range
authority: Test Council
pay_scale: council.yaml
period: {{start: 2021-04, end: 2022-03}}
themes:
  - name: Team
    lines:
      - {{title: Officer, grade: G, fte: 1, stated: {{min: {bottom:.0f}, max: {top + 1:.0f}}}}}
""")
    code, data = findings(run, path)
    assert only(data, "minimum")["status"] == "agrees"
    maximum = only(data, "maximum")
    assert (maximum["computed"], maximum["difference"]) == (f"{top:.0f}", "-1")
    assert code == 1


def test_printed_parts_are_checked_and_cross_footed(write, run):
    # £30,000 pay, pension 20% = £6,000, no NI: £36,000. The printed parts add to £36,000, £1
    # more than the printed total £35,999.
    path = write(PLAIN + """\
on_costs: {rates: {pension: 0.2}, source: the report's 20% pension}
themes:
  - name: Team
    lines:
      - {title: Officer, annual_salary: 30000, fte: 1, stated: {pay: 30000, pension: 6000, ni: 0, total: 35999}}
""")
    code, data = findings(run, path)
    assert code == 1
    for part in ("pay", "pension", "ni"):
        assert only(data, part)["status"] == "agrees"
    cross = only(data, "cross_foot")
    assert (cross["stated"], cross["computed"], cross["difference"]) == ("35999", "36000", "1")
    assert cross["line"] == 8


# --- footing hints -------------------------------------------------------------------------------


@pytest.mark.parametrize("difference, expected", [
    (Decimal(300), "1.2's figure (£300): the printed total may leave it out"),  # total 1,500 of 1,800
    (Decimal(-300), "1.2's figure (£300): the printed total may count it twice"),  # total 2,100
    (Decimal(1350), "1.3 printed £1,500 is ten times"),  # 1,000 + 300 + 1,500 vs 1,000 + 300 + 150
    (Decimal(-2700), "1.2 printed £300 is a tenth"),  # the total used 3,000 for 1.2: 1,800 − 4,500
    (Decimal(450), "1.3 printed £1,500 would foot as £1,050"),  # the total used 1,050: 2,800 − 2,350
])
def test_footing_hints_name_the_line_that_would_explain_the_difference(difference, expected):
    parts = [("1.1", Decimal(1000)), ("1.2", Decimal(300)), ("1.3", Decimal(1500))]
    assert expected in footing_hint(difference, parts)


# --- the CSV post list ---------------------------------------------------------------------------


def test_a_csv_takes_posts_saving_and_stated_annual_columns(write, run, tmp_path):
    # £30,000 a year, pay only, twelve months: New £30,000; Gone, ½ FTE deleted, −£15,000; the
    # head counts 2 − 1 = 1, as the proposal prints
    (tmp_path / "posts.csv").write_text(
        "theme,title,annual_salary,fte,posts,saving,stated,stated_annual\n"
        "Team,New,30000,1,2,,30000,30000\n"
        "Team,Gone,30000,½,1,true,15000,15001\n", encoding="utf-8")
    path = write(PLAIN + """\
on_costs: {pay_only: true, source: the report costs pay only}
stated_posts: 1
posts_csv: posts.csv
""")
    code, data = findings(run, path)
    assert code == 1
    annual = [f for f in data["findings"] if f["check"] == "annual"]
    assert [(f["stated"], f["computed"], f["status"]) for f in annual] == [
        ("30000", "30000", "agrees"), ("-15001", "-15000", "differs")]
    assert annual[1]["location"].endswith("posts.csv:3")
    assert only(data, "posts")["status"] == "agrees"


# --- a real answer -------------------------------------------------------------------------------

DH_2010 = Path(__file__).parent / "fixtures" / "dh-2010-03-01-manpower.yaml"


def test_a_parliamentary_answer_whose_fte_column_is_a_tenth_out(run, tmp_path):
    # HC written answer, 1 March 2010, "Departmental Manpower" (docs/sources/): the £000 pay bill
    # of twelve grades adds to 141,077 as printed; their FTEs add to 2,258.6 against a printed
    # 2,258.5. Acknowledged in the fixture; without the acknowledgement the check fails by 0.1.
    code, data = findings(run, DH_2010)
    assert code == 0
    assert only(data, "footing")["computed"] == "141077000"
    fte = only(data, "fte")
    assert (fte["stated"], fte["computed"], fte["status"]) == ("2258.5", "2258.6", "acknowledged")
    text = DH_2010.read_text(encoding="utf-8")
    bare = tmp_path / "dh.yaml"
    bare.write_text(text[:text.index("acknowledge:")] + text[text.index("themes:"):], encoding="utf-8")
    code, data = findings(run, bare)
    assert code == 1 and only(data, "fte")["difference"] == "0.1"


def test_a_thousands_table_shows_thousands_to_one_decimal(write, run):
    # £12,340 shows as 12.3 and the −£19,000 saving as −19.0; the total −£6,660 as −6.7 (£000)
    path = write(FIGURES + """\
units: thousands
themes:
  - name: Changes
    lines:
      - {kind: amount, title: New system, amount: 12.34}
      - {kind: amount, title: Post deleted, amount: 19, saving: true}
""")
    table = run("total", path).stdout
    assert "Cost £000" in table and "12.3" in table and "-19.0" in table and "-6.7" in table
    assert "£000 to one decimal place" in table
    markdown = run("total", path, "--format", "markdown").stdout
    assert "| Cost £000 |" in markdown and "**-6.7**" in markdown
    data = json.loads(run("total", path, "--format", "json").stdout)
    assert data["grand_total"] == "-6660.00"  # JSON keeps pounds and pence


def test_an_fte_acknowledgement_that_no_longer_matches_fails_and_says_so(run, tmp_path):
    # the DH answer's acknowledgement pinned to 2,258.7 where its lines add to 2,258.6
    text = DH_2010.read_text(encoding="utf-8").replace("    found: 2258.6", "    found: 2258.7")
    path = tmp_path / "dh.yaml"
    path.write_text(text, encoding="utf-8")
    code, data = findings(run, path)
    fte = only(data, "fte")
    assert code == 1 and fte["status"] == "differs"
    assert fte["note"] == "acknowledged as stated 2,258.5 vs 2,258.7, but now 2,258.5 vs 2,258.6: the figures changed"
