"""The costing engine: a loaded proposal in, a frozen CostReport out. Pure; Decimal throughout.

Method (the way the July 2021 Nottinghamshire report and most council budgets cost posts):

- A post costs FTE × the cost of one full-time post, month by month. The NI threshold therefore
  counts once per full-time equivalent.
- One full-time post in a month: pay = annual salary ÷ 12; employer NI = rate × (pay − annual
  secondary threshold ÷ 12), never below 0; each on-cost rate (pension, levy, ...) × pay.
- A month uses the rules in force on its last day (its pay day). Its salary comes from the
  proposal's stated pay year, or where none is stated, from the pay year in force that day.
- A month the post covers only in part costs days covered ÷ days in the month of a whole month.
- No intermediate rounding: a line's exact cost is rounded once, to the penny, ROUND_HALF_UP
  (:func:`postcost.money.round_money`). Sub-totals and the total add the rounded lines.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, localcontext

from pathlib import Path

from postcost.errors import PostcostError, Problem, did_you_mean
from postcost.loader import LoadedProposal
from postcost.models import (
    AmountLine,
    NIPeriod,
    OnCostRule,
    PostLine,
    Proposal,
    Stated,
    UnitCostLine,
    month_end,
    month_start,
)
from postcost.money import EXACT, ZERO, round_money
from postcost.scales import PayScale, Salary, pay_year_of, pay_year_start

TWELVE = Decimal(12)
NIL = Decimal("0.00")  # the budget cost of an externally funded line


@dataclass(frozen=True)
class OnCost:
    name: str
    rate: Decimal
    amount: Decimal  # one FTE, this month, exact


@dataclass(frozen=True)
class MonthCost:
    """One month of one full-time post, exact (not rounded)."""

    month: date  # the first day of the month
    pay_day: date  # the month's last day: the rules in force that day apply
    days: int  # days of the month the post covers
    days_in_month: int
    salary: Salary | None  # None where the post states its own annual salary
    annual_salary: Decimal
    pay: Decimal
    ni_rate: Decimal
    ni_threshold: Decimal  # annual
    ni: Decimal
    on_costs: tuple[OnCost, ...]
    rule: OnCostRule  # the on-cost rule in force on the pay day
    ni_period: NIPeriod | None  # the NI rates in force on the pay day, where the rule charges NI

    @property
    def assumed(self) -> bool:
        """True where the month rests on a rate or an assumed pay award rather than published figures."""
        return self.rule.assumed or (self.salary is not None and self.salary.assumed)

    @property
    def inferred(self) -> list[str]:
        """The figures behind this month that are inferred (confidence L), named for a footnote."""
        found = []
        if self.salary is not None and self.salary.confidence == "L" and not self.salary.assumed:
            found.append(f"SCP {self.salary.point} in {self.salary.pay_year}: {self.salary.source}")
        if self.rule.confidence == "L" and not self.rule.assumed:
            found.append(f"on-cost rule from {self.rule.start:%d %b %Y}: {self.rule.source}")
        if self.ni_period is not None and self.ni_period.confidence == "L":
            found.append(f"employer NI {self.ni_period.tax_year}: {self.ni_period.source}")
        return found

    @property
    def total(self) -> Decimal:
        return self.pay + self.ni + sum((c.amount for c in self.on_costs), ZERO)

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.days) / Decimal(self.days_in_month)


@dataclass(frozen=True)
class LineCost:
    position: str  # "theme.line", 1-based, as numbered in the table
    path: tuple[object, ...]  # where the line is in the proposal file
    kind: str
    title: str
    team: str | None
    funded_by: str | None
    gross: Decimal  # the line's cost, rounded once to the penny
    cost: Decimal  # the cost to the proposal's budget: 0 where funded externally
    exact: Decimal
    financial_years: dict[str, Decimal]  # parts of ``cost``, adding to it to the penny
    stated: Stated | None
    # posts
    grade: str | None = None
    point: str | None = None
    point_explicit: bool = False  # given in the proposal, not the grade's bottom
    fte: Decimal | None = None
    start: date | None = None
    end: date | None = None
    full_year: bool = False
    full_year_effect: Decimal | None = None  # permanent posts: FTE × a full financial year
    assumed_amount: Decimal = ZERO  # the part of ``cost`` from months that rest on an assumption
    increments: bool = False
    months: tuple[MonthCost, ...] = ()
    # amounts and unit costs
    unit_amount: Decimal | None = None
    quantity: Decimal | None = None
    quantity_rule: str | None = None
    stated_quantity: Decimal | None = None

    @property
    def month_count(self) -> Decimal:
        return sum((m.fraction for m in self.months), ZERO)

    @property
    def assumed(self) -> bool:
        return any(m.assumed for m in self.months)


@dataclass(frozen=True)
class ThemeCost:
    position: str
    path: tuple[object, ...]
    name: str
    lines: tuple[LineCost, ...]
    stated: Stated | None

    @property
    def subtotal(self) -> Decimal:
        return sum((line.cost for line in self.lines), ZERO)

    @property
    def financial_years(self) -> dict[str, Decimal]:
        return _add_years(line.financial_years for line in self.lines)


@dataclass(frozen=True)
class CostReport:
    proposal: Proposal
    filename: str
    scale: PayScale | None
    themes: tuple[ThemeCost, ...]
    stated: Stated | None
    notes: tuple[str, ...] = field(default=())

    @property
    def grand_total(self) -> Decimal:
        return sum((theme.subtotal for theme in self.themes), ZERO)

    @property
    def financial_years(self) -> dict[str, Decimal]:
        return _add_years(theme.financial_years for theme in self.themes)

    @property
    def lines(self) -> Iterator[LineCost]:
        for theme in self.themes:
            yield from theme.lines

    @property
    def rules_used(self) -> list[OnCostRule]:
        """The on-cost rules some month of some post was costed under, in date order."""
        rules = {id(m.rule): m.rule for line in self.lines for m in line.months}
        return sorted(rules.values(), key=lambda rule: rule.start)

    @property
    def ni_periods_used(self) -> list[NIPeriod]:
        periods = {id(m.ni_period): m.ni_period for line in self.lines for m in line.months if m.ni_period}
        return sorted(periods.values(), key=lambda period: period.start)

    @property
    def inferred(self) -> list[str]:
        """Every inferred (confidence L) figure some line rests on, once each."""
        return list(dict.fromkeys(text for line in self.lines for m in line.months for text in m.inferred))

    @property
    def assumptions(self) -> list[str]:
        """Every assumed rate or pay award some line rests on, once each."""
        found = []
        for line in self.lines:
            for m in line.months:
                if m.rule.assumed:
                    found.append(f"on-cost rule from {m.rule.start:%d %b %Y}: {m.rule.source}")
                if m.salary is not None and m.salary.assumed:
                    found.append(f"SCP {m.salary.point} in {m.salary.pay_year}: {m.salary.source}")
        return list(dict.fromkeys(found))

    @property
    def full_year_effect(self) -> Decimal:
        return sum((line.full_year_effect for line in self.lines if line.full_year_effect is not None), ZERO)

    @property
    def assumed_total(self) -> Decimal:
        """How much of the total rests on a rate or pay figure marked as an assumption."""
        return sum((line.assumed_amount for line in self.lines), ZERO)


def cost_proposal(loaded: LoadedProposal) -> CostReport:
    """Cost every line of a proposal; raise PostcostError listing every line that cannot be costed."""
    return _Costing(loaded).run()


def cost_full_year(loaded: LoadedProposal, line: PostLine) -> Decimal:
    """A post's annual cost: FTE × the twelve months of the financial year it starts in, rounded once."""
    full = line.model_copy(update={"full_year": True, "end": None})
    return _Costing(loaded).cost_post(full, "", ()).gross


def head_count(proposal: Proposal) -> int:
    """New starters the proposal pays for: each post line's FTE rounded up; externally funded excluded."""
    return sum(
        math.ceil(line.fte)
        for theme in proposal.themes
        for line in theme.lines
        if isinstance(line, PostLine) and line.funded_by is None
    )


def months_between(start: date, end: date) -> Iterator[tuple[date, int, int]]:
    """(first day of month, days covered, days in month) for each month from ``start`` to ``end``."""
    month = start.replace(day=1)
    while month <= end:
        days_in_month = calendar.monthrange(month.year, month.month)[1]
        last = month.replace(day=days_in_month)
        covered = (min(last, end) - max(month, start)).days + 1
        yield month, covered, days_in_month
        month = last + timedelta(days=1)


class _Costing:
    def __init__(self, loaded: LoadedProposal):
        self.loaded = loaded
        self.proposal = loaded.proposal
        self.scale = loaded.scale
        self.problems: list[Problem] = []
        self.month_cache: dict[tuple[object, ...], MonthCost] = {}
        self.default_year = pay_year_of(month_start(self.proposal.period.start))

    def run(self) -> CostReport:
        themes = []
        for t, theme in enumerate(self.proposal.themes):
            lines = []
            for n, line in enumerate(theme.lines):
                path = ("themes", t, "lines", n)
                position = f"{t + 1}.{n + 1}"
                try:
                    lines.append(self.cost_line(line, position, path))
                except _LineProblem as problem:
                    self.problems.append(self.loaded.document.problem(path + problem.key, problem.message, problem.hint))
            themes.append(ThemeCost(str(t + 1), ("themes", t), theme.name, tuple(lines), theme.stated_subtotal))
        if self.problems:
            raise PostcostError(self.problems)
        has_posts = any(line.kind == "post" for theme in themes for line in theme.lines)
        notes = (
            ("Part-time and multi-FTE lines cost FTE × one full-time post: the NI threshold counts "
             "once per full-time equivalent.",)
            if has_posts
            else ()
        )
        return CostReport(self.proposal, self.loaded.filename, self.scale, tuple(themes), self.proposal.stated_total, notes)

    # --- lines -----------------------------------------------------------------------------------

    def cost_line(self, line: object, position: str, path: tuple[object, ...]) -> LineCost:
        if isinstance(line, PostLine):
            return self.cost_post(line, position, path)
        if isinstance(line, AmountLine):
            return self._lump(line, position, path, line.amount)
        assert isinstance(line, UnitCostLine)
        if line.quantity == "new_starters":
            quantity = Decimal(head_count(self.proposal))
        else:
            quantity = line.quantity
        return self._lump(line, position, path, line.unit_amount * quantity, quantity=quantity)

    def _lump(self, line: AmountLine | UnitCostLine, position: str, path, exact: Decimal, quantity=None) -> LineCost:
        gross = round_money(exact)
        cost = NIL if line.funded_by else gross
        year = line.financial_year or self.default_year
        is_unit = isinstance(line, UnitCostLine)
        return LineCost(
            position=position,
            path=path,
            kind=line.kind,
            title=line.title,
            team=line.team,
            funded_by=line.funded_by,
            gross=gross,
            cost=cost,
            exact=exact,
            financial_years={year: cost},
            stated=line.stated,
            unit_amount=line.unit_amount if is_unit else None,
            quantity=quantity,
            quantity_rule=line.quantity if is_unit and isinstance(line.quantity, str) else None,
            stated_quantity=line.stated_quantity if is_unit else None,
        )

    def cost_post(self, line: PostLine, position: str, path) -> LineCost:
        start, end = self.post_period(line)
        point = None
        increments = line.increments if line.increments is not None else self.proposal.increments
        if line.annual_salary is None:
            point = self.resolve_point(line)
            if increments:
                self.check_increments(line, point)
        elif line.increments:
            raise _LineProblem(("increments",), "a post with a stated annual_salary has no grade to move up")
        months = tuple(
            self.cost_month(line, self.point_on(line, point, start, month.replace(day=dim)) if increments and point else point,
                            month, days, dim)
            for month, days, dim in months_between(start, end)
        )
        with localcontext(EXACT):
            exact = line.fte * sum((m.total for m in months), ZERO)
            assumed_exact = line.fte * sum((m.total for m in months if m.assumed), ZERO)
            by_year: dict[str, Decimal] = {}
            for m in months:
                year = pay_year_of(m.month)
                by_year[year] = by_year.get(year, ZERO) + line.fte * m.total
        gross = round_money(exact)
        cost = NIL if line.funded_by else gross
        full_year_effect = None
        if line.full_year:
            full_year_effect = cost
        elif line.permanent:
            full_year_effect = NIL if line.funded_by else cost_full_year(self.loaded, line)
        return LineCost(
            position=position,
            path=path,
            kind="post",
            title=line.title,
            team=line.team,
            funded_by=line.funded_by,
            gross=gross,
            cost=cost,
            exact=exact,
            financial_years=split_to_penny(by_year, cost) if cost else {y: NIL for y in by_year},
            stated=line.stated,
            grade=line.grade,
            point=point,
            point_explicit=line.point is not None,
            fte=line.fte,
            start=start,
            end=end,
            full_year=line.full_year,
            full_year_effect=full_year_effect,
            increments=bool(increments and point),
            months=months,
            assumed_amount=NIL if line.funded_by else round_money(assumed_exact),
        )

    def check_increments(self, line: PostLine, point: str) -> None:
        rule = self.scale.authority.increments
        key = ("increments",) if line.increments else ()
        if rule is None:
            raise _LineProblem(
                key,
                f"{_short(self.scale.authority_file)} states no increment rule, so increments cannot be costed",
                "add an 'increments' rule to the pay scale, or cost the post without increments",
            )
        grade = self.scale.grade(line.grade) if line.grade else None
        if grade is None or grade.top is None:
            what = f"the top of {line.grade}" if line.grade else "the grade of this post"
            raise _LineProblem(
                key,
                f"{what} is not known in {_short(self.scale.authority_file)}, so increments cannot be costed",
                "give the grade a 'top' point in the pay scale (with its source), or cost without increments",
            )
        if not (point.isdigit() and grade.top.isdigit()):
            raise _LineProblem(key, f"increments need numbered points; {point!r} to {grade.top!r} is not a range")

    def point_on(self, line: PostLine, point: str, start: date, pay_day: date) -> str:
        """The point a post is on by ``pay_day``, one step up at each increment date since it started."""
        rule = self.scale.authority.increments
        grade = self.scale.grade(line.grade)  # checked by check_increments
        steps = 0
        for year in range(start.year, pay_day.year + 1):
            when = date(year, rule.month, rule.day)
            if start < when <= pay_day and _add_months(start, rule.min_months_in_post) <= when:
                steps += 1
        return str(min(int(point) + steps, int(grade.top)))

    def post_period(self, line: PostLine) -> tuple[date, date]:
        start = month_start(line.start or self.proposal.period.start)
        if line.full_year:
            first = pay_year_start(pay_year_of(start))
            return first, date(first.year + 1, 3, 31)
        end = month_end(line.end or self.proposal.period.end)
        if end < start:
            raise _LineProblem(("end",), f"the post ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y})")
        return start, end

    def resolve_point(self, line: PostLine) -> str:
        grade = None
        if line.grade is not None:
            grade = self.scale.grade(line.grade)
            if grade is None:
                names = list(self.scale.authority.grades)
                raise _LineProblem(
                    ("grade",),
                    f"grade {line.grade!r} is not a grade of {self.scale.name}",
                    did_you_mean(line.grade, names) or f"grades of {self.scale.name}: {', '.join(names)}",
                )
        point = line.point if line.point is not None else grade.bottom  # type: ignore[union-attr]
        if not self.scale.knows_point(point):
            raise _LineProblem(("point",), f"point {point!r} is not on {self.scale.name}'s pay spine or local points")
        if line.point is not None and grade is not None and point.isdigit() and grade.bottom.isdigit():
            top = grade.top if grade.top is not None and grade.top.isdigit() else None
            if int(point) < int(grade.bottom) or (top is not None and int(point) > int(top)):
                span = f"points {grade.bottom}–{top}" if top else f"from point {grade.bottom}; its top is not known"
                raise _LineProblem(
                    ("point",),
                    f"point {point} is outside {line.grade} ({span})",
                    "check the point, or leave it out to cost the grade's bottom point",
                )
        return point

    def cost_month(self, line: PostLine, point: str | None, month: date, days: int, dim: int) -> MonthCost:
        pay_day = month.replace(day=dim)
        if point is None:
            key: tuple[object, ...] = ("salary", line.annual_salary, pay_day, days)
        else:
            key = ("point", point, self.proposal.pay_year, pay_day, days)
        cached = self.month_cache.get(key)
        if cached is not None:
            return cached
        salary = None
        if point is None:
            annual = line.annual_salary
        else:
            pay_year = self.proposal.pay_year or pay_year_of(pay_day)
            salary = self.scale.salary(point, pay_year, self.proposal.assumed_pay_awards)
            if salary is None:
                years = self.scale.salary_years(point)
                raise _LineProblem(
                    ("point",) if line.point is not None else ("grade",),
                    f"no salary for point {point} in pay year {pay_year} in {_short(self.scale_file_for(point))}",
                    (f"that point has salaries for {', '.join(years)}; " if years else "")
                    + f"state a pay_year, or assume an award with assumed_pay_awards: {{'{pay_year}': {{rise: ..., reason: ...}}}}",
                )
            annual = salary.annual
        ni = self.scale.ni_period(pay_day)
        rule = self.scale.on_cost_rule(pay_day)
        if rule is None:
            raise _LineProblem(
                ("start",) if line.start else (),
                f"no on-cost rules for pay day {pay_day:%d %b %Y} in {_short(self.scale.authority_file)}",
                "add an on_costs entry covering that date, or shorten the period",
            )
        if (rule.employer_ni or rule.apprenticeship_levy) and ni is None:
            raise _LineProblem(
                ("end",) if line.end else (),
                f"no employer NI rates for {pay_year_of(pay_day)} (pay day {pay_day:%d %b %Y}) in {_short(self.scale.ni_file)}",
                "add that tax year's rate and threshold, or shorten the period",
            )
        with localcontext(EXACT):
            fraction = Decimal(days) / Decimal(dim)
            pay = annual / TWELVE * fraction
            if rule.employer_ni:
                ni_rate, threshold = ni.rate, ni.secondary_threshold
                ni_amount = ni_rate * max(ZERO, annual - threshold) / TWELVE * fraction
            else:
                ni_rate, threshold, ni_amount = ZERO, ZERO, ZERO
            rates = dict(rule.rates)
            if rule.apprenticeship_levy and ni.apprenticeship_levy:
                rates["apprenticeship levy"] = ni.apprenticeship_levy
            on_costs = tuple(OnCost(name, rate, rate * pay) for name, rate in rates.items())
        result = MonthCost(
            month=month,
            pay_day=pay_day,
            days=days,
            days_in_month=dim,
            salary=salary,
            annual_salary=annual,
            pay=pay,
            ni_rate=ni_rate,
            ni_threshold=threshold,
            ni=ni_amount,
            on_costs=on_costs,
            rule=rule,
            ni_period=ni if (rule.employer_ni or rule.apprenticeship_levy) else None,
        )
        self.month_cache[key] = result
        return result

    def scale_file_for(self, point: str) -> str:
        return self.scale.authority_file if point in self.scale.authority.local_points else self.scale.spine_file


class _LineProblem(Exception):
    def __init__(self, key: tuple[object, ...], message: str, hint: str | None = None):
        self.key, self.message, self.hint = key, message, hint


def split_to_penny(exact_parts: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    """Round each part to the penny so the parts add up to ``total`` exactly.

    Each part is rounded half up; any penny of difference left by rounding goes to the parts with
    the largest rounding residues (the largest remainder method), so no part moves by more than a
    penny from its exact value.
    """
    rounded = {key: round_money(value) for key, value in exact_parts.items()}
    gap = total - sum(rounded.values(), ZERO)
    step = Decimal("0.01") if gap > 0 else Decimal("-0.01")
    order = sorted(exact_parts, key=lambda k: (exact_parts[k] - rounded[k]) * (1 if gap > 0 else -1), reverse=True)
    i = 0
    while gap != 0 and order:
        key = order[i % len(order)]
        rounded[key] += step
        gap -= step
        i += 1
    return dict(sorted(rounded.items()))


def _add_years(parts: Iterator[dict[str, Decimal]] | object) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for part in parts:  # type: ignore[union-attr]
        for year, value in part.items():
            total[year] = total.get(year, ZERO) + value
    return dict(sorted(total.items()))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _short(path: str) -> str:
    return Path(path).name
