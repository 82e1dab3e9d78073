"""The costing method, in one place: what one full-time post costs for one month, and how a line's
months become its cost. Everything postcost reports (the total, explain, the workbook's formulas)
takes its figures from here.

One full-time post, one month, under the rules in force on the month's last day (its pay day):

- pay = the annual salary ÷ 12;
- employer NI = the NI rate × (pay − the annual secondary threshold ÷ 12), never below 0;
- each on-cost (pension, the apprenticeship levy, ...) = its rate × pay.

A post's own terms change these as follows (each is optional; without them a post is costed as
above):

- NI category H (an apprentice under 25) or M (an employee under 21): the employer pays no NI up
  to the upper secondary threshold for that category (the AUST or the UST, from the NI table),
  and the full rate above it, so employer NI = the NI rate × (pay − that threshold ÷ 12), never
  below 0. Category A (most employees) is the rule above.
- Salary sacrifice (pay given up for a benefit, such as a pension or cycle scheme): the sacrificed
  pay is not NI-able, so employer NI = the NI rate × (pay − sacrifice ÷ 12 − threshold ÷ 12),
  never below 0. A sacrifice is £ a year of a full-time post's pay, or a percentage of the
  salary. Pay is still the whole salary ÷ 12 (the employer spends the sacrificed part on the
  benefit), and pension and every other on-cost stay at their rate × pay before the sacrifice:
  pensionable pay is usually the pay before sacrifice. (The apprenticeship levy is, strictly,
  0.5% of NI-able pay; postcost charges it on pay before the sacrifice, 0.5% × the sacrifice more.)
  So the sacrifice lowers employer NI by the NI rate × sacrifice ÷ 12 a month, for pay above the
  threshold, and changes nothing else.
- Pension scheme: the scheme's employer rate in force on the pay day replaces the on-cost rule's
  rate named "pension"; a post in no scheme ("none") has no pension on-cost.
- Increment date: the post moves up its grade on its own date each year, not the pay scale's.

Both NI terms are carried as one annual threshold above which NI is charged (the category's
threshold + the sacrifice), so the rule "NI rate × (pay − threshold ÷ 12)" is the same for every post.

A month the post covers only in part weighs days covered ÷ days in the month: each figure is that
share of a whole month's. A line costs FTE × the sum of its months' figures, rounded once to the
penny, half up (ROUND_HALF_UP); nothing is rounded before. A post given in hours has FTE = hours ÷
full-time hours, a fraction kept exact: its cost is hours × the sum ÷ full-time hours, the
division last. A post at a stated annual cost (on-costs included, for all its FTE) costs that
annual cost × the sum of its months' shares of a year: its months carry the cost and nothing
else, and its FTE multiplies nothing. A line spanning financial years has
its cost split by year: each year's part rounded half up, and any penny left over (or short)
given to the parts whose rounding left the most behind (the largest remainder).

Exactness: a month's share of a year, days ÷ days in the month ÷ 12, is counted as a whole
number of YEAR-ths of a year (YEAR = 12 × 28 × 29 × 30 × 31 ÷ 2 = 12 × lcm(28, 29, 30, 31)), so the
sum of a line's months is exact and divided by YEAR only once, just before the rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from operator import attrgetter
from typing import NamedTuple

from postcost.models import NIPeriod, OnCostRule, PensionRate
from postcost.money import CENT, EXACT, ZERO, round_money
from postcost.scales import Salary

YEAR = 12 * 377_580  # parts of a year: 377,580 = lcm(28, 29, 30, 31) parts a month
WHOLE_MONTH = YEAR // 12
HUNDRED = Decimal(100)  # pennies in a pound


def share(days: int, days_in_month: int) -> int:
    """A month's share of a year, in YEAR-ths: a whole month is YEAR ÷ 12, a part month days ÷ days in month of that."""
    return days * (WHOLE_MONTH // days_in_month)


@dataclass(frozen=True, slots=True)
class Terms:
    """A post's own terms on one pay day, with what they rest on (see the module's docstring)."""

    ni_category: str = "A"  # A, H (apprentice under 25) or M (under 21)
    sacrifice: Decimal = ZERO  # £ a year of a full-time post's pay, not NI-able
    sacrifice_as_written: str | None = None  # as the proposal gives it: '2000' or '5%'
    pension_scheme: str | None = None  # the scheme named by the post; None: the on-cost rule's pension
    pension: PensionRate | None = None  # that scheme's rate on the pay day; None for 'none'

    @property
    def own(self) -> bool:
        """True where the post has terms of its own (not those of a category A post on the rule)."""
        return self.ni_category != "A" or bool(self.sacrifice) or self.pension_scheme is not None


COMMON_TERMS = Terms()


@dataclass(frozen=True, slots=True)
class Rates:
    """One full-time post's pay and charges for a year at the rules in force on one pay day, with
    their sources: the salary (``salary.source``, or stated in the proposal where ``salary`` is
    None), the on-cost rule (``rule.source``) and the NI table's period (``ni_period.source``)."""

    pay_day: date
    annual_salary: Decimal
    salary: Salary | None
    rule: OnCostRule
    ni_period: NIPeriod | None  # where the rule charges NI or the levy
    ni_rate: Decimal  # 0 where the rule charges no NI
    # the annual pay NI is not charged on: the secondary threshold (for NI category H or M, the
    # upper secondary threshold), plus any salary sacrifice; 0 where no NI is charged
    ni_threshold: Decimal
    on_costs: tuple[tuple[str, Decimal], ...]  # (name, rate of pay): the rule's rates, then the levy
    annual_ni: Decimal  # NI rate × max(0, annual salary − threshold)
    annual_cost: Decimal  # salary + NI + each on-cost: what twelve such months cost
    whole_month: Decimal  # what one whole month costs, in YEAR-ths of a pound: annual_cost × WHOLE_MONTH
    assumed: bool  # rests on an assumed rate or pay award
    terms: Terms = COMMON_TERMS  # the post's own terms


def rates_on(pay_day: date, annual_salary: Decimal, salary: Salary | None, rule: OnCostRule,
             ni_period: NIPeriod | None, terms: Terms = COMMON_TERMS) -> Rates:
    """The year's figures of one full-time post at ``annual_salary`` under ``rule`` and
    ``ni_period``, on the post's own ``terms``. For NI category H or M the NI period must state its
    upper secondary thresholds, and for a pension scheme the rule must have a rate named
    "pension" (the caller checks both)."""
    on_costs = dict(rule.rates)
    if terms.pension_scheme is not None:
        if terms.pension is None:  # in no scheme
            del on_costs["pension"]
        else:
            on_costs["pension"] = terms.pension.rate
    if rule.apprenticeship_levy and ni_period is not None and ni_period.apprenticeship_levy:
        on_costs["apprenticeship levy"] = ni_period.apprenticeship_levy
    charges_ni = rule.employer_ni and ni_period is not None
    ni_rate = ni_period.rate if charges_ni else ZERO
    ni_threshold = ZERO
    if charges_ni:
        ni_threshold = category_threshold(ni_period, terms.ni_category) + terms.sacrifice
    with localcontext(EXACT):
        annual_ni = ni_rate * max(ZERO, annual_salary - ni_threshold) if charges_ni else ZERO
        annual_cost = annual_salary + annual_ni + sum((rate * annual_salary for rate in on_costs.values()), ZERO)
        whole_month = month_parts(annual_cost, WHOLE_MONTH)
    return Rates(pay_day, annual_salary, salary, rule, ni_period if (rule.employer_ni or rule.apprenticeship_levy) else None,
                 ni_rate, ni_threshold, tuple(on_costs.items()), annual_ni, annual_cost, whole_month,
                 rule.assumed or (salary is not None and salary.assumed), terms)


def category_threshold(ni_period: NIPeriod, category: str) -> Decimal:
    """The annual pay an employer pays no NI on for an employee in NI ``category``: the secondary
    threshold (A); the apprentice upper secondary threshold (H); the upper secondary threshold (M)."""
    if category == "A":
        return ni_period.secondary_threshold
    upper = ni_period.upper_secondary
    assert upper is not None, "the caller checks the NI period states its upper secondary thresholds"
    return upper.apprentice_under_25 if category == "H" else upper.under_21


class OnCost(NamedTuple):
    name: str
    rate: Decimal
    amount: Decimal  # one FTE, this (part) month


@dataclass(frozen=True, slots=True)
class MonthCost:
    """One full-time post for one (part) month: its figures, each exact (to 50 digits)."""

    month: date  # the month's first day
    days: int  # days of the month the post covers
    days_in_month: int
    fraction: Decimal  # the weight of the month: days ÷ days in month (1 for a whole month)
    rates: Rates
    pay: Decimal
    ni: Decimal
    on_costs: tuple[OnCost, ...]
    total: Decimal  # pay + NI + on-costs

    # the rules the month was costed under, and their sources
    pay_day = property(attrgetter("rates.pay_day"))
    annual_salary = property(attrgetter("rates.annual_salary"))
    salary = property(attrgetter("rates.salary"))
    rule = property(attrgetter("rates.rule"))
    ni_period = property(attrgetter("rates.ni_period"))
    ni_rate = property(attrgetter("rates.ni_rate"))
    ni_threshold = property(attrgetter("rates.ni_threshold"))


def month_cost(rates: Rates, month: date, days: int, days_in_month: int) -> MonthCost:
    """What one full-time post costs in a month it covers ``days`` days of."""
    with localcontext(EXACT):
        part = Decimal(share(days, days_in_month)) / YEAR  # of a year: 1/12 for a whole month
        pay = rates.annual_salary * part
        ni = rates.annual_ni * part
        on_costs = tuple(OnCost(name, rate, rate * pay) for name, rate in rates.on_costs)
        total = pay + ni + sum((c.amount for c in on_costs), ZERO)
        return MonthCost(month, days, days_in_month, Decimal(days) / days_in_month, rates, pay, ni, on_costs, total)


def month_parts(annual_cost: Decimal, share: int) -> Decimal:
    """One full-time post's cost for a month it covers ``share`` YEAR-ths of a year of (a whole
    month is WHOLE_MONTH), at ``annual_cost`` a year, in YEAR-ths of a pound: exactly
    month_cost(...).total × YEAR. A line's months add these; the sum is divided by YEAR once."""
    return annual_cost * share


def exact_cost(fte: Decimal | Fraction, parts: Decimal) -> Decimal:
    """The exact cost of ``fte`` posts whose months add to ``parts`` YEAR-ths of a pound: the one
    division, of :func:`cost_numerator` by :func:`cost_denominator`."""
    return EXACT.divide(cost_numerator(fte, parts), cost_denominator(fte))


def cost_numerator(fte: Decimal | Fraction, parts: Decimal) -> Decimal:
    """FTE × ``parts``, exactly: an FTE of hours ÷ full-time hours (a Fraction) multiplies by its
    numerator, its denominator dividing with YEAR."""
    return EXACT.multiply(fte if isinstance(fte, Decimal) else Decimal(fte.numerator), parts)


def cost_denominator(fte: Decimal | Fraction) -> int:
    """YEAR, times the denominator of an FTE of hours ÷ full-time hours."""
    return YEAR if isinstance(fte, Decimal) else YEAR * fte.denominator


def hours_fte(hours: Decimal, full_time_hours: Decimal) -> Fraction:
    """The FTE of a post given in hours: hours ÷ full-time hours, exactly (30 of 37 is 30/37)."""
    return Fraction(hours) / Fraction(full_time_hours)


def line_cost(fte: Decimal | Fraction, parts: Decimal) -> tuple[Decimal, Decimal]:
    """(exact, rounded) cost of ``fte`` posts whose months add to ``parts`` YEAR-ths of a pound:
    the one division, then the line's one rounding."""
    exact = exact_cost(fte, parts)
    return exact, round_money(exact)


def split_to_penny(exact_parts: dict[str, Decimal], total: Decimal, per: int = 1) -> dict[str, Decimal]:
    """Round each part (``exact_parts[k]`` ÷ ``per``, exactly) half up; give the pennies left over
    (or short) of ``total`` to the parts with the largest rounding remainders, the earliest first
    where remainders are equal, so the parts add to ``total`` and none moves a penny.

    Every comparison is exact: a part's pennies and remainder come from one whole division
    (part × 100 = pennies × per + remainder), never from a rounded quotient."""
    rounded: dict[str, Decimal] = {}
    left: dict[str, Decimal] = {}  # part × 100 − pennies × per: what the rounding left behind (negative: gained)
    with localcontext(EXACT):
        divisor = Decimal(per)
        half = divisor / 2
        for key, value in exact_parts.items():
            pennies, rest = divmod(value * HUNDRED, divisor)  # toward zero: rest has the part's sign
            if rest >= half:  # half up: away from zero
                pennies += 1
                rest -= divisor
            elif -rest >= half:
                pennies -= 1
                rest += divisor
            rounded[key] = pennies * CENT + ZERO  # + 0: a nil part is 0.00, never -0.00
            left[key] = rest
        gap = total - sum(rounded.values())
    if not gap:
        return rounded
    step = CENT if gap > 0 else -CENT
    direction = 1 if gap > 0 else -1
    # a penny over goes to the parts that were left the most; a penny short is taken from those
    # that gained the most; sorted is stable, so equal remainders keep the years' order
    by_remainder = sorted(exact_parts, key=lambda k: left[k] * direction, reverse=True)
    for i in range(int(abs(gap) / CENT)):
        rounded[by_remainder[i % len(by_remainder)]] += step
    return rounded
