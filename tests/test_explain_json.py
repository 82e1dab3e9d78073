"""`postcost explain --format json`: every line's months for one full-time post (pay, NI, each
on-cost, the weight of a part month), which a tool re-adds to the line's cost: Σ (pay + ni +
on-costs) × fte, rounded once to the penny half up, is gross_cost. Re-added here, in exact
fractions, for every example and for a generated proposal, and held to `total --format json`.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

LINE_KEYS = {"position", "title", "fte", "gross_cost", "cost", "months"}
MONTH_KEYS = {"month", "weight", "pay", "ni", "on_costs"}


def _half_up(value: Fraction) -> Decimal:
    """To the penny, half up, on the exact value."""
    pennies = value * 100
    whole = pennies.numerator // pennies.denominator
    return Decimal(whole + (1 if pennies - whole >= Fraction(1, 2) else 0)) / 100


def readd(run, path: Path) -> int:
    """Re-add every post line's months; return how many lines were re-added."""
    explained = run("explain", path, "--format", "json")
    assert explained.exit_code == 0, explained.stderr
    data = json.loads(explained.stdout)
    total = json.loads(run("total", path, "--format", "json").stdout)
    costs = {line["position"]: line for theme in total["themes"] for line in theme["lines"]}
    added = 0
    for line in data["lines"]:
        assert LINE_KEYS <= set(line)
        assert (line["gross_cost"], line["cost"]) == (costs[line["position"]]["gross_cost"], costs[line["position"]]["cost"])
        if line["kind"] != "post":
            assert line["months"] == []
            continue
        one_fte = Fraction(0)
        for month in line["months"]:
            assert MONTH_KEYS <= set(month)
            assert all(set(c) == {"name", "rate", "amount"} for c in month["on_costs"])
            one_fte += Fraction(month["pay"]) + Fraction(month["ni"]) + sum(Fraction(c["amount"]) for c in month["on_costs"])
            # the weight is the share of the month covered, and each on-cost its rate × pay
            assert abs(Fraction(month["weight"]) - Fraction(month["days"], month["days_in_month"])) < Fraction(1, 10**40)
            for c in month["on_costs"]:
                assert abs(Fraction(c["amount"]) - Fraction(c["rate"]) * Fraction(month["pay"])) < Fraction(1, 10**40)
        assert _half_up(one_fte * Fraction(line["fte"])) == Decimal(line["gross_cost"]), line["position"]
        added += 1
    return added


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_examples_months_add_to_its_lines(run, monkeypatch, example):
    monkeypatch.chdir(ROOT)
    readd(run, example.relative_to(ROOT))  # every post line re-added (Bury has none: its lines are sums)


def test_a_generated_proposals_months_add_to_its_lines(run, write):
    """Posts at random grades, points and FTEs, starting and ending on random days from April
    2021 to March 2026 (across the 2022 NI changes and the 2025 rate and threshold), some
    externally funded: every line re-adds to its cost."""
    rng = random.Random(18)
    grades = ["Grade 3", "Grade 5", "Band A", "Band B", "Band C", "Band D"]
    lines = []
    for i in range(60):
        a, b = sorted(rng.sample(range(5 * 365), 2))
        start, end = _day(a), _day(b)
        fte = rng.choice(["0.5", "0.6", "1", "1.5", "2.25", "0.33", "3"])
        funded = ", funded_by: a grant" if rng.random() < 0.1 else ""
        lines.append(f"      - {{title: p{i}, grade: {rng.choice(grades)}, fte: {fte}, start: {start}, end: {end}{funded}}}")
    path = write("\n".join([
        "title: generated", "authority: Nottinghamshire County Council", "pay_scale: nottinghamshire",
        "period: {start: 2021-04, end: 2026-03}", "themes:", "  - name: T", "    lines:", *lines,
    ]) + "\n")
    assert readd(run, path) == 60


def _day(offset: int) -> str:
    from datetime import date, timedelta

    return (date(2021, 4, 1) + timedelta(days=offset)).isoformat()
