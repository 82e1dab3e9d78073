"""Multi-year costing: rate changes by date, pre-2019 pay, assumed awards, increments, the levy."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal

import pytest

from postcost import PostcostError, cost_proposal, load_proposal

from conftest import EXAMPLES

BAND_B = EXAMPLES / "band-b-social-worker-2022-2026.yaml"


def cost(write, body: str, scale: str = "nottinghamshire"):
    header = f"title: t\nauthority: a\npay_scale: {scale}\n"
    return cost_proposal(load_proposal(write(header + textwrap.dedent(body))))


def test_band_b_2022_2026_yearly_figures():
    # hand derivations in the example's header comment
    report = cost_proposal(load_proposal(BAND_B))
    assert report.financial_years == {
        "2022/23": Decimal("46327.93"),
        "2023/24": Decimal("48768.72"),
        "2024/25": Decimal("50529.57"),
        "2025/26": Decimal("53162.30"),
    }
    assert report.grand_total == sum(report.financial_years.values())
    # from April 2023 the 22.7% is an assumption; 2023/24-2025/26 rest on it
    assert report.assumed_total == Decimal("48768.72") + Decimal("50529.57") + Decimal("53162.30")
    # permanent: the full-year effect is the first full financial year
    (line,) = report.lines
    assert line.full_year_effect == Decimal("46327.93")


def test_ni_rate_by_pay_day_across_2022_and_2025():
    (line,) = cost_proposal(load_proposal(BAND_B)).lines
    rates = {m.month.strftime("%Y-%m"): (m.ni_rate, m.ni_threshold) for m in line.months}
    assert rates["2022-04"] == (Decimal("0.1505"), 9100)  # pay day 30 April 2022
    assert rates["2022-10"] == (Decimal("0.1505"), 9100)  # pay day 31 October 2022
    assert rates["2022-11"] == (Decimal("0.138"), 9100)  # from 6 November 2022
    assert rates["2025-03"] == (Decimal("0.138"), 9100)
    assert rates["2025-04"] == (Decimal("0.15"), 5000)  # from 6 April 2025


def test_json_carries_financial_years_on_lines_themes_and_top(run):
    data = json.loads(run("total", BAND_B, "--format", "json").stdout)
    theme = data["themes"][0]
    for part in (data, theme, theme["lines"][0]):
        years = part["financial_years"]
        total = part.get("grand_total") or part.get("subtotal") or part.get("cost")
        assert sum(Decimal(v) for v in years.values()) == Decimal(total)


def test_pay_award_on_1_april(write):
    # March 2022 pays 2021/22's SCP 28 (£32,798); April 2022 pays 2022/23's (£34,723)
    report = cost(write, """\
        period: {start: 2022-03, end: 2022-04}
        themes: [{name: T, lines: [{title: SW, grade: Band B, fte: 1}]}]
    """)
    assert [m.annual_salary for m in next(report.lines).months] == [32798, 34723]


def test_post_starting_and_ending_mid_year_splits_by_financial_year(write):
    # Band B, 16 Jan 2022 to 15 May 2022. Monthly one-FTE costs (hand):
    #   2021/22 (SCP 28 £32,798, NI 13.8% > £8,840): (32,798 × 1.227 + 0.138 × 23,958)/12 = 3,629.1125
    #   2022/23 (SCP 28 £34,723, NI 15.05% > £9,100): (42,605.121 + 3,856.2615)/12 = 3,871.781875
    # Jan: 16/31 of a month; Feb, Mar whole; Apr whole; May: 15/31.
    #   2021/22 = 3,629.1125 × (16/31 + 2) = 3,629.1125 × 78/31 = 283,070.775/31 = 9,131.3153.. -> 9,131.32
    #   2022/23 = 3,871.781875 × (1 + 15/31) = 3,871.781875 × 46/31 = 178,101.96625/31 = 5,745.2247.. -> 5,745.22
    #   line = 14,876.5399.. -> 14,876.54
    report = cost(write, """\
        period: {start: 2022-01-16, end: 2022-05-15}
        themes: [{name: T, lines: [{title: SW, grade: Band B, fte: 1}]}]
    """)
    (line,) = report.lines
    assert line.cost == Decimal("14876.54")
    assert line.financial_years == {"2021/22": Decimal("9131.32"), "2022/23": Decimal("5745.22")}


def test_pre_2019_years_use_the_old_point_assimilated_to_the_grade_bottom(write):
    # Band D's bottom is SCP 36, to which old SCP 42 was assimilated in April 2019.
    # pay-data.md §1: old SCP 42 = £37,306 in 2017/18 and £38,052 in 2018/19.
    report = cost(write, """\
        period: {start: 2018-03, end: 2018-04}
        themes: [{name: T, lines: [{title: PM, grade: Band D, fte: 1}]}]
    """)
    march, april = next(report.lines).months
    assert (march.annual_salary, april.annual_salary) == (37306, 38052)
    assert "old SCP 42" in march.salary.note


def test_inferred_figures_are_named_in_the_output(write, run):
    # 2016/17 old SCP 7-17 are unverified (confidence L): Grade 3 (SCP 5, old SCP 14) in March 2017
    path = write("title: t\nauthority: a\npay_scale: nottinghamshire\nperiod: {start: 2017-03, end: 2017-03}\n"
                 "themes: [{name: T, lines: [{title: AO, grade: Grade 3, fte: 1}]}]\n")
    report = cost_proposal(load_proposal(path))
    assert any(text.startswith("SCP 5 in 2016/17") for text in report.inferred)
    assert "Inferred figures (confidence L) used:" in run("total", path).stdout


def test_an_assumed_pay_award_is_labelled(write, run):
    # local point 44 has a salary for 2020/21 only (£47,806); a 1.75% award assumed for 2021/22
    # gives 47,806 × 1.0175 = 48,642.605, rounded to the pound as spines are: £48,643
    body = """\
        period: {start: 2021-04, end: 2021-04}
        assumed_pay_awards:
          "2021/22": {rise: 0.0175, reason: "as the NJC award for SCP 2 and above"}
        themes: [{name: T, lines: [{title: SDM, grade: Band E, fte: 1}]}]
    """
    report = cost(write, body)
    (month,) = next(report.lines).months
    assert month.annual_salary == 48643 and month.salary.assumed
    assert report.assumed_total == next(report.lines).cost
    out = run("total", write("title: t\nauthority: a\npay_scale: nottinghamshire\n" + textwrap.dedent(body), "q.yaml")).stdout
    assert "assumed 1.75% award on 2020/21 (£47,806)" in out


def test_a_year_without_salaries_and_no_assumption_is_a_clear_error(write):
    with pytest.raises(PostcostError) as raised:
        cost(write, """\
            period: {start: 2021-04, end: 2021-04}
            themes: [{name: T, lines: [{title: SDM, grade: Band E, fte: 1}]}]
        """)
    (problem,) = raised.value.problems
    assert "no salary for point 44 in pay year 2021/22 in nottinghamshire.yaml" in problem.message
    assert "assumed_pay_awards" in problem.hint


def test_a_period_beyond_the_scales_on_cost_rules_is_a_clear_error(write):
    with pytest.raises(PostcostError) as raised:
        cost(write, """\
            period: {start: 2026-04, end: 2026-05}
            assumed_pay_awards: {"2026/27": {rise: 0.03, reason: "planning assumption"}}
            themes: [{name: T, lines: [{title: SW, grade: Band B, fte: 1}]}]
        """)
    (problem,) = raised.value.problems
    assert "no on-cost rules for pay day 30 Apr 2026 in nottinghamshire.yaml" in problem.message
    assert "state the on-costs in the proposal (on_costs:" in problem.hint


def test_2026_27_costs_with_the_proposals_own_on_costs_and_an_assumed_award(write):
    report = cost(write, """\
        period: {start: 2026-04, end: 2027-03}
        on_costs: {rates: {pension: 0.2}, employer_ni: true, source: "a test rate"}
        assumed_pay_awards: {"2026/27": {rise: 0.03, reason: "planning assumption"}}
        themes: [{name: T, lines: [{title: SW, grade: Band B, fte: 1}]}]
    """)
    # Band B is SCP 28: £39,152 in 2025/26 (NJC). × 1.03 = £40,326.56, rounded to the pound as the
    # NJC spine is published: £40,327 in 2026/27 (assumed).
    # Employer NI 2026/27 (employer-ni.yaml): 15% above £5,000 a year. Twelve whole months:
    # 40,327 × 1.2 + 0.15 × (40,327 − 5,000) = 48,392.40 + 5,299.05 = £53,691.45
    (line,) = report.lines
    assert {m.annual_salary for m in line.months} == {Decimal(40327)}
    assert {(m.ni_rate, m.ni_threshold) for m in line.months} == {(Decimal("0.15"), 5000)}
    assert report.grand_total == Decimal("53691.45")
    assert report.assumed_total == Decimal("53691.45")  # every month rests on the assumed award


# --- a pay scale with known grade tops, an increment rule and the levy, for these tests only ---

SCALE = """\
kind: authority
name: testshire
authority: Testshire Council (a test scale)
spine: njc-spine
grades:
  Grade T: {bottom: 28, top: 30, source: "test grade", confidence: H}
  Grade U: {bottom: 28, source: "test grade whose top is not known", confidence: H}
increments: {month: 4, min_months_in_post: 6, source: "test rule: 1 April, after six months in post", confidence: H}
on_costs:
  - {start: 2016-04-01, end: 2026-03-31, employer_ni: true, apprenticeship_levy: true, rates: {pension: 0.2}, source: test, confidence: H}
"""


def test_increments_move_up_each_april_and_stop_at_the_top(write):
    write(SCALE, "testshire.yaml")
    report = cost(write, """\
        period: {start: 2022-01, end: 2026-03}
        themes: [{name: T, lines: [{title: SW, grade: Grade T, fte: 1, increments: true}]}]
    """, scale="testshire")
    points = {m.month.strftime("%Y-%m"): m.salary.point for m in next(report.lines).months}
    # started January 2022: fewer than six months before 1 April 2022, so the first step is April 2023
    assert points["2022-04"] == "28" and points["2023-03"] == "28"
    assert points["2023-04"] == "29" and points["2024-04"] == "30"
    assert points["2025-04"] == "30"  # the top of Grade T


def test_increments_on_a_grade_whose_top_is_unknown_are_an_error(write):
    write(SCALE, "testshire.yaml")
    with pytest.raises(PostcostError) as raised:
        cost(write, """\
            period: {start: 2022-04, end: 2023-03}
            themes: [{name: T, lines: [{title: SW, grade: Grade U, fte: 1, increments: true}]}]
        """, scale="testshire")
    assert "the top of Grade U is not known in testshire.yaml" in raised.value.problems[0].message


def test_nottinghamshire_states_no_increment_rule(write):
    with pytest.raises(PostcostError) as raised:
        cost(write, """\
            period: {start: 2022-04, end: 2023-03}
            increments: true
            themes: [{name: T, lines: [{title: SW, grade: Band B, fte: 1}]}]
        """)
    assert "nottinghamshire.yaml states no increment rule" in raised.value.problems[0].message


def test_apprenticeship_levy_from_6_april_2017(write):
    write(SCALE, "testshire.yaml")
    report = cost(write, """\
        period: {start: 2017-03, end: 2017-04}
        themes: [{name: T, lines: [{title: SW, grade: Grade T, fte: 1}]}]
    """, scale="testshire")
    march, april = next(report.lines).months
    assert [c.name for c in march.on_costs] == ["pension"]  # pay day 31 March 2017: no levy yet
    assert [(c.name, c.rate) for c in april.on_costs] == [("pension", Decimal("0.2")), ("apprenticeship levy", Decimal("0.005"))]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_financial_year_parts_add_up_in_every_example(example):
    report = cost_proposal(load_proposal(example))
    assert sum(report.financial_years.values()) == report.grand_total
    for theme in report.themes:
        assert sum(theme.financial_years.values()) == theme.subtotal
        for line in theme.lines:
            assert sum(line.financial_years.values()) == line.cost
