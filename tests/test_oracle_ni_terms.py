"""The engine's NI categories and salary sacrifice held to an independent oracle.

The oracle shares no code with postcost (nor with tests/test_oracle.py). It costs a post month by
month in exact fractions, as src/postcost/method.py states the method:

- pay = salary ÷ 12; pension = rate × pay (on pay before any sacrifice);
- employer NI = rate × max(0, salary − sacrifice − threshold) ÷ 12, where the threshold is the
  secondary threshold for category A and the upper secondary threshold for categories H
  (apprentice under 25) and M (under 21), at the rate and thresholds in force on the pay day;
- a sacrifice written '5%' is 5% of the salary;
- the line = FTE × Σ weight × (pay + NI + pension), rounded once to the penny, half up.

Its table is typed in from docs/sources/frameworks/employer-ni.md ("The table"): rate, annual ST,
and the annual UST (= AUST = UEL in every year), 2019/20 to 2025/26, with the 2022/23 split.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postcost import cost_proposal
from postcost.loader import load_proposal

# (first pay day, last pay day, rate, ST, UST/AUST), a year
TABLE = [
    (date(2019, 4, 6), date(2020, 4, 5), Fraction("0.138"), 8632, 50000),
    (date(2020, 4, 6), date(2021, 4, 5), Fraction("0.138"), 8788, 50000),
    (date(2021, 4, 6), date(2022, 4, 5), Fraction("0.138"), 8840, 50270),
    (date(2022, 4, 6), date(2022, 11, 5), Fraction("0.1505"), 9100, 50270),
    (date(2022, 11, 6), date(2023, 4, 5), Fraction("0.138"), 9100, 50270),
    (date(2023, 4, 6), date(2024, 4, 5), Fraction("0.138"), 9100, 50270),
    (date(2024, 4, 6), date(2025, 4, 5), Fraction("0.138"), 9100, 50270),
    (date(2025, 4, 6), date(2026, 4, 5), Fraction("0.15"), 5000, 50270),
]
FIRST, LAST = date(2019, 4, 1), date(2026, 3, 31)


def oracle(salary: Fraction, fte: Fraction, pension: Fraction, category: str, sacrifice: Fraction,
           start: date, end: date) -> Fraction:
    total = Fraction(0)
    month = start.replace(day=1)
    while month <= end:
        last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        weight = Fraction((min(last_day, end) - max(month, start)).days + 1, last_day.day)
        (rate, st_, ust), = [(r, s, u) for a, b, r, s, u in TABLE if a <= last_day <= b]
        threshold = st_ if category == "A" else ust
        ni = rate * max(Fraction(0), salary - sacrifice - threshold) / 12
        total += weight * (salary / 12 + ni + pension * salary / 12)
        month = last_day + timedelta(days=1)
    return fte * total


def half_up(value: Fraction) -> Decimal:
    pennies = value * 100
    whole = pennies.numerator // pennies.denominator
    return Decimal(whole + (pennies - whole >= Fraction(1, 2))) / 100


days = st.integers(min_value=0, max_value=(LAST - FIRST).days)


@st.composite
def posts(draw):
    a, b = sorted((draw(days), draw(days)))
    salary = draw(st.decimals(min_value=Decimal("6000"), max_value=Decimal("90000"), places=2))
    kind = draw(st.sampled_from(["none", "amount", "percent"]))
    sacrifice: Decimal | str | None = None
    if kind == "amount":
        sacrifice = draw(st.decimals(min_value=Decimal("1"), max_value=salary - 1, places=2))
    elif kind == "percent":
        sacrifice = f"{draw(st.integers(min_value=1, max_value=60))}%"
    return {
        "salary": salary, "sacrifice": sacrifice,
        "category": draw(st.sampled_from(["A", "H", "M"])),
        "fte": draw(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("3"), places=2)),
        "start": FIRST + timedelta(days=a), "end": FIRST + timedelta(days=b),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(lines=st.lists(posts(), min_size=1, max_size=3),
       pension=st.decimals(min_value=Decimal("0"), max_value=Decimal("0.3"), places=4))
def test_ni_categories_and_sacrifice_cost_as_the_oracle(tmp_path, lines, pension):
    start, end = min(p["start"] for p in lines), max(p["end"] for p in lines)
    rows = []
    for i, p in enumerate(lines):
        terms = f", ni_category: {p['category']}"
        if p["sacrifice"] is not None:
            terms += f", salary_sacrifice: {p['sacrifice']}"
        rows.append(f"      - {{title: p{i}, annual_salary: {p['salary']}, fte: {p['fte']}, "
                    f"start: {p['start']}, end: {p['end']}{terms}}}")
    path = tmp_path / "p.yaml"
    path.write_text("\n".join([
        "title: oracle", "authority: a", f"period: {{start: {start:%Y-%m}, end: {end:%Y-%m}}}",
        f"on_costs: {{employer_ni: true, rates: {{pension: {pension}}}, source: the oracle}}",
        "themes:", "  - name: T", "    lines:", *rows,
    ]) + "\n", encoding="utf-8")
    report = cost_proposal(load_proposal(path))
    for p, line in zip(lines, report.lines, strict=True):
        salary = Fraction(p["salary"])
        written = p["sacrifice"]
        sacrifice = (Fraction(0) if written is None else
                     salary * Fraction(int(written[:-1]), 100) if isinstance(written, str) else Fraction(written))
        expected = oracle(salary, Fraction(p["fte"]), Fraction(pension), p["category"], sacrifice, p["start"], p["end"])
        assert line.cost == half_up(expected)
