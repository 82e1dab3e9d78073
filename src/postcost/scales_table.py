"""What `postcost scales` shows: an authority's grades with their salaries and the annual cost of one
full-time post; a spine's points and salaries for a pay year; an NI table's periods; the shipped scales."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import IO

from postcost.engine import cost_proposal
from postcost.errors import PostcostError, Problem
from postcost.loader import LoadedProposal, ShippedScale
from postcost.models import NationalInsurance, Proposal, Spine, day_of_year
from postcost.money import format_rate
from postcost.scales import PayScale, first_renumbered_year, point_order
from postcost.yamlfile import YamlDocument


@dataclass(frozen=True)
class GradeRow:
    grade: str
    bottom: str
    top: str | None
    bottom_salary: Decimal | None
    top_salary: Decimal | None
    annual_cost: Decimal | None  # one FTE at the bottom point for the whole pay year, with on-costs
    note: str | None


def grade_costs(scale: PayScale, pay_year: str | None) -> tuple[list[GradeRow], str]:
    """Each grade's bottom (and top) salary and one FTE's annual cost at the bottom, for a pay year."""
    years = scale.pay_years()
    year = pay_year or years[-1]
    if year not in years:
        raise PostcostError([Problem(scale.authority_file, None, f"has no salaries for pay year {year}", f"pay years: {', '.join(years)}")])
    rows = []
    for name, grade in scale.authority.grades.items():
        bottom = scale.salary(grade.bottom, year)
        top = scale.salary(grade.top, year) if grade.top else None
        cost, note = None, None
        try:
            cost = _annual_cost(scale, name, year)
        except PostcostError as exc:
            note = exc.problems[0].message.split(": ", 1)[-1]
        rows.append(GradeRow(name, grade.bottom, grade.top, bottom.annual if bottom else None,
                             top.annual if top else None, cost, note))
    return rows, year


def _annual_cost(scale: PayScale, grade: str, year: str) -> Decimal:
    """One FTE at the grade's bottom for the twelve months of the pay year (April to March, or
    from the day the scale's pay year starts: September to August for teachers)."""
    first = int(year[:4])
    month, day = day_of_year(scale.spine.pay_year_starts)
    start = f"{first}-{month:02d}" + (f"-{day:02d}" if day != 1 else "")
    last = date(first + 1, month, day) - timedelta(days=1)
    data = {
        "title": f"{scale.name} {grade}",
        "authority": scale.authority.authority,
        "pay_scale": scale.name,
        "pay_year": year,
        "period": {"start": start, "end": last.isoformat() if day != 1 else f"{last:%Y-%m}"},
        "themes": [{"name": grade, "lines": [{"title": grade, "grade": grade, "fte": 1}]}],
    }
    loaded = LoadedProposal(Proposal.model_validate(data), YamlDocument(scale.authority_file, data), scale)
    return cost_proposal(loaded).grand_total


# --- a spine's points and an NI table's periods, as `postcost scales` shows them ------------------


@dataclass(frozen=True)
class PointRow:
    point: str
    salary: Decimal
    confidence: str
    became: str | None  # for an old (renumbered) point: the new point it was assimilated to


def spine_points(spine: Spine, file: str, pay_year: str | None) -> tuple[str, list[PointRow]]:
    """The pay year (the one asked for, else the latest) and its points' salaries as the file
    has them: old SCP numbers for a year before a renumbering, each with the point it became."""
    years = sorted(spine.pay_years)
    year = pay_year or years[-1]
    if year not in spine.pay_years:
        raise PostcostError([Problem(file, None, f"has no salaries for pay year {year}", f"pay years: {', '.join(years)}")])
    chosen = spine.pay_years[year]
    renumbered = chosen.numbering == "pre-2019" and spine.assimilation is not None
    rows = [
        PointRow(point, salary, chosen.point_confidence.get(point, chosen.confidence),
                 spine.assimilation.old_to_new.get(point) if renumbered else None)  # type: ignore[union-attr]
        for point, salary in sorted(chosen.points.items(), key=lambda item: point_order(item[0]))
    ]
    return year, rows


def render_spine(spine: Spine, file: str, pay_year: str | None, out: IO[str] | None = None) -> None:
    """`postcost scales SPINE`: a pay year's points and salaries, with their source and confidence."""
    from rich.console import Console

    from postcost.table import Column, Table, draw, print_note

    year, rows = spine_points(spine, file, pay_year)
    chosen = spine.pay_years[year]
    old = chosen.numbering == "pre-2019"
    renumbered = first_renumbered_year(spine)
    console = Console(file=out, highlight=False)
    columns = [
        Column("Old SCP" if old else "SCP", justify="right"),
        Column("Salary £", justify="right"),
        Column("Confidence"),
    ]
    if old and spine.assimilation is not None:
        columns.append(Column(f"New SCP from {renumbered}" if renumbered else "New SCP", justify="right"))
    table = Table(columns)
    print_note(console, f"{spine.title} ({spine.name}), pay year {year}")
    if old:
        print_note(console, "Points are the old (pre-2019) SCP numbers, as the file has them.")
    for row in rows:
        table.add_row(row.point, f"{row.salary:,}", row.confidence, *([row.became or "—"] if len(columns) == 4 else []))
    draw(console, table)
    print_note(console, f"Source [{chosen.confidence}]: {chosen.source}")
    if chosen.note:
        print_note(console, f"Note: {chosen.note}")
    if old and spine.assimilation is not None:
        print_note(console, f"Assimilation [{spine.assimilation.confidence}]: {spine.assimilation.source}")
        print_note(console, 'A proposal names an old point as point: "old 17"; from '
                            f"{renumbered or 'the renumbering'} it is costed at the point it became.", style="dim")
    print_note(console, f"Pay years: {', '.join(sorted(spine.pay_years))} (choose one with --pay-year). Confidence: "
                        "H a cited source states the figure; M it follows from a stated rule; L inferred.", style="dim")


def render_ni(ni: NationalInsurance, file: str, tax_year: str | None, out: IO[str] | None = None) -> None:
    """`postcost scales NI-TABLE`: each period's employer rate, threshold and levy, with sources."""
    from rich.console import Console

    from postcost.table import Column, Table, draw, print_note

    periods = [p for p in ni.periods if tax_year is None or p.tax_year == tax_year]
    if not periods:
        years = sorted({p.tax_year for p in ni.periods})
        raise PostcostError([Problem(file, None, f"has no rates for tax year {tax_year}", f"tax years: {', '.join(years)}")])
    console = Console(file=out, highlight=False)
    table = Table(
        [
            Column("Tax year"),
            Column("Pay days"),
            Column("Rate", justify="right"),
            Column("Secondary threshold £ a year", justify="right", wrap=True, min_width=10),
            Column("Levy", justify="right"),
            Column("Confidence"),
            Column("Source", justify="right"),
        ],
        title=(f"{ni.title} ({ni.name})",),
    )
    for number, period in enumerate(periods, 1):
        table.add_row(
            period.tax_year, f"{period.start:%-d %b %Y} – {period.end:%-d %b %Y}", format_rate(period.rate),
            f"{period.secondary_threshold:,}", format_rate(period.apprenticeship_levy) if period.apprenticeship_levy else "—",
            period.confidence, f"[{number}]",
        )
    draw(console, table)
    for number, period in enumerate(periods, 1):
        print_note(console, f"[{number}] {period.source}" + (f" Note: {period.note}" if period.note else ""))
    print_note(console, "Employer NI is charged at the rate on pay above the secondary threshold ÷ 12 each month, by "
                        "the period its pay day falls in. Levy: the apprenticeship levy, a fraction of pay, added where an "
                        "authority's on-cost rule says apprenticeship_levy: true. Confidence: H a cited source states the figure; M it follows "
                        "from a stated rule; L inferred.", style="dim")


def render_scale_list(scales: list[ShippedScale], out: IO[str] | None = None) -> None:
    """`postcost scales`: every shipped scale, its kind and title."""
    from rich.console import Console

    from postcost.table import Column, Table, draw, print_note

    console = Console(file=out, highlight=False)
    table = Table([Column("Name"), Column("Kind"), Column("Title", wrap=True)], title=("Shipped pay scales",))
    for scale in scales:
        table.add_row(scale.name, scale.kind, scale.title)
    draw(console, table)
    print_note(console, "Show one with: postcost scales NAME (or a path to your own .yaml file); "
                        "a proposal's pay_scale names an authority.", style="dim")
