"""Each post's own terms, a pay year that starts on 1 September, and the NHS and teachers' scales.

Every figure asserted is derived by hand in the test's comment, from the pay-scale figures named
there (pay_scales/*.yaml, transcribed in docs/sources/frameworks/).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from postcost import cost_proposal
from postcost.errors import PostcostError
from postcost.explain import explain
from postcost.loader import load_proposal

from conftest import ROOT

SHIPPED = ROOT / "pay_scales"


def costed(tmp_path: Path, text: str, csv: str | None = None):
    if csv is not None:
        (tmp_path / "posts.csv").write_text(csv, encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return cost_proposal(load_proposal(path))


def on_costs_proposal(lines: str, period: str = "{start: 2024-04, end: 2025-03}", rates: str = "") -> str:
    return (
        "title: t\nauthority: a\n"
        f"period: {period}\n"
        f"on_costs: {{employer_ni: true, {rates}source: the report's on-costs}}\n"
        "themes:\n  - name: T\n    lines:\n" + lines
    )


# --- a pay year from 1 September -----------------------------------------------------------------


def test_a_teacher_is_costed_at_the_2023_range_to_august_and_the_2024_range_from_september(tmp_path):
    # Main pay range minimum (England excluding London): £30,000 from 1 Sep 2023, £31,650 from 1 Sep
    # 2024 (teachers-england-ranges.yaml; docs/sources/frameworks/teachers-england.md). TPS 28.68%
    # from 1 Apr 2024; employer NI 2024/25 13.8% above £9,100 (pay days 30 Apr 2024 to 31 Mar 2025).
    # Apr-Aug 2024, 5 months at £30,000: pay 12,500; NI 0.138 × 20,900 × 5/12 = 1,201.75;
    #   pension 0.2868 × 12,500 = 3,585.00; sum 17,286.75
    # Sep 2024-Mar 2025, 7 months at £31,650: pay 18,462.50; NI 0.138 × 22,550 × 7/12 = 1,815.275;
    #   pension 0.2868 × 18,462.50 = 5,295.045; sum 25,572.82
    # total 42,859.57
    report = costed(tmp_path, """\
title: t
authority: a school
pay_scale: teachers-england
period: {start: 2024-04, end: 2025-03}
themes:
  - name: T
    lines:
      - {title: Teacher, grade: Main, fte: 1}
""")
    line, = report.lines
    assert line.cost == Decimal("42859.57")
    salaries = [(m.month.month, m.annual_salary, m.salary.pay_year) for m in line.months]
    assert salaries[4] == (8, Decimal(30000), "2023/24") and salaries[5] == (9, Decimal(31650), "2024/25")
    assert {s for _, s, _ in salaries[:5]} == {Decimal(30000)} and {s for _, s, _ in salaries[5:]} == {Decimal(31650)}


def test_a_teachers_pay_year_pinned_uses_that_september_years_range(tmp_path):
    # pay_year: 2024/25 pins the range from 1 Sep 2024: Upper Inner London minimum £55,415 for all
    # 12 months; NI 0.138 × (55,415 − 9,100) = 6,391.47; TPS 0.2868 × 55,415 = 15,893.022;
    # 55,415 + 6,391.47 + 15,893.022 = 77,699.492 -> £77,699.49
    report = costed(tmp_path, """\
title: t
authority: a school
pay_scale: teachers-england
pay_year: 2024/25
period: {start: 2024-04, end: 2025-03}
themes:
  - name: T
    lines:
      - {title: Teacher, grade: upper inner london, fte: 1}
""")
    assert report.grand_total == Decimal("77699.49")


# --- NI categories and salary sacrifice ----------------------------------------------------------


def test_category_h_pays_no_employer_ni_below_the_upper_earnings_limit(tmp_path):
    # 2024/25: 13.8% above the secondary threshold £9,100 (category A); for category H (apprentice
    # under 25) none up to the AUST £50,270 (docs/sources/frameworks/employer-ni.md).
    # £30,000 for 12 months: A 30,000 + 0.138 × 20,900 = 32,884.20; H 30,000.00 (below £50,270)
    # £60,000: A 60,000 + 0.138 × 50,900 = 67,024.20; H 60,000 + 0.138 × (60,000 − 50,270) = 61,342.74
    report = costed(tmp_path, on_costs_proposal(
        "      - {title: a, annual_salary: 30000, fte: 1}\n"
        "      - {title: h, annual_salary: 30000, fte: 1, ni_category: H}\n"
        "      - {title: a high, annual_salary: 60000, fte: 1}\n"
        "      - {title: h high, annual_salary: 60000, fte: 1, ni_category: h}\n"
        "      - {title: m high, annual_salary: 60000, fte: 1, ni_category: M}\n"
    ))
    assert [line.cost for line in report.lines] == [
        Decimal("32884.20"), Decimal("30000.00"), Decimal("67024.20"), Decimal("61342.74"), Decimal("61342.74"),
    ]
    assert all(m.ni == 0 for m in list(report.lines)[1].months)


def test_a_salary_sacrifice_of_2000_lowers_ni_by_the_rate_times_2000_and_nothing_else(tmp_path):
    # £30,000, pension 22.7%, 2024/25: NI 0.138 × (30,000 − 9,100) = 2,884.20 without; with £2,000
    # sacrificed 0.138 × (28,000 − 9,100) = 2,608.20: £276.00 less = 0.138 × 2,000. Pay and pension
    # (0.227 × 30,000 = 6,810) are on pay before the sacrifice: 30,000 + 6,810 + 2,884.20 = 39,694.20
    # and 39,418.20. 5% of £30,000 is £1,500: 0.138 × 1,500 = 207.00 less: 39,487.20.
    report = costed(tmp_path, on_costs_proposal(
        "      - {title: plain, annual_salary: 30000, fte: 1}\n"
        "      - {title: sacrifice, annual_salary: 30000, fte: 1, salary_sacrifice: 2000}\n"
        "      - {title: five per cent, annual_salary: 30000, fte: 1, salary_sacrifice: 5%}\n",
        rates="rates: {pension: 0.227}, ",
    ))
    plain, sacrifice, percent = report.lines
    assert (plain.cost, sacrifice.cost, percent.cost) == (Decimal("39694.20"), Decimal("39418.20"), Decimal("39487.20"))
    assert plain.cost - sacrifice.cost == Decimal("0.138") * 2000
    for line in (plain, sacrifice):
        assert sum(m.pay for m in line.months) == 30000
        assert sum(c.amount for m in line.months for c in m.on_costs) == Decimal("6810")


def test_a_sacrifice_and_category_h_together_and_below_the_threshold(tmp_path):
    # £52,000, category H, £2,000 sacrificed: NI-able £50,000, under the AUST £50,270: no NI
    # (without the sacrifice 0.138 × (52,000 − 50,270) = 238.74). £9,000 with a £500 sacrifice,
    # category A: £8,500 NI-able, under the £9,100 threshold: no NI either.
    report = costed(tmp_path, on_costs_proposal(
        "      - {title: h, annual_salary: 52000, fte: 1, ni_category: H, salary_sacrifice: 2000}\n"
        "      - {title: h plain, annual_salary: 52000, fte: 1, ni_category: H}\n"
        "      - {title: low, annual_salary: 9000, fte: 1, salary_sacrifice: 500}\n"
    ))
    assert [line.cost for line in report.lines] == [Decimal("52000.00"), Decimal("52238.74"), Decimal("9000.00")]


# --- pension schemes -----------------------------------------------------------------------------


def test_an_nhs_post_at_the_employer_paid_rate_the_full_rate_and_in_no_scheme(tmp_path):
    # Band 5 entry 2024/25 £29,970 (nhs-afc-bands.yaml; NHS Health Careers). NI 0.138 × (29,970 −
    # 9,100) = 2,880.06. The scale's rule: 14.38% (what NHSBSA collects from NHS employers):
    # 0.1438 × 29,970 = 4,309.686 -> 37,159.746 -> £37,159.75. nhs-full-rate 23.78%: 7,126.866 ->
    # 39,976.926 -> £39,976.93. none: 32,850.06.
    report = costed(tmp_path, """\
title: t
authority: a trust
pay_scale: nhs-afc
period: {start: 2024-04, end: 2025-03}
themes:
  - name: T
    lines:
      - {title: default, grade: Band 5, fte: 1}
      - {title: nhs, grade: Band 5, fte: 1, pension_scheme: nhs}
      - {title: full, grade: Band 5, fte: 1, pension_scheme: nhs-full-rate}
      - {title: none, grade: Band 5, fte: 1, pension_scheme: none}
""")
    assert [line.cost for line in report.lines] == [
        Decimal("37159.75"), Decimal("37159.75"), Decimal("39976.93"), Decimal("32850.06"),
    ]
    text = explain(report, list(report.lines)[2:3])
    assert "pension scheme nhs-full-rate" in text and "23.78% from 1 Apr 2024" in text and "NHS Employers" in text


def test_a_scheme_the_proposal_defines_changes_rate_on_its_date(tmp_path):
    # Council post at £30,000 on nottinghamshire-like on-costs, seconded into a scheme the proposal
    # defines: 20% to 31 Mar 2025, 25% from 1 Apr 2025. Period Jan-Jun 2025. Employer NI: pay days
    # 31 Jan-31 Mar 2025 in 2024/25 (13.8% above £9,100), 30 Apr-30 Jun 2025 in 2025/26 (15% above £5,000).
    # Jan-Mar: 7,500 + 0.138 × 20,900 / 4 = 721.05 + 0.20 × 7,500 = 1,500 -> 9,721.05
    # Apr-Jun: 7,500 + 0.15 × 25,000 / 4 = 937.50 + 0.25 × 7,500 = 1,875 -> 10,312.50; total 20,033.55
    report = costed(tmp_path, """\
title: t
authority: a
period: {start: 2025-01, end: 2025-06}
on_costs: {employer_ni: true, rates: {pension: 0.227}, source: the report}
pension_schemes:
  seconded:
    title: a scheme of the proposal's
    rates:
      - {start: 2020-04-01, end: 2025-03-31, rate: 0.20, confidence: M, source: the scheme's letter of 2020}
      - {start: 2025-04-01, end: 2028-03-31, rate: 0.25, confidence: M, source: the scheme's letter of 2025}
themes:
  - name: T
    lines:
      - {title: seconded, annual_salary: 30000, fte: 1, pension_scheme: seconded}
""")
    assert report.grand_total == Decimal("20033.55")


# --- increment date ------------------------------------------------------------------------------


def test_the_post_holders_own_increment_date_moves_them_up_on_it(tmp_path):
    # A scale with no increment rule, a grade SCP 10-12 on the NJC spine: 2024/25 SCP 10 £26,835,
    # SCP 11 £27,269 (njc-spine.yaml). A post from April 2024 with increment_date 1 October is on
    # SCP 10 for Apr-Sep and SCP 11 from the October pay day.
    (tmp_path / "mine.yaml").write_text(f"""\
kind: authority
name: mine
authority: A council
spine: {SHIPPED / 'njc-spine.yaml'}
national_insurance: {SHIPPED / 'employer-ni.yaml'}
grades:
  G: {{bottom: 10, top: 12, confidence: M, source: the council's grading}}
on_costs:
  - {{start: 2024-04-01, end: 2025-03-31, employer_ni: true, confidence: M, source: the council}}
""", encoding="utf-8")
    report = costed(tmp_path, """\
title: t
authority: a
pay_scale: mine.yaml
period: {start: 2024-04, end: 2025-03}
themes:
  - name: T
    lines:
      - {title: officer, grade: G, fte: 1, increments: true, increment_date: 1 Oct}
""")
    line, = report.lines
    assert [m.annual_salary for m in line.months] == [Decimal(26835)] * 6 + [Decimal(27269)] * 6
    assert "one point up on 1 Oct each year (the post's own increment_date" in explain(report, [line])


# --- CSV columns ---------------------------------------------------------------------------------


def test_the_csv_columns_cost_as_the_yaml_keys(tmp_path):
    lines = ("      - {title: x, annual_salary: 30000, fte: 1, ni_category: H, salary_sacrifice: 2000}\n"
             "      - {title: y, annual_salary: 60000, fte: 1, salary_sacrifice: 5%}\n")
    from_yaml = costed(tmp_path, on_costs_proposal(lines))
    text = on_costs_proposal("      - {title: none, annual_salary: 1, fte: 1}\n").replace(
        "themes:\n  - name: T\n    lines:\n      - {title: none, annual_salary: 1, fte: 1}\n", "posts_csv: posts.csv\n")
    csv = "theme,title,annual_salary,fte,ni_category,salary_sacrifice\nT,x,30000,1,H,2000\nT,y,60000,1,,5%\n"
    from_csv = costed(tmp_path, text, csv)
    assert [line.cost for line in from_csv.lines] == [line.cost for line in from_yaml.lines]


def test_a_bad_csv_ni_category_is_reported_at_its_row(tmp_path):
    text = "title: t\nauthority: a\nperiod: {start: 2024-04, end: 2025-03}\n" \
           "on_costs: {employer_ni: true, source: s}\nposts_csv: posts.csv\n"
    (tmp_path / "posts.csv").write_text("theme,title,annual_salary,fte,ni_category\nT,x,30000,1,Q\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PostcostError) as raised:
        load_proposal(tmp_path / "p.yaml")
    problem, = raised.value.problems
    assert (problem.line, problem.message) == (2, "column ni_category: 'Q' is not an NI category postcost costs")


# --- the shipped scales' sources -----------------------------------------------------------------


NEW_FILES = ("nhs-afc.yaml", "nhs-afc-bands.yaml", "teachers-england.yaml", "teachers-england-ranges.yaml")


@pytest.mark.parametrize("name", NEW_FILES)
def test_every_source_names_a_document_in_the_repository(name):
    text = (SHIPPED / name).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/pay-scale.schema.json\n")
    sources = re.findall(r'^\s*(?:source|[\w-]+): "(docs/[^"]*)"', text, re.MULTILINE)
    quoted = re.findall(r'source: "([^"]*)"', text)
    assert quoted and all(source.startswith("docs/sources/frameworks/") for source in quoted)
    for source in sources + quoted:
        document = source.split(",")[0].split(":")[0]
        assert (ROOT / document).is_file(), document


@pytest.mark.parametrize("name, document", [
    ("nhs-afc-bands.yaml", "nhs-afc-england.md"), ("teachers-england-ranges.yaml", "teachers-england.md"),
])
def test_every_shipped_salary_is_printed_in_its_source_document(name, document):
    import yaml

    data = yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8"))
    printed = (ROOT / "docs" / "sources" / "frameworks" / document).read_text(encoding="utf-8")
    for year in data["pay_years"].values():
        for point, salary in year["points"].items():
            assert f"{salary:,}" in printed, (point, salary)


def test_every_confidence_is_stated_in_the_new_files():
    import yaml

    def walk(node, path):
        if isinstance(node, dict):
            if "source" in node:
                assert "confidence" in node, path
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    for name in NEW_FILES:
        walk(yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8")), (name,))


def test_a_workbook_of_posts_on_their_own_terms_computes_as_postcost(run, tmp_path):
    # the workbook's formula, salary × (1 + rates) + NI rate × max(0, salary − threshold), carries
    # a category's threshold and a sacrifice in its threshold cell: its cells must equal postcost's
    from test_xlsx import assert_computes_as_postcost

    source = tmp_path / "terms.yaml"
    source.write_text("""\
title: t
authority: a trust
pay_scale: nhs-afc
period: {start: 2024-09, end: 2025-06}
themes:
  - name: T
    lines:
      - {title: a, grade: Band 5, fte: 1, salary_sacrifice: 2000}
      - {title: b, grade: Band 6, fte: 0.5, ni_category: H, pension_scheme: nhs-full-rate}
      - {title: c, grade: Band 4, fte: 2, salary_sacrifice: 5%, ni_category: M, pension_scheme: none}
""", encoding="utf-8")
    assert_computes_as_postcost(run, source, tmp_path / "terms.xlsx")


def test_points_are_named_as_their_scales_number_them():
    # NJC spinal column points by number; old points by their old number; a scale's named
    # points (NHS, teachers, a council's own) as points, not SCPs
    from postcost.scales import point_name

    assert [point_name(p) for p in ("28", "old 17", "band-5-entry", "main-min", "F-bottom")] == [
        "SCP 28", "old SCP 17", "point band-5-entry", "point main-min", "point F-bottom"]


def test_a_september_scales_year_of_one_fte_runs_september_to_august():
    # Unqualified (England), 2024/25 minimum £21,731 from 1 September 2024 to 31 August 2025:
    # pay £21,731 + TPS 28.68% £6,232.4508; employer NI September–March (7 months) 13.8% above
    # £9,100: 0.138 × 12,631 × 7/12 = £1,016.7955; April–August 2025 (5 months) 15% above £5,000:
    # 0.15 × 16,731 × 5/12 = £1,045.6875. Total £30,025.9338: £30,025.93
    from postcost.loader import load_pay_scale
    from postcost.scales_table import grade_costs

    rows, year = grade_costs(load_pay_scale("teachers-england"), "2024/25")
    (row,) = [r for r in rows if r.grade == "Unqualified"]
    assert (year, row.bottom_salary, row.annual_cost) == ("2024/25", Decimal("21731"), Decimal("30025.93"))
