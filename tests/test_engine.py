"""The costing method, on figures derived by hand in each test's comment.

Rates used (pay_scales/, with sources): NJC SCP 28 = £32,234 in 2020/21; employer NI 2021/22
13.8% above £8,840 a year; Nottinghamshire on-cost 22.7% of pay from April 2021.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from postcost import PostcostError, cost_proposal, load_proposal
from postcost.engine import months_between, split_to_penny

from conftest import HEADER


def cost(write, lines: str, header: str = HEADER):
    path = write(header + "themes:\n  - name: T\n    lines:\n" + lines)
    return cost_proposal(load_proposal(path))


def only_line(report):
    (line,) = list(report.lines)
    return line


def test_band_b_full_year_matches_the_worked_check(write):
    # pay-data.md §3 worked check: 32,234 × 1.227 + 0.138 × (32,234 − 8,840) = 39,551.118 + 3,228.372
    # = £42,779.49 for one FTE Band B over the twelve months of 2021/22 at 2020/21 salary.
    line = only_line(cost(write, "      - {title: SW, grade: Band B, fte: 1, full_year: true}\n"))
    assert line.cost == Decimal("42779.49")
    assert (line.start, line.end) == (date(2021, 4, 1), date(2022, 3, 31))


def test_band_b_seven_months(write):
    # 7/12 × 42,779.49 exactly: 7 × (39,551.118 + 3,228.372) / 12 = 299,456.43 / 12 = 24,954.7025
    line = only_line(cost(write, "      - {title: SW, grade: Band B, fte: 1}\n"))
    assert line.cost == Decimal("24954.70")
    assert line.month_count == 7


def test_fte_multiplies_the_exact_cost_before_rounding(write):
    # 3 × 24,954.7025 = 74,864.1075 -> £74,864.11 (not 3 × £24,954.70 = £74,864.10)
    line = only_line(cost(write, "      - {title: SW, grade: Band B, fte: 3}\n"))
    assert line.cost == Decimal("74864.11")


def test_explicit_point_overrides_the_grade_bottom(write):
    # SCP 29 in 2020/21 = £32,910: 7 × (32,910 × 1.227 + 0.138 × (32,910 − 8,840)) / 12
    # = 7 × (40,380.57 + 3,321.66) / 12 = 7 × 43,702.23 / 12 = 25,492.9675 -> £25,492.97
    line = only_line(cost(write, "      - {title: SW, grade: Band B, point: 29, fte: 1}\n"))
    assert line.point == "29" and line.cost == Decimal("25492.97")


def test_stated_annual_salary(write):
    # £30,000 a year, 7 months: 7 × (30,000 × 1.227 + 0.138 × 21,160) / 12
    # = 7 × (36,810 + 2,920.08) / 12 = 278,110.56 / 12 = 23,175.88
    line = only_line(cost(write, "      - {title: Officer, annual_salary: 30000, fte: 1}\n"))
    assert line.cost == Decimal("23175.88")


def test_ni_is_never_negative_below_the_threshold(write):
    # £6,000 a year is below the £8,840 threshold: no NI. 7 × 6,000 × 1.227 / 12 = £4,294.50
    line = only_line(cost(write, "      - {title: Sessional, annual_salary: 6000, fte: 1}\n"))
    assert line.cost == Decimal("4294.50")
    assert all(m.ni == 0 for m in line.months)


def test_part_month_is_prorated_by_calendar_days(write):
    # £12,000 a year: a whole month is 1,000 + 0.138 × 3,160 / 12 + 227 = 1,000 + 36.34 + 227
    # = £1,263.34. From 16 to 30 September is 15 of 30 days: £631.67.
    line = only_line(cost(write, "      - {title: X, annual_salary: 12000, fte: 1, start: 2021-09-16, end: 2021-09}\n"))
    assert line.cost == Decimal("631.67")


def test_pay_year_follows_each_month_when_the_proposal_states_none(write):
    header = HEADER.replace("pay_year: 2020/21\n", "").replace("2021-09, end: 2022-03", "2022-03, end: 2022-04")
    # March 2022: SCP 28 2021/22 £32,798, NI 13.8% above £8,840:
    #   (32,798 × 1.227 + 0.138 × 23,958) / 12 = (40,243.146 + 3,306.204) / 12 = 3,629.1125
    # April 2022: SCP 28 2022/23 £34,723, NI 15.05% above £9,100:
    #   (34,723 × 1.227 + 0.1505 × 25,623) / 12 = (42,605.121 + 3,856.2615) / 12 = 3,871.781875
    # total 7,500.894625 -> £7,500.89; split 2021/22 £3,629.11, 2022/23 £3,871.78
    line = only_line(cost(write, "      - {title: SW, grade: Band B, fte: 1}\n", header))
    assert [m.annual_salary for m in line.months] == [Decimal(32798), Decimal(34723)]
    assert [m.ni_rate for m in line.months] == [Decimal("0.138"), Decimal("0.1505")]
    assert line.cost == Decimal("7500.89")
    assert line.financial_years == {"2021/22": Decimal("3629.11"), "2022/23": Decimal("3871.78")}


def test_a_month_uses_the_rules_in_force_on_its_last_day(write):
    header = HEADER.replace("pay_year: 2020/21\n", "").replace("2021-09, end: 2022-03", "2022-10, end: 2022-11")
    line = only_line(cost(write, "      - {title: SW, grade: Band B, fte: 1}\n", header))
    # pay days 31 Oct 2022 (15.05%) and 30 Nov 2022 (13.8%, from 6 Nov 2022)
    assert [m.ni_rate for m in line.months] == [Decimal("0.1505"), Decimal("0.138")]


def test_externally_funded_lines_cost_nothing_and_are_not_new_starters(write):
    report = cost(
        write,
        "      - {title: A, grade: Band B, fte: 1.5}\n"
        "      - {title: B, grade: Band B, fte: 1, funded_by: NHS}\n"
        "      - {kind: unit_cost, title: kit, unit_amount: 1600, quantity: new_starters}\n",
    )
    a, b, kit = report.lines
    assert b.cost == 0 and b.gross > 0
    assert kit.quantity == 2  # 1.5 FTE rounds up to 2 people; the funded post is excluded
    assert kit.cost == Decimal("3200.00")
    assert report.grand_total == a.cost + kit.cost


def test_lines_that_cannot_be_costed_are_all_reported(write):
    with pytest.raises(PostcostError) as raised:
        cost(
            write,
            "      - {title: A, grade: Band Q, fte: 1}\n"
            "      - {title: B, grade: Band B, fte: 1}\n"
            "      - {title: C, grade: Band E, point: '99', fte: 1}\n",
        )
    messages = [p.message for p in raised.value.problems]
    assert len(messages) == 2
    assert "'Band Q' is not a grade of nottinghamshire" in messages[0]
    assert "point '99'" in messages[1]


def test_months_between_counts_days():
    assert list(months_between(date(2024, 1, 31), date(2024, 2, 29))) == [
        (date(2024, 1, 1), 1, 31),
        (date(2024, 2, 1), 29, 29),
    ]


def test_split_to_penny_keeps_parts_adding_to_the_whole():
    # thirds of £1.00: 0.333.. each rounds to 0.33; the missing penny goes to one part
    third = Decimal(1) / 3
    parts = split_to_penny({"a": third, "b": third, "c": third}, Decimal("1.00"))
    assert sum(parts.values()) == Decimal("1.00")
    assert sorted(parts.values()) == [Decimal("0.33"), Decimal("0.33"), Decimal("0.34")]


def test_on_costs_stated_by_the_proposal_without_a_pay_scale(write):
    # "£30,000 plus 20% on-costs" for a full year: 30,000 × 1.2 = £36,000 (no NI, as stated)
    report = cost(
        write,
        "      - {title: Officer, annual_salary: 30000, fte: 1}\n",
        header="title: t\nauthority: a\nperiod: {start: 2024-04, end: 2025-03}\n"
        "on_costs: {rates: {on_costs: 0.20}, source: 'plus 20% on-costs'}\n",
    )
    assert only_line(report).cost == Decimal("36000.00")


def test_on_costs_stated_by_the_proposal_replace_the_scales(write):
    # Band B 2020/21 £32,234 for 7 months with pension 22.7% only, no NI (as a report might state):
    # 7 × 32,234 × 1.227 / 12 = 7 × 39,551.118 / 12 = 23,071.4855 -> £23,071.49
    report = cost(
        write,
        "      - {title: SW, grade: Band B, fte: 1}\n",
        header=HEADER + "on_costs: {rates: {pension: 0.227}, source: 'pension only'}\n",
    )
    assert only_line(report).cost == Decimal("23071.49")


def test_posts_without_a_pay_scale_need_salaries(write, run):
    path = write("title: t\nauthority: a\nperiod: {start: 2024-04, end: 2025-03}\n"
                 "on_costs: {rates: {on_costs: 0.2}, source: s}\nthemes:\n  - name: T\n    lines:\n"
                 "      - {title: SW, grade: Band B, fte: 1}\n")
    result = run("total", path)
    assert result.exit_code == 2 and "every post needs an annual_salary" in result.stderr
