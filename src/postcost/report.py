"""A CostReport rendered for people (a rich table) and for tools (JSON).

Money in JSON is a decimal string to the penny. Tables show whole pounds, as reports do; when the
whole-pound lines do not add to the whole-pound total, the footer says so. rich is imported only
when a table is drawn, so JSON output starts quickly.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TypeVar

from postcost.engine import CostReport, Figures, LineCost, PostBasis, ThemeCost
from postcost.models import Stated
from postcost.money import (
    ROUNDING_POLICY,
    ZERO,
    format_months,
    round_money,
    format_pounds,
    format_rate,
    format_thousands,
    round_pounds,
)
from postcost.scales import pay_year_of, point_name
from postcost.text import printable

T = TypeVar("T")


def describe_period(line: LineCost) -> str:
    if line.kind != "post" or line.start is None or line.end is None:
        return ""
    if line.full_year:
        return f"{pay_year_of(line.start)} (full)"
    start = f"{line.start:%b %y}" if line.start.day == 1 else f"{line.start:%-d %b %y}"
    whole_end = line.end.day == calendar.monthrange(line.end.year, line.end.month)[1]
    end = f"{line.end:%b %y}" if whole_end else f"{line.end:%-d %b %y}"
    return f"{start}–{end}"


def shown_years(report: CostReport) -> list[str]:
    """The financial years a table shows as columns: none when the proposal falls in one."""
    return list(report.financial_years) if len(report.financial_years) > 1 else []


def money_format(report: CostReport) -> Callable[..., str]:
    """How a table shows money: whole pounds, or £000 to one decimal under units: thousands."""
    return format_thousands if report.proposal.units == "thousands" else format_pounds


def cost_heading(report: CostReport) -> str:
    return "Cost £000" if report.proposal.units == "thousands" else "Cost £"


def year_cells(parts: dict[str, Decimal], years: list[str], money: Callable[..., str] = format_pounds) -> list[str]:
    return [money(parts[y], symbol=False) if y in parts else "" for y in years]


def funded_note(line: LineCost) -> str | None:
    """The note a line's title carries: its funder, or that it is a saving or a deleted post."""
    if line.funded_by:
        return f"(funded by {line.funded_by}; gross {format_pounds(line.gross)})"
    if line.saving:
        return "(deleted post)" if line.kind == "post" else "(saving)"
    return None


def fte_cell(line: LineCost) -> str:
    """The FTE as written; for a post given in hours, to four places with its hours: '0.8108 (30/37 h)'."""
    if line.fte is None:
        return ""
    if line.hours is not None:
        return f"{line.fte:f} ({line.hours.normalize():f}/{line.full_time_hours.normalize():f} h)"  # type: ignore[union-attr]
    return f"{line.fte.normalize():f}"


def salary_per_fte(f: Figures) -> Decimal:
    """A post at a stated annual cost: that cost ÷ its FTE, to the penny (display only)."""
    if f.hours is not None:  # ÷ (hours ÷ full-time hours), exactly
        return round_money(f.annual_cost * f.full_time_hours / f.hours)  # type: ignore[operator]
    return round_money(f.annual_cost / f.fte)  # type: ignore[operator]


def cost_cell(line: LineCost, money: Callable[..., str] = format_pounds) -> str:
    """Whole pounds (or £000); '—' for an externally funded line, blank for a figure that prints
    no money (its FTE or head count only); '*' where it rests on an assumption."""
    if line.kind == "figure" and line.stated is None:
        return ""
    cost = "—" if line.funded_by else money(line.cost, symbol=False)
    return cost + "*" if line.assumed else cost


def describe_basis(line: LineCost) -> str:
    """Grade and point, or the unit sum, as a table's 'Grade' column shows it."""
    if line.kind == "post":
        if line.grade:
            return f"{line.grade} ({point_name(line.point)})" if line.point_explicit else line.grade
        if line.point:
            return point_name(line.point)
        if line.annual_cost is not None:
            return f"{format_pounds(line.annual_cost)} a year in all"
        return f"{format_pounds(line.annual_salaries[0])} a year" if line.annual_salaries else ""
    if line.kind == "unit_cost":
        if line.per_month is not None:
            months = line.month_count.normalize()
            return f"{format_pounds(line.unit_amount)} × {line.per_month.normalize():f} a month × {months:f}"
        return f"{format_pounds(line.unit_amount)} × {line.quantity.normalize():f}"  # type: ignore[union-attr]
    if line.kind == "figure":
        return "as printed"
    return "sum a year" if line.recurring else "lump sum"


def line_cells(line: LineCost, years: list[str], money: Callable[..., str] = format_pounds) -> tuple[str | None, list[str]]:
    """A line's funding note (for its title), and its cells as the table and markdown show them
    after its position and title: grade, FTE, period, each of ``years``, cost."""
    return funded_note(line), [describe_basis(line), fte_cell(line), describe_period(line),
                               *year_cells(line.financial_years, years, money), cost_cell(line, money)]


def per_figures(cells: Callable[[LineCost], T]) -> Callable[[LineCost], T]:
    """``cells(line)``, worked out once for each distinct :class:`Figures` and stated figure.
    ``cells`` must read nothing else of a line (not its position, title or team). Lines alike
    share these objects, so a 100,000-post establishment is formatted a distinct post at a time."""
    done: dict[int | tuple[int, int], T] = {}  # the report holds every figures and stated: ids stay theirs

    def cached(line: LineCost) -> T:
        # most lines state no figure: their figures' id alone, which no (figures, stated) pair equals
        key = id(line.figures) if line.stated is None else (id(line.figures), id(line.stated))
        found = done.get(key)
        if found is None:
            found = done[key] = cells(line)
        return found

    return cached


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value}"


def line_json(line: LineCost) -> dict[str, Any]:
    return {**words_json(line), **figures_json(line.figures), **stated_json(line)}


def words_json(line: LineCost) -> dict[str, Any]:
    """The part of a line's JSON that is its own: where it is and what it is called."""
    return {"position": line.position, "kind": line.figures.kind, "title": line.title, "team": line.team}


def figures_json(figures: Figures) -> dict[str, Any]:
    """The part of a line's JSON that its :class:`Figures` decide (shared by identical posts):
    what it costs, then what it is costed on."""
    return {**cost_json(figures), **basis_json(figures)}


def cost_json(f: Figures) -> dict[str, Any]:
    """What a line costs; for a post, its FTE, the part resting on assumptions and its full-year effect."""
    data: dict[str, Any] = {
        "cost": str(f.cost),
        "gross_cost": str(f.gross),
        "funded_by": f.funded_by,
        "financial_years": {y: str(v) for y, v in f.financial_years.items()},
    }
    if f.saving:
        data["saving"] = True
    if f.posts is not None:
        data["posts"] = f"{f.posts.normalize():f}"
    if f.kind == "figure" and f.fte is not None:
        data["fte"] = str(f.fte)
    if f.kind == "post":
        data["fte"] = str(f.fte)
        if f.hours is not None:  # fte is hours ÷ full_time_hours to four places; these are exact
            data["hours"] = f"{f.hours:f}"
            data["full_time_hours"] = f"{f.full_time_hours:f}"
        if f.annual_cost is not None:
            data["annual_cost"] = str(f.annual_cost)
            data["salary_per_fte"] = str(salary_per_fte(f))
        data["assumed"] = f.assumed
        data["assumed_amount"] = str(f.assumed_amount)
        if f.full_year_effect is not None:
            data["full_year_effect"] = str(f.full_year_effect)
    return data


def basis_json(f: Figures) -> dict[str, Any]:
    """A post's grade, point, salaries and period (the same for every FTE); a lump's unit sum."""
    if f.kind == "figure":
        return {}
    if f.kind == "post":
        return post_basis_json(f.basis)
    data = {
        "unit_amount": _money(f.unit_amount),
        "quantity": None if f.quantity is None else f"{f.quantity.normalize():f}",
        "quantity_rule": f.quantity_rule,
    }
    if f.per_month is not None:
        data |= {"per_month": f"{f.per_month.normalize():f}", "start": f.basis.start.isoformat(),
                 "end": f.basis.end.isoformat(), "months": format_months(f.basis.month_count)}
    if f.recurring:
        data["recurring"] = True
    return data


def post_basis_json(basis: PostBasis) -> dict[str, Any]:
    """A post's grade, point, salaries and period: the same for every FTE (and every Figures with it)."""
    return {
        "grade": basis.grade,
        "point": basis.point,
        "annual_salaries": [str(salary) for salary in basis.annual_salaries],
        "start": basis.start.isoformat(),
        "end": basis.end.isoformat(),
        "months": format_months(basis.month_count),
        "full_year": basis.full_year,
        "increments": basis.increments,
        "points": list(basis.points),
    }


def stated_json(line: LineCost) -> dict[str, Any]:
    if line.stated is None or line.stated.total is None:
        return {}
    return _stated_members(line.stated, line.figures)


def _stated_members(stated: Stated, f: Figures) -> dict[str, Any]:
    return {"stated": str(stated.total), "residual": str(f.cost - stated.total)}


def theme_json(theme: ThemeCost, with_lines: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "position": theme.position,
        "name": theme.name,
        "subtotal": _money(theme.subtotal),
        "financial_years": {y: _money(v) for y, v in theme.financial_years.items()},
    }
    if theme.stated is not None and theme.stated.total is not None:
        data["stated_subtotal"] = _money(theme.stated.total)
    if with_lines:  # last, as write_json streams them
        data["lines"] = [line_json(line) for line in theme.lines]
    return data


def report_json(report: CostReport, with_themes: bool = True) -> dict[str, Any]:
    p = report.proposal
    scale = report.scale
    data: dict[str, Any] = {
        "title": p.title,
        "authority": p.authority,
        "meeting": p.meeting,
        "date": p.date,
        "source": p.source,
        "file": report.filename,
        "pay_scale": scale.name if scale else None,
        "pay_year": p.pay_year,
        "period": {"start": p.period.start, "end": p.period.end} if p.period else None,
        "on_costs": scale.describe_on_costs(report.rules_used) if scale else None,
        "employer_ni": describe_ni(report),
        "rounding": ROUNDING_POLICY,
        "grand_total": _money(report.grand_total),
        "financial_years": {y: _money(v) for y, v in report.financial_years.items()},
        "assumed_total": _money(report.assumed_total),
        "assumptions": report.assumptions,
        "inferred": report.inferred,
        "full_year_effect": _money(report.full_year_effect),
        **({"recurring_a_year": _money(report.recurring_a_year), "one_off": _money(report.one_off)}
           if report.recurring_a_year is not None else {}),
        "funding": [f.model_dump(mode="json") for f in p.funding],
        "notes": list(report.notes),
    }
    if report.stated is not None and report.stated.total is not None:
        data["stated_total"] = _money(report.stated.total)
    if with_themes:
        data["themes"] = [theme_json(theme) for theme in report.themes]
        data["notes"] = data.pop("notes")  # last, after the themes, as write_json streams it
    return data


def write_json(report: CostReport, handle: IO[str]) -> None:
    """:func:`report_json` as one compact line (pipe to jq to read), written theme by theme so a
    large proposal is never held twice in memory. The members a line's figures and stated figure
    decide are encoded once for all the lines that share them, and a post's basis (grade, point,
    period) once for all the posts on it, whatever their FTEs."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    top = report_json(report, with_themes=False)
    notes = top.pop("notes")

    def members_of(data: dict[str, Any]) -> str:
        """An object's members, encoded: '"cost":"1.00","fte":"1"' ('' for none)."""
        return encode(data)[1:-1] if data else ""

    posts_basis: dict[int, str] = {}  # id(a post's basis) -> its members: posts alike but for their FTEs share it

    def basis_members(f: Figures) -> str:
        if f.kind != "post":
            return members_of(basis_json(f))
        found = posts_basis.get(id(f.basis))
        if found is None:
            found = posts_basis[id(f.basis)] = members_of(post_basis_json(f.basis))
        return found

    @per_figures
    def members(line: LineCost) -> str:
        """',"cost":...}': the line's members after its words (figures_json's, then stated_json's),
        encoded; their keys are distinct, so each part is encoded on its own."""
        parts = (members_of(cost_json(line.figures)), basis_members(line.figures), members_of(stated_json(line)))
        return "".join(["," + part for part in parts if part]) + "}"

    handle.write(encode(top)[:-1] + ',"themes":[')
    for i, theme in enumerate(report.themes):
        head = theme_json(theme, with_lines=False)
        handle.write(("," if i else "") + encode(head)[:-1] + ',"lines":[')
        # each line_json(line), encoded: its words_json (four strings, encoded here directly: the
        # encoder takes several times as long a line), then its members. A position ('2.10') and
        # a kind ('post') are postcost's own words, with nothing to escape; a title and a team are
        # the proposal's
        handle.write(",".join([
            f'{{"position":"{line.position}","kind":"{line.figures.kind}","title":{_string(line.title)},'
            f'"team":{"null" if line.team is None else _string(line.team)}' + members(line)
            for line in theme.lines
        ]))
        handle.write("]}")
    handle.write('],"notes":' + encode(notes) + "}\n")


_string = json.encoder.encode_basestring  # a str as json.dumps(..., ensure_ascii=False) writes it


def describe_ni(report: CostReport) -> str:
    return "; ".join(
        f"{p.tax_year} {format_rate(p.rate)} above {format_pounds(p.secondary_threshold)} a year"
        + (f" (pay days {p.start:%-d %b %Y}–{p.end:%-d %b %Y})" if p.start.month != 4 or p.end.month != 4 else "")
        for p in report.ni_periods_used
    )


def footer_lines(report: CostReport) -> list[str]:
    p, scale = report.proposal, report.scale
    pay = (
        f"salaries from pay year {p.pay_year} for every month (stated in the proposal)"
        if p.pay_year
        else "salaries from the pay year in force each month"
    )
    if scale is None and any(line.kind == "post" for line in report.lines):
        where = "Pay scale: none (every post states its annual cost)."
    elif scale is None:
        where = "Pay scale: none (the proposal has no posts)."
    elif not scale.authority.grades:
        where = "Salaries: as stated for each post."
    else:
        where = f"Pay scale: {scale.name} ({scale.authority.authority}); {pay}."
    lines = [
        where,
        *([f"On-costs: {scale.describe_on_costs(report.rules_used)}."] if scale and report.rules_used else []),
        *([f"Employer NI: {describe_ni(report)}."] if report.ni_periods_used else []),
        *report.notes,
        f"Rounding: {ROUNDING_POLICY}; shown in "
        + ("£000 to one decimal place (£100), as the proposal states its sums (units: thousands)."
           if p.units == "thousands" else "whole pounds."),
    ]
    for fund in p.funding:
        amount = f" ({format_pounds(fund.amount)})" if fund.amount is not None else ""
        lines.append(f"Funded from: {fund.name}{amount}" + (f" — {fund.note}" if fund.note else "."))
    if report.assumptions:
        lines.append(
            f"Assumptions: {format_pounds(report.assumed_total)} of the total comes from months (in lines marked *) "
            "that rest on:"
        )
        lines += [f"  - {text}" for text in report.assumptions]
    if report.inferred:
        lines.append("Inferred figures (confidence L) used:")
        lines += [f"  - {text}" for text in report.inferred]
    if report.full_year_effect:
        lines.append(f"Full-year effect of permanent posts: {format_pounds(report.full_year_effect)}.")
    if report.recurring_a_year is not None:
        lines.append(
            f"Recurring a year: {format_pounds(report.recurring_a_year)} (recurring sums, and permanent posts' "
            f"full-year effect); one-off: {format_pounds(report.one_off)} (every other line)."  # type: ignore[arg-type]
        )
    if p.units == "thousands":
        hundreds = Decimal(100)
        shown = sum((round_pounds(f.cost / hundreds) * hundreds * n for theme in report.themes for f, n in theme.tally), ZERO)
        if shown != round_pounds(report.grand_total / hundreds) * hundreds:
            lines.append(
                f"Reconciliation: the lines as shown add to {format_thousands(shown)} (£000); the total "
                f"{format_pounds(report.grand_total)} adds the lines to the penny."
            )
        return lines
    shown = sum((round_pounds(f.cost) * n for theme in report.themes for f, n in theme.tally), ZERO)
    if shown != round_pounds(report.grand_total):
        lines.append(
            f"Reconciliation: the whole-pound lines add to {format_pounds(shown)}; the total "
            f"{format_pounds(report.grand_total)} adds the lines to the penny."
        )
    return lines


def render_table(report: CostReport, file: IO[str] | None = None, width: int | None = None) -> None:
    """Print the report as a table of themes, lines, sub-totals and the grand total, fitted to the
    screen (:mod:`postcost.table`): titles wrap; where the financial-year columns do not fit they
    are left out, and a footnote says so; the Cost column always shows.

    No cell is read as markup: a title such as "Officer [temp]" prints as written; and no cell,
    heading or note prints a control character (:func:`postcost.text.printable`)."""
    from rich.console import Console
    from rich.text import Text

    from postcost.table import Column, Table, draw, print_note

    def bold(text: str) -> Text:
        return Text(text, style="bold")

    console = Console(file=file, width=width, highlight=False)
    p = report.proposal
    heading = (p.title + (f" — {p.authority}" if p.authority else ""),)
    if p.meeting or p.date:
        heading += (", ".join(x for x in (p.meeting, p.date) if x),)
    years = shown_years(report)
    table = Table(
        [
            Column("#", justify="right"),
            Column("Line", wrap=True, min_width=16),
            Column("Grade", wrap=True, max_width=14),
            Column("FTE", justify="right"),
            Column("Period"),
            *(Column(year, justify="right", optional=True) for year in years),
            Column(cost_heading(report), justify="right", min_width=10),
        ],
        title=heading,
    )
    money = money_format(report)
    figure_cells = per_figures(lambda line: line_cells(line, years, money))
    for theme in report.themes:
        table.add_row(theme.position, bold(theme.name))
        for line in theme.lines:
            note, cells = figure_cells(line)
            title = Text.assemble(line.title, (" " + note, "dim")) if note else line.title
            table.add_row(line.position, title, *cells)
        table.add_row(
            "", f"Sub-total: {theme.name}", "", "", "", *year_cells(theme.financial_years, years, money),
            bold(money(theme.subtotal, symbol=False)),
            end_section=True,
        )
    table.add_row("", bold("TOTAL"), "", "", "", *year_cells(report.financial_years, years, money),
                  bold(money(report.grand_total)))
    drawn = draw(console, table)
    footers = footer_lines(report)
    if drawn.left_out:
        footers.insert(0, f"Financial years ({', '.join(drawn.left_out)}) are left out to fit {console.width} columns; "
                          f"{drawn.full_width} columns show them (COLUMNS={drawn.full_width}), as do --format csv, "
                          "json, markdown and xlsx.")
    for text in footers:
        print_note(console, text, style="dim")


# --- check results -------------------------------------------------------------------------------


def finding_json(finding) -> dict[str, Any]:
    return {
        "location": finding.location,
        "file": finding.file,
        "line": finding.line,
        "subject": finding.subject,
        "check": finding.check,
        "year": finding.year,
        "stated": _money(finding.stated),
        "computed": _money(finding.found),
        "difference": _money(finding.difference),
        "status": finding.status,
        "note": finding.note,
    }


def check_json(result) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file": result.report.filename,
        "ok": result.ok,
        "summary": result.summary(),
        "grand_total": _money(result.report.grand_total),
        "findings": [finding_json(f) for f in result.findings],
    }
    if result.envelope is not None:
        data["budget_envelope"] = {
            "name": result.envelope.name,
            "amount": _money(result.envelope.amount),
            "headroom": _money(result.headroom),
        }
    return data


def _github_escape(text: str) -> str:
    """A workflow command's message, made printable (a line break is a space; no control
    character is left), then escaped as GitHub's toolkit escapes one, so that nothing in it can
    end the command's line and begin another."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command's property value (a file name): escaped as a message is, and ',' and
    ':' too, which would otherwise end the value and begin another property or the message."""
    return _github_escape(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result) -> str:
    """GitHub Actions workflow commands: an error for each disagreement, a notice for each slip
    accepted. The summary line is made printable."""
    out = []
    for f in result.findings:
        if f.status not in ("differs", "acknowledged"):
            continue
        level = "error" if f.failed else "notice"
        where = f"file={_github_property(f.file)}" + (f",line={f.line}" if f.line else "")
        if f.check == "footing":
            message = f"{f.subject}: printed {_figure(f.stated)}; its printed parts add to {_figure(f.found)}"
        else:
            message = f"{f.label}: stated {_figure(f.stated)}, computed {_figure(f.found)}"
        if f.note:
            message += f" ({f.note})"
        out.append(f"::{level} {where},title=postcost check::{_github_escape(message)}")
    out.append(printable(result.summary()))
    return "\n".join(out) + "\n"


def render_github_problems(problems) -> str:
    """Bad input as GitHub Actions error annotations at the file and line of each problem (the
    message and its hint), so that a workflow shows them where they are, as it does findings."""
    out = []
    for problem in problems:
        where = ",".join(
            part for part in (
                f"file={_github_property(problem.file)}" if problem.file else "",
                f"line={problem.line}" if problem.file and problem.line else "",
            ) if part
        )
        message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
        out.append(f"::error {where + ',' if where else ''}title=postcost: bad input::{_github_escape(message)}")
    return "".join(line + "\n" for line in out)


def problem_json(problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "message": problem.message, "hint": problem.hint}


COUNTS = ("fte", "posts", "quantity")  # checks of counts, not money


def _figure(value: Decimal, thousands: bool = False) -> str:
    """A finding's figure as printed: pounds, or £000 (141,077 for £141,077,000; 469.3)."""
    if thousands:
        value = value / 1000
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"{value:,}"


def render_check_table(result, file: IO[str] | None = None, show_all: bool = False, width: int | None = None) -> None:
    """The findings as a table (all of them, or all but those that simply agree) and a summary
    line, laid out as :func:`render_table`'s."""
    from rich.console import Console

    from postcost.table import Column, Table, draw, print_note

    console = Console(file=file, width=width, highlight=False)
    shown = [f for f in result.findings if show_all or f.status != "agrees"]
    thousands = result.report.proposal.units == "thousands"
    if shown:
        # FILE:LINE where the terminal has room for it; otherwise the file heads the table
        full = console.width >= max(len(f.location) for f in shown) + 80
        table = Table(
            [
                Column("Where", wrap=True),
                Column("Figure", wrap=True, min_width=16),
                Column("Stated", justify="right", min_width=9),
                Column("Computed", justify="right", min_width=9),
                Column("Diff", justify="right"),
                Column("Status", wrap=True, min_width=12),  # 'acknowledged'; 'within tolerance' may wrap
            ],
            title=() if full else (result.report.filename,),
        )
        notes: dict[str, int] = {}
        for f in shown:
            status = f.status.upper() if f.failed else f.status
            if f.note:
                status += f" [{notes.setdefault(f.note, len(notes) + 1)}]"
            same_file = f.file == result.report.filename
            if full:
                where = f.location
            elif same_file:
                where = f"line {f.line}" if f.line else ""
            else:  # a line from a CSV file: its name and row
                where = f"{Path(f.file).name}:{f.line}"
            unit = thousands and f.check not in COUNTS
            table.add_row(where, f.label, _figure(f.stated, unit), _figure(f.found, unit),
                          "+" * (f.difference >= 0) + _figure(f.difference, unit), status,
                          style="bold red" if f.failed else None)
        draw(console, table)
        if thousands:
            print_note(console, "Money in £000, as the proposal states it (units: thousands).")
        for note, number in notes.items():
            print_note(console, f"[{number}] {note}")
    if result.envelope is not None:
        head = result.headroom
        verb = "headroom" if head >= 0 else "OVER BY"
        print_note(
            console,
            f"Budget envelope: {result.envelope.name} {format_pounds(result.envelope.amount)}; "
            f"total {format_pounds(result.report.grand_total)}; {verb} {format_pounds(abs(head))}.",
        )
    print_note(console, result.summary(), style="bold red" if not result.ok else None)


# --- markdown and CSV ----------------------------------------------------------------------------


def _md(text: str) -> str:
    """A markdown table cell's text: printable (a line break is a space, which keeps the row on
    one line; no control character is left) and its pipes escaped."""
    if text.isprintable() and "|" not in text:  # most cells: nothing to change
        return text
    return printable(text).replace("|", "\\|")


def render_markdown(report: CostReport, handle: IO[str]) -> None:
    """A table ready to paste into a report: themes, lines, sub-totals and the total, whole pounds.
    Written theme by theme, so that a large proposal's text is never held whole in memory."""
    p = report.proposal
    years = shown_years(report)
    money = money_format(report)
    head = ["#", "Line", "Grade", "FTE", "Period", *years, cost_heading(report)]
    out = [f"**{_md(p.title)}** — {_md(p.authority)}", ""]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join("---:" if h in ("#", "FTE", head[-1], *years) else "---" for h in head) + "|")

    def row(cells: list[str]) -> None:
        out.append("| " + " | ".join(cells) + " |")

    def flush() -> None:
        handle.write("\n".join(out) + "\n")
        out.clear()

    def bold(cells: list[str]) -> list[str]:
        return [f"**{c}**" if c else c for c in cells]

    @per_figures
    def figure_cells(line: LineCost) -> tuple[str | None, str]:
        """The line's funding note, and its cells after its title as a row's text: the same for every line alike."""
        note, cells = line_cells(line, years, money)
        return note, " | ".join([_md(cell) for cell in cells])

    for theme in report.themes:
        row([theme.position, f"**{_md(theme.name)}**", "", "", "", *[""] * len(years), ""])
        for line in theme.lines:
            note, cells = figure_cells(line)
            out.append(f"| {line.position} | {_md(f'{line.title} {note}' if note else line.title)} | {cells} |")  # as row() writes it
        row(["", f"Sub-total: {_md(theme.name)}", "", "", "", *bold(year_cells(theme.financial_years, years, money)),
             f"**{money(theme.subtotal, symbol=False)}**"])
        flush()
    row(["", "**TOTAL**", "", "", "", *bold(year_cells(report.financial_years, years, money)),
         f"**{money(report.grand_total)}**"])
    out.append("")
    out += [f"  - {_md(text[4:])}" if text.startswith("  - ") else f"- {_md(text)}" for text in footer_lines(report)]
    flush()


CSV_COLUMNS = [
    "row", "theme_position", "theme", "position", "kind", "title", "team", "grade", "point", "fte",
    "start", "end", "months", "unit_amount", "quantity", "funded_by", "gross_cost", "cost", "cost_pounds", "stated",
]
# the columns of words, some of them a proposal's: each is written as text (as_sheet_text); the
# others are numbers, dates and positions postcost writes, never prefixed
CSV_TEXT_COLUMNS = ["theme", "kind", "title", "team", "grade", "point", "funded_by"]
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")  # how a cell a spreadsheet runs as a formula may begin


def as_sheet_text(cell: str) -> str:
    """A text cell a spreadsheet reads as text, never as a formula: one beginning with a
    character in FORMULA_LEADS is prefixed with an apostrophe (OWASP's rule against CSV
    injection), so that '=HYPERLINK(...)' shows as written."""
    return "'" + cell if cell.startswith(FORMULA_LEADS) else cell


def render_csv(report: CostReport, handle: IO[str]) -> None:
    """One row per line (with its theme), then a row per sub-total and the total: plain numbers in £
    (``cost`` to the penny, ``cost_pounds`` in whole pounds as the table shows it).

    The file begins with a byte-order mark, so that Excel on Windows reads it as UTF-8 ('£', 'é'
    and '–' as written). Text columns are :func:`as_sheet_text`; rows are :func:`csv_row`."""
    years = list(report.financial_years)
    # posts given in hours: their hours and full-time hours, after the years (fte is to four places)
    in_hours = any(f.hours is not None for theme in report.themes for f, _ in theme.tally)
    handle.write("\ufeff")
    handle.write(csv_row(CSV_COLUMNS + years + (["hours", "full_time_hours"] if in_hours else [])))
    text_at = [CSV_COLUMNS.index(name) for name in CSV_TEXT_COLUMNS]

    def text(cells: list[Any], first: int = 0) -> str:
        """``cells``, the row's from column ``first`` on, as CSV text (no line end)."""
        for i in text_at:
            if 0 <= i - first < len(cells):
                cells[i - first] = as_sheet_text(cells[i - first])
        return csv_row(cells)[:-1]

    def write(cells: list[Any]) -> None:
        handle.write(text(cells) + "\n")

    grade_at = CSV_COLUMNS.index("grade")

    @per_figures
    def figure_cells(line: LineCost) -> str:
        """The cells from grade on, as CSV text: the same for every line alike."""
        stated = line.stated.total if line.stated is not None and line.stated.total is not None else None
        return text([
            line.grade or "", line.point or "", _plain(line.fte),
            line.start.isoformat() if line.start else "", line.end.isoformat() if line.end else "",
            format_months(line.month_count) if line.kind == "post" else "", _plain(line.unit_amount),
            _plain(line.quantity), line.funded_by or "", str(line.gross), str(line.cost), str(round_pounds(line.cost)),
            _plain(stated), *[str(line.financial_years.get(y, "")) for y in years],
            *([_plain(line.hours), _plain(line.full_time_hours)] if in_hours else []),
        ], grade_at)

    teams = _TextCells()  # each distinct team as its cell: a long list repeats them
    for theme in report.themes:
        theme_cells = text(["line", theme.position, theme.name])  # the same on each of the theme's rows
        # a position ('1.10') and a kind ('post') are never quoted or prefixed
        handle.write("".join([
            f"{theme_cells},{line.position},{line.figures.kind},{_text_cell(line.title)},{teams[line.team or '']},{figure_cells(line)}\n"
            for line in theme.lines
        ]))
        write(
            ["subtotal", theme.position, theme.name, "", "", f"Sub-total: {theme.name}", *[""] * 10, "",
             theme.subtotal, round_pounds(theme.subtotal), _plain(theme.stated.total if theme.stated else None),
             *[theme.financial_years.get(y, "") for y in years]]
        )
    write(
        ["total", "", "", "", "", "TOTAL", *[""] * 10, "", report.grand_total, round_pounds(report.grand_total),
         _plain(report.stated.total if report.stated else None), *[report.financial_years.get(y, "") for y in years]]
    )
    if report.recurring_a_year is not None:  # what recurs a year and the one-off rest, beside the total
        for row, title, value in (("recurring_a_year", "Recurring a year", report.recurring_a_year),
                                  ("one_off", "One-off", report.one_off)):
            write([row, "", "", "", "", title, *[""] * 10, "", value, round_pounds(value)])


_CSV_QUOTED = re.compile('[,"\r\n]')


def csv_row(cells: Iterable[object]) -> str:
    """A CSV row as RFC 4180 and the csv module write one, ended by a line feed: a cell holding
    a comma, a double quote, a carriage return or a line feed is quoted, its quotes doubled.
    Written here, not with csv.writer: before Python 3.11.9 that left a lone carriage return
    unquoted when lines end in a line feed (CPython gh-67044), and every reader then split the
    row at it."""
    return ",".join([_csv_cell(str(cell)) for cell in cells]) + "\n"


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _CSV_QUOTED.search(text) else text


_FORMULA_LEADS = frozenset(FORMULA_LEADS)  # each a single character


def _text_cell(text: str) -> str:
    """A text column's cell as CSV: :func:`as_sheet_text`, then quoted if need be. The common
    cell needs neither, which three quick tests show: it is printable (so it holds no carriage
    return or line feed), holds no comma or double quote, and does not begin with one of
    FORMULA_LEADS ('' begins with none)."""
    if text.isprintable() and "," not in text and '"' not in text and text[:1] not in _FORMULA_LEADS:
        return text
    return _csv_cell(as_sheet_text(text))


class _TextCells(dict[str, str]):
    """Texts as :func:`_text_cell` writes them, each worked out the first time it is looked up."""

    def __missing__(self, text: str) -> str:
        cell = self[text] = _text_cell(text)
        return cell


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}" if value == value.to_integral_value() else f"{value}"


def render_grades(scale, rows, year: str, file: IO[str] | None = None) -> None:
    """`postcost scales NAME`: grades, salaries and the annual cost of one full-time post."""
    from rich.console import Console

    from postcost.table import Column, Table, draw, print_note

    console = Console(file=file, highlight=False)
    table = Table(
        [
            Column("Grade", wrap=True),
            Column("Points", wrap=True),
            Column("Bottom £", justify="right"),
            Column("Top £", justify="right"),
            Column("1 FTE a year with on-costs £", justify="right", wrap=True),
        ],
        title=(f"{scale.authority.authority} ({scale.name}), pay year {year}",),
    )
    notes: dict[str, int] = {}
    for row in rows:
        points = f"{row.bottom}–{row.top}" if row.top else f"{row.bottom}– (top not known)"
        cost = format_pounds(row.annual_cost, symbol=False) if row.annual_cost is not None else "—"
        if row.note:
            cost += f" [{notes.setdefault(row.note, len(notes) + 1)}]"
        table.add_row(
            row.grade, points,
            format_pounds(row.bottom_salary, symbol=False) if row.bottom_salary is not None else "—",
            format_pounds(row.top_salary, symbol=False) if row.top_salary is not None else "—",
            cost,
        )
    draw(console, table)
    for note, number in notes.items():
        print_note(console, f"[{number}] {note}")
    print_note(console, "Annual cost: the bottom point for the twelve months of the pay year, with employer NI and "
                        "on-costs in force each month; rounded once to the penny, shown in whole pounds.", style="dim")
