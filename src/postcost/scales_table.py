"""The grades of a pay scale with their salaries and the annual cost of one full-time post."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from postcost.engine import cost_proposal
from postcost.errors import PostcostError, Problem
from postcost.loader import LoadedProposal
from postcost.models import Proposal
from postcost.scales import PayScale
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
    first = int(year[:4])
    data = {
        "title": f"{scale.name} {grade}",
        "authority": scale.authority.authority,
        "pay_scale": scale.name,
        "pay_year": year,
        "period": {"start": f"{first}-04", "end": f"{first + 1}-03"},
        "themes": [{"name": grade, "lines": [{"title": grade, "grade": grade, "fte": 1}]}],
    }
    loaded = LoadedProposal(Proposal.model_validate(data), YamlDocument(scale.authority_file, data), scale)
    return cost_proposal(loaded).grand_total
