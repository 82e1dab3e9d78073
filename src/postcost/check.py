"""Checking the figures a report states: computed against stated, and the printed table's footing.

Rules (never inferred):

- A stated figure must equal the computed one rounded to the stated figure's unit: whole pounds
  for a whole-pound figure, pence for a figure with pence. ``tolerance`` (with a reason) on a line,
  a theme or the whole file widens that; the nearest one applies.
- Footing compares printed figures with printed figures (lines with their sub-total, sub-totals
  with the total), exactly as printed; no tolerance applies.
- ``acknowledge`` accepts a known slip by pinning both figures. While both still match it is
  reported as acknowledged; if either changes it fails, and so does one that matches nothing.
- A budget envelope fails the check when the total exceeds it; the headroom is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from postcost.engine import Costing, CostReport, LineCost, cost_proposal
from postcost.loader import LoadedProposal
from postcost.models import Acknowledgement, Envelope, PostLine, Stated, Tolerance
from postcost.money import ZERO, format_pounds, round_money, round_pounds

AGREES, TOLERATED, ACKNOWLEDGED, DIFFERS = "agrees", "within tolerance", "acknowledged", "differs"


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
            "footing": "printed parts add up",
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


def to_unit(value: Decimal, stated: Decimal) -> Decimal:
    """``value`` rounded to the unit ``stated`` is written in: pounds, or pence."""
    whole_pounds = stated == stated.to_integral_value() and stated.as_tuple().exponent >= 0
    return round_pounds(value) if whole_pounds else round_money(value)


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
                self.check_stated(scope, line.stated, "stated", line.cost, line.financial_years, lambda: [(line_model, line)])
                if line.stated_quantity is not None and line.quantity is not None:
                    self.compare(scope, ("stated_quantity",), "quantity", line.stated_quantity, line.quantity, exact=True)
                self.unused(scope)
            scope = _Scope(f"theme {theme.position} {theme.name}", ("themes", t), theme_tolerance, list(theme_model.acknowledge))
            self.check_stated(scope, theme.stated, "stated_subtotal", theme.subtotal, theme.financial_years,
                              lambda t=t, theme=theme: zip(self.models(t), theme.lines))
            self.foot_theme(scope, theme)
            self.unused(scope)
        scope = _Scope("total", (), proposal.tolerance, list(proposal.acknowledge))
        report = self.report
        every_line = lambda: (pair for t, theme in enumerate(report.themes) for pair in zip(self.models(t), theme.lines))  # noqa: E731
        self.check_stated(scope, report.stated, "stated_total", report.grand_total, report.financial_years, every_line)
        self.foot_total(scope)
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
        if rows is not None:
            for n, kind in enumerate(rows.kind_of, len(own)):
                post = rows.kinds.post(kind)
                if post.stated is not None:
                    yield n, post

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

    def check_stated(self, scope: _Scope, stated: Stated | None, key: str, cost: Decimal,
                     years: dict[str, Decimal], pairs: Callable[[], Iterable[tuple[object, LineCost]]]) -> None:
        """Compare a stated figure's parts with the computed ones; ``pairs`` gives the (model, costed
        line) pairs it covers, asked for only where an annual cost is stated."""
        if stated is None:
            return
        short = self._is_number(scope.path + (key,))
        if stated.total is not None:
            self.compare(scope, (key,) if short else (key, "total"), "total", stated.total, cost)
        if stated.annual is not None:
            self.compare(scope, (key, "annual"), "annual", stated.annual, self.annual_cost(pairs()))
        for year, figure in stated.financial_years.items():
            self.compare(scope, (key, "financial_years", year), "financial_year", figure, years.get(year, ZERO), year=year)

    def compare(self, scope: _Scope, key: tuple[object, ...], check: str, stated: Decimal, computed: Decimal,
                *, year: str | None = None, exact: bool = False) -> None:
        found = computed if exact else to_unit(computed, stated)
        status, note = AGREES, None
        ack = self.acknowledgement(scope, check, year)
        if ack is not None:
            if ack.stated == stated and ack.found == found:
                status, note = ACKNOWLEDGED, ack.reason
            else:
                status = DIFFERS
                note = (f"acknowledged as stated {format_pounds(ack.stated)} vs {format_pounds(ack.found)}, "
                        f"but now {format_pounds(stated)} vs {format_pounds(found)}: the figures changed")
        elif found != stated:
            tolerance = None if check in ("quantity", "footing") else scope.tolerance
            if tolerance is not None and abs(found - stated) <= tolerance.amount:
                status, note = TOLERATED, f"within {format_pounds(tolerance.amount)}: {tolerance.reason}"
            else:
                status = DIFFERS
        self.add(scope, key, check, stated, found, status, note, year)

    def foot_theme(self, scope: _Scope, theme) -> None:
        if theme.stated is None or theme.stated.total is None:
            return
        parts = []
        for line in theme.lines:
            if line.stated is not None and line.stated.total is not None:
                parts.append(line.stated.total)
            elif not line.funded_by:  # a line the budget pays for but the report prints no figure for
                return
        self.compare(scope, ("stated_subtotal",), "footing", theme.stated.total, sum(parts, Decimal(0)), exact=True)

    def foot_total(self, scope: _Scope) -> None:
        stated = self.report.stated
        if stated is None or stated.total is None:
            return
        subtotals = [t.stated.total for t in self.report.themes if t.stated is not None and t.stated.total is not None]
        if len(subtotals) == len(self.report.themes):
            self.compare(scope, ("stated_total",), "footing", stated.total, sum(subtotals, Decimal(0)), exact=True)

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

    def add(self, scope: _Scope, key, check, stated, found, status, note, year) -> None:
        file, line = self.loaded.locate(scope.path + tuple(key))
        self.findings.append(Finding(file, line, scope.subject, check, stated, found, status, note, year))

    def _is_number(self, path: tuple[object, ...]) -> bool:
        """Whether the stated figure at ``path`` was written as a bare number (its line is the key's)."""
        node = self.document.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return True  # a line from a CSV file: its row is the place
        return not isinstance(node, dict)
