"""The costing engine: a proposal and its pay scale in, a frozen CostReport out. Pure; Decimal
throughout. The method itself is :mod:`postcost.method`; what a post is costed on (its days,
point and each month's rates) is :mod:`postcost.basis`.

Each distinct post is costed once: posts alike in what they are costed on (grade, point or
salary, period, increments) share one :class:`PostBasis`, and those alike in FTE and funding as
well share one :class:`Figures`; a line is its words and place with its Figures. Nothing is kept
between runs.

Problems are reported by data path (``('themes', 0, 'lines', 3, 'grade')``):
:func:`cost_proposal`, the "load and cost" step, places them in the proposal's file, or its CSV
file of posts, at their lines.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import partial
from itertools import chain, compress, pairwise
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from postcost.basis import STATED_COST, LineProblem, Resolver, months_between, remembered
from postcost.errors import PostcostError
from postcost.method import (
    WHOLE_MONTH, MonthCost, Rates, cost_denominator, cost_numerator, exact_cost, hours_fte, line_cost, month_cost,
    month_parts, share, split_to_penny,
)
from postcost.models import (
    MAX_FTE, MAX_MONEY, MIN_FTE, AmountLine, FigureLine, LineStated, NIPeriod, OnCostRule, PerMonth, PostKinds, PostLine, PostRows,
    Proposal, Stated, UnitCostLine, month_end, month_start,
)
from postcost.money import EXACT, ZERO, format_pounds, round_money
from postcost.scales import PayScale, pay_year_of, point_name

if TYPE_CHECKING:
    from postcost.loader import LoadedProposal

__all__ = ["CostReport", "Costing", "Figures", "LineCost", "PostBasis", "ThemeCost", "cost_proposal", "head_count",
           "months_between", "split_to_penny"]

POINT, ANNUAL_SALARY, ASSUMED = attrgetter("salary.point"), attrgetter("annual_salary"), attrgetter("assumed")
WHOLE_MONTH_COST = attrgetter("whole_month")
NIL = Decimal("0.00")  # the budget cost of an externally funded line
ONE, THOUSAND = Decimal(1), Decimal(1000)


# --- results -------------------------------------------------------------------------------------


class PostBasis(NamedTuple):
    """What a post is costed on, the same for every FTE: its grade and point (or stated salary),
    its period and each month's rates. Posts alike in these share one, whatever their FTEs."""

    grade: str | None = None
    point: str | None = None
    point_explicit: bool = False  # given in the proposal, not the grade's bottom
    start: date | None = None
    end: date | None = None
    full_year: bool = False
    increments: bool = False
    increment_date: str | None = None  # the post's own, where it states one
    month_count: Decimal = ZERO
    points: tuple[str, ...] = ()  # every point the post is on, in order (increments move it up)
    annual_salaries: tuple[Decimal, ...] = ()
    month_days: tuple[tuple[date, int, int], ...] = ()  # each month's first day, days covered and days in the month
    rates: tuple[Rates, ...] = ()  # each month's

    @property
    def months(self) -> tuple[MonthCost, ...]:
        """Every month of the post, one full-time post's figures and their sources (worked out when asked for)."""
        return tuple(month_cost(rates, *days) for rates, days in zip(self.rates, self.month_days))


NO_BASIS = PostBasis()  # an amount's or a unit cost's: none of a post's


class Figures(NamedTuple):
    """What a line costs, apart from its words: shared by the lines alike in all it depends on."""

    kind: str  # post | amount | unit_cost | figure
    funded_by: str | None
    gross: Decimal  # the line's cost, rounded once to the penny; negative for a saving
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
    # posts given in hours (``fte`` is then hours ÷ full_time_hours rounded to 4 places, for display)
    hours: Decimal | None = None
    full_time_hours: Decimal | None = None
    annual_cost: Decimal | None = None  # a post's stated cost a year for all its FTE, on-costs included
    recurring: bool = False  # an amount paid every year
    per_month: Decimal | None = None  # a unit cost's quantity each month (``quantity`` is for all its months)
    # every kind
    saving: bool = False  # a saving or a deleted post: its figures above are negative
    posts: Decimal | None = None  # the head count the table prints for the line, signed as the cost


class LineCost(NamedTuple):
    """One line of the costed proposal: its place and words, and its :class:`Figures`."""

    position: str  # "theme.line", 1-based, as numbered in the table
    title: str
    team: str | None
    stated: Stated | None  # the figures the report prints for the line, in pounds, signed as the line counts
    figures: Figures

    # its figures, by their names: line.cost is line.figures.cost, line.grade line.figures.basis.grade
    kind = property(attrgetter("figures.kind"))
    funded_by = property(attrgetter("figures.funded_by"))
    gross = property(attrgetter("figures.gross"))
    cost = property(attrgetter("figures.cost"))
    exact = property(attrgetter("figures.exact"))
    financial_years = property(attrgetter("figures.financial_years"))
    fte = property(attrgetter("figures.fte"))
    full_year_effect = property(attrgetter("figures.full_year_effect"))
    assumed = property(attrgetter("figures.assumed"))
    assumed_amount = property(attrgetter("figures.assumed_amount"))
    unit_amount = property(attrgetter("figures.unit_amount"))
    quantity = property(attrgetter("figures.quantity"))
    quantity_rule = property(attrgetter("figures.quantity_rule"))
    stated_quantity = property(attrgetter("figures.stated_quantity"))
    hours = property(attrgetter("figures.hours"))
    full_time_hours = property(attrgetter("figures.full_time_hours"))
    annual_cost = property(attrgetter("figures.annual_cost"))
    recurring = property(attrgetter("figures.recurring"))
    per_month = property(attrgetter("figures.per_month"))
    saving = property(attrgetter("figures.saving"))
    posts = property(attrgetter("figures.posts"))
    basis = property(attrgetter("figures.basis"))
    grade = property(attrgetter("figures.basis.grade"))
    point = property(attrgetter("figures.basis.point"))
    point_explicit = property(attrgetter("figures.basis.point_explicit"))
    start = property(attrgetter("figures.basis.start"))
    end = property(attrgetter("figures.basis.end"))
    full_year = property(attrgetter("figures.basis.full_year"))
    increments = property(attrgetter("figures.basis.increments"))
    month_count = property(attrgetter("figures.basis.month_count"))
    points = property(attrgetter("figures.basis.points"))
    annual_salaries = property(attrgetter("figures.basis.annual_salaries"))
    months = property(attrgetter("figures.basis.months"))


# LineCost((position, title, team, stated, figures)): what LineCost(...) makes, less the Python
# function NamedTuple's __new__ is (a third of the cost of making each of a CSV file's lines)
_new_line = partial(tuple.__new__, LineCost)


@dataclass(frozen=True, slots=True)
class ThemeCost:
    position: str
    name: str
    lines: tuple[LineCost, ...]
    stated: Stated | None
    subtotal: Decimal
    financial_years: dict[str, Decimal]
    tally: tuple[tuple[Figures, int], ...]  # each distinct Figures of the lines, with how many share it


@dataclass(frozen=True, slots=True)
class CostReport:
    proposal: Proposal
    filename: str
    scale: PayScale | None
    themes: tuple[ThemeCost, ...]
    stated: Stated | None
    grand_total: Decimal
    financial_years: dict[str, Decimal]
    full_year_effect: Decimal
    assumed_total: Decimal  # how much of the total comes from months resting on an assumption
    notes: tuple[str, ...]
    used: tuple[Rates, ...]  # every month's rates some line was costed with, in month order
    rules_used: tuple[OnCostRule, ...]  # in date order
    ni_periods_used: tuple[NIPeriod, ...]
    inferred: tuple[str, ...]  # every inferred (confidence L) figure some line rests on, once each
    assumptions: tuple[str, ...]  # every assumed rate or pay award some line rests on, once each
    # where some amount is recurring (else None): what recurs a year (the recurring amounts and
    # permanent posts' full-year effect), and the one-off rest of the total (every other line)
    recurring_a_year: Decimal | None = None
    one_off: Decimal | None = None

    @property
    def lines(self) -> Iterator[LineCost]:
        for theme in self.themes:
            yield from theme.lines


# --- costing -------------------------------------------------------------------------------------


class CostingProblems(Exception):
    """The problems that stop a proposal being costed, each (data path, message, hint)."""

    def __init__(self, problems: list[tuple[tuple[object, ...], str, str | None]]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def cost_proposal(loaded: LoadedProposal, costing: Costing | None = None) -> CostReport:
    """Cost a loaded proposal ("load and cost"): raise PostcostError naming every line that cannot
    be costed at its place in the proposal's file or its CSV file of posts."""
    costing = costing or Costing(loaded.proposal, loaded.scale, loaded.csv_rows)
    notes = ()
    origins = loaded.origins
    if origins is not None and origins.encoding != "UTF-8":
        notes = (f"Posts read from {origins.file} as {origins.encoding} text (it is not UTF-8).",)
    try:
        return costing.report(loaded.filename, notes)
    except CostingProblems as found:
        raise PostcostError([loaded.problem(path, message, hint) for path, message, hint in found.problems]) from None


class _Post(NamedTuple):
    """A distinct post's basis and its months' sums, in YEAR-ths of a pound, for one FTE."""

    basis: PostBasis
    years: tuple[tuple[str, Decimal], ...]  # by financial year, in year order
    assumed: Decimal  # over the months resting on an assumption
    total: Decimal  # over all its months: the sum of ``years``


class Costing:
    """One run's costing of a proposal. Each distinct post is costed once (and each problem
    found once); :meth:`full_year_cost` asks it about posts as ``check`` needs."""

    def __init__(self, proposal: Proposal, scale: PayScale | None, csv_rows: dict[int, PostRows] | None = None):
        self.proposal, self.scale, self.csv_rows = proposal, scale, csv_rows or {}
        # with no scale, for posts at a stated annual_cost alone; none for a proposal of figures with no period
        self.resolver = Resolver(proposal, scale) if proposal.period is not None else None
        self.posts: dict[tuple[object, ...], _Post | LineProblem] = {}
        self.figures: dict[tuple[object, ...], Figures | LineProblem] = {}
        # by the CSV file's distinct post (every theme's rows index the file's one table of them)
        self.kinds_costed: dict[int, tuple[Stated | None, Figures] | LineProblem] = {}
        # an amount's financial year, unless it states one (none for a proposal of figures with no period)
        self.default_year = pay_year_of(month_start(proposal.period.start)) if proposal.period is not None else None
        self.unit = THOUSAND if proposal.units == "thousands" else ONE  # the file's sums are £000 or pounds
        self._head_count: int | None = None
        self.full_years: dict[tuple[object, ...], Decimal] = {}

    def report(self, filename: str, notes: tuple[str, ...] = ()) -> CostReport:
        """Cost every line; raise CostingProblems listing every line that cannot be costed."""
        with localcontext(EXACT):
            return self._report(filename, notes)

    def _report(self, filename: str, notes: tuple[str, ...]) -> CostReport:
        problems: list[tuple[tuple[object, ...], str, str | None]] = []
        themes = []
        for t, theme in enumerate(self.proposal.themes):
            position = str(t + 1)
            lines = []
            for n, line in enumerate(theme.lines):
                try:
                    lines.append(self.cost_line(line, f"{position}.{n + 1}"))
                except LineProblem as problem:
                    problems += _at(("themes", t, "lines", n), problem)
            counted = [(line.figures, 1) for line in lines]
            rows = self.csv_rows.get(t)
            if rows is not None:
                row_lines, row_counts = self.cost_rows(t, position, len(theme.lines), rows, problems)
                lines += row_lines
                counted += row_counts
            themes.append(_theme(position, theme.name, tuple(lines), self.in_pounds(theme.stated_subtotal), counted))
        if problems:
            raise CostingProblems(problems)
        has_posts = any(figures.kind == "post" for theme in themes for figures, _ in theme.tally)
        if has_posts:
            notes = ("Part-time and multi-FTE lines cost FTE × one full-time post: the NI threshold counts "
                     "once per full-time equivalent.", *notes)
        used = self.rates_used()
        tallies = [pair for theme in themes for pair in theme.tally]
        if any(r.terms.own for r in used) or any(f.basis.increment_date for f, _ in tallies):
            notes = (*notes, "Some posts are costed on their own terms (pension scheme, salary sacrifice, NI category or "
                             "increment date): postcost explain shows each, with its source.")
        if any(f.annual_cost is not None for f, _ in tallies):
            notes = (*notes, "Posts at a stated annual cost cost that sum a year for all their FTE, on-costs "
                             "included: nothing is added to it.")
        full_year_effect = sum((f.full_year_effect * n for f, n in tallies if f.full_year_effect is not None), ZERO)
        grand_total = sum((theme.subtotal for theme in themes), ZERO)
        recurring_a_year = one_off = None
        if any(f.recurring for f, _ in tallies):
            recurring = sum((f.cost * n for f, n in tallies if f.recurring), ZERO)
            permanent = sum((f.cost * n for f, n in tallies if f.full_year_effect is not None), ZERO)
            recurring_a_year, one_off = recurring + full_year_effect, grand_total - recurring - permanent
        return CostReport(
            proposal=self.proposal,
            filename=filename,
            scale=self.scale,
            themes=tuple(themes),
            stated=self.in_pounds(self.proposal.stated_total),
            grand_total=grand_total,
            financial_years=_add_years((theme.financial_years, 1) for theme in themes),
            full_year_effect=full_year_effect,
            assumed_total=sum((f.assumed_amount * n for f, n in tallies), ZERO),
            notes=notes,
            used=used,
            rules_used=tuple(sorted({id(r.rule): r.rule for r in used if r.rule is not STATED_COST}.values(),
                                    key=attrgetter("start"))),
            ni_periods_used=tuple(sorted({id(r.ni_period): r.ni_period for r in used if r.ni_period}.values(),
                                         key=attrgetter("start"))),
            inferred=tuple(dict.fromkeys(text for r in used for text in _inferred(r))),
            assumptions=tuple(dict.fromkeys(text for r in used for text in _assumptions(r))),
            recurring_a_year=recurring_a_year,
            one_off=one_off,
        )

    def cost_rows(self, t: int, position: str, first: int, rows: PostRows,
                  problems: list[tuple[tuple[object, ...], str, str | None]]) -> tuple[list[LineCost], list[tuple[Figures, int]]]:
        """A theme's posts from a CSV file, after its ``first`` lines, and each distinct post's
        figures with how many rows it has: each distinct post costed once for all its rows; a
        distinct post's problem is reported at each of its rows."""
        counts = Counter(rows.kind_of)
        costed: dict[int, tuple[Stated | None, Figures] | LineProblem] = {}
        for kind in counts:
            try:
                costed[kind] = self.kind_cost(rows.kinds, kind)
            except LineProblem as problem:
                costed[kind] = problem
        if any(isinstance(found, LineProblem) for found in costed.values()):
            for n, kind in enumerate(rows.kind_of, first):
                if isinstance(costed[kind], LineProblem):
                    problems += _at(("themes", t, "lines", n), costed[kind])
            return [], []
        lines = [
            _new_line((f"{position}.{n}", title, team) + costed[kind])
            for n, (kind, (title, team, _)) in enumerate(zip(rows.kind_of, rows.words), first + 1)
        ]
        return lines, [(costed[kind][1], n) for kind, n in counts.items()]

    def kind_cost(self, kinds: PostKinds, kind: int) -> tuple[Stated | None, Figures]:
        """A CSV file's distinct post ``kind``: its stated figures and its figures, once for all its
        rows in every theme."""
        return remembered(self.kinds_costed, kind, self._kind_cost, kinds.post(kind))

    def _kind_cost(self, post: PostLine) -> tuple[Stated | None, Figures]:
        figures = self.figures_of(post)
        return self.in_pounds(post.stated, figures.saving), figures

    def cost_line(self, line: PostLine | AmountLine | UnitCostLine | FigureLine, position: str) -> LineCost:
        if isinstance(line, PostLine):
            figures = self.figures_of(line)
        elif isinstance(line, AmountLine):
            figures = self.lump(line, line.amount * self.unit)
        elif isinstance(line, FigureLine):
            figures = self.printed(line)
        elif isinstance(line.quantity, PerMonth):
            figures = self.per_month(line, line.quantity.per_month)
        else:
            quantity = Decimal(self.head_count()) if line.quantity == "new_starters" else line.quantity
            exact = line.unit_amount * self.unit * quantity
            if exact >= MAX_MONEY:
                raise _too_large("unit_amount × quantity", exact, "check the unit amount and the quantity")
            figures = self.lump(line, exact, quantity)
        return LineCost(position, line.title, line.team, self.in_pounds(line.stated, figures.saving), figures)

    def in_pounds(self, stated: LineStated | Stated | None, saving: bool = False) -> Stated | None:
        """Stated figures as the report counts them: in pounds (from £000 under units: thousands)
        and, for a saving, negative. The figures as written are the proposal's (check reads those)."""
        if stated is None or (self.unit == ONE and not saving):
            return stated
        sign = -1 if saving else 1

        def pounds(value: Decimal | None) -> Decimal | None:
            if value is None:
                return None
            value = value * self.unit * sign
            return value.quantize(ONE) if value == value.to_integral_value() else value

        return Stated.model_construct(
            total=pounds(stated.total), annual=pounds(stated.annual),
            financial_years={year: pounds(value) for year, value in stated.financial_years.items()},
        )

    def lump(self, line: AmountLine | UnitCostLine, exact: Decimal, quantity: Decimal | None = None,
             years: dict[str, Decimal] | None = None, **more: object) -> Figures:
        """An amount's or a unit cost's figures: ``exact`` rounded once, in its financial year
        (or split among ``years``, its exact parts by year, where it states none)."""
        gross = round_money(exact)
        cost = NIL if line.funded_by else gross
        unit = isinstance(line, UnitCostLine)
        if line.financial_year is not None or years is None or len(years) == 1:
            year = line.financial_year or next(iter(years or [self.default_year]))
            financial_years = {year: cost} if year else {}  # none for an amount in a proposal with no period
        else:
            financial_years = {year: NIL for year in years} if line.funded_by else split_to_penny(years, cost)
        figures = Figures(
            kind=line.kind,
            funded_by=line.funded_by,
            gross=gross,
            cost=cost,
            exact=exact,
            financial_years=financial_years,
            unit_amount=line.unit_amount * self.unit if unit else None,
            quantity=quantity,
            quantity_rule=("per_month" if isinstance(line.quantity, PerMonth) else line.quantity)
            if unit and not isinstance(line.quantity, Decimal) else None,
            stated_quantity=line.stated_quantity if unit else None,
            recurring=isinstance(line, AmountLine) and line.recurring,
            **more,  # type: ignore[arg-type]
        )
        return _as_saving(figures) if getattr(line, "saving", False) else figures

    def printed(self, line: FigureLine) -> Figures:
        """A figure line's figures: what it prints (in pounds), for footing; nothing is costed."""
        stated = line.stated
        years = {y: round_money(v * self.unit) for y, v in stated.financial_years.items()} if stated else {}
        if stated is not None and stated.total is not None:
            total = round_money(stated.total * self.unit)
        else:
            total = sum(years.values(), NIL)
        year = line.financial_year or self.default_year
        figures = Figures(
            kind="figure", funded_by=None, gross=total, cost=total, exact=total,
            financial_years=years or ({year: total} if year and stated is not None else {}),
            fte=line.fte, posts=line.posts,
        )
        return _as_saving(figures) if line.saving else figures

    def per_month(self, line: UnitCostLine, per_month: Decimal) -> Figures:
        """A unit cost of ``per_month`` units for each calendar month from the line's start to its
        end (the proposal's period by default), a part month counted whole: the quantity is
        per_month × the months, split among the financial years by their months."""
        period_start, period_end = month_start(self.proposal.period.start), month_end(self.proposal.period.end)
        start = month_start(line.start) if line.start else period_start
        end = month_end(line.end) if line.end else period_end
        period = f"{period_start:%d %b %Y} – {period_end:%d %b %Y}"
        if not period_start <= start <= period_end:
            raise LineProblem(("start",), f"the line starts ({start:%d %b %Y}) outside the proposal's period ({period})",
                              "widen the proposal's period, or fix the date")
        if not period_start <= end <= period_end:
            raise LineProblem(("end",), f"the line ends ({end:%d %b %Y}) outside the proposal's period ({period})",
                              "widen the proposal's period, or fix the date")
        if end < start:
            raise LineProblem(("end",), f"the line ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y})")
        months = Counter(pay_year_of(month) for month, _, _ in months_between(start, end))
        quantity = per_month * sum(months.values())
        unit_amount = line.unit_amount * self.unit
        exact = unit_amount * quantity
        if exact >= MAX_MONEY:
            raise _too_large("unit_amount × quantity", exact, "check the unit amount and the quantity")
        years = {year: unit_amount * per_month * n for year, n in sorted(months.items())}
        basis = PostBasis(start=start, end=end, month_count=Decimal(sum(months.values())))
        return self.lump(line, exact, quantity, years, basis=basis, per_month=per_month)

    def head_count(self) -> int:
        if self._head_count is None:
            self._head_count = head_count(self.proposal, self.csv_rows)
        return self._head_count

    def full_year_cost(self, post: PostLine) -> Decimal:
        """FTE × the twelve months of the financial year the post starts in, rounded once (once
        for every post alike in what that depends on)."""
        key = (post.grade, post.point, post.annual_salary, post.annual_cost, post.start, post.increments, str(post.fte),
               post.hours, post.full_time_hours, post.saving, *own_terms(post))
        found = self.full_years.get(key)
        if found is None:
            full = post.model_copy(update={"full_year": True, "end": None, "permanent": False, "funded_by": None})
            with localcontext(EXACT):
                found = self.full_years[key] = self.figures_of(full).gross
        return found

    # --- posts -----------------------------------------------------------------------------------

    def figures_of(self, post: PostLine) -> Figures:
        """A post's figures, costed once for every post alike in what they depend on (its FTE as
        written, since it is shown as written)."""
        key = (post.grade, post.point, post.annual_salary, post.annual_cost, post.start, post.end, post.full_year,
               post.increments, *own_terms(post), post.permanent, str(post.fte), post.hours, post.full_time_hours,
               post.funded_by, post.saving, post.posts)
        return remembered(self.figures, key, self._figures, post, key[:12])

    def fte_of(self, post: PostLine) -> Decimal | Fraction:
        """A post's FTE: as written, or for a post given in hours, hours ÷ full-time hours (its
        own, its theme's, else the proposal's) as an exact fraction."""
        if post.hours is None:
            return post.fte  # type: ignore[return-value]
        full_time = post.full_time_hours or self.proposal.full_time_hours
        if full_time is None:
            raise LineProblem(
                ("hours",), "a post given in hours needs full_time_hours, the hours of a full-time post, to "
                "divide them by, and none is given",
                "give full_time_hours (e.g. full_time_hours: 37) for the post, or once for the whole proposal "
                "(or, in the proposal file, for the post's theme)",
            )
        fte = hours_fte(post.hours, full_time)
        if not Fraction(MIN_FTE) <= fte <= Fraction(MAX_FTE):
            raise LineProblem(
                ("hours",), f"{post.hours:f} hours of {full_time:f} is {Decimal(fte.numerator) / fte.denominator:.3g} FTE, outside the "
                f"{MIN_FTE} to {MAX_FTE:,} FTE postcost accepts", "check the hours and full_time_hours",
            )
        return fte

    def _figures(self, post: PostLine, basis_key: tuple[object, ...]) -> Figures:
        fte, funded_by = self.fte_of(post), post.funded_by
        costed = self.post_of(post, basis_key)
        # a stated annual cost is the cost of all the line's FTE: its months are not multiplied by it
        times = ONE if post.annual_cost is not None else fte
        exact, gross = line_cost(times, costed.total)
        shown = shown_fte(fte)
        yearly = post.annual_cost if post.annual_cost is not None else costed.basis.annual_salaries[-1] * shown
        if yearly >= MAX_MONEY:
            raise _too_large("annual salary × fte", yearly, "check the salary and the FTE")
        if exact >= MAX_MONEY:
            raise _too_large("the post's cost over its period", exact, "check the salary and the FTE")
        cost = NIL if funded_by else gross
        if len(costed.years) == 1:
            financial_years = {costed.years[0][0]: cost}
        elif funded_by:
            financial_years = {label: NIL for label, _ in costed.years}
        else:
            numerators = {label: cost_numerator(times, part) for label, part in costed.years}
            financial_years = split_to_penny(numerators, cost, per=cost_denominator(times))
        assumed_amount = NIL
        if costed.assumed and not funded_by:
            assumed_amount = round_money(exact_cost(times, costed.assumed))
        figures = Figures(
            "post", funded_by, gross, cost, exact, financial_years, costed.basis, shown, None,
            costed.assumed != 0, assumed_amount,
            hours=post.hours,
            full_time_hours=None if post.hours is None else post.full_time_hours or self.proposal.full_time_hours,
            annual_cost=post.annual_cost,
            posts=post.posts,
        )
        if post.saving:
            figures = _as_saving(figures)
        if post.full_year:  # signed: a permanent saving's full-year effect is negative
            return figures._replace(full_year_effect=figures.cost)
        if post.permanent:
            return figures._replace(full_year_effect=NIL if funded_by else self.full_year_cost(post))
        return figures

    def post_of(self, post: PostLine, key: tuple[object, ...]) -> _Post:
        """A post's basis and the sums of its months, once for every post alike in them."""
        return remembered(self.posts, key, self._post, post)

    def _post(self, post: PostLine) -> _Post:
        basis = self.resolver.basis(post)
        months, rates = basis.months, basis.rates
        # each month's share of a year and its cost (method.py): only the first and the last month can be part months
        shares = [WHOLE_MONTH] * len(months)
        costs = list(map(WHOLE_MONTH_COST, rates))
        for end in {0, len(months) - 1}:
            _, days, days_in_month = months[end]
            if days != days_in_month:
                shares[end] = share(days, days_in_month)
                costs[end] = month_parts(rates[end].annual_cost, shares[end])
        # by financial year: the first from the post's first month, each other from an April
        starts = [0, *range((4 - months[0][0].month) % 12 or 12, len(months), 12)]
        years = {pay_year_of(months[a][0]): sum(costs[a:b], ZERO) for a, b in pairwise([*starts, len(months)])}
        assumed = sum(compress(costs, map(ASSUMED, rates)), ZERO)
        month_count = Decimal(sum(shares)) / WHOLE_MONTH
        return _Post(
            PostBasis(
                grade=post.grade,
                point=basis.point,
                point_explicit=post.point is not None,
                start=basis.start,
                end=basis.end,
                full_year=post.full_year,
                increments=basis.increments,
                increment_date=post.increment_date,
                month_count=month_count.normalize() if month_count == month_count.to_integral_value() else month_count,
                points=tuple(dict.fromkeys(map(POINT, basis.rates))) if basis.point is not None else (),
                # none for a post at a stated annual_cost: its months carry that cost, not a salary
                annual_salaries=() if post.annual_cost is not None else tuple(sorted(set(map(ANNUAL_SALARY, basis.rates)))),
                month_days=basis.months,
                rates=basis.rates,
            ),
            tuple(years.items()),
            assumed,
            sum(years.values(), ZERO),
        )

    def rates_used(self) -> tuple[Rates, ...]:
        """Every month's rates some post was costed with, in month order (and, within a month, in
        the order their points or salaries were first costed)."""
        if self.resolver is None:  # a proposal of figures and amounts with no period
            return ()
        order: dict[tuple[object, ...], int] = {}
        found = []
        for key, rates in self.resolver.rates_costed():
            rank = order.setdefault(key, len(order))
            found.append((rates.pay_day, rank, rates))
        return tuple(rates for _, _, rates in sorted(found, key=lambda item: item[:2]))


def own_terms(post: PostLine) -> tuple[object, ...]:
    """A post's own terms, which its costing depends on: increment date, NI category, salary
    sacrifice and pension scheme."""
    return post.increment_date, post.ni_category, post.salary_sacrifice, post.pension_scheme


def head_count(proposal: Proposal, csv_rows: dict[int, PostRows] | None = None) -> int:
    """New starters the proposal pays for: each post line's FTE rounded up (hours ÷ full-time
    hours, for a post given in hours); externally funded excluded. A CSV file's rows count by
    their distinct posts, each once with its rows."""
    count = 0
    for theme in proposal.themes:
        for line in theme.lines:
            if isinstance(line, PostLine) and line.funded_by is None and not line.saving:
                count += _heads(line, proposal.full_time_hours)
    if csv_rows:  # every theme's rows index the file's one table of distinct posts
        kinds = next(iter(csv_rows.values())).kinds
        rows_of = Counter(chain.from_iterable(rows.kind_of for rows in csv_rows.values()))  # each distinct post's rows
        for kind, n in rows_of.items():
            post = kinds.post(kind)
            if post.funded_by is None and not post.saving:
                count += _heads(post, proposal.full_time_hours) * n
    return count


def _heads(post: PostLine, full_time_hours: Decimal | None) -> int:
    """A post line's FTE rounded up. A post in hours with no full_time_hours anywhere counts none:
    its own problem stops the costing."""
    if post.hours is None:
        return math.ceil(post.fte)  # type: ignore[arg-type]
    full_time = post.full_time_hours or full_time_hours
    return math.ceil(hours_fte(post.hours, full_time)) if full_time else 0


FTE_SHOWN = Decimal("0.0001")  # an FTE of hours ÷ full-time hours is shown to four places (30 of 37: 0.8108)


def shown_fte(fte: Decimal | Fraction) -> Decimal:
    """An FTE for display: as written; a fraction (hours ÷ full-time hours) to four places, half up."""
    if not isinstance(fte, Decimal):  # a Fraction (asked this way round: isinstance of an ABC such as Fraction is slow)
        with localcontext(EXACT):
            shown = (Decimal(fte.numerator) / fte.denominator).quantize(FTE_SHOWN, rounding=ROUND_HALF_UP)
        return shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown.normalize()
    return fte


def _theme(position: str, name: str, lines: tuple[LineCost, ...], stated: Stated | None,
           counted: Iterable[tuple[Figures, int]]) -> ThemeCost:
    """A theme of ``lines``; ``counted`` is each of their Figures with how many lines have it (a
    Figures may come more than once)."""
    by_id: dict[int, tuple[Figures, int]] = {}
    for figures, n in counted:
        _, before = by_id.get(id(figures), (figures, 0))
        by_id[id(figures)] = figures, before + n
    tally = tuple(by_id.values())
    return ThemeCost(
        position, name, lines, stated,
        subtotal=sum((figures.cost * n for figures, n in tally), ZERO),
        financial_years=_add_years((figures.financial_years, n) for figures, n in tally),
        tally=tally,
    )


def _as_saving(figures: Figures) -> Figures:
    """A saving's figures: each sum, and the head count, counted negatively (0 − x, so that nil
    stays 0.00, never -0.00)."""
    return figures._replace(
        saving=True,
        gross=NIL - figures.gross,
        cost=NIL - figures.cost,
        exact=ZERO - figures.exact,
        financial_years={year: NIL - value for year, value in figures.financial_years.items()},
        assumed_amount=ZERO - figures.assumed_amount if figures.assumed_amount else figures.assumed_amount,
        posts=None if figures.posts is None or not figures.posts else -figures.posts,
    )


def _add_years(parts: Iterable[tuple[dict[str, Decimal], int]]) -> dict[str, Decimal]:
    """Σ n × part, year by year, in year order, for (part, n) pairs."""
    total: dict[str, Decimal] = {}
    for years, n in parts:
        for year, value in years.items():
            total[year] = total.get(year, ZERO) + value * n
    return dict(sorted(total.items()))


def _at(path: tuple[object, ...], problem: LineProblem) -> list[tuple[tuple[object, ...], str, str | None]]:
    return [(path + each.key, each.message, each.hint) for each in problem.each()]


def _too_large(what: str, amount: Decimal, hint: str) -> LineProblem:
    """A line's cost (or a product in it) at or over MAX_MONEY: no costing is that large."""
    return LineProblem((), f"{what} is {format_pounds(amount)}, too large for a costing: a line must cost under {format_pounds(MAX_MONEY)}", hint)


def _salary_text(rates: Rates) -> str:
    salary = rates.salary
    return f"{point_name(salary.point)} in {salary.pay_year}: {salary.source}"


def _rule_text(rates: Rates) -> str:
    return f"on-cost rule from {rates.rule.start:%d %b %Y}: {rates.rule.source}"


def _inferred(rates: Rates) -> list[str]:
    """The figures behind a month that are inferred (confidence L), named for a footnote."""
    found = []
    if rates.salary is not None and rates.salary.confidence == "L" and not rates.salary.assumed:
        found.append(_salary_text(rates))
    if rates.rule.confidence == "L" and not rates.rule.assumed:
        found.append(_rule_text(rates))
    if rates.ni_period is not None and rates.ni_period.confidence == "L":
        found.append(f"employer NI {rates.ni_period.tax_year}: {rates.ni_period.source}")
    return found


def _assumptions(rates: Rates) -> list[str]:
    """The assumed rate or pay award behind a month, named for a footnote."""
    found = []
    if rates.rule.assumed:
        found.append(_rule_text(rates))
    if rates.salary is not None and rates.salary.assumed:
        found.append(_salary_text(rates))
    return found
