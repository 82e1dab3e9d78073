"""The derivation of a line's cost, in words and figures, with the source of every rate.

For a post: grade → point → salary (and where that figure comes from), FTE, the months, then per
month the pay, employer NI (rate and threshold) and each on-cost (rate), then the sum, × FTE and
the single rounding. A post's own terms (its NI category, salary sacrifice, pension scheme and
increment date) are shown with what they rest on: the NI table's upper secondary thresholds and
the scheme's rate, each with its source. Consecutive months costed alike are shown as one row with a count. Exact
intermediate values are shown to four decimal places; nothing is rounded until the last step.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from decimal import Decimal

from postcost.engine import CostReport, LineCost
from postcost.errors import PostcostError, Problem
from postcost.method import MonthCost
from postcost.models import NI_CATEGORIES
from postcost.money import ROUNDING_POLICY, format_months, format_pence, format_pounds, format_rate
from postcost.report import salary_per_fte
from postcost.scales import point_name
from postcost.text import printable

FOUR = Decimal("0.0001")


def find_lines(report: CostReport, selector: str | None) -> list[LineCost]:
    """Lines chosen by position ('1.4'), theme ('1') or unique title; all lines when None."""
    lines = list(report.lines)
    if selector is None:
        return lines
    wanted = selector.strip()
    by_position = [line for line in lines if line.position == wanted]
    if by_position:
        return by_position
    in_theme = [line for line in lines if line.position.split(".")[0] == wanted]
    if in_theme:
        return in_theme
    by_title = [line for line in lines if line.title.casefold() == wanted.casefold()]
    if not by_title:
        by_title = [line for line in lines if wanted.casefold() in line.title.casefold()]
    if len(by_title) == 1:
        return by_title
    where = report.filename
    if by_title:
        positions = ", ".join(f"{line.position} ({printable(line.title)})" for line in by_title)
        raise PostcostError(
            [Problem(where, None, f"{selector!r} matches {len(by_title)} lines: {positions}", "choose one by its position, e.g. 'postcost explain FILE 1.4'")]
        )
    raise PostcostError(
        [Problem(where, None, f"no line {selector!r}", "give a position as numbered in the table (e.g. 1.4), a theme number, or a line's title")]
    )


def explain(report: CostReport, lines: list[LineCost]) -> str:
    """Each line's derivation, one paragraph a line; every line of it :func:`printable`, as the
    proposal's and the pay scale's words (titles, teams, notes, sources) are in it."""
    return "\n\n".join("\n".join(map(printable, _explain_line(report, line))) for line in lines) + "\n"


def explain_json(report: CostReport, lines: list[LineCost]) -> dict[str, Any]:
    """Each line's derivation for tools: its months' figures for one full-time post (pay, employer
    NI and each on-cost, with the weight of a part month), so that Σ (pay + ni + on-costs) × fte,
    rounded once to the penny half up, is the line's gross_cost. Money and rates are decimal
    strings; a month's figures are exact to 50 significant digits (none is rounded)."""
    return {"file": report.filename, "rounding": ROUNDING_POLICY, "lines": [_line_json(line) for line in lines]}


def _line_json(line: LineCost) -> dict[str, Any]:
    """A line's months for one FTE; for a saving ("saving": true), gross_cost is the negated sum."""
    return ({"saving": True} if line.saving else {}) | {
        "position": line.position,
        "title": line.title,
        "kind": line.kind,
        "fte": None if line.fte is None else f"{line.fte:f}",
        # a post given in hours: fte is hours ÷ full_time_hours to four places; its cost uses these exactly
        **({"hours": f"{line.hours:f}", "full_time_hours": f"{line.full_time_hours:f}"} if line.hours is not None else {}),
        # a post at a stated annual cost: its months carry that cost (as annual_salary), not multiplied by fte
        **({"annual_cost": str(line.annual_cost)} if line.annual_cost is not None else {}),
        # a post on its own terms: ni is charged above ni_threshold (the category's threshold + the sacrifice)
        **({"terms": _terms_json(line)} if line.months and line.months[0].rates.terms.own else {}),
        "exact": f"{line.exact:f}",
        "gross_cost": str(line.gross),
        "cost": str(line.cost),
        "funded_by": line.funded_by,
        "months": [
            {
                "month": f"{m.month:%Y-%m}",
                "days": m.days,
                "days_in_month": m.days_in_month,
                "weight": f"{m.fraction:f}",
                "annual_salary": str(m.annual_salary),
                "pay": f"{m.pay:f}",
                "ni": f"{m.ni:f}",
                "on_costs": [{"name": c.name, "rate": f"{c.rate:f}", "amount": f"{c.amount:f}"} for c in m.on_costs],
            }
            for m in line.months
        ],
    }


def _terms_json(line: LineCost) -> dict[str, Any]:
    terms = line.months[0].rates.terms
    return {
        "ni_category": terms.ni_category,
        "salary_sacrifice": terms.sacrifice_as_written,
        "pension_scheme": terms.pension_scheme,
        "ni_thresholds": {f"{m.month:%Y-%m}": f"{m.ni_threshold:f}" for m in line.months},
    }


def _explain_line(report: CostReport, line: LineCost) -> Iterator[str]:
    theme = report.themes[int(line.position.split(".")[0]) - 1]
    yield f"{line.position} {line.title}" + (f" — {line.team}" if line.team else "") + f"  [{theme.name}]"
    if line.kind == "post":
        yield from _explain_post(report, line)
    elif line.kind == "unit_cost" and line.per_month is not None:
        months = line.month_count.normalize()
        yield (f"  {format_pence(line.unit_amount)} × {line.per_month.normalize():f} a month × {months:f} months "
               f"({line.start:%b %Y}–{line.end:%b %Y}) = {format_pence(line.exact)}")
        yield "  per month: each calendar month from the line's start to its end, a part month counted whole"
    elif line.kind == "unit_cost":
        what = f"{line.quantity_rule.replace('_', ' ')}" if line.quantity_rule else "units"
        yield f"  {format_pence(line.unit_amount)} × {line.quantity.normalize():f} {what} = {format_pence(line.exact)}"
        if line.quantity_rule == "new_starters":
            yield "  new starters: each post line's FTE rounded up, externally funded posts excluded"
    elif line.kind == "figure":
        yield f"  printed figure {format_pence(line.exact)}: as the report prints it, footed with the others, not costed"
    elif line.recurring:
        yield f"  recurring sum {format_pence(line.exact)} a year (counted once in the total, in its financial year)"
    else:
        yield f"  lump sum {format_pence(line.exact)}"
    if line.saving:
        yield "  a saving" + (" (a deleted post)" if line.kind == "post" else "") + ": it counts negatively"
    yield from _explain_result(line)


def _explain_post(report: CostReport, line: LineCost) -> Iterator[str]:
    scale = report.scale
    if line.grade:
        grade = scale.grade(line.grade)
        how = "given in the proposal" if line.point_explicit else "the grade's bottom point"
        yield f"  grade {line.grade} → {point_name(line.point)} ({how})"
        if grade is not None and not line.point_explicit:
            yield f"    source: {grade.source} [{grade.confidence}]"
    elif line.point:
        yield f"  {point_name(line.point)} (given in the proposal)"
    elif line.annual_cost is not None:
        yield from _explain_annual_cost(line)
        return
    else:
        yield f"  annual salary {format_pounds(line.months[0].annual_salary)} (stated in the proposal)"
    salaries = {}
    for m in line.months:
        if m.salary is not None:
            salaries.setdefault((m.salary.point, m.salary.pay_year), m.salary)
    pinned = report.proposal.pay_year
    for salary in salaries.values():
        how = "the pay year stated in the proposal" if pinned else "the pay year in force"
        extra = f", {salary.note}" if salary.note else ""
        label = " (assumed)" if salary.assumed else ""
        yield f"  salary {point_name(salary.point)}, {salary.pay_year}: {format_pounds(salary.annual)} a year{label} ({how}{extra})"
        yield f"    source: {salary.source} [{salary.confidence}]"
    yield _fte_and_period(line)
    if line.increments and line.basis.increment_date:
        yield (f"  increments: one point up on {line.basis.increment_date} each year (the post's own increment_date, "
               "stated in the proposal, in place of the pay scale's rule), to the grade's top")
    elif line.increments:
        yield "  increments: one point up on each increment date, to the grade's top"
    yield from _explain_terms(line)
    yield "  one full-time post, per month (pay = annual ÷ 12; NI = rate × (pay − annual threshold ÷ 12), not below 0):"
    for group in group_months(line.months):
        yield "    " + _month_row(group)
    seen: dict[str, str] = {}
    for m in line.months:
        if m.ni_period is not None:
            p = m.ni_period
            seen.setdefault(f"employer NI {p.tax_year} ({format_rate(p.rate)} above {format_pounds(p.secondary_threshold)} a year)", f"{p.source} [{p.confidence}]")
        rule = m.rule
        rates = ", ".join(f"{name} {format_rate(rate)}" for name, rate in rule.rates.items()) or ("pay only" if rule.pay_only else "none")
        label = " (assumed)" if rule.assumed else ""
        if m.rates.terms.pension_scheme is not None:
            label += "; the post's pension scheme replaces its pension rate"
        when = "throughout" if rule.throughout else f"from {rule.start:%-d %b %Y}"
        seen.setdefault(f"on-costs {when}: {rates}{label}", f"{rule.source} [{rule.confidence}]")
    for what, source in seen.items():
        yield f"  {what}"
        yield f"    source: {source}"
    one = sum((m.total for m in line.months), Decimal(0))
    yield f"  sum of months, one FTE: {_four(one)}"
    if line.hours is not None:
        yield f"  × {line.hours:f} hours ÷ {line.full_time_hours:f} full-time hours (divided last, exactly) = {_four(line.exact)}"
    else:
        yield f"  × FTE {line.fte.normalize():f} = {_four(line.exact)}"
    if any(m.days != m.days_in_month for m in line.months):
        yield "  part months are prorated by calendar days: days covered ÷ days in the month"


def _explain_terms(line: LineCost) -> Iterator[str]:
    """The post's own terms (NI category, salary sacrifice, pension scheme), each with its source."""
    terms = line.months[0].rates.terms
    if not terms.own:
        return
    if terms.ni_category != "A":
        what = NI_CATEGORIES[terms.ni_category]
        yield f"  NI category {terms.ni_category} ({what}): no employer NI up to the upper secondary threshold, the full rate above it"
        seen = {}
        for m in line.months:
            period = m.ni_period
            if period is not None and m.rule.employer_ni and period.upper_secondary is not None:
                upper = period.upper_secondary
                amount = upper.apprentice_under_25 if terms.ni_category == "H" else upper.under_21
                name = "apprentice upper secondary threshold" if terms.ni_category == "H" else "upper secondary threshold"
                seen.setdefault(f"    {period.tax_year}: {name} {format_pounds(amount)} a year",
                                f"      source: {upper.source} [{upper.confidence}]")
        for what, source in seen.items():
            yield what
            yield source
    if terms.sacrifice_as_written is not None:
        written = terms.sacrifice_as_written
        amount = f"{written} of pay" if written.endswith("%") else f"{format_pounds(Decimal(written))} a year of a full-time post's pay"
        yield (f"  salary sacrifice {amount} (stated in the proposal): not NI-able, so employer NI is charged above the "
               "threshold + the sacrifice; pay, pension and other on-costs are on pay before it")
        if written.endswith("%"):
            for salary, sacrifice in dict.fromkeys((m.annual_salary, m.rates.terms.sacrifice) for m in line.months):
                yield f"    {written} of {format_pounds(salary)}: {format_pence(sacrifice)} a year"
    if terms.pension_scheme is not None:
        if terms.pension is None:
            yield f"  pension scheme: {terms.pension_scheme} (stated in the proposal): no pension on-cost"
        else:
            yield f"  pension scheme {terms.pension_scheme} (stated in the proposal), in place of the on-cost rule's pension rate:"
            for pension in dict.fromkeys(m.rates.terms.pension for m in line.months):
                yield f"    {format_rate(pension.rate)} from {pension.start:%-d %b %Y}"
                yield f"      source: {pension.source} [{pension.confidence}]"


def _fte_and_period(line: LineCost) -> str:
    months = line.month_count
    period = f"{line.start:%-d %b %Y} – {line.end:%-d %b %Y}"
    kind = " (full financial year: a permanent post)" if line.full_year else ""
    fte = f"{line.fte.normalize():f}"
    if line.hours is not None:
        exact = line.fte * line.full_time_hours == line.hours
        fte = f"{line.hours:f} hours of {line.full_time_hours:f} full-time = {fte}" + ("" if exact else " (to four places)")
    return f"  FTE {fte}; {period}{kind}: {format_months(months)} month{'s' if months != 1 else ''}"


def _explain_annual_cost(line: LineCost) -> Iterator[str]:
    """A post at a stated annual cost: that cost a year for all its FTE, over its months."""
    yield (f"  stated annual cost {format_pence(line.annual_cost)} a year for all {line.fte.normalize():f} FTE, on-costs "
           f"included (stated in the proposal): {format_pence(salary_per_fte(line.figures))} per FTE; nothing is added")
    yield _fte_and_period(line)
    yield "  per month: the annual cost ÷ 12 (a part month: × days covered ÷ days in the month)"
    for group in group_months(line.months):
        first, last = group[0], group[-1]
        when = f"{first.month:%b %Y}" if len(group) == 1 else f"{first.month:%b %Y}–{last.month:%b %Y} (×{len(group)})"
        part = f", {first.days}/{first.days_in_month} of the month" if first.days != first.days_in_month else ""
        yield f"    {when}{part}: {_four(first.total)}"
    yield f"  sum of months, all FTE: {_four(line.exact)} (the stated cost is not multiplied by the FTE)"
    if any(m.days != m.days_in_month for m in line.months):
        yield "  part months are prorated by calendar days: days covered ÷ days in the month"


def _explain_result(line: LineCost) -> Iterator[str]:
    if line.kind == "figure":
        yield f"  counts as: {format_pence(line.gross)}"
    else:
        yield f"  cost: {format_pence(line.gross)}: the exact cost rounded once to the penny, half up (ROUND_HALF_UP)"
    if line.funded_by:
        yield f"  funded by {line.funded_by}: £0.00 to this proposal's budget"
    if line.full_year_effect is not None and not line.full_year:
        yield f"  full-year effect: {format_pence(line.full_year_effect)}"
    if len(line.financial_years) > 1:
        yield "  by financial year: " + ", ".join(f"{y} {format_pence(v)}" for y, v in line.financial_years.items())
    if line.stated is not None and line.stated.total is not None and line.kind != "figure":
        diff = line.cost - line.stated.total
        yield f"  stated in the report: {format_pounds(line.stated.total)}; difference {'+' if diff >= 0 else '-'}{format_pence(abs(diff))}"


def group_months(months: tuple[MonthCost, ...]) -> list[list[MonthCost]]:
    """Consecutive months costed alike (same salary, rates and share of the month), as runs."""
    groups: list[list[MonthCost]] = []
    for m in months:
        if groups and _same(groups[-1][-1], m):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _same(a: MonthCost, b: MonthCost) -> bool:
    return (a.annual_salary, a.ni_rate, a.ni_threshold, a.rule, a.fraction, a.on_costs) == (
        b.annual_salary, b.ni_rate, b.ni_threshold, b.rule, b.fraction, b.on_costs
    )


def _month_row(group: list[MonthCost]) -> str:
    first, last = group[0], group[-1]
    when = f"{first.month:%b %Y}" if len(group) == 1 else f"{first.month:%b %Y}–{last.month:%b %Y} (×{len(group)})"
    part = f", {first.days}/{first.days_in_month} of the month" if first.days != first.days_in_month else ""
    ni = (
        f"NI {format_rate(first.ni_rate)} × ({_four(first.pay)} − {_four(first.ni_threshold / 12 * first.fraction)}) = {_four(first.ni)}"
        if first.ni_period is not None and first.rule.employer_ni
        else "no employer NI"
    )
    costs = "; ".join(f"{c.name} {format_rate(c.rate)} = {_four(c.amount)}" for c in first.on_costs)
    return (
        f"{when}{part}: salary {format_pounds(first.annual_salary)}; pay {_four(first.pay)}; {ni}"
        + (f"; {costs}" if costs else "")
        + f"; total {_four(first.total)}"
    )


def _four(value: Decimal) -> str:
    return f"{value.quantize(FOUR):,}"
