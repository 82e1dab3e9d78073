"""Invariants of the engine, over generated posts (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postcost import cost_proposal
from postcost.loader import LoadedProposal, load_pay_scale
from postcost.models import Proposal
from postcost.yamlfile import YamlDocument

SCALE = load_pay_scale("nottinghamshire")
GRADES = ["Grade 3", "Grade 4", "Grade 5", "Band A", "Band B", "Band C", "Band D"]
# Pay years with salaries and NI in the shipped data, with on-cost rules: April 2019 to March 2026.
FIRST, LAST = date(2019, 4, 1), date(2026, 3, 31)

ftes = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40"), places=2)
days = st.integers(min_value=0, max_value=(LAST - FIRST).days)


def report_for(lines: list[dict], start: str = "2019-04", end: str = "2026-03"):  # FIRST to LAST: posts lie within it
    data = {
        "title": "p",
        "authority": "a",
        "pay_scale": "nottinghamshire",
        "period": {"start": start, "end": end},
        "themes": [{"name": "T", "lines": lines}],
    }
    proposal = Proposal.model_validate(data)
    return cost_proposal(LoadedProposal(proposal, YamlDocument("p.yaml", data), SCALE))


def post(grade: str, fte: Decimal, start: date, end: date) -> dict:
    return {"title": "x", "grade": grade, "fte": fte, "start": start.isoformat(), "end": end.isoformat()}


@st.composite
def periods(draw):
    a, b = sorted((draw(days), draw(days)))
    return FIRST + timedelta(days=a), FIRST + timedelta(days=b)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(grade=st.sampled_from(GRADES), fte=ftes, k=st.integers(min_value=2, max_value=9), period=periods())
def test_cost_is_linear_in_fte_to_the_penny(grade, fte, k, period):
    one = report_for([post(grade, fte, *period)]).grand_total
    many = report_for([post(grade, fte * k, *period)]).grand_total
    # each is the exact cost rounded once, so they differ by at most k half-pennies
    assert abs(many - k * one) <= Decimal("0.005") * (k + 1)


@SETTINGS
@given(grade=st.sampled_from(GRADES), fte=ftes, period=periods(), cut=st.integers(min_value=0, max_value=100))
def test_splitting_a_period_in_two_adds_up(grade, fte, period, cut):
    start, end = period
    middle = start + timedelta(days=(end - start).days * cut // 100)
    if middle >= end:
        return
    whole = report_for([post(grade, fte, start, end)]).grand_total
    halves = report_for([post(grade, fte, start, middle), post(grade, fte, middle + timedelta(days=1), end)])
    # the same exact amounts, rounded as one line or as two: within a penny
    assert abs(halves.grand_total - whole) <= Decimal("0.01")


@SETTINGS
@given(
    lines=st.lists(st.tuples(st.sampled_from(GRADES), ftes, periods()), min_size=1, max_size=6),
)
def test_total_is_the_sum_of_lines_and_of_financial_years(lines):
    report = report_for([post(g, f, *p) for g, f, p in lines])
    assert report.grand_total == sum(line.cost for line in report.lines)
    assert report.grand_total == sum(report.financial_years.values())
    for line in report.lines:
        assert sum(line.financial_years.values()) == line.cost
        assert line.cost == line.cost.quantize(Decimal("0.01"))
