"""Checking the figures a report states: computed against stated, and the printed table's footing.

Rules (never inferred):

- A stated figure must equal the computed one rounded to the stated figure's unit: whole pounds
  for a whole-pound figure, pence for a figure with pence. ``tolerance`` (with a reason) on a line,
  a theme or the whole file widens that; the nearest one applies.
- A proposal in ``units: thousands`` states £000: a figure printed 469.3 is compared with the
  computed one rounded to £100, one printed 19 with it rounded to £1,000.
- A saving (``saving: true``) states its figures positive, as printed; they count negatively.
- Footing compares printed figures with printed figures (lines with their sub-total, sub-totals
  with the total; the FTE and head-count columns too), exactly as printed; no tolerance applies.
  A ``kind: figure`` line costs what it prints, so its theme's sub-total is footed as a cost.
  Where a footing difference has a likely cause (a line missed or counted twice, a digit dropped
  or added, two digits transposed) the finding's note names the line that would explain it: a
  hint, never a correction.
- A stated range ``{min, max}`` is compared end by end with the post costed at the bottom and
  the top of its grade, where the top is known; otherwise the cost must lie within it. Printed
  parts (``pay``, ``pension``, ``ni``) are each compared with the computed part, and cross-footed
  against the printed ``total``.
- ``acknowledge`` accepts a known slip by pinning both figures. While both still match it is
  reported as acknowledged; if either changes it fails, and so does one that matches nothing.
- A budget envelope fails the check when the total exceeds it; the headroom is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from postcost.basis import LineProblem
from postcost.engine import Costing, CostReport, LineCost, cost_proposal
from postcost.loader import LoadedProposal
from postcost.models import Acknowledgement, Envelope, FigureLine, LineStated, PostLine, Stated, Tolerance
from postcost.money import CENT, ZERO, format_pounds, round_money, round_pounds

AGREES, TOLERATED, ACKNOWLEDGED, DIFFERS = "agrees", "within tolerance", "acknowledged", "differs"
_PRINTED_CHECKS = ("quantity", "footing", "fte", "posts", "cross_foot")  # printed against printed: no tolerance


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    subject: str  # what the figure is: '1.4 Social Worker', 'theme 4 Departmental Reviews', 'total'
    check: str  # total | annual | financial_year | quantity | footing | envelope
    stated: Decimal
    found: Decimal  # computed, rounded to the stated unit; for footing, the printed parts added
    status: str
    note: str | None = None
    year: str | None = None
    what: str | None = None  # for footing: which printed parts ('lines', 'sub-totals')

    @property
    def difference(self) -> Decimal:
        return self.found - self.stated

    @property
    def failed(self) -> bool:
        return self.status == DIFFERS

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def label(self) -> str:
        """'1.4 Social Worker: whole-period cost' and the like."""
        what = {
            "total": "cost",
            "annual": "annual cost",
            "financial_year": f"{self.year} cost",
            "quantity": "quantity",
            "footing": f"printed {self.what or 'parts'} add up",
            "fte": "printed FTE adds up",
            "posts": "printed head count adds up",
            "minimum": "bottom of stated range",
            "maximum": "top of stated range",
            "range": "within stated range",
            "pay": "pay part",
            "pension": "pension part",
            "ni": "NI part",
            "cross_foot": "printed parts add to printed total",
            "envelope": "within budget envelope",
        }[self.check]
        return f"{self.subject}: {what}"


@dataclass(frozen=True)
class CheckResult:
    report: CostReport
    findings: tuple[Finding, ...]
    envelope: Envelope | None = None

    @property
    def ok(self) -> bool:
        return not any(f.failed for f in self.findings)

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)

    @property
    def headroom(self) -> Decimal | None:
        return None if self.envelope is None else self.envelope.amount - self.report.grand_total

    def summary(self) -> str:
        words = {AGREES: "agree", TOLERATED: "within tolerance", ACKNOWLEDGED: "acknowledged", DIFFERS: "differ"}
        counts = ", ".join(
            f"{self.count(s)} {word}" for s, word in words.items() if self.count(s) or s == DIFFERS
        )
        verdict = "OK" if self.ok else "FAILED"
        n = len(self.findings)
        if n == 0:
            return (
                f"{self.report.filename}: OK, but nothing to check: no line, theme or total states a figure "
                "(give lines 'stated:', themes 'stated_subtotal:', the proposal 'stated_total:')."
            )
        return f"{self.report.filename}: {verdict}: {n} figure{'' if n == 1 else 's'} checked: {counts}."


def check_proposal(loaded: LoadedProposal) -> CheckResult:
    """Cost a proposal and check every figure it states."""
    costing = Costing(loaded.proposal, loaded.scale, loaded.csv_rows)
    return _Checker(loaded, cost_proposal(loaded, costing), costing).run()


def printed_unit(written: Decimal, unit: Decimal) -> Decimal:
    """The precision, in pounds, of a figure as written: in pounds, £1 or a penny; in £000
    (``unit`` 1000), £1,000 for '19', £100 for '469.3', £10 for '12.25'."""
    if unit == 1:
        whole = written == written.to_integral_value() and written.as_tuple().exponent >= 0
        return Decimal(1) if whole else CENT
    return unit.scaleb(min(0, written.as_tuple().exponent))


def to_precision(value: Decimal, quantum: Decimal) -> Decimal:
    """``value`` rounded half up to a multiple of ``quantum`` (pounds, or pence below £1)."""
    if quantum == CENT:
        return round_money(value)
    return (round_pounds(value / quantum) * quantum).quantize(Decimal(1))


@dataclass
class _Scope:
    """Where a stated figure sits: what tolerance applies there and what it acknowledges."""

    subject: str
    path: tuple[object, ...]
    tolerance: Tolerance | None
    acknowledgements: list[Acknowledgement]
    used: set[int] = field(default_factory=set)


class _Checker:
    def __init__(self, loaded: LoadedProposal, report: CostReport, costing: Costing):
        self.loaded, self.report, self.costing = loaded, report, costing
        self.document = loaded.document
        self.findings: list[Finding] = []
        self.unit = costing.unit  # £1, or £1,000 for units: thousands

    def run(self) -> CheckResult:
        proposal = self.loaded.proposal
        themes = list(zip(proposal.themes, self.report.themes))
        for t, (theme_model, theme) in enumerate(themes):
            theme_tolerance = theme_model.tolerance or proposal.tolerance
            for n, line_model in self.stating(t):
                line = theme.lines[n]
                scope = _Scope(
                    f"{line.position} {line.title}",
                    ("themes", t, "lines", n),
                    line_model.tolerance or theme_tolerance,
                    list(line_model.acknowledge),
                )
                if isinstance(line_model, FigureLine):
                    self.cross_foot_years(scope, line_model, line)
                else:
                    self.check_stated(scope, line_model.stated, "stated", line.cost, line.financial_years,
                                      lambda: [(line_model, line)], sign=-1 if line.saving else 1)
                    self.check_parts(scope, line_model, line)
                if line.stated_quantity is not None and line.quantity is not None:
                    self.compare(scope, ("stated_quantity",), "quantity", line.stated_quantity, line.quantity, exact=True)
                self.unused(scope)
            scope = _Scope(f"theme {theme.position} {theme.name}", ("themes", t), theme_tolerance, list(theme_model.acknowledge))
            self.check_stated(scope, theme_model.stated_subtotal, "stated_subtotal", theme.subtotal, theme.financial_years,
                              lambda t=t, theme=theme: zip(self.models(t), theme.lines), parts=self.printed_parts(theme.lines))
            self.foot_theme(scope, theme)
            self.foot_counts(scope, theme_model, theme.lines)
            self.unused(scope)
        scope = _Scope("total", (), proposal.tolerance, list(proposal.acknowledge))
        report = self.report
        every_line = lambda: (pair for t, theme in enumerate(report.themes) for pair in zip(self.models(t), theme.lines))  # noqa: E731
        if proposal.stated_total is not None:  # (its lines' printed parts are looked for only then)
            self.check_stated(scope, proposal.stated_total, "stated_total", report.grand_total, report.financial_years,
                              every_line, parts=self.printed_parts(list(report.lines)))
        self.foot_total(scope)
        self.foot_counts(scope, proposal, report.lines)
        self.check_envelope(proposal.budget_envelope)
        self.unused(scope)
        return CheckResult(report, tuple(self.findings), proposal.budget_envelope)

    def models(self, t: int) -> list[object]:
        """Theme t's lines as the proposal gives them: its own, then each of its CSV rows' posts."""
        rows = self.loaded.csv_rows.get(t)
        own = list(self.loaded.proposal.themes[t].lines)
        return own if rows is None else own + [rows.kinds.post(kind) for kind in rows.kind_of]

    def stating(self, t: int) -> Iterable[tuple[int, object]]:
        """(index, model) of theme t's lines that may state or acknowledge a figure: every line of
        its own, and a CSV row only where it states its cost (a CSV file has no column to
        acknowledge or tolerate a figure with)."""
        own = self.loaded.proposal.themes[t].lines
        yield from enumerate(own)
        rows = self.loaded.csv_rows.get(t)
        if rows is None:
            return
        # the distinct posts (of a few hundred, say, in 100,000 rows) that state a figure: most state none
        stating = {kind for kind in set(rows.kind_of) if rows.kinds.post(kind).stated is not None}
        if stating:
            for n, kind in enumerate(rows.kind_of, len(own)):
                if kind in stating:
                    yield n, rows.kinds.post(kind)

    def annual_cost(self, pairs: Iterable[tuple[object, LineCost]]) -> Decimal:
        """The full-year cost of lines: each post for the whole financial year it starts in (at
        that year's rates); lump sums and unit costs as they are."""
        total = ZERO
        for model, line in pairs:
            if isinstance(model, PostLine):
                total += ZERO if model.funded_by else self.costing.full_year_cost(model)
            else:
                total += line.cost
        return total

    # --- comparisons -----------------------------------------------------------------------------

    def check_stated(self, scope: _Scope, stated: Stated | LineStated | None, key: str, cost: Decimal,
                     years: dict[str, Decimal], pairs: Callable[[], Iterable[tuple[object, LineCost]]],
                     sign: int = 1, parts: dict[str, list[tuple[str, Decimal]]] | None = None) -> None:
        """Compare a stated figure's parts with the computed ones; ``pairs`` gives the (model, costed
        line) pairs it covers, asked for only where an annual cost is stated. ``sign`` is -1 for a
        saving's figures (written positive); ``parts``, where every line covered is a printed
        figure, their printed figures by year ('' for the whole period), for footing hints."""
        if stated is None:
            return
        parts = parts or {}
        short = self._is_number(scope.path + (key,))
        if stated.total is not None:  # where every line is a printed figure, the cost is their footing
            self.compare(scope, (key,) if short else (key, "total"), "footing" if parts else "total", stated.total, cost,
                         sign=sign, parts=parts.get(""), what="lines" if parts else None)
        if stated.annual is not None:
            self.compare(scope, (key, "annual"), "annual", stated.annual, self.annual_cost(pairs()), sign=sign)
        for year, figure in stated.financial_years.items():
            self.compare(scope, (key, "financial_years", year), "financial_year", figure, years.get(year, ZERO),
                         year=year, sign=sign, parts=parts.get(year))

    def compare(self, scope: _Scope, key: tuple[object, ...], check: str, stated: Decimal, computed: Decimal,
                *, year: str | None = None, exact: bool = False, sign: int = 1,
                parts: list[tuple[str, Decimal]] | None = None, note: str | None = None, what: str | None = None) -> None:
        """Compare ``stated`` (as written: £000 under units: thousands, positive for a saving) with
        ``computed`` (in pounds, signed); ``exact`` compares counts or printed figures as they are."""
        if exact:
            found = computed
        else:  # the computed figure at the precision the stated one is printed to; both in pounds
            quantum = printed_unit(stated, self.unit)
            found = to_precision(computed, quantum)
            if self.unit != 1:  # £000 as printed
                stated = to_precision(stated * self.unit, quantum)
        stated = stated if sign == 1 or not stated else -stated
        status = AGREES
        ack = self.acknowledgement(scope, check, year)
        if ack is not None:
            unit = 1 if check in ("fte", "posts") else self.unit  # acknowledged as the check prints them, in the file's units
            if ack.stated * unit == stated and ack.found * unit == found:
                status, note = ACKNOWLEDGED, ack.reason
            else:
                status = DIFFERS
                show = (lambda v: f"{v:,}") if check in ("fte", "posts") else format_pounds
                note = (f"acknowledged as stated {show(ack.stated * unit)} vs {show(ack.found * unit)}, "
                        f"but now {show(stated)} vs {show(found)}: the figures changed")
        elif found != stated:
            tolerance = None if check in _PRINTED_CHECKS else scope.tolerance
            if tolerance is not None and abs(found - stated) <= tolerance.amount * self.unit:
                status, note = TOLERATED, f"within {format_pounds(tolerance.amount * self.unit)}: {tolerance.reason}"
            else:
                status = DIFFERS
                note = note or (footing_hint(found - stated, parts, money=check not in ("fte", "posts")) if parts else None)
        self.add(scope, key, check, stated, found, status, note, year, what)

    def foot_theme(self, scope: _Scope, theme) -> None:
        """A theme's printed sub-total against its lines' printed figures (not needed where every
        line is a figure: its sub-total is then checked as a cost, which is the same sum)."""
        if theme.stated is None or theme.stated.total is None:
            return
        if all(line.kind == "figure" for line in theme.lines):
            return
        parts = []  # the lines' printed figures, in pounds, signed as they count (as the engine gives them)
        for line in theme.lines:
            if line.stated is not None and line.stated.total is not None:
                parts.append((line.position, line.stated.total))
            elif not line.funded_by:  # a line the budget pays for but the report prints no figure for
                return
        self.compare(scope, ("stated_subtotal",), "footing", theme.stated.total,
                     sum((value for _, value in parts), Decimal(0)), exact=True, parts=parts, what="lines")

    def foot_total(self, scope: _Scope) -> None:
        stated = self.report.stated
        if stated is None or stated.total is None:
            return
        subtotals = [(f"theme {t.position}", t.stated.total) for t in self.report.themes
                     if t.stated is not None and t.stated.total is not None]
        if len(subtotals) == len(self.report.themes):
            self.compare(scope, ("stated_total",), "footing", stated.total,
                         sum((value for _, value in subtotals), Decimal(0)), exact=True, parts=subtotals, what="sub-totals")

    def foot_counts(self, scope: _Scope, model, lines: Iterable[LineCost]) -> None:
        """The printed FTE and head-count (sub-)totals against the lines' FTE and posts, savings
        counted negatively. Lines that print no head count add nothing to it (the note says which)."""
        if model.stated_fte is None and model.stated_posts is None:
            return
        lines = list(lines)
        if model.stated_fte is not None:
            parts = [(line.position, -line.fte if line.saving else line.fte) for line in lines if line.fte is not None]
            self.compare(scope, ("stated_fte",), "fte", model.stated_fte, sum((v for _, v in parts), Decimal(0)),
                         exact=True, parts=parts)
        if model.stated_posts is not None:
            parts = [(line.position, line.posts) for line in lines if line.posts is not None]
            silent = [line.position for line in lines if line.posts is None and line.kind in ("post", "figure")]
            shown = ", ".join(silent[:5]) + (" …" if len(silent) > 5 else "")
            note = f"{shown} print{'s' if len(silent) == 1 else ''} no head count (posts:), counted as 0" if silent else None
            self.compare(scope, ("stated_posts",), "posts", model.stated_posts, sum((v for _, v in parts), Decimal(0)),
                         exact=True, parts=parts, note=note)

    def printed_parts(self, lines: list[LineCost]) -> dict[str, list[tuple[str, Decimal]]] | None:
        """Where every line is a printed figure: their printed figures in pounds, signed, for the
        whole period ('') and by financial year, for footing hints."""
        if not lines or any(line.kind != "figure" for line in lines):
            return None
        found: dict[str, list[tuple[str, Decimal]]] = {"": [(line.position, line.cost) for line in lines]}
        for line in lines:
            for year, value in line.financial_years.items():
                found.setdefault(year, []).append((line.position, value))
        return found

    def pounds(self, written: Decimal, line: LineCost) -> Decimal:
        """A line's figure as written (£000 or pounds, positive) in pounds, signed as the line counts."""
        value = written * self.unit
        return ZERO - value if line.saving else value

    def cross_foot_years(self, scope: _Scope, model, line: LineCost) -> None:
        """A figure printed both for the whole period and by financial year: do the years add to it?"""
        stated = line.stated  # in pounds, signed
        if stated is None or stated.total is None or not stated.financial_years or model.stated.total is None:
            return
        parts = list(stated.financial_years.items())
        self.compare(scope, ("stated", "total"), "cross_foot", stated.total,
                     sum((value for _, value in parts), Decimal(0)), exact=True, parts=parts)

    def check_parts(self, scope: _Scope, model, line: LineCost) -> None:
        """A post's stated range, and its printed parts (pay, pension, NI) with their cross-foot."""
        stated = model.stated
        if not isinstance(stated, LineStated):
            return
        sign = -1 if line.saving else 1
        if stated.min is not None and stated.max is not None:
            self.check_range(scope, model, line, stated.min, stated.max, sign)
        parts = stated.components
        if parts and line.kind == "post":
            computed = self.components(line)
            for name, written in parts.items():
                self.compare(scope, ("stated", name), name, written, computed.get(name, ZERO), sign=sign)
        if parts and stated.total is not None:
            printed = [(name, self.pounds(value, line)) for name, value in parts.items()]
            self.compare(scope, ("stated", "total"), "cross_foot", self.pounds(stated.total, line),
                         sum((value for _, value in printed), Decimal(0)), exact=True, parts=printed)

    def check_range(self, scope: _Scope, model, line: LineCost, low: Decimal, high: Decimal, sign: int) -> None:
        top_cost = self.cost_at_top(model)
        if top_cost is not None:
            self.compare(scope, ("stated", "min"), "minimum", low, line.cost, sign=sign)
            self.compare(scope, ("stated", "max"), "maximum", high, top_cost, sign=sign)
            return
        bottom, top = sorted((ZERO - low * self.unit, ZERO - high * self.unit) if sign < 0 else (low * self.unit, high * self.unit))
        found = to_precision(line.cost, printed_unit(low, self.unit))
        within = bottom <= found <= top
        note = (f"the stated range is {format_pounds(bottom)} to {format_pounds(top)}; the grade's top point is "
                "not known (or the post names its point), so the cost is checked to lie within it")
        status = AGREES if within else DIFFERS
        self.add(scope, ("stated", "min"), "range", bottom if found < bottom else top if found > top else found,
                 found, status, note, None)

    def cost_at_top(self, model) -> Decimal | None:
        """A post on a grade with a known top point, costed at that point; else None."""
        scale = self.costing.scale
        if not isinstance(model, PostLine) or model.grade is None or model.point is not None or scale is None:
            return None
        grade = scale.authority.grades.get(model.grade)
        if grade is None or grade.top is None:
            return None
        try:
            return self.costing.figures_of(model.model_copy(update={"point": grade.top})).cost
        except LineProblem:
            return None

    def components(self, line: LineCost) -> dict[str, Decimal]:
        """A post's pay, employer pension and NI over its months, × FTE, signed (not rounded)."""
        fte = line.fte or ZERO
        pay = ni = pension = ZERO
        for month in line.months:
            pay += month.pay
            ni += month.ni
            pension += sum((c.amount for c in month.on_costs if "pension" in c.name.lower()), ZERO)
        sign = -1 if line.saving else 1
        return {name: value * fte * sign for name, value in (("pay", pay), ("ni", ni), ("pension", pension))}

    def check_envelope(self, envelope: Envelope | None) -> None:
        if envelope is None:
            return
        total = self.report.grand_total
        over = total > envelope.amount
        note = (f"over {envelope.name} by {format_pounds(total - envelope.amount)}" if over
                else f"headroom {format_pounds(envelope.amount - total)} within {envelope.name}")
        self.findings.append(Finding(self.document.filename, self.document.line_of(("budget_envelope",)),
                                     "total", "envelope", envelope.amount, total, DIFFERS if over else AGREES, note))

    # --- bookkeeping -----------------------------------------------------------------------------

    def acknowledgement(self, scope: _Scope, check: str, year: str | None) -> Acknowledgement | None:
        for i, ack in enumerate(scope.acknowledgements):
            if ack.check == check and ack.year == year and i not in scope.used:
                scope.used.add(i)
                return ack
        return None

    def unused(self, scope: _Scope) -> None:
        for i, ack in enumerate(scope.acknowledgements):
            if i not in scope.used:
                self.add(scope, ("acknowledge", i), ack.check, ack.stated, ack.found, DIFFERS,
                         f"this acknowledgement matches no stated figure of {scope.subject}; remove it", ack.year)

    def add(self, scope: _Scope, key, check, stated, found, status, note, year, what=None) -> None:
        file, line = self.loaded.locate(scope.path + tuple(key))
        self.findings.append(Finding(file, line, scope.subject, check, stated, found, status, note, year, what))

    def _is_number(self, path: tuple[object, ...]) -> bool:
        """Whether the stated figure at ``path`` was written as a bare number (its line is the key's)."""
        node = self.document.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return True  # a line from a CSV file: its row is the place
        return not isinstance(node, dict)


# --- footing hints -------------------------------------------------------------------------------


def footing_hint(difference: Decimal, parts: list[tuple[str, Decimal]], money: bool = True) -> str | None:
    """A likely cause of a footing difference (the parts' sum − the printed total), naming the
    part that would explain it, or None. A hint for the reader, never a correction."""
    if not difference or not parts:
        return None
    show = (lambda v: format_pounds(abs(v))) if money else (lambda v: f"{abs(v):,}")
    for name, value in parts:
        if value and difference == value:
            return f"hint: the difference is {name}'s figure ({show(value)}): the printed total may leave it out"
        if value and difference == -value:
            return f"hint: the difference is {name}'s figure ({show(value)}): the printed total may count it twice"
    for name, value in parts:
        if value and difference * 10 == value * 9:
            return (f"hint: {name} printed {show(value)} is ten times a figure that would foot "
                    f"({show(value / 10)}): a digit added?")
        if value and difference == -9 * value:
            return (f"hint: {name} printed {show(value)} is a tenth of a figure that would foot "
                    f"({show(value * 10)}): a digit dropped?")
    for name, value in parts:
        for swapped in _transpositions(value):
            if value - swapped == difference:
                return (f"hint: {name} printed {show(value)} would foot as {show(swapped)}: "
                        "two digits transposed?")
    step = min((abs(v).as_tuple().exponent for _, v in parts), default=0)
    units = difference.scaleb(-step) if step < 0 else difference
    if units == units.to_integral_value() and units % 9 == 0:
        return "hint: the difference divides by 9, the mark of two digits transposed somewhere"
    return None


def _transpositions(value: Decimal) -> list[Decimal]:
    """``value`` with each pair of neighbouring (different) digits swapped, signed as it is."""
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))  # whole pounds: 1500, not 1500.00
    sign, digits, exponent = value.as_tuple()
    found = []
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = list(digits)
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
            found.append(Decimal((sign, tuple(swapped), exponent)))
    return found
