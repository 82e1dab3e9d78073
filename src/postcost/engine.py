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

How it stays exact and fast: a month's cost is kept as its annual equivalent X = salary × (1 +
on-cost rates) + NI rate × max(0, salary − threshold), a finite decimal. Each month counts for
a whole number of K-ths of a year, K = 12 × lcm(28, 29, 30, 31) (a whole month is K/12; a part
month days × K/(12 × days in month)), so a line's cost is FTE × Σ X × weight ÷ K: sums of
finite decimals and a single division, exact whenever the true cost has a finite decimal form
(which every exact half-penny has). Each cost key (a point, or a stated salary) keeps prefix
sums of X by month, so a post costs a few look-ups however many months it runs.
"""

from __future__ import annotations

import calendar
import functools
import math
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, localcontext
from pathlib import Path

from postcost.errors import PostcostError, Problem, did_you_mean, excerpt
from postcost.loader import LoadedProposal
from postcost.models import (
    MAX_MONEY,
    AmountLine,
    HeadThenRows,
    NIPeriod,
    OnCostRule,
    PostKinds,
    PostLine,
    PostRows,
    Proposal,
    Stated,
    UnitCostLine,
    month_end,
    month_start,
    tally_lines,
)
from postcost.money import EXACT, ZERO, format_pounds, round_money
from postcost.scales import PayScale, Salary, pay_year_of, pay_year_start

K = 12 * 377_580  # 12 × lcm(28, 29, 30, 31) = 4,530,960
WHOLE = K // 12  # a whole month's weight
DK, DWHOLE = Decimal(K), Decimal(WHOLE)  # Decimal × Decimal is quicker than Decimal × int
TWELVE = Decimal(12)
NIL = Decimal("0.00")  # the budget cost of an externally funded line


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def weight(days: int, days_in_month: int) -> int:
    """A month's share of a year in K-ths: a whole month is K/12."""
    return days * (K // (12 * days_in_month))


def _read_through(cls: type, holder: str, held: type) -> None:
    """Give ``cls`` a read-only property for each field and property of the dataclass ``held``,
    reading it from ``cls``'s ``holder``: ``line.cost`` is ``line.figures.cost``. (A __getattr__
    fallback costs ~0.5 µs an attribute, which a CSV, a table or a workbook of 100,000 lines asks
    for millions of times.)"""
    names = [*held.__dataclass_fields__, *(name for name, value in vars(held).items() if isinstance(value, property))]
    for name in names:
        assert name not in vars(cls), f"{cls.__name__}.{name} is its own: reading through would hide it"
        setattr(cls, name, property(operator.attrgetter(f"{holder}.{name}"), doc=f"``{holder}.{name}``"))


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnCost:
    name: str
    rate: Decimal
    amount: Decimal  # one FTE, this (part) month


@dataclass(frozen=True, slots=True)
class MonthRate:
    """One full-time post for one whole month under one cost key: the figures and their sources."""

    month: date  # the first day of the month
    pay_day: date  # its last day: the rules in force that day apply
    salary: Salary | None  # None where the post states its own annual salary
    annual_salary: Decimal
    rule: OnCostRule  # the on-cost rule in force on the pay day
    ni_period: NIPeriod | None  # the NI table's period, where the rule charges NI or the levy
    rates: tuple[tuple[str, Decimal], ...]  # on-costs as fractions of pay, the levy included
    annual_cost: Decimal  # X: what twelve such months cost (salary × (1 + rates) + NI)

    @property
    def ni_rate(self) -> Decimal:
        return self.ni_period.rate if self.ni_period is not None and self.rule.employer_ni else ZERO

    @property
    def ni_threshold(self) -> Decimal:
        return self.ni_period.secondary_threshold if self.ni_period is not None and self.rule.employer_ni else ZERO

    @property
    def assumed(self) -> bool:
        """True where the month rests on a rate or an assumed pay award rather than published figures."""
        return self.rule.assumed or (self.salary is not None and self.salary.assumed)

    @property
    def inferred(self) -> list[str]:
        """The figures behind this month that are inferred (confidence L), named for a footnote."""
        found = []
        if self.salary is not None and self.salary.confidence == "L" and not self.salary.assumed:
            found.append(self._salary_text())
        if self.rule.confidence == "L" and not self.rule.assumed:
            found.append(self._rule_text())
        if self.ni_period is not None and self.ni_period.confidence == "L":
            found.append(f"employer NI {self.ni_period.tax_year}: {self.ni_period.source}")
        return found

    @property
    def assumptions(self) -> list[str]:
        """The assumed rate or pay award behind this month, named for a footnote."""
        found = []
        if self.rule.assumed:
            found.append(self._rule_text())
        if self.salary is not None and self.salary.assumed:
            found.append(self._salary_text())
        return found

    def _rule_text(self) -> str:
        return f"on-cost rule from {self.rule.start:%d %b %Y}: {self.rule.source}"

    def _salary_text(self) -> str:
        return f"SCP {self.salary.point} in {self.salary.pay_year}: {self.salary.source}"


@dataclass(frozen=True)
class MonthCost:
    """One (part) month of one full-time post: exact figures, for explaining a line."""

    rate: MonthRate
    days: int  # days of the month the post covers
    days_in_month: int

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.days) / Decimal(self.days_in_month)

    @property
    def pay(self) -> Decimal:
        with localcontext(EXACT):
            return self.rate.annual_salary / TWELVE * self.fraction

    @property
    def ni(self) -> Decimal:
        with localcontext(EXACT):
            return self.rate.ni_rate * max(ZERO, self.rate.annual_salary - self.rate.ni_threshold) / TWELVE * self.fraction

    @property
    def on_costs(self) -> tuple[OnCost, ...]:
        pay = self.pay
        with localcontext(EXACT):
            return tuple(OnCost(name, rate, rate * pay) for name, rate in self.rate.rates)

    @property
    def total(self) -> Decimal:
        with localcontext(EXACT):
            return self.rate.annual_cost * weight(self.days, self.days_in_month) / K


# a month's rate, its rules and figures: month.annual_salary is month.rate.annual_salary
_read_through(MonthCost, "rate", MonthRate)


@dataclass(slots=True, eq=False)  # read-only by convention, like LineCost; one per distinct period and point
class PostBasis:
    """What a post is costed on, the same for every FTE: its grade and point (or stated salary),
    its period and its months. Posts alike in these share one, however their FTEs differ."""

    grade: str | None = None
    point: str | None = None
    point_explicit: bool = False  # given in the proposal, not the grade's bottom
    start: date | None = None
    end: date | None = None
    full_year: bool = False
    increments: bool = False
    month_count: Decimal = ZERO
    points: tuple[str, ...] = ()
    annual_salaries: tuple[Decimal, ...] = ()
    segments: tuple[_Segment, ...] = field(default=(), repr=False, compare=False)

    @property
    def months(self) -> tuple[MonthCost, ...]:
        """Every month of a post, with its figures and sources (built on demand)."""
        if not self.segments:
            return ()
        found = []
        for month, days, dim in months_between(self.start, self.end):
            index = month_index(month)
            series = next(s.series for s in self.segments if s.a <= index <= s.b)
            found.append(MonthCost(series.rate(index), days, dim))
        return tuple(found)


NO_BASIS = PostBasis()  # an amount's or a unit cost's: none of a post's


@dataclass(slots=True)  # read-only by convention, like LineCost: built once per distinct post
class Figures:
    """What a line costs, apart from its words. Post lines alike in everything the cost depends on
    (grade, point or salary, period, FTE, funding) share one, so a long establishment list is
    costed once per distinct post, not once per line. A post's :class:`PostBasis` is shared
    further, by every FTE (``figures.grade`` is ``figures.basis.grade``)."""

    kind: str
    funded_by: str | None
    gross: Decimal  # the line's cost, rounded once to the penny
    cost: Decimal  # the cost to the proposal's budget: 0 where funded externally
    exact: Decimal
    financial_years: dict[str, Decimal]  # parts of ``cost``, adding to it to the penny
    basis: PostBasis = NO_BASIS
    # posts
    fte: Decimal | None = None
    full_year_effect: Decimal | None = None  # permanent posts: FTE × a full financial year
    assumed: bool = False  # some month rests on an assumed rate or pay award
    assumed_amount: Decimal = ZERO  # the part of ``cost`` from such months
    # amounts and unit costs
    unit_amount: Decimal | None = None
    quantity: Decimal | None = None
    quantity_rule: str | None = None
    stated_quantity: Decimal | None = None


_read_through(Figures, "basis", PostBasis)


@dataclass(slots=True)  # read-only by convention: a frozen dataclass builds ~5× slower, which shows at 100,000 lines
class LineCost:
    """One line of the costed proposal: its words and place, and its :class:`Figures` (whose
    attributes it answers for too: ``line.cost`` is ``line.figures.cost``)."""

    position: str  # "theme.line", 1-based, as numbered in the table
    title: str
    team: str | None
    stated: Stated | None
    figures: Figures


_read_through(LineCost, "figures", Figures)


class CostRows(HeadThenRows[LineCost]):
    """A theme's costed lines whose posts came from a CSV file, held as columns like the
    :class:`PostRows` they cost: the costed lines written in YAML (``head``), then each row's
    distinct post's figures and stated figure (``costed``, by index into the file's kinds) and
    its words. It reads as the theme's LineCosts, each row's built when asked for; totals
    (:meth:`tally`) and JSON read the columns, so 100,000 rows are not 100,000 objects."""

    def __init__(self, position: str, head: Sequence[LineCost], rows: PostRows,
                 costed: dict[int, tuple[Figures, Stated | None]]):
        self.position = position  # the theme's
        self.head = tuple(head)
        self.rows = rows
        self.kind_of = rows.kind_of
        self.costed = costed  # every kind some row of ``rows`` is

    def row_line(self, n: int, row: int) -> LineCost:
        return self._line(n, self.kind_of[row], self.rows.words[row])

    def __iter__(self) -> Iterator[LineCost]:  # what Sequence gives, without its index checks per row
        yield from self.head
        for n, kind, words in self.rows.rows():
            yield self._line(n, kind, words)

    def _line(self, n: int, kind: int, words: dict[str, str]) -> LineCost:
        """Line ``n`` of the theme (0-based), a row of distinct post ``kind``."""
        figures, stated = self.costed[kind]
        return LineCost(f"{self.position}.{n + 1}", words["title"], words.get("team"), stated, figures)

    def tally(self) -> Iterator[tuple[Figures, int]]:
        """Each head line's figures once, then each distinct post's with how many rows it stands for."""
        yield from ((line.figures, 1) for line in self.head)
        for kind, n in Counter(self.kind_of).items():
            yield self.costed[kind][0], n


@dataclass(frozen=True)
class ThemeCost:
    position: str
    name: str
    lines: tuple[LineCost, ...] | CostRows
    stated: Stated | None

    @functools.cached_property
    def tally(self) -> tuple[tuple[Figures, int], ...]:
        """Each distinct :class:`Figures` of the theme's lines, with how many lines share it: sums
        over a long establishment list are then a product per distinct post."""
        if isinstance(self.lines, CostRows):
            counts: Counter[int] = Counter()
            by_id = {}
            for figures, n in self.lines.tally():
                by_id[id(figures)] = figures
                counts[id(figures)] += n
        else:
            figures = [line.figures for line in self.lines]
            by_id = dict(zip(map(id, figures), figures))
            counts = Counter(map(id, figures))
        return tuple((by_id[key], n) for key, n in counts.items())

    @functools.cached_property
    def subtotal(self) -> Decimal:
        return sum((figures.cost * n for figures, n in self.tally), ZERO)

    @functools.cached_property
    def financial_years(self) -> dict[str, Decimal]:
        return _add_years((figures.financial_years, n) for figures, n in self.tally)


@dataclass(frozen=True)
class CostReport:
    proposal: Proposal
    filename: str
    scale: PayScale | None
    themes: tuple[ThemeCost, ...]
    stated: Stated | None
    notes: tuple[str, ...] = ()
    used: tuple[MonthRate, ...] = ()  # every month rate some line was costed with, in month order
    full_year_cost: Callable[[PostLine], Decimal] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def grand_total(self) -> Decimal:
        return sum((theme.subtotal for theme in self.themes), ZERO)

    @functools.cached_property
    def financial_years(self) -> dict[str, Decimal]:
        return _add_years((theme.financial_years, 1) for theme in self.themes)

    @property
    def lines(self) -> Iterator[LineCost]:
        for theme in self.themes:
            yield from theme.lines

    @property
    def rules_used(self) -> list[OnCostRule]:
        """The on-cost rules some month of some post was costed under, in date order."""
        rules = {id(m.rule): m.rule for m in self.used}
        return sorted(rules.values(), key=lambda rule: rule.start)

    @property
    def ni_periods_used(self) -> list[NIPeriod]:
        periods = {id(m.ni_period): m.ni_period for m in self.used if m.ni_period is not None}
        return sorted(periods.values(), key=lambda period: period.start)

    @property
    def inferred(self) -> list[str]:
        """Every inferred (confidence L) figure some line rests on, once each."""
        return list(dict.fromkeys(text for m in self.used for text in m.inferred))

    @property
    def assumptions(self) -> list[str]:
        """Every assumed rate or pay award some line rests on, once each."""
        return list(dict.fromkeys(text for m in self.used for text in m.assumptions))

    @property
    def full_year_effect(self) -> Decimal:
        return sum(
            (f.full_year_effect * n for theme in self.themes for f, n in theme.tally if f.full_year_effect is not None), ZERO
        )

    @property
    def assumed_total(self) -> Decimal:
        """How much of the total comes from months resting on an assumed rate or pay award."""
        return sum((f.assumed_amount * n for theme in self.themes for f, n in theme.tally), ZERO)


def cost_proposal(loaded: LoadedProposal) -> CostReport:
    """Cost every line of a proposal; raise PostcostError listing every line that cannot be costed."""
    with localcontext(EXACT):
        return _Costing(loaded).run()


def line_problems(loaded: LoadedProposal, posts: list[tuple[tuple[int, int], PostLine]]) -> list[Problem]:
    """The costing problems of posts given with their places, (theme, line): used to report them
    in the same run as a file's form errors, for the lines that are valid on their own."""
    costing = _Costing(loaded)
    with localcontext(EXACT):
        for (t, n), line in posts:
            costing.cost_at(t, n, line)
    return costing.problems


def head_count(proposal: Proposal) -> int:
    """New starters the proposal pays for: each post line's FTE rounded up; externally funded excluded."""
    ftes: Counter[Decimal] = Counter()
    for theme in proposal.themes:
        for line, n in tally_lines(theme.lines):
            if isinstance(line, PostLine) and line.funded_by is None:
                ftes[line.fte] += n
    return sum(math.ceil(fte) * n for fte, n in ftes.items())


def months_between(start: date, end: date) -> Iterator[tuple[date, int, int]]:
    """(first day of month, days covered, days in month) for each month from ``start`` to ``end``."""
    month = start.replace(day=1)
    while month <= end:
        days_in_month = calendar.monthrange(month.year, month.month)[1]
        last = month.replace(day=days_in_month)
        covered = (min(last, end) - max(month, start)).days + 1
        yield month, covered, days_in_month
        month = last + timedelta(days=1)


# --- month series --------------------------------------------------------------------------------


class _LineProblem(Exception):
    """What stops a line being costed, at ``key`` within the line; with any problems found
    together with it (``also``: a month with no salary and no on-cost rule has both)."""

    def __init__(self, key: tuple[object, ...], message: str, hint: str | None = None, also: Sequence[_LineProblem] = ()):
        self.key, self.message, self.hint, self.also = key, message, hint, tuple(also)

    def each(self) -> Iterator[_LineProblem]:
        yield self
        yield from self.also


def _too_large(what: str, amount: Decimal, hint: str) -> _LineProblem:
    """A line's cost (or a product in it) at or over MAX_MONEY: no costing is that large."""
    return _LineProblem((), f"{what} is {format_pounds(amount)}, too large for a costing: a line must cost under {format_pounds(MAX_MONEY)}", hint)


def _raise_all(problems: list[_LineProblem]) -> None:
    """Raise the problems found together, if any, as one."""
    if problems:
        first, *also = problems
        raise _LineProblem(first.key, first.message, first.hint, also)


def _remembered(cache: dict, key: object, compute: Callable[..., object], *args: object):
    """``cache[key]``, computed once as ``compute(*args)``. A problem is remembered too, and raised
    each time it is asked for."""
    found = cache.get(key)
    if found is None:
        try:
            found = compute(*args)
        except _LineProblem as problem:
            found = problem
        cache[key] = found
    if type(found) is _LineProblem:
        raise found
    return found


class _Series:
    """The months of one cost key (a point, or a stated annual salary), with prefix sums of X.

    Months are costed on demand and kept; a month that cannot be costed keeps its problem, which
    is raised only for a line that runs through it.
    """

    def __init__(self, make: Callable[[int], MonthRate], point: str | None):
        self.make = make
        self.point = point  # every month's, where the key is a point
        self.rates: dict[int, MonthRate | _LineProblem] = {}
        self.lo = self.hi = 0  # prefix sums cover month indexes lo .. hi - 1
        self.cum_x: list[Decimal] = [ZERO]
        self.cum_assumed: list[Decimal] = [ZERO]
        self.cum_bad: list[int] = [0]
        self.has_assumed = False  # some month covered rests on an assumed rate or pay award
        self.used: list[tuple[int, int]] = []

    def rate(self, index: int) -> MonthRate:
        return _remembered(self.rates, index, self.make, index)

    def cover(self, a: int, b: int) -> None:
        """Make the prefix sums span months a..b; raise the first problem among them."""
        if not (self.lo <= a and b < self.hi):
            lo, hi = (a, b + 1) if self.lo == self.hi else (min(a, self.lo), max(b + 1, self.hi))
            cum_x, cum_assumed, cum_bad = [ZERO], [ZERO], [0]
            for index in range(lo, hi):
                try:
                    rate = self.rate(index)
                    x, assumed, bad = rate.annual_cost, rate.annual_cost if rate.assumed else ZERO, 0
                except _LineProblem:
                    x, assumed, bad = ZERO, ZERO, 1
                cum_x.append(cum_x[-1] + x)
                cum_assumed.append(cum_assumed[-1] + assumed)
                cum_bad.append(cum_bad[-1] + bad)
            self.lo, self.hi, self.cum_x, self.cum_assumed, self.cum_bad = lo, hi, cum_x, cum_assumed, cum_bad
            self.has_assumed = cum_assumed[-1] != 0
        if self.cum_bad[b + 1 - self.lo] != self.cum_bad[a - self.lo]:
            for index in range(a, b + 1):
                self.rate(index)  # raises the first problem
        self.used.append((a, b))

    def salary(self, index: int) -> Decimal:
        """The annual salary of month ``index``, one that :meth:`cover` has covered without a problem."""
        return self.rates[index].annual_salary  # type: ignore[union-attr]

    def sum_x(self, a: int, b: int, assumed: bool = False) -> Decimal:
        cum = self.cum_assumed if assumed else self.cum_x
        return cum[b + 1 - self.lo] - cum[a - self.lo]

    def used_rates(self) -> list[MonthRate]:
        months: set[int] = set()
        for a, b in self.used:
            months.update(range(a, b + 1))
        return [r for i in sorted(months) if isinstance(r := self.rates.get(i), MonthRate)]


@dataclass(frozen=True, slots=True)
class _Segment:
    """Months a..b of a post costed under one series (posts with increments have several)."""

    series: _Series
    a: int
    b: int


@dataclass(slots=True)  # read-only by convention, like LineCost
class _Shape:
    """What a post costs per FTE: its basis, and the sums of its months."""

    basis: PostBasis
    numerator: Decimal  # Σ X × weight over all its months, in K-ths of a year
    assumed: Decimal  # the same over months resting on an assumption
    years: tuple[tuple[str, Decimal], ...]  # the numerator split by financial year


def _shape(basis: PostBasis) -> _Shape:
    """Sum a post's months (``basis.segments``, whose series are costed as needed) by financial
    year, and fill in the basis's month count, salaries and points."""
    start, end, segments = basis.start, basis.end, basis.segments
    a, b = month_index(start), month_index(end)
    for segment in segments:
        segment.series.cover(segment.a, segment.b)
    first_year = a - (a - 3) % 12  # the April on or before month a
    labels, parts, assumed_parts, salaries = [], [], [], set()
    for year_start in range(first_year, b + 1, 12):
        lo, hi = max(a, year_start), min(b, year_start + 11)
        part = assumed = ZERO
        for s in segments:
            x_lo, x_hi = max(lo, s.a), min(hi, s.b)
            if x_lo <= x_hi:
                part += s.series.sum_x(x_lo, x_hi)
                if s.series.has_assumed:
                    assumed += s.series.sum_x(x_lo, x_hi, assumed=True)
                salaries.add(s.series.salary(x_lo))
        labels.append(_pay_year_of_index(lo))
        parts.append(part * DWHOLE)
        assumed_parts.append(assumed * DWHOLE)
    # a part month weighs short of a whole one: take the shortfall off the year it falls in
    dim_a, dim_b = _days_in_month(start.year, start.month), _days_in_month(end.year, end.month)
    if a == b:
        edges = ((a, weight(end.day - start.day + 1, dim_a)),)
    else:
        edges = ((a, weight(dim_a - start.day + 1, dim_a)), (b, weight(end.day, dim_b)))
    short_months = 0
    for edge, w in edges:
        if w != WHOLE:
            short_months += w - WHOLE
            rate = next(s.series for s in segments if s.a <= edge <= s.b).rate(edge)
            y = (edge - first_year) // 12
            parts[y] += rate.annual_cost * (w - WHOLE)
            if rate.assumed:
                assumed_parts[y] += rate.annual_cost * (w - WHOLE)
    basis.month_count = _months(b - a + 1, short_months)
    basis.annual_salaries = tuple(sorted(salaries))
    if basis.point is not None:
        basis.points = tuple(dict.fromkeys(s.series.point for s in segments))
    return _Shape(basis, sum(parts, ZERO), sum(assumed_parts, ZERO), tuple(zip(labels, parts)))


# --- costing -------------------------------------------------------------------------------------


class _Costing:
    def __init__(self, loaded: LoadedProposal):
        self.loaded = loaded
        self.proposal = loaded.proposal
        self.scale = loaded.scale
        self.problems: list[Problem] = []
        self.series: dict[tuple[object, ...], _Series] = {}
        self.proposal_start = month_start(self.proposal.period.start)
        self.proposal_end = month_end(self.proposal.period.end)
        self.default_year = pay_year_of(self.proposal_start)
        self._head_count: int | None = None
        self.shapes: dict[tuple[object, ...], _Shape | _LineProblem] = {}
        self.figures: dict[tuple[object, ...], Figures | _LineProblem] = {}
        self.points: dict[tuple[str | None, str | None], str | _LineProblem] = {}
        self.kinds: dict[PostKinds, dict[int, object]] = {}  # a CSV file's distinct posts -> each one costed

    def run(self) -> CostReport:
        themes = []
        for t, theme in enumerate(self.proposal.themes):
            position = str(t + 1)
            if isinstance(theme.lines, PostRows):
                lines: tuple[LineCost, ...] | CostRows = self.cost_rows(t, position, theme.lines)
            else:
                lines = tuple(self.cost_each(t, theme.lines))
            themes.append(ThemeCost(position, theme.name, lines, theme.stated_subtotal))
        if self.problems:
            raise PostcostError(self.problems)
        has_posts = any(figures.kind == "post" for theme in themes for figures, _ in theme.tally)
        notes = (
            ("Part-time and multi-FTE lines cost FTE × one full-time post: the NI threshold counts "
             "once per full-time equivalent.",)
            if has_posts
            else ()
        )
        origins = self.loaded.origins
        if origins is not None and origins.encoding != "UTF-8":
            notes += (f"Posts read from {origins.file} as {origins.encoding} text (it is not UTF-8).",)
        used = sorted((r for s in self.series.values() for r in s.used_rates()), key=lambda r: r.month)
        return CostReport(
            self.proposal, self.loaded.filename, self.scale, tuple(themes), self.proposal.stated_total,
            notes, tuple(used), self.full_year_cost,
        )

    # --- lines -----------------------------------------------------------------------------------

    def cost_at(self, t: int, n: int, line: object) -> LineCost | None:
        """Line n of theme t, or None after noting its problem at its place in the file."""
        try:
            return self.cost_line(line, f"{t + 1}.{n + 1}")
        except _LineProblem as problem:
            self.note(t, n, problem)
            return None

    def cost_each(self, t: int, lines: Iterable[object]) -> list[LineCost]:
        """Theme t's lines, one by one; a line that cannot be costed is noted and left out."""
        return [costed for n, line in enumerate(lines) if (costed := self.cost_at(t, n, line)) is not None]

    def cost_rows(self, t: int, position: str, rows: PostRows) -> CostRows:
        """A theme's lines from a CSV file: each distinct post costed once, for all its rows (and
        all the file's themes); a distinct post's problem is noted at each of its rows."""
        head = self.cost_each(t, rows.head)
        # index into rows.kinds -> its figures and stated figure, or its problem
        costed: dict[int, tuple[Figures, Stated | None] | _LineProblem] = self.kinds.setdefault(rows.kinds, {})
        mine: dict[int, tuple[Figures, Stated | None]] = {}
        troubled = False
        for kind in dict.fromkeys(rows.kind_of):
            found = costed.get(kind)
            if found is None:
                post = rows.kinds.post(kind)
                try:
                    found = costed[kind] = (self.figures_of(post), post.stated)
                except _LineProblem as problem:
                    found = costed[kind] = problem
            if type(found) is _LineProblem:
                troubled = True
            else:
                mine[kind] = found
        if troubled:
            for n, kind, _ in rows.rows():
                if kind not in mine:
                    self.note(t, n, costed[kind])
        return CostRows(position, head, rows, mine)

    def note(self, t: int, n: int, problem: _LineProblem) -> None:
        for each in problem.each():
            self.problems.append(self.loaded.problem(("themes", t, "lines", n) + each.key, each.message, each.hint))

    def cost_line(self, line: object, position: str) -> LineCost:
        if isinstance(line, PostLine):
            return self.cost_post(line, position)
        if isinstance(line, AmountLine):
            return self._lump(line, position, line.amount)
        assert isinstance(line, UnitCostLine)
        if line.quantity == "new_starters":
            if self._head_count is None:
                self._head_count = head_count(self.proposal)
            quantity = Decimal(self._head_count)
        else:
            quantity = line.quantity
        exact = line.unit_amount * quantity
        if exact >= MAX_MONEY:
            raise _too_large("unit_amount × quantity", exact, "check the unit amount and the quantity")
        return self._lump(line, position, exact, quantity=quantity)

    def _lump(self, line: AmountLine | UnitCostLine, position: str, exact: Decimal, quantity=None) -> LineCost:
        gross = round_money(exact)
        cost = NIL if line.funded_by else gross
        is_unit = isinstance(line, UnitCostLine)
        figures = Figures(
            kind=line.kind,
            funded_by=line.funded_by,
            gross=gross,
            cost=cost,
            exact=exact,
            financial_years={line.financial_year or self.default_year: cost},
            unit_amount=line.unit_amount if is_unit else None,
            quantity=quantity,
            quantity_rule=line.quantity if is_unit and isinstance(line.quantity, str) else None,
            stated_quantity=line.stated_quantity if is_unit else None,
        )
        return LineCost(position, line.title, line.team, line.stated, figures)

    def full_year_cost(self, line: PostLine) -> Decimal:
        """FTE × the twelve months of the financial year the post starts in, rounded once."""
        full = line.model_copy(update={"full_year": True, "end": None, "permanent": False})
        with localcontext(EXACT):
            return self.cost_post(full, "").gross

    def cost_post(self, line: PostLine, position: str) -> LineCost:
        return LineCost(position, line.title, line.team, line.stated, self.figures_of(line))

    def figures_of(self, line: PostLine) -> Figures:
        """A post's figures, shared by every post alike in what they depend on."""
        # everything a post's period and point depend on; then all its figures depend on (FTE as
        # written, since it is shown as written)
        shape_key = (line.grade, line.point, line.annual_salary, line.start, line.end, line.full_year, line.increments)
        key = (*shape_key, line.permanent, str(line.fte), line.funded_by)
        return _remembered(self.figures, key, self.post_figures, line, shape_key)

    def post_figures(self, line: PostLine, shape_key: tuple[object, ...]) -> Figures:
        shape: _Shape = _remembered(self.shapes, shape_key, self.post_shape, line)
        fte, funded_by = line.fte, line.funded_by
        exact = fte * shape.numerator / DK
        yearly = max(shape.basis.annual_salaries, default=ZERO) * fte
        for what, amount in (("annual salary × fte", yearly), ("the post's cost over its period", exact)):
            if amount >= MAX_MONEY:
                raise _too_large(what, amount, "check the salary and the FTE")
        gross = round_money(exact)
        cost = NIL if funded_by else gross
        if len(shape.years) == 1:
            financial_years = {shape.years[0][0]: cost}
        elif funded_by:
            financial_years = {label: NIL for label, _ in shape.years}
        else:
            financial_years = split_to_penny({label: fte * part / DK for label, part in shape.years}, cost)
        full_year_effect = None
        if line.full_year:
            full_year_effect = cost
        elif line.permanent:
            full_year_effect = NIL if funded_by else self.full_year_cost(line)
        assumed_exact = fte * shape.assumed / DK if shape.assumed else ZERO
        return Figures(
            "post", funded_by, gross, cost, exact, financial_years, shape.basis,
            fte=fte,
            full_year_effect=full_year_effect,
            assumed=assumed_exact != 0,
            assumed_amount=NIL if funded_by else round_money(assumed_exact),
        )

    def post_shape(self, line: PostLine) -> _Shape:
        """The period, point and month sums of a post: the same for every FTE."""
        start, end = self.post_period(line)
        increments = line.increments if line.increments is not None else self.proposal.increments
        point = None
        if line.annual_salary is None:
            point = self.resolve_point(line)
            if increments:
                self.check_increments(line, point)
        elif line.increments:
            raise _LineProblem(("increments",), "a post with a stated annual_salary has no grade to move up")
        increments = bool(increments and point)
        segments = tuple(self.segments(line, point, start, month_index(start), month_index(end), increments))
        return _shape(PostBasis(
            grade=line.grade,
            point=point,
            point_explicit=line.point is not None,
            start=start,
            end=end,
            full_year=line.full_year,
            increments=increments,
            segments=segments,
        ))

    def segments(self, line: PostLine, point: str | None, start: date, a: int, b: int, increments: bool) -> list[_Segment]:
        if not increments:
            return [_Segment(self.series_for(line, point), a, b)]
        runs: list[_Segment] = []
        for index in range(a, b + 1):
            first = month_of(index)
            pay_day = first.replace(day=_days_in_month(first.year, first.month))
            series = self.series_for(line, self.point_on(line, point, start, pay_day))
            if runs and runs[-1].series is series:
                runs[-1] = _Segment(series, runs[-1].a, index)
            else:
                runs.append(_Segment(series, index, index))
        return runs

    def series_for(self, line: PostLine, point: str | None) -> _Series:
        key: tuple[object, ...] = ("salary", line.annual_salary) if point is None else ("point", point, line.point is not None)
        series = self.series.get(key)
        if series is None:
            if point is None:
                salary = line.annual_salary
                make = lambda index: self.month_rate(index, None, salary, ())  # noqa: E731
            else:
                blame = ("point",) if line.point is not None else ("grade",)
                make = lambda index: self.month_rate(index, point, None, blame)  # noqa: E731
            series = self.series[key] = _Series(make, point)
        return series

    def post_period(self, line: PostLine) -> tuple[date, date]:
        """The days a post is costed for. Its dates must lie within the proposal's period; a
        full-year post, which starts within it, runs the whole financial year it starts in."""
        start = _month_start(line.start) if line.start else self.proposal_start
        end = _month_end(line.end) if line.end else self.proposal_end  # a full-year post has no end of its own
        period = f"{self.proposal_start:%d %b %Y} – {self.proposal_end:%d %b %Y}"
        hint = "widen the proposal's period, or fix the date"
        problems = []
        if not self.proposal_start <= start <= self.proposal_end:
            when = "before" if start < self.proposal_start else "after the end of"
            problems.append(_LineProblem(("start",), f"the post starts ({start:%d %b %Y}) {when} the proposal's period ({period})", hint))
        if end > self.proposal_end:
            problems.append(_LineProblem(("end",), f"the post ends ({end:%d %b %Y}) after the proposal's period ({period})", hint))
        _raise_all(problems)
        if line.full_year:
            first = pay_year_start(pay_year_of(start))
            return first, date(first.year + 1, 3, 31)
        if end < start:
            raise _LineProblem(("end",), f"the post ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y})")
        return start, end

    def resolve_point(self, line: PostLine) -> str:
        """The point a post is costed at: its own, or its grade's bottom (checked once per grade and point)."""
        return _remembered(self.points, (line.grade, line.point), self._resolve_point, line)

    def _resolve_point(self, line: PostLine) -> str:
        grade = None
        if line.grade is not None:
            grade = self.scale.grade(line.grade)
            if grade is None:
                names = list(self.scale.authority.grades)
                raise _LineProblem(
                    ("grade",),
                    f"grade {excerpt(line.grade)} is not a grade of {self.scale.name}",
                    did_you_mean(line.grade, names) or f"grades of {self.scale.name}: {', '.join(names)}",
                )
        point = line.point if line.point is not None else grade.bottom  # type: ignore[union-attr]
        if not self.scale.knows_point(point):
            raise _LineProblem(("point",), f"point {excerpt(point)} is not on {self.scale.name}'s pay spine or local points")
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

    def month_rate(self, index: int, point: str | None, annual: Decimal | None, blame: tuple[object, ...]) -> MonthRate:
        """One full-time post in month ``index`` at ``point`` (or at a stated ``annual`` salary)."""
        month = month_of(index)
        pay_day = month.replace(day=_days_in_month(month.year, month.month))
        problems = []  # every problem of the month, not only the first
        salary = None
        if point is not None:
            pay_year = self.proposal.pay_year or pay_year_of(pay_day)
            salary = self.scale.salary(point, pay_year, self.proposal.assumed_pay_awards)
            if salary is None:
                years = self.scale.salary_years(point)
                problems.append(_LineProblem(
                    blame,
                    f"no salary for point {point} in pay year {pay_year} in {_short(self.scale_file_for(point))}",
                    (f"that point has salaries for {', '.join(years)}; " if years else "")
                    + f"state a pay_year, or assume an award with assumed_pay_awards: {{'{pay_year}': {{rise: ..., reason: ...}}}}",
                ))
            else:
                annual = salary.annual
        ni = self.scale.ni_period(pay_day)
        rule = self.scale.on_cost_rule(pay_day)
        stated_pay_only = self.proposal.on_costs is not None and self.proposal.on_costs.pay_only
        if rule is None:
            problems.append(_LineProblem(
                (),
                f"no on-cost rules for pay day {pay_day:%d %b %Y} in {_short(self.scale.authority_file)}",
                "state the on-costs in the proposal (on_costs: {rates: {pension: ...}, employer_ni: true, source: ...}), "
                "add a rule covering that date to the pay scale, or shorten the period",
            ))
        elif rule.pay_only and not stated_pay_only:
            problems.append(_LineProblem(
                (),
                f"the on-cost rule for pay day {pay_day:%d %b %Y} in {_short(self.scale.authority_file)} "
                "charges nothing: no employer NI, no apprenticeship levy and no rates",
                "state the rule's on-costs in the pay scale; or, where the report costs pay only, say so in the "
                "proposal: on_costs: {pay_only: true, source: ...}",
            ))
        elif (rule.employer_ni or rule.apprenticeship_levy) and ni is None:
            problems.append(_LineProblem(
                (),
                f"no employer NI rates for {pay_year_of(pay_day)} (pay day {pay_day:%d %b %Y}) in {_short(self.scale.ni_file)}",
                "add that tax year's rate and threshold, or shorten the period",
            ))
        _raise_all(problems)
        rates = dict(rule.rates)
        if rule.apprenticeship_levy and ni.apprenticeship_levy:
            rates["apprenticeship levy"] = ni.apprenticeship_levy
        with localcontext(EXACT):
            x = annual * (1 + sum(rates.values(), ZERO))
            if rule.employer_ni:
                x += ni.rate * max(ZERO, annual - ni.secondary_threshold)
        return MonthRate(
            month=month,
            pay_day=pay_day,
            salary=salary,
            annual_salary=annual,
            rule=rule,
            ni_period=ni if (rule.employer_ni or rule.apprenticeship_levy) else None,
            rates=tuple(rates.items()),
            annual_cost=x,
        )

    def scale_file_for(self, point: str) -> str:
        return self.scale.authority_file if point in self.scale.authority.local_points else self.scale.spine_file


def split_to_penny(exact_parts: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    """Round each part to the penny so the parts add up to ``total`` exactly.

    Each part is rounded half up; any penny of difference left by rounding goes to the parts with
    the largest rounding residues (the largest remainder method), so no part moves by more than a
    penny from its exact value.
    """
    rounded = {key: round_money(value) for key, value in exact_parts.items()}
    gap = total - sum(rounded.values())
    if gap:
        step = Decimal("0.01") if gap > 0 else Decimal("-0.01")
        order = sorted(exact_parts, key=lambda k: (exact_parts[k] - rounded[k]) * (1 if gap > 0 else -1), reverse=True)
        i = 0
        while gap != 0 and order:
            key = order[i % len(order)]
            rounded[key] += step
            gap -= step
            i += 1
    return rounded


def _add_years(parts: Iterable[tuple[dict[str, Decimal], int]]) -> dict[str, Decimal]:
    """Σ n × part, year by year, in year order, for (part, n) pairs."""
    total: dict[str, Decimal] = {}
    for years, n in parts:
        for year, value in years.items():
            total[year] = total.get(year, ZERO) + value * n
    return dict(sorted(total.items()))


_month_start = functools.lru_cache(maxsize=4096)(month_start)
_month_end = functools.lru_cache(maxsize=4096)(month_end)


@functools.lru_cache(maxsize=4096)
def _months(count: int, short: int) -> Decimal:
    """``count`` months, ``short`` K-ths of a year short of whole: 7, or 6.5 for a half month."""
    months = Decimal(count * WHOLE + short) / WHOLE
    return months.normalize() if months == months.to_integral_value() else months


@functools.lru_cache(maxsize=4096)
def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@functools.lru_cache(maxsize=4096)
def _pay_year_of_index(index: int) -> str:
    return pay_year_of(month_of(index))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _short(path: str) -> str:
    return Path(path).name
