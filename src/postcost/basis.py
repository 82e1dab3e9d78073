"""What a post is costed on: its days within the proposal's period, its point (its own, or its
grade's bottom, checked against the grade), its increments, and each month's rates
(:func:`postcost.method.rates_on`) under the rules in force on the month's pay day. Or the
problems that stop it being costed, each at its key within the post (``('grade',)``), for the
caller to place in a file: the engine for every post, the loader for the valid posts of a file
that has other errors.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

from postcost.errors import did_you_mean, excerpt
from postcost.method import COMMON_TERMS, Rates, Terms, rates_on
from postcost.models import (
    ALWAYS, NI_CATEGORIES, NO_SCHEME, AssumedAward, NIPeriod, OnCostRule, PensionScheme, Period, PostLine, ProposalOnCosts,
    day_of_year, month_end, month_start,
)
from postcost.money import ZERO, format_pounds
from postcost.scales import PayScale, pay_year_of, pay_year_start


T = TypeVar("T")


class LineProblem(Exception):
    """What stops a line being costed, at ``key`` within the line; with any problems found
    together with it (``also``: a month with no salary and no on-cost rule has both)."""

    def __init__(self, key: tuple[object, ...], message: str, hint: str | None = None, also: Sequence[LineProblem] = ()):
        super().__init__(message)
        self.key, self.message, self.hint, self.also = key, message, hint, tuple(also)

    def each(self) -> Iterator[LineProblem]:
        yield self
        yield from self.also


def remembered(memo: dict, key: object, compute: Callable[..., T], *args: object) -> T:
    """``memo[key]``, worked out once as ``compute(*args)``. A LineProblem it raises is
    remembered too, and raised again each time the key is asked for."""
    found = memo.get(key)
    if found is None:
        try:
            found = compute(*args)
        except LineProblem as problem:
            found = problem
        memo[key] = found
    if isinstance(found, LineProblem):
        raise found
    return found


def raise_all(problems: list[LineProblem]) -> None:
    """Raise the problems found together, if any, as one."""
    if problems:
        first, *also = problems
        raise LineProblem(first.key, first.message, first.hint, also)


# The rule a post at a stated annual_cost is costed under: its cost includes its on-costs, so
# nothing is added to it (the engine notes this under the table, and lists no on-cost rule for it)
STATED_COST = OnCostRule(
    start=ALWAYS[0], end=ALWAYS[1], employer_ni=False, confidence="H",  # the proposal states it
    source="stated in the proposal: the post's annual_cost includes its on-costs; none are added",
)


class Settings(Protocol):
    """The keys of a proposal that costing a post reads."""

    period: Period
    pay_year: str | None
    assumed_pay_awards: dict[str, AssumedAward]
    increments: bool
    on_costs: ProposalOnCosts | None
    pension_schemes: dict[str, PensionScheme]


def days_in(year: int, month: int) -> int:
    """The days in a month: 28 to 31."""
    return 29 if month == 2 and calendar.isleap(year) else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def months_between(start: date, end: date) -> Iterator[tuple[date, int, int]]:
    """(first day of month, days covered, days in month) for each month from ``start`` to ``end``."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        days_in_month = days_in(year, month)
        first = start.day if (year, month) == (start.year, start.month) else 1
        last = end.day if (year, month) == (end.year, end.month) else days_in_month
        yield date(year, month, 1), last - first + 1, days_in_month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class Basis(NamedTuple):
    """A post's days, point and each month's rates: the same for every FTE."""

    start: date
    end: date
    point: str | None  # None where the post states its annual salary
    increments: bool
    months: tuple[tuple[date, int, int], ...]  # each month's first day, days covered and days in the month
    rates: tuple[Rates, ...]  # each month's


class _KeyMonths:
    """One cost key's (a point, or a stated salary) rates for each month of the resolver's span,
    each worked out when a post first covers that month, and the problems of the months that
    cannot be costed."""

    __slots__ = ("rates", "costed", "problems")

    def __init__(self, months: int):
        self.rates: list[Rates | None] = [None] * months
        self.costed = bytearray(months)  # 1 for each month worked out
        self.problems: dict[int, LineProblem] = {}


class Resolver:
    """Posts' bases under one proposal and pay scale. Each point is looked up once, and so is a
    problem. For each cost key (a point, or a stated salary) a table holds its rates for each
    month of the span the proposal's posts can cover (its financial years), so that a post's
    months are a slice of its key's table; a month is worked out the first time a post covers it."""

    def __init__(self, settings: Settings, scale: PayScale | None):
        """``scale`` may be None for a proposal whose posts all state their annual_cost."""
        self.settings, self.scale = settings, scale
        self.proposal_start = month_start(settings.period.start)
        self.proposal_end = month_end(settings.period.end)
        self.points: dict[tuple[str | None, str | None], str | LineProblem] = {}
        # the span: the financial years of the proposal's period (a full-year post runs the whole
        # year it starts in), every month whole
        first = pay_year_start(pay_year_of(self.proposal_start))
        self.span = tuple(months_between(first, date(pay_year_start(pay_year_of(self.proposal_end)).year + 1, 3, 31)))
        self.first_month = first.year * 12 + first.month
        self.pay_days = tuple(date(month.year, month.month, days_in_month) for month, _, days_in_month in self.span)
        self.tables: dict[tuple[object, ...], _KeyMonths] = {}  # in the order the keys were first asked for

    def basis(self, post: PostLine) -> Basis:
        start, end = self.period(post)
        increments = post.increments if post.increments is not None else self.settings.increments
        point = None
        stated = "annual_salary" if post.annual_salary is not None else "annual_cost" if post.annual_cost is not None else None
        if stated is None:
            point = self.point(post)
            if increments:
                self.check_increments(post, point)
        elif post.increments:
            raise LineProblem(("increments",), f"a post with a stated {stated} has no grade to move up")
        increments = bool(increments and point)
        if post.increment_date is not None and not increments:
            raise LineProblem(
                ("increment_date",), "increment_date is given, but the post is costed without increments",
                "add increments: true to the post (or the proposal) to move it up its grade on that date, "
                "or remove increment_date",
            )
        first, last = self.index(start), self.index(end)
        months = self.span[first:last + 1]
        if start.day != 1 or end.day != months[-1][2]:  # a part month at either end
            months = tuple(months_between(start, end))
        if not increments:
            rates = self.rates_over(self.key(point, post), first, last, point, post)
        else:  # a point a month: one step up at each increment date
            rates, first_problem = [], None
            for i in range(first, last + 1):
                at = self.point_on(post, point, start, self.pay_days[i])
                try:
                    rates += self.rates_over(self.key(at, post), i, i, at, post)
                except LineProblem as problem:
                    first_problem = first_problem or problem
            if first_problem is not None:
                raise first_problem
        return Basis(start, end, point, increments, months, tuple(rates))

    def index(self, day: date) -> int:
        """The place of ``day``'s month in the span."""
        return day.year * 12 + day.month - self.first_month

    @staticmethod
    def key(point: str | None, post: PostLine) -> tuple[object, ...]:
        """The cost key of a month at ``point``, or at the post's stated salary or annual cost: what
        its rates depend on."""
        if post.annual_cost is not None:
            return ("annual cost", post.annual_cost)
        key = ("salary", post.annual_salary) if point is None else ("point", point, post.point is not None)
        terms = (post.ni_category, post.salary_sacrifice, post.pension_scheme)
        return key if terms == ("A", None, None) else (*key, terms)

    def rates_over(self, key: tuple[object, ...], first: int, last: int, point: str | None, post: PostLine) -> list[Rates]:
        """One full-time post's rates at ``key`` for each month of the span from ``first`` to
        ``last``; raises the problem of the first month that cannot be costed."""
        table = self.tables.get(key)
        if table is None:
            table = self.tables[key] = _KeyMonths(len(self.span))
        if 0 in table.costed[first:last + 1]:  # some month not yet worked out
            for i in range(first, last + 1):
                if not table.costed[i]:
                    table.costed[i] = 1
                    try:
                        table.rates[i] = self._month_rates(self.pay_days[i], point, post)
                    except LineProblem as problem:
                        table.problems[i] = problem
        if table.problems:
            found = [i for i in table.problems if first <= i <= last]
            if found:
                raise table.problems[min(found)]
        return table.rates[first:last + 1]  # type: ignore[return-value]  # every month costed

    def rates_costed(self) -> Iterator[tuple[tuple[object, ...], Rates]]:
        """Each cost key with each month's rates worked out for it, keys in the order first asked for."""
        for key, table in self.tables.items():
            for rates in table.rates:
                if rates is not None:
                    yield key, rates

    def period(self, post: PostLine) -> tuple[date, date]:
        """The days a post is costed for. Its dates must lie within the proposal's period; a
        full-year post, which starts within it, runs the whole financial year it starts in."""
        start = month_start(post.start) if post.start else self.proposal_start
        end = month_end(post.end) if post.end else self.proposal_end  # a full-year post has no end of its own
        if not self.proposal_start <= start <= self.proposal_end or end > self.proposal_end:
            period = f"{self.proposal_start:%d %b %Y} – {self.proposal_end:%d %b %Y}"
            hint = "widen the proposal's period, or fix the date"
            problems = []
            if not self.proposal_start <= start <= self.proposal_end:
                when = "before" if start < self.proposal_start else "after the end of"
                problems.append(LineProblem(("start",), f"the post starts ({start:%d %b %Y}) {when} the proposal's period ({period})", hint))
            if end > self.proposal_end:
                problems.append(LineProblem(("end",), f"the post ends ({end:%d %b %Y}) after the proposal's period ({period})", hint))
            raise_all(problems)
        if post.full_year:
            first = pay_year_start(pay_year_of(start))
            return first, date(first.year + 1, 3, 31)
        if end < start:
            raise LineProblem(("end",), f"the post ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y})")
        return start, end

    def point(self, post: PostLine) -> str:
        """The point a post is costed at: its own, or its grade's bottom, checked against the grade."""
        return remembered(self.points, (post.grade, post.point), self._point, post)

    def _point(self, post: PostLine) -> str:
        scale, grade = self.scale, None
        if post.grade is not None:
            grade = scale.grade(post.grade)
            if grade is None:
                names = list(scale.authority.grades)
                raise LineProblem(
                    ("grade",),
                    f"grade {excerpt(post.grade)} is not a grade of {scale.name}",
                    did_you_mean(post.grade, names) or f"grades of {scale.name}: {', '.join(names)}",
                )
        point = post.point if post.point is not None else grade.bottom  # type: ignore[union-attr]
        if not scale.knows_point(point):
            raise LineProblem(("point",), f"point {excerpt(point)} is not on {scale.name}'s pay spine or local points")
        if post.point is not None and grade is not None and point.isdigit() and grade.bottom.isdigit():
            top = grade.top if grade.top is not None and grade.top.isdigit() else None
            if int(point) < int(grade.bottom) or (top is not None and int(point) > int(top)):
                span = f"points {grade.bottom}–{top}" if top else f"from point {grade.bottom}; its top is not known"
                raise LineProblem(
                    ("point",),
                    f"point {point} is outside {post.grade} ({span})",
                    "check the point, or leave it out to cost the grade's bottom point",
                )
        return point

    def check_increments(self, post: PostLine, point: str) -> None:
        rule = self.scale.authority.increments
        key = ("increments",) if post.increments else ()
        authority_file = _short(self.scale.authority_file)
        if rule is None and post.increment_date is None:
            raise LineProblem(
                key,
                f"{authority_file} states no increment rule, so increments cannot be costed",
                "add an 'increments' rule to the pay scale, or cost the post without increments",
            )
        grade = self.scale.grade(post.grade) if post.grade else None
        if grade is None or grade.top is None:
            what = f"the top of {post.grade}" if post.grade else "the grade of this post"
            raise LineProblem(
                key,
                f"{what} is not known in {authority_file}, so increments cannot be costed",
                "give the grade a 'top' point in the pay scale (with its source), or cost without increments",
            )
        if not (point.isdigit() and grade.top.isdigit()):
            raise LineProblem(key, f"increments need numbered points; {point!r} to {grade.top!r} is not a range")

    def point_on(self, post: PostLine, point: str, start: date, pay_day: date) -> str:
        """The point a post is on by ``pay_day``, one step up at each increment date since it
        started: the post's own increment_date (whenever it started), else the scale's rule."""
        rule = self.scale.authority.increments
        grade = self.scale.grade(post.grade)  # checked by check_increments
        if post.increment_date is not None:
            (month, day), months_in_post = day_of_year(post.increment_date), 0
        else:
            month, day, months_in_post = rule.month, rule.day, rule.min_months_in_post
        steps = 0
        for year in range(start.year, pay_day.year + 1):
            when = date(year, month, day)
            if start < when <= pay_day and _add_months(start, months_in_post) <= when:
                steps += 1
        return str(min(int(point) + steps, int(grade.top)))

    def _month_rates(self, pay_day: date, point: str | None, post: PostLine) -> Rates:
        if post.annual_cost is not None:  # the line's own cost a year, with nothing added
            return rates_on(pay_day, post.annual_cost, None, STATED_COST, None)
        scale, settings = self.scale, self.settings
        problems = []  # every problem of the month, not only the first
        salary, annual = None, post.annual_salary
        if point is not None:
            pay_year = settings.pay_year or scale.pay_year_of(pay_day)
            salary = scale.salary(point, pay_year, settings.assumed_pay_awards)
            if salary is None:
                years = scale.salary_years(point)
                spine = scale.authority_file if point in scale.authority.local_points else scale.spine_file
                why = scale.missing_reason(point, pay_year)
                problems.append(LineProblem(
                    ("point",) if post.point is not None else ("grade",),
                    f"no salary for point {point} in pay year {pay_year} in {_short(spine)}" + (f": {why}" if why else ""),
                    (f"that point has salaries for {', '.join(years)}; " if years else "")
                    + f"state a pay_year, or assume an award with assumed_pay_awards: {{'{pay_year}': {{rise: ..., reason: ...}}}}",
                ))
            else:
                annual = salary.annual
        ni = scale.ni_period(pay_day)
        rule = scale.on_cost_rule(pay_day)
        stated_pay_only = settings.on_costs is not None and settings.on_costs.pay_only
        authority_file = _short(scale.authority_file)
        if rule is None:
            problems.append(LineProblem(
                (),
                f"no on-cost rules for pay day {pay_day:%d %b %Y} in {authority_file}",
                "state the on-costs in the proposal (on_costs: {rates: {pension: ...}, employer_ni: true, source: ...}), "
                "add a rule covering that date to the pay scale, or shorten the period",
            ))
        elif rule.pay_only and not stated_pay_only:
            problems.append(LineProblem(
                (),
                f"the on-cost rule for pay day {pay_day:%d %b %Y} in {authority_file} "
                "charges nothing: no employer NI, no apprenticeship levy and no rates",
                "state the rule's on-costs in the pay scale; or, where the report costs pay only, say so in the "
                "proposal: on_costs: {pay_only: true, source: ...}",
            ))
        elif (rule.employer_ni or rule.apprenticeship_levy) and ni is None:
            problems.append(LineProblem(
                (),
                f"no employer NI rates for {pay_year_of(pay_day)} (pay day {pay_day:%d %b %Y}) in {_short(scale.ni_file)}",
                "add that tax year's rate and threshold, or shorten the period",
            ))
        terms = COMMON_TERMS
        if rule is not None and annual is not None:
            try:
                terms = self.terms(post, pay_day, annual, rule, ni)
            except LineProblem as problem:
                problems += problem.each()
        raise_all(problems)
        return rates_on(pay_day, annual, salary, rule, ni, terms)

    def terms(self, post: PostLine, pay_day: date, annual: Decimal, rule: OnCostRule, ni: NIPeriod | None) -> Terms:
        """The post's own terms on ``pay_day``: its NI category, salary sacrifice and pension
        scheme, each checked against what the scale and the proposal define."""
        if (post.ni_category, post.salary_sacrifice, post.pension_scheme) == ("A", None, None):
            return COMMON_TERMS
        problems = []
        scale = self.scale
        if post.ni_category != "A" and rule.employer_ni and ni is not None and ni.upper_secondary is None:
            problems.append(LineProblem(
                ("ni_category",),
                f"NI category {post.ni_category} ({NI_CATEGORIES[post.ni_category]}) needs the upper secondary "
                f"thresholds for {ni.tax_year}, and {_short(scale.ni_file)} states none for that tax year",
                "add that tax year's upper_secondary thresholds (with their source) to the NI table, "
                "or cost the post as category A",
            ))
        sacrifice = ZERO
        if isinstance(post.salary_sacrifice, str):  # a percentage of pay
            sacrifice = annual * Decimal(post.salary_sacrifice.rstrip("%")) / 100
        elif post.salary_sacrifice is not None:
            sacrifice = post.salary_sacrifice
            if sacrifice >= annual:
                problems.append(LineProblem(
                    ("salary_sacrifice",),
                    f"salary_sacrifice {format_pounds(sacrifice)} a year is not less than the salary "
                    f"({format_pounds(annual)} a year, full-time) it is given up from",
                    "give the sacrifice as £ a year of a full-time post's pay, like annual_salary, or as a percentage ('5%')",
                ))
        scheme_name, pension = post.pension_scheme, None
        if scheme_name is not None:
            if "pension" not in rule.rates:
                rates = ", ".join(rule.rates) or "none"
                problems.append(LineProblem(
                    ("pension_scheme",),
                    f"the post names pension_scheme {scheme_name!r}, but the on-cost rule for pay day "
                    f"{pay_day:%d %b %Y} has no rate named 'pension' for its rate to replace (its rates: {rates})",
                    "name the pension rate 'pension' in the on-costs (e.g. rates: {pension: 0.2868}), "
                    "or remove pension_scheme",
                ))
            elif scheme_name.lower() != NO_SCHEME:
                scheme = scale.pension_scheme(scheme_name, self.settings.pension_schemes)
                if scheme is None:
                    names = [*self.settings.pension_schemes, *scale.authority.pension_schemes]
                    problems.append(LineProblem(
                        ("pension_scheme",),
                        f"pension scheme {scheme_name!r} is not defined by {_short(scale.authority_file)} or the proposal",
                        did_you_mean(scheme_name, names)
                        or (f"schemes: {', '.join(names)}, or 'none' for a post in no scheme; " if names else "'none' for a "
                            "post in no scheme; ") + "or define it in the proposal's pension_schemes, with its employer rate by date",
                    ))
                else:
                    pension = scheme.rate_on(pay_day)
                    if pension is None:
                        problems.append(LineProblem(
                            ("pension_scheme",),
                            f"pension scheme {scheme_name!r} ({scheme.title}) has no employer rate for pay day {pay_day:%d %b %Y}",
                            "add a rate covering that date to the scheme, with its source, or shorten the period",
                        ))
        raise_all(problems)
        return Terms(post.ni_category, sacrifice, None if post.salary_sacrifice is None else str(post.salary_sacrifice),
                     scheme_name, pension)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _short(path: str) -> str:
    return Path(path).name

