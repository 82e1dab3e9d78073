"""Effective-dated lookups in a pay scale: salary by point and pay year, NI and on-costs by pay day.

Lookups answer "the value in force on this date" from periods with explicit start and end dates;
a date no period covers has no value (the caller reports it), never the latest value by default.
This module does no I/O: :mod:`postcost.loader` reads the files and builds a :class:`PayScale`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from postcost.models import (
    AssumedAward, Authority, Grade, NationalInsurance, NIPeriod, OnCostRule, PensionScheme, Spine, day_of_year,
)
from postcost.money import format_pounds, format_rate, round_pounds


def pay_year_label(first: int) -> str:
    """The financial year that starts on 1 April of ``first``: 2021 -> '2021/22'."""
    return f"{first}/{(first + 1) % 100:02d}"


def pay_year_of(day: date) -> str:
    """The financial (pay) year, 1 April to 31 March, containing ``day``: 2021-09-30 -> '2021/22'."""
    return pay_year_label(day.year if day.month >= 4 else day.year - 1)


def pay_year_start(pay_year: str) -> date:
    return date(int(pay_year[:4]), 4, 1)


def previous_pay_year(pay_year: str) -> str:
    return pay_year_label(int(pay_year[:4]) - 1)


@dataclass(frozen=True)
class Salary:
    """A full-time annual salary for a point in a pay year, and where the figure comes from."""

    point: str
    pay_year: str
    annual: Decimal
    source: str
    confidence: str
    file: str
    assumed: bool = False  # from a pay award the proposal assumes, not a published figure
    note: str | None = None  # e.g. the old point a pre-2019 year was costed at


@dataclass(frozen=True)
class PayScale:
    """An authority's scale with the spine and NI table it refers to, and the files they came from."""

    authority: Authority
    spine: Spine
    ni: NationalInsurance
    authority_file: str
    spine_file: str
    ni_file: str

    @property
    def name(self) -> str:
        return self.authority.name

    def grade(self, name: str) -> Grade | None:
        grade = self.authority.grades.get(name)
        if grade is None:  # grade names are matched without regard to case or spacing
            wanted = " ".join(name.split()).lower()
            grade = next((g for n, g in self.authority.grades.items() if n.lower() == wanted), None)
        return grade

    def pay_year_of(self, day: date) -> str:
        """The scale's pay year containing ``day``: from 1 April, or from the day its spine's
        pay_year_starts names ('1 September': 2024-08-31 is in 2023/24, 2024-09-01 in 2024/25)."""
        month, first = day_of_year(self.spine.pay_year_starts)
        return pay_year_label(day.year if (day.month, day.day) >= (month, first) else day.year - 1)

    def missing_reason(self, point: str, pay_year: str) -> str | None:
        """Why ``point`` has no figure in ``pay_year``, where the spine (or, for a local point, the
        authority) says."""
        if point in self.authority.local_points:
            return self.authority.local_points_missing.get(point)
        year = self.spine.pay_years.get(pay_year)
        return None if year is None else year.missing.get(point)

    def knows_point(self, point: str) -> bool:
        """True for a point of the authority's own, a point of the spine's current numbering (one
        whose figure a year lists as missing, too: costing it then says why), or an old point
        ('old 17') of the spine's years before it was renumbered."""
        if point in self.authority.local_points:
            return True
        old = old_point_number(point)
        if old is not None:
            return any(old in year.points for year in self.spine.pay_years.values() if year.numbering == "pre-2019")
        return any(point in year.points or point in year.missing
                   for year in self.spine.pay_years.values() if year.numbering == "current")

    def salary(self, point: str, pay_year: str, assumed_awards: Mapping[str, AssumedAward] | None = None) -> Salary | None:
        """The salary for ``point`` in ``pay_year``; where the data has none, from an assumed award."""
        found = self._published_salary(point, pay_year)
        if found is not None or not assumed_awards or pay_year not in assumed_awards:
            return found
        award = assumed_awards[pay_year]
        before = self.salary(point, previous_pay_year(pay_year), assumed_awards)
        if before is None:
            return None
        # NJC spines are published in whole pounds; an assumed award is rounded the same way
        annual = round_pounds(before.annual * (1 + award.rise))
        source = f"assumed {format_rate(award.rise)} award on {before.pay_year} ({format_pounds(before.annual)}): {award.reason}"
        return Salary(point, pay_year, annual, source, "L", before.file, assumed=True)

    def _published_salary(self, point: str, pay_year: str) -> Salary | None:
        local = self.authority.local_points.get(point)
        if local is not None:
            value = local.get(pay_year)
            if value is None:
                return None
            return Salary(point, pay_year, value.annual_salary, value.source, value.confidence, self.authority_file)
        year = self.spine.pay_years.get(pay_year)
        if year is None:
            return None
        key, note = point, None
        old = old_point_number(point)
        if old is not None:
            key, note = self._old_point_key(old, year.numbering)
            if key is None:
                return None
        elif year.numbering == "pre-2019":
            key = self.old_point(point)
            if key is None:
                return None
            note = f"old SCP {key} (assimilated to SCP {point} in April 2019)"
        if key not in year.points:
            return None
        confidence = year.point_confidence.get(key, year.confidence)
        source = year.point_sources.get(key, year.source)
        return Salary(point, pay_year, year.points[key], source, confidence, self.spine_file, note=note)

    def _old_point_key(self, old: str, numbering: str) -> tuple[str | None, str | None]:
        """Where an old point is found in a year of ``numbering``, and what to note of it: as it
        is, in a year before the renumbering; after it, the new point it was assimilated to (as
        the post-holder was)."""
        if numbering == "pre-2019":
            return old, None
        new = self.spine.assimilation.old_to_new.get(old) if self.spine.assimilation else None
        since = first_renumbered_year(self.spine)
        return new, f"old SCP {old}, assimilated to SCP {new}" + (f" from {since}" if since else "")

    def old_point(self, point: str) -> str | None:
        """The lowest pre-2019 point assimilated to ``point`` (bottom of scale, by convention)."""
        if self.spine.assimilation is None:
            return None
        olds = [old for old, new in self.spine.assimilation.old_to_new.items() if new == point]
        return min(olds, key=point_order) if olds else None

    def salary_years(self, point: str) -> list[str]:
        """The pay years for which ``point`` has a salary."""
        return [y for y in self.pay_years() if self._published_salary(point, y) is not None]

    def pay_years(self) -> list[str]:
        local = {y for values in self.authority.local_points.values() for y in values}
        return sorted(set(self.spine.pay_years) | local)

    def pension_scheme(self, name: str, proposal_schemes: Mapping[str, PensionScheme]) -> PensionScheme | None:
        """The scheme ``name`` the proposal defines, else the one the scale defines (matched
        without regard to case)."""
        for schemes in (proposal_schemes, self.authority.pension_schemes):
            found = next((s for n, s in schemes.items() if n.lower() == name.lower()), None)
            if found is not None:
                return found
        return None

    def ni_period(self, pay_day: date) -> NIPeriod | None:
        return next((p for p in self.ni.periods if p.start <= pay_day <= p.end), None)

    def on_cost_rule(self, pay_day: date) -> OnCostRule | None:
        return next((r for r in self.authority.on_costs if r.covers(pay_day)), None)

    def describe_on_costs(self, rules: list[OnCostRule]) -> str:
        """The given on-cost rules (those a costing used) in words, one clause a rule."""
        return "; ".join(describe_rule(rule) for rule in rules)


_OLD_POINT = re.compile(r"old\s+(\d+)", re.IGNORECASE)


def point_name(point: str) -> str:
    """A point as output names it: a spinal column point by its number ('SCP 28'), an old one
    ('old SCP 17'), and a point a scale names in words ('point band-5-entry', 'point F-bottom')."""
    old = old_point_number(point)
    if old is not None:
        return f"old SCP {old}"
    return f"SCP {point}" if point.isdigit() else f"point {point}"


def old_point_number(point: str) -> str | None:
    """The number of an old point as a proposal names it ('old 17' -> '17'): a point on the
    spine's numbering before it was renumbered (the NJC's before April 2019). None for any other."""
    match = _OLD_POINT.fullmatch(point.strip())
    return str(int(match[1])) if match else None


def first_renumbered_year(spine: Spine) -> str | None:
    """The first pay year on the spine's current numbering after years on its old one; None for
    a spine never renumbered."""
    old = [y for y, data in spine.pay_years.items() if data.numbering == "pre-2019"]
    new = [y for y, data in spine.pay_years.items() if data.numbering == "current" and old and y > max(old)]
    return min(new) if new else None


def point_order(point: str) -> tuple[int, str]:
    """Numbered points in number order, then named (local) points."""
    return (int(point), "") if point.isdigit() else (10**9, point)


def describe_rule(rule: OnCostRule) -> str:
    items = ["employer NI above the secondary threshold"] if rule.employer_ni else []
    if rule.apprenticeship_levy:
        items.append("apprenticeship levy")
    items += [f"{name} {format_rate(rate)} of pay" for name, rate in rule.rates.items()]
    if rule.throughout:
        when = "throughout"
    elif rule.end is None:
        when = f"from {rule.start:%b %Y}"
    else:
        when = f"{rule.start:%b %Y}–{rule.end:%b %Y}"
    label = f"{when}: " + (f"pay only ({rule.source})" if rule.pay_only else " + ".join(items))
    return label + (" (assumed)" if rule.assumed else "")
