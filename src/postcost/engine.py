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
from decimal import Decimal, localcontext
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from postcost.basis import LineProblem, Resolver, months_between, remembered
from postcost.errors import PostcostError
from postcost.method import WHOLE_MONTH, MonthCost, Rates, exact_cost, line_cost, month_cost, share, split_to_penny
from postcost.models import MAX_MONEY, AmountLine, NIPeriod, OnCostRule, PostLine, PostRows, Proposal, Stated, UnitCostLine, month_start
from postcost.money import EXACT, ZERO, format_pounds, round_money
from postcost.scales import PayScale, pay_year_of

if TYPE_CHECKING:
    from postcost.loader import LoadedProposal

__all__ = ["CostReport", "Costing", "Figures", "LineCost", "PostBasis", "ThemeCost", "cost_proposal", "head_count",
           "months_between", "split_to_penny"]

NIL = Decimal("0.00")  # the budget cost of an externally funded line


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostBasis:
    """What a post is costed on, the same for every FTE: its grade and point (or stated salary),
    its period and each month's rates. Posts alike in these share one, whatever their FTEs."""

    grade: str | None = None
    point: str | None = None
    point_explicit: bool = False  # given in the proposal, not the grade's bottom
    start: date | None = None
    end: date | None = None
    full_year: bool = False
    increments: bool = False
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

    kind: str  # post | amount | unit_cost
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


class LineCost(NamedTuple):
    """One line of the costed proposal: its place and words, and its :class:`Figures`."""

    position: str  # "theme.line", 1-based, as numbered in the table
    title: str
    team: str | None
    stated: Stated | None
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


class Costing:
    """One run's costing of a proposal. Each distinct post is costed once (and each problem
    found once); :meth:`full_year_cost` asks it about posts as ``check`` needs."""

    def __init__(self, proposal: Proposal, scale: PayScale | None, csv_rows: dict[int, PostRows] | None = None):
        self.proposal, self.scale, self.csv_rows = proposal, scale, csv_rows or {}
        self.resolver = Resolver(proposal, scale) if scale is not None else None
        self.posts: dict[tuple[object, ...], _Post | LineProblem] = {}
        self.figures: dict[tuple[object, ...], Figures | LineProblem] = {}
        self.default_year = pay_year_of(month_start(proposal.period.start))  # an amount's, unless it states one
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
            rows = self.csv_rows.get(t)
            if rows is not None:
                lines += self.cost_rows(t, position, len(theme.lines), rows, problems)
            themes.append(_theme(position, theme.name, tuple(lines), theme.stated_subtotal))
        if problems:
            raise CostingProblems(problems)
        has_posts = any(figures.kind == "post" for theme in themes for figures, _ in theme.tally)
        if has_posts:
            notes = ("Part-time and multi-FTE lines cost FTE × one full-time post: the NI threshold counts "
                     "once per full-time equivalent.", *notes)
        used = self.rates_used()
        tallies = [pair for theme in themes for pair in theme.tally]
        return CostReport(
            proposal=self.proposal,
            filename=filename,
            scale=self.scale,
            themes=tuple(themes),
            stated=self.proposal.stated_total,
            grand_total=sum((theme.subtotal for theme in themes), ZERO),
            financial_years=_add_years((theme.financial_years, 1) for theme in themes),
            full_year_effect=sum((f.full_year_effect * n for f, n in tallies if f.full_year_effect is not None), ZERO),
            assumed_total=sum((f.assumed_amount * n for f, n in tallies), ZERO),
            notes=notes,
            used=used,
            rules_used=tuple(sorted({id(r.rule): r.rule for r in used}.values(), key=attrgetter("start"))),
            ni_periods_used=tuple(sorted({id(r.ni_period): r.ni_period for r in used if r.ni_period}.values(),
                                         key=attrgetter("start"))),
            inferred=tuple(dict.fromkeys(text for r in used for text in _inferred(r))),
            assumptions=tuple(dict.fromkeys(text for r in used for text in _assumptions(r))),
        )

    def cost_rows(self, t: int, position: str, first: int, rows: PostRows,
                  problems: list[tuple[tuple[object, ...], str, str | None]]) -> list[LineCost]:
        """A theme's posts from a CSV file, after its ``first`` lines: each distinct post costed
        once for all its rows; a distinct post's problem is reported at each of its rows."""
        costed: dict[int, tuple[Stated | None, Figures] | LineProblem] = {}
        for kind in dict.fromkeys(rows.kind_of):
            post = rows.kinds.post(kind)
            try:
                costed[kind] = (post.stated, self.figures_of(post))
            except LineProblem as problem:
                costed[kind] = problem
        if any(isinstance(found, LineProblem) for found in costed.values()):
            for n, kind in enumerate(rows.kind_of, first):
                if isinstance(costed[kind], LineProblem):
                    problems += _at(("themes", t, "lines", n), costed[kind])
            return []
        return [
            LineCost(position + "." + str(n), words["title"], words.get("team"), *costed[kind])
            for n, (kind, words) in enumerate(zip(rows.kind_of, rows.words), first + 1)
        ]

    def cost_line(self, line: PostLine | AmountLine | UnitCostLine, position: str) -> LineCost:
        if isinstance(line, PostLine):
            figures = self.figures_of(line)
        elif isinstance(line, AmountLine):
            figures = self.lump(line, line.amount)
        else:
            quantity = Decimal(self.head_count()) if line.quantity == "new_starters" else line.quantity
            exact = line.unit_amount * quantity
            if exact >= MAX_MONEY:
                raise _too_large("unit_amount × quantity", exact, "check the unit amount and the quantity")
            figures = self.lump(line, exact, quantity)
        return LineCost(position, line.title, line.team, line.stated, figures)

    def lump(self, line: AmountLine | UnitCostLine, exact: Decimal, quantity: Decimal | None = None) -> Figures:
        gross = round_money(exact)
        cost = NIL if line.funded_by else gross
        unit = isinstance(line, UnitCostLine)
        return Figures(
            kind=line.kind,
            funded_by=line.funded_by,
            gross=gross,
            cost=cost,
            exact=exact,
            financial_years={line.financial_year or self.default_year: cost},
            unit_amount=line.unit_amount if unit else None,
            quantity=quantity,
            quantity_rule=line.quantity if unit and isinstance(line.quantity, str) else None,
            stated_quantity=line.stated_quantity if unit else None,
        )

    def head_count(self) -> int:
        if self._head_count is None:
            self._head_count = head_count(self.proposal, self.csv_rows)
        return self._head_count

    def full_year_cost(self, post: PostLine) -> Decimal:
        """FTE × the twelve months of the financial year the post starts in, rounded once (once
        for every post alike in what that depends on)."""
        key = (post.grade, post.point, post.annual_salary, post.start, post.increments, str(post.fte))
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
        key = (post.grade, post.point, post.annual_salary, post.start, post.end, post.full_year, post.increments,
               post.permanent, str(post.fte), post.funded_by)
        return remembered(self.figures, key, self._figures, post, key[:7])

    def _figures(self, post: PostLine, basis_key: tuple[object, ...]) -> Figures:
        costed = self.post_of(post, basis_key)
        fte, funded_by = post.fte, post.funded_by
        exact, gross = line_cost(fte, sum((part for _, part in costed.years), ZERO))
        yearly = max(costed.basis.annual_salaries, default=ZERO) * fte
        for what, amount in (("annual salary × fte", yearly), ("the post's cost over its period", exact)):
            if amount >= MAX_MONEY:
                raise _too_large(what, amount, "check the salary and the FTE")
        cost = NIL if funded_by else gross
        if len(costed.years) == 1:
            financial_years = {costed.years[0][0]: cost}
        elif funded_by:
            financial_years = {label: NIL for label, _ in costed.years}
        else:
            financial_years = split_to_penny({label: exact_cost(fte, part) for label, part in costed.years}, cost)
        full_year_effect = None
        if post.full_year:
            full_year_effect = cost
        elif post.permanent:
            full_year_effect = NIL if funded_by else self.full_year_cost(post)
        assumed_exact = exact_cost(fte, costed.assumed) if costed.assumed else ZERO
        return Figures(
            "post", funded_by, gross, cost, exact, financial_years, costed.basis,
            fte=fte,
            full_year_effect=full_year_effect,
            assumed=assumed_exact != 0,
            assumed_amount=NIL if funded_by else round_money(assumed_exact),
        )

    def post_of(self, post: PostLine, key: tuple[object, ...]) -> _Post:
        """A post's basis and the sums of its months, once for every post alike in them."""
        return remembered(self.posts, key, self._post, post)

    def _post(self, post: PostLine) -> _Post:
        basis = self.resolver.basis(post)
        years: dict[str, Decimal] = {}
        assumed, shares, year = ZERO, 0, None
        for rates, (month, days, days_in_month) in zip(basis.rates, basis.months):
            if month.month == 4 or year is None:  # a financial year begins
                year = pay_year_of(month)
                years[year] = ZERO
            part = WHOLE_MONTH if days == days_in_month else share(days, days_in_month)
            cost = rates.annual_cost * part
            years[year] += cost
            if rates.assumed:
                assumed += cost
            shares += part
        month_count = Decimal(shares) / WHOLE_MONTH
        return _Post(
            PostBasis(
                grade=post.grade,
                point=basis.point,
                point_explicit=post.point is not None,
                start=basis.start,
                end=basis.end,
                full_year=post.full_year,
                increments=basis.increments,
                month_count=month_count.normalize() if month_count == month_count.to_integral_value() else month_count,
                points=tuple(dict.fromkeys(r.salary.point for r in basis.rates)) if basis.point is not None else (),
                annual_salaries=tuple(sorted({rates.annual_salary for rates in basis.rates})),
                month_days=basis.months,
                rates=basis.rates,
            ),
            tuple(years.items()),
            assumed,
        )

    def rates_used(self) -> tuple[Rates, ...]:
        """Every month's rates some post was costed with, in month order (and, within a month, in
        the order their points or salaries were first costed)."""
        if self.resolver is None:
            return ()
        order: dict[tuple[object, ...], int] = {}
        found = []
        for key, rates in self.resolver.rates_costed():
            rank = order.setdefault(key, len(order))
            found.append((rates.pay_day, rank, rates))
        return tuple(rates for _, _, rates in sorted(found, key=lambda item: item[:2]))


def head_count(proposal: Proposal, csv_rows: dict[int, PostRows] | None = None) -> int:
    """New starters the proposal pays for: each post line's FTE rounded up; externally funded
    excluded. A CSV file's rows count by their distinct posts, each once with its rows."""
    count = 0
    for theme in proposal.themes:
        for line in theme.lines:
            if isinstance(line, PostLine) and line.funded_by is None:
                count += math.ceil(line.fte)
    for rows in (csv_rows or {}).values():
        for kind, n in Counter(rows.kind_of).items():
            post = rows.kinds.post(kind)
            if post.funded_by is None:
                count += math.ceil(post.fte) * n
    return count


def _theme(position: str, name: str, lines: tuple[LineCost, ...], stated: Stated | None) -> ThemeCost:
    counts = Counter(map(id, (line.figures for line in lines)))
    by_id = {id(line.figures): line.figures for line in lines}
    tally = tuple((by_id[key], n) for key, n in counts.items())
    return ThemeCost(
        position, name, lines, stated,
        subtotal=sum((figures.cost * n for figures, n in tally), ZERO),
        financial_years=_add_years((figures.financial_years, n) for figures, n in tally),
        tally=tally,
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
    return f"SCP {salary.point} in {salary.pay_year}: {salary.source}"


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
