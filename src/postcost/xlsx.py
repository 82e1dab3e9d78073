"""A CostReport as an Excel workbook whose formulas compute exactly what postcost computes.

Sheet "Months": one row for each month of each cost key (a pay point, or a salary a post
states) that some post runs through, the months of a key in order: the annual salary, employer
NI rate and threshold and the sum of the on-cost rates (the inputs, as decimals), then, as
formulas, one full-time post's annual cost X in whole units and that month's share (X ÷ 12) as
whole pence and a remainder.

Sheet "Costing": one row per line with its inputs (FTE, unit amount, quantity), its cost to the
budget (and, where it is funded from elsewhere, its gross cost), its financial-year parts,
postcost's own figure beside it, then the working (c for each year, G); a sub-total per theme,
the total, and the footer's notes.

Exactness. A spreadsheet computes in binary floating point, where 0.1505 or £24,491.57 is not
exact and ROUND(x, 2) of a figure near a half penny can land either side. So no formula here
rounds a fraction: every input is first made a whole number of its smallest unit
(ROUND(salary × 100, 0) pence, ROUND(rate × 10,000, 0) ten-thousandths, ...), and from there every
figure is a whole number below 10^14, which binary holds exactly and which every spreadsheet adds,
multiplies and divides with INT exactly (LibreOffice and Excel first round a quotient to 15
significant figures; below 10^14 that cannot move it past a whole number). A line's exact cost is
kept as whole pence plus a fraction of a penny c ÷ (S × D): D = 12 × the salary and rate units ×
the days in its part months (the engine's K-ths of a year, reduced), S = 10^(decimals of FTE).
The one rounding, half up, is INT((2c + S×D) ÷ (2×S×D)): exact. A line that runs over several
financial years has each year's part rounded the same way, and the pennies the line's own
rounding leaves (G) go to the parts with the largest residues, earlier years first on a tie,
as postcost's split_to_penny places them. Sub-totals add whole pence (SUMPRODUCT(ROUND(× 100))).
The writer works each figure out the same way in Python and compares it with postcost's: a line
where they differ, or whose whole numbers would pass 10^14, is flagged in its "Check" cell.

XlsxWriter in constant_memory mode writes each row as it goes (rows are not held), and escapes
control characters in text; every text cell is written as a string, never read as a formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from postcost.basis import STATED_COST
from postcost.engine import CostReport, LineCost
from postcost.errors import PostcostError, Problem
from postcost.method import Rates
from postcost.money import format_rate
from postcost.report import describe_period, footer_lines
from postcost.scales import pay_year_of, point_name

LIMIT = 10**14  # every whole number a formula makes stays below this: see the module's docstring
CREATED = datetime(2000, 1, 1)  # the workbook's created date: fixed, so the same input gives the same bytes
MONEY = "#,##0.00"
ASSUMED_MONEY = '#,##0.00"*"'


def decimals(value: Decimal) -> int:
    """The decimal places ``value`` needs: 0.1505 -> 4, 24491 -> 0, 2.50 -> 1."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def col(n: int) -> str:
    """Column letters of 0-based column ``n``."""
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


@dataclass
class Units:
    """The workbook's whole-number units: salaries and thresholds in 1/P pounds, rates in 1/R,
    FTE in 1/S. A full-time month costs X ÷ 12 in 1/(P×R) pounds, so M = 12 × P × R ÷ 100 is a
    month's denominator in pence."""

    P: int
    R: int
    S: int

    @property
    def M(self) -> int:
        return 12 * self.P * self.R // 100


@dataclass
class MonthRow:
    row: int  # 1-based row on the Months sheet
    x: int  # X, one full-time post's annual cost, in 1/(P×R) pounds


@dataclass
class Part:
    """One financial year of a post's months, one full-time post: Q whole pence and R ÷ D."""

    year: str
    q_formula: str
    r_formula: str
    q: int
    r: int
    largest: int  # the largest whole number its formulas make


class _Months:
    """The Months sheet: the month rows of each cost key, and each post's parts built from them."""

    def __init__(self, report: CostReport):
        # each cost key's months: label -> first day of the month -> that month's rates (shared by
        # every post on that point or salary in that month)
        self.keys: dict[str, dict[date, Rates]] = {}
        ftes: list[Decimal] = []
        for theme in report.themes:
            for figures, _ in theme.tally:
                if figures.kind != "post":
                    continue
                if figures.hours is None and figures.annual_cost is None:  # those multiply their months otherwise
                    ftes.append(figures.fte)
                for rates, (month, _, _) in zip(figures.basis.rates, figures.basis.month_days):
                    self.keys.setdefault(_key(rates), {})[month] = rates
        rates = [r for months in self.keys.values() for r in months.values()]
        salary_places = max([2, *(decimals(r.annual_salary) for r in rates), *(decimals(r.ni_threshold) for r in rates)])
        rate_places = max([0, *(decimals(r.ni_rate) for r in rates), *(decimals(rate) for r in rates for _, rate in r.on_costs)])
        self.units = Units(10**salary_places, 10**rate_places, 10 ** max([0, *map(decimals, ftes)]))
        self.rows: dict[tuple[str, date], MonthRow] = {}
        self.parts: dict[int, tuple[int, list[Part]]] = {}  # id(basis) -> (D, parts)

    def write(self, book, sheet, formats) -> None:
        u = self.units
        head = ["Cost key", "Month", "Financial year", "Annual salary £", "Employer NI rate", "NI threshold £ a year",
                "On-cost rates (sum)", "On-costs", "Assumed", f"X: annual cost, 1/{u.P * u.R:,} £",
                "Whole pence a month", f"Remainder (÷ {u.M:,})", "1 FTE a month £"]
        for c, text in enumerate(head):
            sheet.write_string(0, c, text, formats["bold"])
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 8, 12)
        sheet.set_column(9, 12, 16)
        r = 1
        for label, months in self.keys.items():
            for month in sorted(months):
                rate = months[month]
                x = self._x(rate)
                n = r + 1
                self.rows[(label, month)] = MonthRow(n, x)
                on_costs = sum((value for _, value in rate.on_costs), Decimal(0))
                sheet.write_string(r, 0, label)
                sheet.write_string(r, 1, f"{month:%Y-%m}")
                sheet.write_string(r, 2, pay_year_of(month))
                sheet.write_number(r, 3, float(rate.annual_salary), formats["money"])
                sheet.write_number(r, 4, float(rate.ni_rate), formats["rate"])
                sheet.write_number(r, 5, float(rate.ni_threshold), formats["money"])
                sheet.write_number(r, 6, float(on_costs), formats["rate"])
                named = ", ".join(f"{name} {format_rate(value)}" for name, value in rate.on_costs)
                if named:
                    sheet.write_string(r, 7, named)
                if rate.assumed:
                    sheet.write_string(r, 8, "*")
                sheet.write_formula(
                    r, 9,
                    f"=ROUND(D{n}*{u.P},0)*({u.R}+ROUND(G{n}*{u.R},0))"
                    f"+ROUND(E{n}*{u.R},0)*MAX(0,ROUND(D{n}*{u.P},0)-ROUND(F{n}*{u.P},0))",
                    None, x,
                )
                sheet.write_formula(r, 10, f"=INT(J{n}/{u.M})", None, x // u.M)
                sheet.write_formula(r, 11, f"=J{n}-{u.M}*K{n}", None, x % u.M)
                sheet.write_formula(r, 12, f"=(K{n}+L{n}/{u.M})/100", formats["money"], float(Decimal(x) / u.M / 100))
                r += 1

    def _x(self, rate: Rates) -> int:
        """X for one month, in whole units, as the sheet's formula computes it."""
        u = self.units
        salary, threshold = int(rate.annual_salary * u.P), int(rate.ni_threshold * u.P)
        rates = int(sum((value for _, value in rate.on_costs), Decimal(0)) * u.R)
        return salary * (u.R + rates) + int(rate.ni_rate * u.R) * max(0, salary - threshold)

    def post_parts(self, figures) -> tuple[int, list[Part]]:
        """A post's denominator D and its financial-year parts for one full-time post (the same
        for every post on the same months, whatever its FTE)."""
        basis = figures.basis
        found = self.parts.get(id(basis))
        if found is not None:
            return found
        u = self.units
        months = [(self.rows[(_key(rates), month)], days, dim)
                  for rates, (month, days, dim) in zip(basis.rates, basis.month_days)]
        years = [pay_year_of(month) for month, _, _ in basis.month_days]
        # part months (only the first and the last can be) are costed on their own, over the lcm of their lengths
        lcm = math.lcm(1, *(dim for _, days, dim in months if days != dim))
        d = u.M * lcm
        parts = []
        for year in dict.fromkeys(years):
            q_terms, r_terms, q, r, largest = [], [], 0, 0, 0
            whole = [row for (row, days, dim), y in zip(months, years) if y == year and days == dim]
            for run in _runs(whole):  # months on consecutive rows of the Months sheet: one range each
                q_terms.append(f"SUM(Months!K{run[0].row}:K{run[-1].row})")
                r_terms.append(f"SUM(Months!L{run[0].row}:L{run[-1].row})")
                q += sum(m.x // u.M for m in run)
                r += sum(m.x % u.M for m in run)
            r_formula = "+".join(r_terms)
            if lcm != 1 and r_terms:
                r_formula = f"{lcm}*({r_formula})"
            r *= lcm
            for (row, days, dim), y in zip(months, years):
                if y != year or days == dim:
                    continue
                whole_of, rest = divmod(row.x * days, u.M * dim)
                product = f"Months!J{row.row}*{days}"
                q_terms.append(f"INT({product}/{u.M * dim})")
                edge = f"{lcm // dim}*({product}-{u.M * dim}*INT({product}/{u.M * dim}))"
                r_formula = f"{r_formula}+{edge}" if r_formula else edge
                q += whole_of
                r += lcm // dim * rest
                largest = max(largest, row.x * days)
            parts.append(Part(year, "+".join(q_terms), r_formula, q, r, max(largest, r, q)))
        found = self.parts[id(basis)] = (d, parts)
        return found


def _key(rates: Rates) -> str:
    """The Months sheet's name for the cost key of a month: its pay point, the salary a post
    states, or the annual cost a post states (its X has no on-costs: they are in the cost)."""
    if rates.rule is STATED_COST:
        return f"annual cost £{rates.annual_salary:,}"
    return point_name(rates.salary.point) if rates.salary is not None else f"salary £{rates.annual_salary:,}"


def _runs(rows: list[MonthRow]) -> list[list[MonthRow]]:
    """``rows`` cut where the next is not the row below."""
    runs: list[list[MonthRow]] = []
    for row in rows:
        if runs and runs[-1][-1].row + 1 == row.row:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _negated(formula: str) -> str:
    """A formula ('=…') giving the negative of what ``formula`` gives."""
    return f"=-({formula[1:]})"


def _round_half(c: int, sd: int) -> int:
    """c ÷ sd rounded half up, as INT((2c + sd) ÷ (2 sd)) computes it."""
    return (2 * c + sd) // (2 * sd)


@dataclass
class _Columns:
    years: list[str]
    in_hours: bool = False  # some post is given in hours: its hours and full-time hours get columns, last

    def __post_init__(self):
        n = len(self.years)
        self.fte, self.unit, self.quantity = 3, 5, 6
        self.gross, self.cost = 7, 8
        self.year0 = 9
        self.assumed = self.year0 + n
        self.postcost = self.assumed + 1
        self.funded = self.postcost + 1
        self.check = self.funded + 1
        self.c0 = self.check + 1
        self.g = self.c0 + n
        self.hours, self.full_time_hours = self.g + 1, self.g + 2

    def head(self) -> list[str]:
        return [
            "#", "Line", "Grade", "FTE", "Period", "Unit amount", "Quantity", "Gross £ (if funded)", "Cost £",
            *(f"{y} £" for y in self.years), "Assumed", "postcost £", "Funded by", "Check",
            *(f"{y}: c" for y in self.years), "G", *(["Hours", "Full-time hours"] if self.in_hours else []),
        ]


# The functions this workbook's formulas use: none is one that XlsxWriter would have to write
# with a prefix (the dynamic-array functions of Excel 365, FILTER, LAMBDA, ...).
FUNCTIONS = ("ROUND", "INT", "SUM", "SUMPRODUCT", "IF", "MAX", "SIGN", "ABS")


def _sheet_class():
    from xlsxwriter.worksheet import Worksheet

    class Sheet(Worksheet):
        """XlsxWriter's worksheet, without its search of every formula for Excel 365's
        dynamic-array functions to prefix: 29 regular expressions over each formula's text, over
        half the time of writing a 10,000-post workbook, for functions these formulas never use
        (FUNCTIONS; tests/test_xlsx.py holds every formula to them)."""

        def _prepare_formula(self, formula, expand_future_functions=False):
            return formula[1:] if formula.startswith("=") else formula

        # XlsxWriter escapes every cell's text, attributes and control characters with regular
        # expressions, about a quarter of the time a workbook takes; most of what it escapes
        # needs nothing. These give the same text (tests/test_xlsx.py holds them to XlsxWriter's
        # own), passing over what cannot need escaping without a search.
        def _escape_attributes(self, attribute):
            if type(attribute) is int or (type(attribute) is str and attribute.isalnum()):
                return attribute  # a style number, a cell reference ('B12')
            return super()._escape_attributes(attribute)

        def _escape_data(self, data):
            if type(data) is str and data.isalnum():
                return data
            return super()._escape_data(data)

        def _escape_control_characters(self, data):
            if type(data) is str and data.isprintable() and "_x" not in data:
                return data  # no control character, and no text that reads as Excel's escape of one
            return super()._escape_control_characters(data)

    return Sheet


def write_workbook(report: CostReport, path: Path) -> None:
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    try:
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        book.set_properties({"created": CREATED, "title": report.proposal.title})
        _write(book, report)
        book.close()
    except (OSError, FileCreateError) as exc:
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        reason = getattr(cause, "strerror", None) or cause
        raise PostcostError([Problem(str(path), None, f"cannot be written: {reason}")]) from None


def _write(book, report: CostReport) -> None:
    formats = {
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": MONEY}),
        "assumed": book.add_format({"num_format": ASSUMED_MONEY}),
        "bold_money": book.add_format({"bold": True, "num_format": MONEY}),
        "rate": book.add_format({"num_format": "0.00##%"}),
        "working": book.add_format({"font_color": "#808080"}),
    }
    sheet_class = _sheet_class()
    sheet = book.add_worksheet("Costing", sheet_class)
    months_sheet = book.add_worksheet("Months", sheet_class)
    months = _Months(report)
    months.write(book, months_sheet, formats)
    u = months.units
    cols = _Columns(list(report.financial_years), any(f.hours is not None for t in report.themes for f, _ in t.tally))
    p = report.proposal
    sheet.write_string(0, 0, p.title, formats["bold"])
    if p.authority:
        sheet.write_string(1, 0, p.authority)
    for c, text in enumerate(cols.head()):
        sheet.write_string(2, c, text, formats["bold"])
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, cols.funded, 12)
    sheet.set_column(cols.check, cols.g, 14, formats["working"])
    sheet.freeze_panes(3, 2)
    writer = _Lines(sheet, cols, u, months, formats)
    r = 3
    subtotal_rows = []
    flagged = 0
    for theme in report.themes:
        sheet.write_string(r, 0, theme.position)
        sheet.write_string(r, 1, theme.name, formats["bold"])
        r += 1
        first = r
        for line in theme.lines:
            flagged += writer.line(r, line)
            r += 1
        last = r - 1
        sheet.write_string(r, 1, f"Sub-total: {theme.name}", formats["bold"])
        for c, value in ((cols.cost, theme.subtotal), *((cols.year0 + i, theme.financial_years.get(y)) for i, y in enumerate(cols.years))):
            ref = f"{col(c)}{first + 1}:{col(c)}{last + 1}"
            formula = f"=SUMPRODUCT(ROUND({ref}*100,0))/100" if last >= first else "=0"
            sheet.write_formula(r, c, formula, formats["bold_money"], float(value or 0))
        sheet.write_number(r, cols.postcost, float(theme.subtotal), formats["bold_money"])
        subtotal_rows.append(r + 1)
        r += 1
    sheet.write_string(r, 1, "TOTAL", formats["bold"])
    for c, value in ((cols.cost, report.grand_total), *((cols.year0 + i, report.financial_years[y]) for i, y in enumerate(cols.years))):
        cells = [f"{col(c)}{n}" for n in subtotal_rows]
        # SUM takes at most 255 arguments: add the sub-totals in groups
        sums = "+".join(f"SUM({','.join(cells[i:i + 200])})" for i in range(0, len(cells), 200)) or "0"
        sheet.write_formula(r, c, f"=ROUND({sums},2)", formats["bold_money"], float(value))
    sheet.write_number(r, cols.postcost, float(report.grand_total), formats["bold_money"])
    r += 2
    notes = footer_lines(report) + [
        "Workbook: each formula computes postcost's figure to the penny. Inputs (salaries, NI rates and thresholds, "
        "on-cost rates, FTE, unit amounts) are decimals in cells; formulas first make each a whole number of its "
        f"smallest unit (salaries in 1/{u.P} £, rates in 1/{u.R}, FTE in 1/{u.S}) and work in whole numbers from there.",
        "Months sheet: X, one full-time post's annual cost = salary × (1 + on-cost rates) + NI rate × (salary − "
        "threshold), not below 0; a whole month is X ÷ 12, kept as whole pence and a remainder.",
        "A post: FTE × its months (part months × days covered ÷ days in the month), kept as whole pence plus c ÷ "
        "(S × D) of a penny, rounded once, half up: INT((2c + S×D) ÷ (2×S×D)). Several financial years: each part "
        "rounded so, the pennies G of the line's own rounding to the parts with the largest residues (earlier years "
        "first on a tie). A line funded from elsewhere costs 0; its Gross £ is what it would cost.",
        "The postcost £ column is postcost's own figure (exact decimal arithmetic); Check is blank where the "
        "formula's figure is known to equal it.",
    ]
    if flagged:
        notes.append(f"{flagged} line(s) are flagged in the Check column: their formula may differ from postcost's figure.")
    for text in notes:
        sheet.write_string(r, 1, text)
        r += 1


class _Lines:
    """Writes lines. What a line's cells hold apart from its position and title depends only on
    its :class:`Figures` (posts alike share one), so each distinct post's cells are worked out
    once, as formulas with ``{n}`` for the row, and each line fills in its row."""

    def __init__(self, sheet, cols: _Columns, units: Units, months: _Months, formats):
        self.sheet, self.cols, self.u, self.months, self.formats = sheet, cols, units, months, formats
        self.done: dict[int, tuple[list[tuple[int, str, object, object]], str | None]] = {}
        self.forms: dict[tuple[int, bool], tuple[list[str], str, str, dict[str, str]]] = {}

    def line(self, r: int, line: LineCost) -> int:
        """Write ``line`` at 0-based row ``r``; 1 if its Check cell is flagged, else 0."""
        sheet = self.sheet
        found = self.done.get(id(line.figures))
        if found is None:
            found = self.done[id(line.figures)] = self.cells(line)
        cells, problem = found
        n = str(r + 1)
        sheet.write_string(r, 0, line.position)
        sheet.write_string(r, 1, line.title)
        for c, kind, content, form in cells:
            if kind == "text":
                sheet.write_string(r, c, content, form)
            elif kind == "number":
                sheet.write_number(r, c, content, form)
            else:
                formula, value = content
                sheet.write_formula(r, c, formula.replace("{n}", n), form, value)
        return 1 if problem else 0

    def cells(self, line: LineCost) -> tuple[list[tuple[int, str, object, object]], str | None]:
        """A line's cells after its position and title, as (column, kind, content, format)."""
        cols = self.cols
        money = self.formats["assumed"] if line.assumed else self.formats["money"]
        cells: list[tuple[int, str, object, object]] = []
        grade = " ".join(filter(None, [line.grade, f"({point_name(line.point)})" if line.grade and line.point else
                                       point_name(line.point) if line.point else None]))
        if line.kind == "post" and not grade and line.annual_salaries:
            grade = f"£{line.annual_salaries[0]:,} a year"
        if grade:
            cells.append((2, "text", grade, None))
        if line.kind == "post" and line.hours is not None:  # its FTE is hours ÷ full-time hours, shown
            cells += [(cols.hours, "number", float(line.hours), None),
                      (cols.full_time_hours, "number", float(line.full_time_hours), None),
                      (cols.fte, "formula", (f"={col(cols.hours)}{{n}}/{col(cols.full_time_hours)}{{n}}", float(line.fte)), None)]
        elif line.kind == "post":
            cells.append((cols.fte, "number", float(line.fte), None))
        if line.kind == "post":
            cells.append((4, "text", describe_period(line), None))
            gross, parts, problem = self.post(line, cells)
        else:
            gross, parts, problem = self.lump(line, cells)
        cost = col(cols.cost) + "{n}"
        if line.funded_by:
            cells.append((cols.gross, "formula", (gross, float(line.gross)), self.formats["money"]))
            cells.append((cols.cost, "formula", (f"=0*{col(cols.gross)}{{n}}", 0.0), money))
        else:
            cells.append((cols.cost, "formula", (gross, float(line.cost)), money))
        for i, year in enumerate(cols.years):
            if year in line.financial_years:
                cells.append((cols.year0 + i, "formula", (parts.get(year, f"={cost}"), float(line.financial_years[year])), money))
        if line.assumed:
            cells.append((cols.assumed, "text", "*", None))
        cells.append((cols.postcost, "number", float(line.cost), money))
        if line.funded_by:
            cells.append((cols.funded, "text", line.funded_by, None))
        if problem:
            cells.append((cols.check, "text", problem, None))
        return sorted(cells, key=lambda cell: cell[0]), problem

    def lump(self, line: LineCost, cells: list) -> tuple[str, dict[str, str], str | None]:
        """An amount's or a unit cost's formula: its pence, rounded once, half up."""
        cols = self.cols
        unit, quantity = col(cols.unit) + "{n}", col(cols.quantity) + "{n}"
        if line.kind == "unit_cost":
            pu, pq = decimals(line.unit_amount), decimals(line.quantity)
            cells += [(cols.unit, "number", float(line.unit_amount), None), (cols.quantity, "number", float(line.quantity), None)]
            whole = f"ROUND({unit}*{10**pu},0)*ROUND({quantity}*{10**pq},0)"
            value, places = int(line.unit_amount * 10**pu) * int(line.quantity * 10**pq), pu + pq
        else:
            places = decimals(line.exact)
            cells.append((cols.unit, "number", float(line.exact), None))
            whole = f"ROUND({unit}*{10**places},0)"
            value = int(line.exact * 10**places)
        if places <= 2:
            formula, pence = f"={whole}*{10 ** (2 - places)}/100", value * 10 ** (2 - places)
        else:
            step = 10 ** (places - 2)
            formula = f"=SIGN({whole})*INT((2*ABS({whole})+{step})/{2 * step})/100"
            pence = (1 if value >= 0 else -1) * ((2 * abs(value) + step) // (2 * step))
        problem = None
        if abs(value) * 2 >= LIMIT:
            problem = "whole numbers too large for exact spreadsheet arithmetic"
        elif Decimal(pence) / 100 != line.gross:
            problem = f"the formula gives {Decimal(pence) / 100}; postcost {line.gross}"
        parts = {}
        if line.per_month is not None and len(line.financial_years) > 1 and not line.funded_by:  # its years' parts
            parts, found = self.per_month_parts(line, places)
            if problem is None and found != line.financial_years:
                problem = "the formulas' financial-year parts differ from postcost's"
        if line.kind == "figure" and len(line.financial_years) > 1:  # printed by year: each year as printed, in pence
            parts = {year: f"={int(value * 100)}/100" for year, value in line.financial_years.items()}
        return formula, parts, problem

    def per_month_parts(self, line: LineCost, places: int) -> tuple[dict[str, str], dict[str, Decimal]]:
        """A per-month unit cost's financial-year parts: unit amount × per month × the year's
        months, in whole units, as pence (exact, where they need at most two decimal places).
        With more, each part would need rounding and the pennies placing: the parts are written
        as postcost's figures, and the Check cell says they are not the formulas'."""
        months: dict[str, int] = {}
        month = line.start.replace(day=1)
        while month <= line.end:
            months[pay_year_of(month)] = months.get(pay_year_of(month), 0) + 1
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        pu, pm = decimals(line.unit_amount), decimals(line.per_month)
        if pu + pm > 2:
            return {year: f"={value}" for year, value in line.financial_years.items()}, {}
        unit, per_month = col(self.cols.unit) + "{n}", int(line.per_month * 10**pm)
        scale = 10 ** (2 - pu - pm)
        forms = {year: f"=ROUND({unit}*{10**pu},0)*{per_month}*{n}*{scale}/100" for year, n in months.items()}
        found = {year: Decimal(int(line.unit_amount * 10**pu) * per_month * n * scale) / 100 for year, n in months.items()}
        return forms, found

    def post(self, line: LineCost, cells: list) -> tuple[str, dict[str, str], str | None]:
        """A post's gross formula and its financial-year parts' formulas, with their working
        cells, checked by working the same figures out here in whole numbers.

        For each year: FTE units F × (Q + R ÷ D) ÷ S pence, one full-time post's whole pence Q
        and remainder R from the Months sheet, is qa = INT(F×Q ÷ S) whole pence and c ÷ (S×D)
        of a penny, c = (F×Q − S×qa) × D + F×R (working cell "c"); the part rounded half up is
        qa + INT((2c + S×D) ÷ (2×S×D)), leaving a residue T = c − that carry × S×D."""
        cols = self.cols
        f_form, s_form, f, s = self.multiplier(line)
        d, parts = self.months.post_parts(line.figures)
        sd = s * d
        funded = line.funded_by is not None
        key = (id(line.basis), funded, f_form, s_form)
        forms = self.forms.get(key)
        if forms is None:
            forms = self.forms[key] = self.post_formulas(parts, d, funded, f_form, s_form, s)
        c_forms, gross, g_form, part_forms = forms
        first = cols.years.index(parts[0].year)
        qas, cs, ts, largest = [], [], [], 0
        for i, part in enumerate(parts):
            qa = f * part.q // s
            c = (f * part.q - s * qa) * d + f * part.r
            qas.append(qa)
            cs.append(c)
            ts.append(c - _round_half(c, sd) * sd)
            largest = max(largest, part.largest, f * part.q, f * part.r, 2 * c + sd)
            cells.append((cols.c0 + first + i, "formula", (c_forms[i], c), None))
        gross_pence = sum(qas) + _round_half(sum(cs), sd)
        largest = max(largest, 2 * sum(cs) + sd)
        expected = {parts[0].year: line.cost}
        if len(parts) > 1:
            g = _round_half(sum(ts), sd)
            largest = max(largest, 2 * abs(sum(ts)) + sd)
            cells.append((cols.g, "formula", (g_form, g), None))
            expected = _split(qas, cs, ts, g, sd, [p.year for p in parts], funded)
        if line.saving:  # a deleted post: the same figures, counted negatively
            gross, part_forms = _negated(gross), {year: _negated(form) for year, form in part_forms.items()}
            gross_pence, expected = -gross_pence, {year: -value for year, value in expected.items()}
        problem = None
        if largest >= LIMIT:
            problem = "whole numbers too large for exact spreadsheet arithmetic"
        elif Decimal(gross_pence) / 100 != line.gross:
            problem = f"the formula gives {Decimal(gross_pence) / 100}; postcost {line.gross}"
        elif expected != line.financial_years:
            problem = "the formulas' financial-year parts differ from postcost's"
        return gross, part_forms, problem

    def multiplier(self, line: LineCost) -> tuple[str, str, int, int]:
        """What a post's months are multiplied by, F ÷ S in whole numbers: the formulas of F and
        of S, and their values. FTE in 1/S (S the workbook's); for a post given in hours, its
        hours ÷ its full-time hours, both read from their cells in 1/10^k (k: the decimals they
        need); for a post at a stated annual cost, 1 ÷ 1 (the cost is for all its FTE)."""
        if line.annual_cost is not None:
            return "1", "1", 1, 1
        if line.hours is not None:
            k = 10 ** max(decimals(line.hours), decimals(line.full_time_hours))
            hours, full_time = (f"ROUND({col(c)}{{n}}*{k},0)" if k != 1 else f"ROUND({col(c)}{{n}},0)"
                                for c in (self.cols.hours, self.cols.full_time_hours))
            return hours, full_time, int(line.hours * k), int(line.full_time_hours * k)
        s = self.u.S
        fte = f"ROUND({col(self.cols.fte)}{{n}}*{s},0)" if s != 1 else f"ROUND({col(self.cols.fte)}{{n}},0)"
        return fte, str(s), int(line.fte * s), s

    def post_formulas(self, parts: list[Part], d: int, funded: bool, fte: str, s: str,
                      s_value: int) -> tuple[list[str], str, str, dict[str, str]]:
        """The formulas of a post's working cells c, its gross, its G and its parts: the same
        for every FTE of a post on the same months (F, the FTE, and S are formulas ``fte`` and
        ``s``, read from the row's cells or written as numbers; see :meth:`multiplier`)."""
        cols = self.cols
        # S × D and 2 × S × D: numbers where S is a number, else formulas
        sd, two_sd = (str(s_value * d), str(2 * s_value * d)) if s.isdigit() else (f"({s}*{d})", f"(2*{s}*{d})")
        first = cols.years.index(parts[0].year)
        c_cells = [f"{col(cols.c0 + first + i)}{{n}}" for i in range(len(parts))]
        g_cell = f"{col(cols.g)}{{n}}"
        qa_of = [f"INT({fte}*({part.q_formula})/{s})" for part in parts]
        up_of = [f"INT((2*{c}+{sd})/{two_sd})" for c in c_cells]
        t_of = [f"({c}-{up}*{sd})" for c, up in zip(c_cells, up_of)]
        c_forms = [f"=({fte}*({part.q_formula})-{s}*{qa})*{d}+{fte}*({part.r_formula or 0})"
                   for part, qa in zip(parts, qa_of)]
        if len(parts) == 1:
            return c_forms, f"=({qa_of[0]}+{up_of[0]})/100", "", {}
        gross = f"=({'+'.join(qa_of)}+INT((2*SUM({c_cells[0]}:{c_cells[-1]})+{sd})/{two_sd}))/100"
        g_form = f"=INT((2*({'+'.join(t_of)})+{sd})/{two_sd})"
        part_forms = {}
        for i, part in enumerate(parts):
            above = [f"({t_of[j]}{'>=' if j < i else '>'}{t_of[i]})" for j in range(len(parts)) if j != i]
            below = [f"({t_of[j]}{'<=' if j < i else '<'}{t_of[i]})" for j in range(len(parts)) if j != i]
            adjust = f"IF({g_cell}>0,IF(1+{'+'.join(above)}<={g_cell},1,0),IF(1+{'+'.join(below)}<=-{g_cell},-1,0))"
            pence = f"({qa_of[i]}+{up_of[i]}+{adjust})/100"
            part_forms[part.year] = f"=0*{pence}" if funded else f"={pence}"
        return c_forms, gross, g_form, part_forms


def _split(qas: list[int], cs: list[int], ts: list[int], g: int, sd: int, years: list[str], funded: bool) -> dict[str, Decimal]:
    """The financial-year parts the sheet's formulas give, worked out here as they do."""
    found = {}
    for i, year in enumerate(years):
        above = 1 + sum(ts[j] >= ts[i] if j < i else ts[j] > ts[i] for j in range(len(ts)) if j != i)
        below = 1 + sum(ts[j] <= ts[i] if j < i else ts[j] < ts[i] for j in range(len(ts)) if j != i)
        adjust = (1 if above <= g else 0) if g > 0 else (-1 if below <= -g else 0)
        pence = 0 if funded else qas[i] + _round_half(cs[i], sd) + adjust
        found[year] = Decimal(pence) / 100
    return found
