"""The input formats as pydantic models: a proposal, and the three kinds of pay-scale file.

Every model forbids unknown keys (a misspelt key is an error, never silently ignored) and is
frozen. Money, rates and FTE are Decimals; floats are refused. Months are written ``2021-09``
(the whole month) or ``2021-09-15`` (from or to that day; also ``15/09/2021``, day/month/year).
"""

import calendar
import re
from datetime import date
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, Self, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    model_validator,
)
from pydantic_core import PydanticCustomError

from postcost.money import plain_number


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- scalar types --------------------------------------------------------------------------------


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("floats are not exact; write the number as text or a YAML number")
    if isinstance(value, str):
        return plain_number(value)
    return value


MAX_MONEY = Decimal(10) ** 12  # £1 trillion: far above any proposal, far below the arithmetic's limits
MAX_COUNT = Decimal(10) ** 6  # FTEs and quantities


def _bounded(value: Decimal) -> Decimal:
    if abs(value) >= MAX_MONEY:
        raise ValueError("is too large for a costing; amounts must be under £1,000,000,000,000")
    return value


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise refused(
            "negative", "must not be negative",
            "write the figure without its sign, as the table prints its size; a saving or a deleted "
            "post says saving: true, which counts it negatively",
        )
    return _bounded(value)


def refused(kind: str, message: str, hint: str) -> PydanticCustomError:
    """A validation error with a hint, which the error messages show under it
    (:func:`postcost.errors.describe_error` reads the hint from the error's context)."""
    return PydanticCustomError(kind, "{message}", {"message": message, "hint": hint})


def _fraction(value: Decimal) -> Decimal:
    if not 0 <= value < 1:
        raise ValueError("a rate is a fraction of pay, e.g. 0.227 for 22.7%")
    return value


Money = Annotated[Decimal, BeforeValidator(_no_float), AfterValidator(_non_negative), Field(json_schema_extra={"minimum": 0})]
SignedMoney = Annotated[Decimal, BeforeValidator(_no_float), AfterValidator(_bounded)]
def _countable(value: Decimal) -> Decimal:
    if abs(value) >= MAX_COUNT:
        raise ValueError(f"is too large; it must be under {MAX_COUNT:,}")
    return value


Positive = Annotated[Decimal, BeforeValidator(_no_float), Field(gt=0, allow_inf_nan=False), AfterValidator(_countable)]

MIN_FTE, MAX_FTE = Decimal("0.0001"), Decimal(1000)  # about 13 minutes a week; a thousand full-time posts on one line


def _plausible_fte(value: Decimal) -> Decimal:
    if value < MIN_FTE:
        raise refused(
            "fte_range", f"is below the smallest FTE postcost accepts, {MIN_FTE}",
            "an FTE is the fraction of a full-time post, e.g. 0.5 for half-time",
        )
    if value > MAX_FTE:
        raise refused(
            "fte_range", f"is above the largest FTE postcost accepts, {MAX_FTE:,}",
            "an FTE counts full-time posts, e.g. 3 for three full-time posts; check the number",
        )
    return value


# The vulgar fractions a printed table writes in a count ("4½ FTE"), each with its exact decimal;
# and those with none, which a count cannot be written with exactly
_EXACT_FRACTIONS = {
    "½": "0.5", "¼": "0.25", "¾": "0.75", "⅛": "0.125", "⅜": "0.375", "⅝": "0.625", "⅞": "0.875",
    "⅕": "0.2", "⅖": "0.4", "⅗": "0.6", "⅘": "0.8", "⅒": "0.1",
}
_INEXACT_FRACTIONS = "⅓⅔⅙⅚⅐⅑"
_WITH_FRACTION = re.compile(rf"(\d*) ?([{''.join(_EXACT_FRACTIONS)}{_INEXACT_FRACTIONS}])")


def count_text(value: Any) -> Any:
    """A count (an FTE, a head count, a quantity) as a table prints it: '4½', '4 ½', '½' or '1¼'
    read as '4.5', '4.5', '0.5' and '1.25'. A fraction with no exact decimal (⅓, ⅔, ⅙) is
    refused. Any other value as it is (for the number's own validator)."""
    if not isinstance(value, str):
        return value
    match = _WITH_FRACTION.fullmatch(value.strip())
    if match is None:
        return value
    whole, fraction = match[1], match[2]
    if fraction in _INEXACT_FRACTIONS:
        raise refused(
            "inexact_fraction", f"{value!r} has no exact decimal: {fraction} is a repeating fraction",
            "for part-time hours write hours and full_time_hours (e.g. hours: 25, full_time_hours: 37.5), "
            "which postcost divides exactly; or write the decimal the report costs (e.g. 0.33)",
        )
    return str(Decimal(whole or 0) + Decimal(_EXACT_FRACTIONS[fraction]))


Fte = Annotated[
    Decimal, BeforeValidator(_no_float), BeforeValidator(count_text), Field(gt=0, allow_inf_nan=False),
    AfterValidator(_plausible_fte),
]
"""Full-time equivalents: a positive number from 0.0001 to 1,000 (or '4½', '½', '1¼')."""
Count = Annotated[
    Decimal, BeforeValidator(_no_float), BeforeValidator(count_text), Field(gt=0, allow_inf_nan=False),
    AfterValidator(_countable),
]
"""A positive count (a quantity, hours): under a million; '4½' and the like read as 4.5."""
_COUNT: TypeAdapter[Decimal] = TypeAdapter(Count)

Headcount = Annotated[Decimal, BeforeValidator(_no_float), BeforeValidator(count_text), Field(ge=0, allow_inf_nan=False), AfterValidator(_countable)]
"""A head count as a table prints it (posts 2, 1, 4.5 or "4½"): a number from 0."""
SignedHeadcount = Annotated[Decimal, BeforeValidator(_no_float), BeforeValidator(count_text), Field(allow_inf_nan=False), AfterValidator(_countable)]
"""A printed head-count or FTE sub-total or total: negative where posts are deleted on balance."""

# What a spreadsheet or a hurried hand writes in a funding column to mean "not funded" (or to
# leave it blank): none of them names a funder, and each would take the line out of the total.
_NOT_FUNDERS = frozenset({
    "no", "none", "n/a", "na", "nil", "null", "-", "–", "—", "false", "true", "yes", "0", "not funded", "",
})


def _funder(value: Any) -> Any:
    """A funder's name as written; a value that reads as yes/no or a blank placeholder is refused,
    since an externally funded line costs the proposal nothing."""
    if value is None or isinstance(value, bool) or (isinstance(value, (str, int)) and str(value).strip().lower() in _NOT_FUNDERS):
        shown = "an empty value" if value is None else str(value).lower() if isinstance(value, bool) else repr(value)
        raise refused(
            "not_a_funder", f"{shown} does not name a funder",
            "name the funder (e.g. 'Public Health grant'), or leave it out (the council pays)",
        )
    return value


Funder = Annotated[str | None, BeforeValidator(_funder)]
"""Who pays for a line funded from outside the proposal's budget: shown at gross cost, 0 in the total."""

NO_GRADES = "no-grades"  # the shipped grade-less scale, for posts at stated salaries


def _scale_name(value: str) -> str:
    if not value.strip():
        raise refused(
            "pay_scale", f"{value!r} names no pay scale",
            "name a shipped pay scale (e.g. nottinghamshire) or a .yaml file; or leave pay_scale out "
            "when every post states its annual_salary and the proposal states its on_costs",
        )
    if value.strip().lower() == NO_GRADES:
        raise refused(
            "pay_scale", f"{value!r} is postcost's internal scale, not one to name",
            "for posts at stated salaries, leave pay_scale out and give on_costs "
            "(e.g. on_costs: {rates: {on_costs: 0.20}, source: ...}) with each post's annual_salary",
        )
    return value


ScaleName = Annotated[str, AfterValidator(_scale_name)]
"""A shipped pay scale's name or a path to a pay-scale file."""
Rate = Annotated[Decimal, BeforeValidator(_no_float), AfterValidator(_fraction)]

_PAY_YEAR = re.compile(r"(\d{4})/(\d{2})")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # the years a date may fall in: any costing's, with room to spare


def _pay_year(value: str) -> str:
    match = _PAY_YEAR.fullmatch(value)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"{value!r} is not a financial year; write it like 2021/22")
    if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise ValueError(f"{value!r} is not a plausible financial year; years run from {FIRST_YEAR} to {LAST_YEAR}")
    return value


PayYear = Annotated[str, AfterValidator(_pay_year)]
"""A financial (pay) year, April to March, written '2021/22'."""

_DAY_OF_YEAR = re.compile(r"(\d{1,2}) +([A-Za-z]+)")


def day_of_year(text: str) -> tuple[int, int]:
    """(month, day) of a day of the year written '1 September' or '1 Sep' (a day, then the
    month's English name in full or its first three letters, any case)."""
    match = _DAY_OF_YEAR.fullmatch(text.strip())
    names = [name.lower() for name in calendar.month_name[1:]]
    month = match and next((n for n, name in enumerate(names, 1) if match[2].lower() in (name, name[:3], "sept" if n == 9 else name)), None)
    if not match or month is None:
        raise refused(
            "day_of_year", f"{text!r} is not a day of the year",
            "write the day, then the month's name: e.g. '1 September' or '1 Oct' (every year on that day)",
        )
    day = int(match[1])
    if not 1 <= day <= 28:
        raise refused(
            "day_of_year", f"{text!r}: the day must be from 1 to 28, a day every month of that name has in every year",
            "write e.g. '1 September'; for the end of a month, give the 1st of the next",
        )
    return month, day


def _check_day_of_year(value: str) -> str:
    day_of_year(value)
    return value


DayOfYear = Annotated[str, AfterValidator(_check_day_of_year)]
"""A day that recurs every year, written '1 September' or '1 Sep'."""

_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # day/month/year, as UK HR systems and Excel export dates


def _check_month(value: str) -> str:
    """A month ('2021-09') or a day ('2021-09-15', or '15/09/2021' written the UK way, which is
    returned as '2021-09-15')."""
    if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and FIRST_YEAR <= int(value[:4]) <= LAST_YEAR and "01" <= value[5:] <= "12":
        return value  # the common whole-month form, checked without a regex (long CSV files)
    uk = _UK_DATE.fullmatch(value)
    match = _MONTH.fullmatch(f"{uk[3]}-{uk[2]}-{uk[1]}" if uk else value)
    if not match:
        raise ValueError(
            f"{value!r} is not a month; write 2021-09 (a whole month) or 2021-09-15 or 15/09/2021 (a day)"
        )
    year, month = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise refused(
            "implausible_year", f"{value!r} is not a plausible date: years run from {FIRST_YEAR} to {LAST_YEAR}",
            "write the year in full, e.g. 2021-09 (a whole month) or 15/09/2021 (a day)",
        )
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist in {value!r}" + (" (dates are day/month/year)" if uk else ""))
    if match[3] is None:
        return value
    day = int(match[3])
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"{value!r} is not a date: {calendar.month_name[month]} {year} has {last} days")
    return f"{year}-{month:02d}-{day:02d}" if uk else value


MonthText = Annotated[str, AfterValidator(_check_month)]


def month_start(text: str) -> date:
    """The first day a period starting at ``text`` (as :func:`_check_month` passed it) covers:
    '2021-09' -> 1 Sept 2021."""
    year, month, day = _month_parts(text)
    return date(year, month, day or 1)


def month_end(text: str) -> date:
    """The last day a period ending at ``text`` (as :func:`_check_month` passed it) covers:
    '2022-03' -> 31 March 2022."""
    year, month, day = _month_parts(text)
    return date(year, month, day or calendar.monthrange(year, month)[1])


def _month_parts(text: str) -> tuple[int, int, int | None]:
    """A checked month's year, month and day (None for a whole month)."""
    if len(text) == 7:  # the common whole-month form, read without a regex (long CSV files)
        return int(text[:4]), int(text[5:]), None
    match = _MONTH.fullmatch(text)
    assert match, text
    return int(match[1]), int(match[2]), None if match[3] is None else int(match[3])


def _point_text(value: Any) -> Any:
    """A point's text: 28 -> '28'; a whole number written with a point, 44.0 or '44.0', is point
    44 ('44'); any other (44.5, 'L') as it is written."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value() and abs(value) < 10**6:
        return str(int(value))
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        whole, point, zeros = value.partition(".")
        if whole.isascii() and whole.isdigit() and point and zeros and not zeros.strip("0"):
            return whole  # '44.0', as a spreadsheet may write point 44
    return value


PointId = Annotated[Union[int, str], BeforeValidator(_point_text), AfterValidator(str)]
"""A pay point: a spine column point number (28) or a local point's name."""


# --- stated figures ------------------------------------------------------------------------------


class Stated(Model):
    """Figures a report prints for a theme or the whole proposal, to check against. A sub-total or
    total may be negative: a net saving."""

    total: SignedMoney | None = Field(None, description="the cost over the whole period")
    annual: SignedMoney | None = Field(None, description="a full-year (annual) cost")
    financial_years: dict[PayYear, SignedMoney] = Field(
        default={}, description="costs stated for named financial years, e.g. {'2018/19': 115000}"
    )


class LineStated(Model):
    """Figures a report prints for one line, to check against. Each is written as printed, without
    a sign: a saving line (``saving: true``) counts them negatively."""

    total: Money | None = Field(None, description="the cost over the whole period")
    annual: Money | None = Field(None, description="a full-year (annual) cost")
    financial_years: dict[PayYear, Money] = Field(
        default={}, description="costs stated for named financial years, e.g. {'2018/19': 115000}"
    )
    min: Money | None = Field(None, description="a stated range's bottom (e.g. '£98k – £106k'): with max")
    max: Money | None = Field(None, description="a stated range's top: with min")
    pay: Money | None = Field(None, description="the pay part of the cost, as printed")
    pension: Money | None = Field(None, description="the employer pension part, as printed")
    ni: Money | None = Field(None, description="the employer National Insurance part, as printed")

    @model_validator(mode="after")
    def _whole_range(self) -> Self:
        if (self.min is None) != (self.max is None):
            raise refused("range", "a stated range needs both min and max",
                          "give the range as printed, e.g. {min: 98000, max: 106000}; or one figure as total")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise refused("range", f"the range's min ({self.min:,}) is above its max ({self.max:,})",
                          "give the bottom of the range as min and the top as max")
        return self

    @property
    def components(self) -> dict[str, Decimal]:
        """The printed parts of the cost (pay, pension, NI), by name, where given."""
        return {name: value for name in COMPONENTS if (value := getattr(self, name)) is not None}


COMPONENTS = ("pay", "pension", "ni")


def _as_stated(value: Decimal | Stated) -> Stated:
    return value if isinstance(value, Stated) else Stated(total=value)


def _as_line_stated(value: Decimal | LineStated) -> LineStated:
    return value if isinstance(value, LineStated) else LineStated(total=value)


def _figure_or_mapping(value: Any) -> str:
    """Which form of a stated figure ``value`` is, so that an error speaks of that form alone."""
    return "mapping" if isinstance(value, (dict, Stated, LineStated)) else "figure"


StatedFigure = Annotated[
    Union[Annotated[SignedMoney, Tag("figure")], Annotated[Stated, Tag("mapping")]],
    Discriminator(_figure_or_mapping),
    AfterValidator(_as_stated),
    Field(description="a number (the whole-period cost) or a mapping {total, annual, financial_years}"),
]

LineFigure = Annotated[
    Union[Annotated[Money, Tag("figure")], Annotated[LineStated, Tag("mapping")]],
    Discriminator(_figure_or_mapping),
    AfterValidator(_as_line_stated),
    Field(description="a number (the whole-period cost) or a mapping {total, annual, financial_years, "
                      "min and max (a range), pay, pension, ni (printed parts)}; written positive"),
]


class Tolerance(Model):
    """How far a stated figure may be from the computed one, and why. Never inferred."""

    amount: Money = Field(description="the largest accepted difference, £, after rounding to the stated unit")
    reason: str = Field(min_length=1)


CheckKind = Literal[
    "total", "annual", "financial_year", "quantity", "footing", "fte", "posts", "minimum", "maximum", "range",
    "pay", "pension", "ni", "cross_foot",
]


class Acknowledgement(Model):
    """A known slip in a published report, pinned to the figures it accepts.

    ``stated`` is the figure as printed; ``found`` the figure it should agree with (the computed
    figure, or for ``footing`` the sum of the printed parts). If either changes, the
    acknowledgement no longer matches and the check fails.
    """

    check: CheckKind = Field(
        description="which comparison: total, annual, financial_year, quantity, footing (money), fte or posts "
        "(those columns' footing), minimum, maximum or range (a stated range), pay, pension or ni (a printed "
        "part), cross_foot (the printed parts against the printed total)"
    )
    year: PayYear | None = Field(None, description="for check: financial_year, the year")
    stated: SignedMoney
    found: SignedMoney
    reason: str = Field(min_length=1)

    @model_validator(mode="after")
    def _year_when_needed(self) -> Self:
        if (self.check == "financial_year") != (self.year is not None):
            raise ValueError("give 'year' exactly when check is financial_year")
        return self


Acknowledgements = Annotated[list[Acknowledgement], Field(default=[])]


class Envelope(Model):
    """The sum the proposal must fit within (a grant, a pooled budget): check fails above it."""

    name: str
    amount: Money
    source: str | None = None


class FundingSource(Model):
    """A fund the proposal draws on, recorded for information (not checked as headroom)."""

    name: str
    amount: Money | None = None
    source: str | None = None
    note: str | None = None


# --- proposal ------------------------------------------------------------------------------------


class AssumedAward(Model):
    """A pay award assumed for a pay year the data has no salaries for (not yet agreed)."""

    rise: Rate = Field(description="the rise over the previous pay year, e.g. 0.03 for 3%")
    reason: str = Field(min_length=1)


class ProposalOnCosts(Model):
    """On-costs stated by the report itself ("plus 20% on-costs", "pension only", "pay only"), for
    every month. They must state something: NI, the levy or rates, or ``pay_only: true``."""

    pay_only: bool = Field(False, description="the report costs pay only: no employer NI, no levy, no on-costs")
    employer_ni: bool = Field(False, description="add employer NI above the secondary threshold (the shipped NI table)")
    apprenticeship_levy: bool = False
    rates: dict[str, Rate] = Field(default={}, description="named fractions of pay, e.g. {on_costs: 0.20}")
    source: str = Field(description="where the report states them")

    @model_validator(mode="after")
    def _states_something(self) -> Self:
        charges = self.employer_ni or self.apprenticeship_levy or bool(self.rates)
        if self.pay_only and charges:
            raise refused(
                "on_costs", "pay_only: true says there are no on-costs, but these on_costs also state "
                "employer_ni, apprenticeship_levy or rates",
                "keep pay_only: true alone (with its source), or remove it and keep the rates",
            )
        if not self.pay_only and not charges:
            raise refused(
                "on_costs", "these on_costs state no employer NI, no apprenticeship levy and no rates",
                "state the rates (rates: {on_costs: 0.20}), employer_ni: true, or, where the report "
                "costs pay only, pay_only: true with where the report says so in source",
            )
        return self


class Period(Model):
    start: MonthText
    end: MonthText

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if month_end(self.end) < month_start(self.start):
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


NO_SCHEME = "none"  # a post in no pension scheme


def _scheme_name(value: str) -> str:
    if not value.strip():
        raise refused(
            "pension_scheme", "names no pension scheme",
            "name a scheme the pay scale or the proposal's pension_schemes defines, or 'none' for a post in no scheme",
        )
    return value.strip()


SchemeName = Annotated[str, AfterValidator(_scheme_name)]

_PERCENT = re.compile(r"(\d+(?:\.\d+)?) *%")


def _sacrifice(value: Decimal | str) -> Decimal | str:
    """A salary sacrifice: £ a year (a Decimal), or a percentage of pay as written ('5%')."""
    if isinstance(value, str):
        match = _PERCENT.fullmatch(value.strip())
        if not match or not 0 < Decimal(match[1]) < 100:
            raise refused(
                "salary_sacrifice", f"{value!r} is not a salary sacrifice",
                "write £ a year of a full-time post's pay (e.g. 2000), or a percentage of pay above 0 and below "
                "100 (e.g. '5%')",
            )
        return f"{Decimal(match[1]).normalize():f}%"
    return value


Sacrifice = Annotated[
    Union[Money, Annotated[str, Field(json_schema_extra={"pattern": r"^\d+(\.\d+)?\s*%$"})]],
    Field(union_mode="left_to_right"),  # '2000' from a CSV cell is a sum, not text
    AfterValidator(_sacrifice),
]
"""Pay sacrificed: £ a year of a full-time post's pay, or a percentage of pay ('5%')."""

NI_CATEGORIES = {
    "A": "most employees",
    "H": "apprentice under 25",
    "M": "under 21",
}


def _ni_category(value: Any) -> Any:
    if isinstance(value, str) and value.strip().upper() in NI_CATEGORIES:
        return value.strip().upper()
    raise refused(
        "ni_category", f"{value!r} is not an NI category postcost costs",
        "write A (most employees), H (an apprentice under 25) or M (an employee under 21)",
    )


NICategory = Annotated[Literal["A", "H", "M"], BeforeValidator(_ni_category)]


class PostLine(Model):
    """A post: costed from a grade's bottom point, an explicit point, or a stated annual salary."""

    kind: Literal["post"] = "post"
    title: str
    grade: str | None = Field(None, description="costed at the bottom point of this grade unless 'point' is given")
    point: PointId | None = Field(None, description="an explicit pay point, overriding the grade's bottom")
    annual_salary: Money | None = Field(None, description="a full-time annual salary stated instead of a grade")
    annual_cost: Money | None = Field(
        None, description="the line's own cost a year for all its FTE, on-costs included, stated instead of a "
        "grade or salary: no on-costs are added"
    )
    fte: Fte | None = Field(None, description="full-time equivalents, from 0.0001 to 1,000 (or '4½'); or give hours")
    hours: Count | None = Field(None, description="hours worked a week (instead of fte): FTE = hours ÷ full_time_hours")
    full_time_hours: Count | None = Field(
        None, description="a full-time post's hours, for a post given in hours (default: its theme's, else the proposal's)"
    )
    start: MonthText | None = Field(None, description="defaults to the proposal's period start")
    end: MonthText | None = Field(None, description="defaults to the proposal's period end")
    full_year: bool = Field(False, description="costed for the whole financial year it starts in (implies permanent)")
    permanent: bool = Field(False, description="show the post's full-year effect beside its in-period cost")
    increments: bool | None = Field(None, description="move up the grade each year (default: the proposal's)")
    increment_date: DayOfYear | None = Field(
        None, description="the post-holder's own increment date, e.g. '1 October', in place of the pay scale's "
        "(its qualifying months in post do not apply); for a post costed with increments"
    )
    pension_scheme: SchemeName | None = Field(
        None, description="the pension scheme the post is in, one the pay scale or the proposal's pension_schemes "
        "defines (e.g. nhs, tps): its employer rate by date replaces the on-cost rule's pension rate; 'none' for "
        "a post in no scheme"
    )
    salary_sacrifice: Sacrifice | None = Field(
        None, description="pay given up for a benefit, not NI-able: £ a year of a full-time post's pay "
        "(e.g. 2000, like annual_salary), or a percentage of pay ('5%'). Employer NI is charged on pay less the "
        "sacrifice; pay and pension are costed on pay before it"
    )
    ni_category: NICategory = Field(
        "A", description="the employee's NI category letter: A (most employees), H (apprentice under 25) or M "
        "(under 21): for H and M no employer NI up to the upper secondary threshold"
    )
    team: str | None = None
    funded_by: Funder = Field(None, description="externally funded: shown at gross cost, 0 in the total")
    saving: bool = Field(False, description="a deleted post or a saving: its cost (and head count) count negatively; its figures are written positive")
    posts: Headcount | None = Field(None, description="the head count the table prints for the line")
    stated: LineFigure | None = None
    tolerance: Tolerance | None = None
    acknowledge: Acknowledgements
    note: str | None = None

    @model_validator(mode="after")
    def _one_pay_basis(self) -> Self:
        problem = pay_basis_problem(self.__dict__)
        if problem:
            raise ValueError(problem)
        return self


def pay_basis_problem(post: dict[str, Any]) -> str | None:
    """What is wrong with a post's fields taken together (its pay basis, its FTE, its end), if anything."""
    stated = [key for key in ("annual_salary", "annual_cost") if post.get(key) is not None]
    if len(stated) > 1 or (stated and (post.get("grade") is not None or post.get("point") is not None)):
        given = " and ".join(stated + [key for key in ("grade", "point") if post.get(key) is not None])
        return f"give one of a grade (and optional point), annual_salary or annual_cost, not {given}"
    if not stated and post.get("grade") is None and post.get("point") is None:
        return "a post needs a grade, a point, an annual_salary or an annual_cost"
    if post.get("fte") is not None and post.get("hours") is not None:
        return "give either fte or hours (with full_time_hours), not both"
    if post.get("fte") is None and post.get("hours") is None:
        return "a post needs its fte (e.g. fte: 1, or fte: 0.5 for half-time), or its hours with full_time_hours"
    if post.get("full_time_hours") is not None and post.get("hours") is None:
        return "full_time_hours is for a post given in hours; give hours, or remove full_time_hours and keep fte"
    if post.get("full_year") and post.get("end") is not None:
        return "a full-year post runs the whole financial year it starts in; remove 'end'"
    own = [key for key in ("pension_scheme", "salary_sacrifice", "increment_date") if post.get(key) is not None]
    own += ["ni_category"] if post.get("ni_category", "A") != "A" else []
    if post.get("annual_cost") is not None and own:
        return (f"a post at a stated annual_cost has its on-costs included, so {' and '.join(own)} cannot change "
                "them; give a grade or annual_salary instead, or remove " + " and ".join(own))
    return None


def trusted_post(fields: dict[str, Any], words: dict[str, str] | None = None) -> PostLine:
    """A PostLine from fields each already validated as PostLine validates them, and checked
    together by :func:`pay_basis_problem` (the CSV reader's fast path); ``words`` are text fields
    (title, team, note), which need no validation. This is what pydantic's ``model_construct``
    does, less its inspection of every default factory on every call (~200 µs a post)."""
    words = words or {}
    post = object.__new__(PostLine)
    object.__setattr__(post, "__dict__", {**_POST_DEFAULTS, **fields, **words, "acknowledge": []})
    object.__setattr__(post, "__pydantic_fields_set__", {*fields, *words})
    object.__setattr__(post, "__pydantic_extra__", None)
    object.__setattr__(post, "__pydantic_private__", None)
    return post


_POST_DEFAULTS = {
    name: field.default for name, field in PostLine.model_fields.items() if not field.is_required() and name != "acknowledge"
}


WORDS = ("title", "team", "note")  # a post's text: any text is valid, and its cost does not depend on it
Words = tuple[str, str | None, str | None]  # a CSV row's title, team and note (None where blank)


class PostKinds:
    """The distinct posts of a CSV file: each distinct combination of a row's fields apart from
    its words (title, team, note), validated as PostLine validates them (see trusted_post)."""

    def __init__(self, fields: list[dict[str, Any]]):
        self.fields = fields
        self._posts: list[PostLine | None] = [None] * len(fields)

    def post(self, kind: int) -> PostLine:
        """Kind ``kind`` as a PostLine with no words of its own (an empty title), for costing."""
        post = self._posts[kind]
        if post is None:
            post = self._posts[kind] = trusted_post(self.fields[kind], {"title": ""})
        return post


@dataclass(frozen=True)
class PostRows:
    """A theme's posts read from a CSV file: which distinct post each row is (an index into
    ``kinds``, shared by every theme of the file) and each row's words (title, team, note). An
    establishment of 100,000 rows is costed a distinct post at a time, not a row at a time."""

    kinds: PostKinds
    kind_of: list[int]
    words: list[Words]

    def posts(self) -> list[PostLine]:
        """Each row as the PostLine it stands for, words and all."""
        return [
            trusted_post(self.kinds.fields[kind], {name: word for name, word in zip(WORDS, words) if word is not None})
            for kind, words in zip(self.kind_of, self.words)
        ]


class AmountLine(Model):
    """A lump sum: commissioned work, advertising, a pilot."""

    kind: Literal["amount"]
    title: str
    amount: Money
    recurring: bool = Field(False, description="a sum paid every year (counted once in the total, in its year); "
                            "outputs show recurring sums a year apart from one-off")
    team: str | None = None
    funded_by: Funder = Field(None, description="externally funded: shown at gross cost, 0 in the total")
    financial_year: PayYear | None = Field(None, description="when it falls; defaults to the proposal's first year")
    saving: bool = Field(False, description="a deleted post or a saving: its cost (and head count) count negatively; its figures are written positive")
    stated: LineFigure | None = None
    tolerance: Tolerance | None = None
    acknowledge: Acknowledgements
    note: str | None = None


DerivedQuantity = Literal["new_starters"]


class PerMonth(Model):
    """A quantity for each month a unit cost's line runs ("5 per month for 12 months")."""

    per_month: Count = Field(description="the quantity each month, every calendar month from start to end counted whole")


class UnitCostLine(Model):
    """A unit cost × a quantity; the quantity may be derived from the proposal ('new_starters'),
    or be so many for each month the line runs ({per_month: N})."""

    kind: Literal["unit_cost"]
    title: str
    unit_amount: Money
    quantity: Annotated[
        Union[Annotated[Count | DerivedQuantity, Tag("number")], Annotated[PerMonth, Tag("per_month")]],
        Discriminator(lambda value: "per_month" if isinstance(value, (dict, PerMonth)) else "number"),
    ] = Field(
        description="a number; 'new_starters': the head count of posts the proposal pays for "
        "(each post line's FTE rounded up; externally funded posts excluded); or {per_month: N}: N for "
        "each calendar month from the line's start to its end (default: the proposal's period)"
    )
    start: MonthText | None = Field(None, description="for a per_month quantity: the first month (default: the period's)")
    end: MonthText | None = Field(None, description="for a per_month quantity: the last month (default: the period's)")
    team: str | None = None
    funded_by: Funder = Field(None, description="externally funded: shown at gross cost, 0 in the total")
    financial_year: PayYear | None = None
    stated: LineFigure | None = None
    stated_quantity: Positive | None = None
    tolerance: Tolerance | None = None
    acknowledge: Acknowledgements
    note: str | None = None

    @model_validator(mode="after")
    def _dates_for_per_month(self) -> Self:
        if (self.start is not None or self.end is not None) and not isinstance(self.quantity, PerMonth):
            raise refused(
                "unit_cost_dates", "start and end are for a quantity given per month",
                "write the quantity as {per_month: N} to count N for each month from start to end, or remove start and end",
            )
        if self.start is not None and self.end is not None and month_end(self.end) < month_start(self.start):
            raise ValueError(f"the line ends ({self.end}) before it starts ({self.start})")
        return self


class FigureLine(Model):
    """A figure the report prints with no basis to cost it on (a parliamentary answer's cost of a
    grade, a budget line): only footed with the others, never costed. Its cost is its printed
    figure."""

    kind: Literal["figure"]
    title: str
    stated: LineFigure | None = Field(None, description="the printed figure: a number, or {financial_years: ...}")
    fte: Fte | None = Field(None, description="the FTE the table prints for the line")
    posts: Headcount | None = Field(None, description="the head count the table prints for the line")
    grade: str | None = Field(None, description="the grade as printed (text; not looked up)")
    team: str | None = None
    saving: bool = Field(False, description="a deleted post or a saving: its cost (and head count) count negatively; its figures are written positive")
    financial_year: PayYear | None = Field(None, description="the year a whole-period figure falls in, where it matters")
    tolerance: Tolerance | None = None
    acknowledge: Acknowledgements
    note: str | None = None

    @model_validator(mode="after")
    def _prints_something(self) -> Self:
        if self.stated is None and self.fte is None and self.posts is None:
            raise refused(
                "figure", "a figure line needs what the table prints: stated (money), fte or posts",
                "give the printed cost as stated: 19000 (or stated: {financial_years: {...}}), and any fte or posts",
            )
        if self.stated is not None and (self.stated.min is not None or self.stated.components or self.stated.annual is not None):
            raise refused(
                "figure", "a figure line states a printed total or financial years only",
                "ranges, parts (pay, pension, ni) and annual costs are checked against a costing: make the line a post",
            )
        return self


def _line_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("kind", "post")
        return kind if isinstance(kind, str) else None
    return getattr(value, "kind", None)


Line = Annotated[
    Union[
        Annotated[PostLine, Tag("post")],
        Annotated[AmountLine, Tag("amount")],
        Annotated[UnitCostLine, Tag("unit_cost")],
        Annotated[FigureLine, Tag("figure")],
    ],
    Discriminator(
        _line_kind,
        custom_error_type="line_kind",
        custom_error_message="kind must be 'post' (the default), 'amount', 'unit_cost' or 'figure'",
    ),
]


class Theme(Model):
    name: str
    lines: list[Line] = Field(min_length=1)
    full_time_hours: Count | None = Field(None, description="a full-time post's hours, for the theme's posts given in hours")
    stated_subtotal: StatedFigure | None = None
    stated_fte: SignedHeadcount | None = Field(None, description="the printed FTE sub-total, footed against the lines' FTE")
    stated_posts: SignedHeadcount | None = Field(None, description="the printed head-count sub-total, footed against the lines' posts")
    tolerance: Tolerance | None = None
    acknowledge: Acknowledgements
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _full_time_hours_to_posts(cls, data: Any) -> Any:
        """The theme's full_time_hours given to each of its posts in hours that states none (the
        nearest wins: the post's own, then the theme's, then the proposal's, which the engine
        reads). A full_time_hours that is not valid is left to be reported at the theme alone."""
        if not isinstance(data, dict) or data.get("full_time_hours") is None or not isinstance(data.get("lines"), list):
            return data
        try:
            hours = _COUNT.validate_python(data["full_time_hours"])
        except ValueError:
            return data
        lines = [
            {**line, "full_time_hours": hours}
            if isinstance(line, dict) and line.get("kind", "post") == "post" and "hours" in line
            and line.get("full_time_hours") is None else line
            for line in data["lines"]
        ]
        return {**data, "lines": lines}


class Proposal(Model):
    title: str
    authority: str
    meeting: str | None = None
    date: MonthText | None = Field(None, description="the date of the meeting or decision")
    source: str | None = Field(None, description="the published document this proposal reproduces")
    pay_scale: ScaleName | None = Field(
        None,
        description="a shipped pay scale's name (e.g. nottinghamshire) or a path to a .yaml file; "
        "needed when the proposal has posts",
    )
    pay_year: PayYear | None = Field(
        None,
        description="the pay year whose salaries are used for every month (e.g. 2020/21 when the next "
        "award is not yet agreed); omit to use the pay year in force each month",
    )
    on_costs: ProposalOnCosts | None = Field(
        None,
        description="on-costs the report states; without a pay_scale, posts need an annual_salary; "
        "with one, these replace the scale's on-cost rules",
    )
    assumed_pay_awards: dict[PayYear, AssumedAward] = Field(
        default={},
        description="awards assumed for pay years the pay scale has no salaries for, e.g. {'2026/27': {rise: 0.03, reason: ...}}",
    )
    pension_schemes: dict[SchemeName, "PensionScheme"] = Field(
        default={},
        description="pension schemes the proposal's posts may name in pension_scheme, each with its employer "
        "rate by date; one named like a pay scale's scheme replaces it",
    )
    increments: bool = Field(False, description="posts move up their grade each year, by the pay scale's rule")
    full_time_hours: Count | None = Field(
        None, description="a full-time post's hours (e.g. 37), for posts given in hours whose theme states none"
    )
    period: Period | None = Field(None, description="the months costed; needed when the proposal has posts or unit costs")
    units: Literal["pounds", "thousands"] = Field(
        "pounds", description="thousands: every sum written in the file (stated figures, amounts) is £000, as printed"
    )
    posts_csv: str | None = Field(
        None, description="a CSV file of posts (one row each, with a 'theme' column), relative to this file"
    )
    themes: list[Theme] = Field(default=[])
    stated_total: StatedFigure | None = None
    stated_fte: SignedHeadcount | None = Field(None, description="the printed FTE total, footed against the themes' or lines' FTE")
    stated_posts: SignedHeadcount | None = Field(None, description="the printed head-count total, footed like the money total")
    tolerance: Tolerance | None = None
    acknowledge: Acknowledgements
    budget_envelope: Envelope | None = None
    funding: list[FundingSource] = Field(default=[], description="funds drawn on, for information")
    note: str | None = None

    @model_validator(mode="after")
    def _has_lines(self) -> Self:
        if not self.themes and self.posts_csv is None:
            raise ValueError("a proposal needs themes with lines, or posts from a CSV file (posts_csv)")
        return self

    @model_validator(mode="after")
    def _period_for_costing(self) -> Self:
        costed = self.posts_csv is not None or any(
            isinstance(line, (PostLine, UnitCostLine)) for theme in self.themes for line in theme.lines
        )
        if self.period is None and costed:
            raise refused(
                "period", "a proposal with posts or unit costs needs a period (the months they are costed for)",
                "add e.g. 'period: {start: 2021-09, end: 2022-03}'; only a proposal of figures and amounts needs none",
            )
        return self

    @model_validator(mode="after")
    def _scale_for_posts(self) -> Self:
        # a post at a stated annual_cost needs no pay scale and no on-costs
        posts = [line for t in self.themes for line in t.lines if isinstance(line, PostLine) and line.annual_cost is None]
        if self.pay_scale is None and posts:
            if self.on_costs is None:
                raise ValueError(
                    "a proposal with posts needs a pay_scale (e.g. 'pay_scale: nottinghamshire') or on_costs "
                    "(e.g. 'on_costs: {rates: {on_costs: 0.20}, source: ...}') with posts' annual_salary"
                )
            if any(post.annual_salary is None for post in posts):
                raise ValueError("without a pay_scale, every post needs an annual_salary (there are no grades to look up)")
        return self


# --- pay-scale files -----------------------------------------------------------------------------
#
# Three kinds of file, told apart by their 'kind': an authority's grades and on-cost rules
# ('authority'), a national pay spine ('spine') and the employer NI table ('employer_ni'). Every
# figure states its source and its confidence: neither has a default.

Confidence = Annotated[
    Literal["H", "M", "L"],
    Field(description="H: a cited source states the figure (or it follows exactly from a stated rule); "
                      "M: it follows from a stated rule but no source quotes it, or the source is not the publisher's; "
                      "L: inferred or assumed"),
]


class Sourced(Model):
    source: str = Field(description="where the figure comes from: document, date, URL or paragraph")
    confidence: Confidence
    note: str | None = None


class SpineYear(Sourced):
    numbering: Literal["current", "pre-2019"] = Field(
        "current", description="pre-2019: points are the old SCP numbers, reached through 'assimilation'"
    )
    point_confidence: dict[PointId, Confidence] = Field(
        default={}, description="points whose confidence differs from the year's"
    )
    point_sources: dict[PointId, str] = Field(
        default={}, description="points whose source differs from the year's"
    )
    points: dict[PointId, Money]
    missing: dict[PointId, str] = Field(
        default={}, description="points of the scale with no figure this year, each with why it is missing "
        "(e.g. no published table found): costing one is an error that says so"
    )


class Assimilation(Sourced):
    old_to_new: dict[PointId, PointId] = Field(description="each old point and the new point it became")


class Spine(Model):
    """A national pay spine: full-time annual salary by point, for each pay year (from 1 April,
    or the day its pay_year_starts names)."""

    kind: Literal["spine"]
    name: str
    title: str
    pay_years: dict[PayYear, SpineYear]
    pay_year_starts: DayOfYear = Field(
        "1 April", description="the day each pay year's salaries take effect, e.g. '1 September' for teachers "
        "in England; the pay year '2024/25' then runs from 1 September 2024 to 31 August 2025"
    )
    assimilation: Assimilation | None = Field(None, description="how a renumbered spine's old points became its new ones")


class UpperSecondary(Sourced):
    """The annual thresholds up to which an employer pays no NI for an employee under 21
    (category M) or an apprentice under 25 (category H); the full rate is charged above them."""

    under_21: Money = Field(description="the upper secondary threshold (UST), £ a year: category M")
    apprentice_under_25: Money = Field(description="the apprentice upper secondary threshold (AUST), £ a year: category H")


class NIPeriod(Sourced):
    tax_year: PayYear
    start: date
    end: date
    rate: Rate
    secondary_threshold: Money = Field(description="annual secondary threshold, £ a year")
    apprenticeship_levy: Rate = Field(
        Decimal(0), description="levy as a fraction of pay (0.005 from 6 April 2017) for employers that count it"
    )
    upper_secondary: UpperSecondary | None = Field(
        None, description="the UST and AUST, for posts in NI category M or H; omit where not sourced"
    )


class NationalInsurance(Model):
    """Employer (secondary) Class 1 NI: rate and annual threshold, by the dates they apply to."""

    kind: Literal["employer_ni"]
    name: str
    title: str
    periods: list[NIPeriod]


class LocalPointValue(Sourced):
    annual_salary: Money


class Grade(Sourced):
    bottom: PointId
    top: PointId | None = Field(None, description="omit when the grade's top point is not known")


# The dates of an on-cost rule that applies to every month (the one a proposal's own on_costs
# make): every day a date can be written for
ALWAYS = (date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))


class OnCostRule(Sourced):
    start: date = Field(description="the first day the rule is in force")
    end: date | None = Field(None, description="the last day it is in force; omit while it is in force until changed")
    employer_ni: bool = Field(description="add employer NI above the secondary threshold")
    rates: dict[str, Rate] = Field(
        default={}, description="named percentages of pay, e.g. {pension: 0.227}"
    )
    apprenticeship_levy: bool = Field(
        False, description="add the apprenticeship levy in force (from the NI table) as a separate on-cost"
    )
    assumed: bool = Field(False, description="true where the rate is an assumption, not a published figure")

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise refused("on_cost_dates", f"the rule ends ({self.end}) before it starts ({self.start})",
                          "check the dates: start is the first day the rule is in force, end the last")
        return self

    def covers(self, day: date) -> bool:
        """True when the rule is in force on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def pay_only(self) -> bool:
        """True for a rule that adds nothing to pay (no NI, no levy, no rates): one a proposal's
        ``on_costs: {pay_only: true}`` makes; the engine refuses any other."""
        return not (self.employer_ni or self.apprenticeship_levy or self.rates)

    @property
    def throughout(self) -> bool:
        """True for a rule dated to cover every month: the one a proposal's own on_costs make."""
        return self.start <= ALWAYS[0]


def _rule_dates(rule: OnCostRule) -> str:
    return f"from {rule.start}" + (f" to {rule.end}" if rule.end is not None else ", no end")


def _rules_apart(rules: list[OnCostRule]) -> list[OnCostRule]:
    """The rules, refused where two are in force on the same day (which would apply is not
    said) or two have no end. The error is at the later rule of the two, and names the other."""
    for i, rule in enumerate(rules):
        for j in range(i):
            other = rules[j]
            both = f"this rule ({_rule_dates(rule)}) and on_costs[{j}] ({_rule_dates(other)})"
            if other.end is None and rule.end is None:
                raise PydanticCustomError("on_cost_rules", "{message}", {
                    "message": f"{both} are both open-ended", "item": i,
                    "hint": "only the latest rule may leave out its end; give the earlier one an end, "
                            "the day before the later one starts",
                })
            if rule.start <= (other.end or ALWAYS[1]) and other.start <= (rule.end or ALWAYS[1]):
                raise PydanticCustomError("on_cost_rules", "{message}", {
                    "message": f"{both} overlap: both would be in force on the same day", "item": i,
                    "hint": "end the earlier rule the day before the later one starts",
                })
    return rules


class IncrementRule(Sourced):
    """When staff move up one point of their grade: each year on this date, until the grade's top."""

    month: int = Field(ge=1, le=12)
    day: int = Field(1, ge=1, le=28)
    min_months_in_post: int = Field(
        0, ge=0, le=12, description="a post younger than this on the date waits for the next one"
    )


class PensionRate(Sourced):
    """A pension scheme's employer rate from ``start`` to ``end``."""

    start: date
    end: date
    rate: Rate = Field(description="what the employer pays, as a fraction of pensionable pay (0.2868 for 28.68%)")


class PensionScheme(Model):
    """A pension scheme a post may be in, with its employer rate by date."""

    title: str
    rates: list[PensionRate] = Field(min_length=1)

    def rate_on(self, day: date) -> PensionRate | None:
        return next((r for r in self.rates if r.start <= day <= r.end), None)


class Authority(Model):
    """An authority's pay scale: its spine, grades, local points and on-cost rules."""

    kind: Literal["authority"]
    name: str
    authority: str = Field(description="the authority's name, e.g. Derbyshire County Council")
    spine: str = Field(description="the spine file this authority's points come from, e.g. njc-spine")
    national_insurance: str = Field("employer-ni", description="the employer NI table, e.g. employer-ni")
    local_points: dict[PointId, dict[PayYear, LocalPointValue]] = Field(
        default={}, description="points the authority sets itself (above the spine, say): a salary for each pay year"
    )
    local_points_missing: dict[PointId, str] = Field(
        default={}, description="why a local point has no salary in the pay years it lacks (shown when one is costed)"
    )
    grades: dict[str, Grade]
    increments: IncrementRule | None = Field(None, description="omit where the authority's rule is not known")
    on_costs: Annotated[list[OnCostRule], AfterValidator(_rules_apart)] = Field(
        min_length=1, description="the employer's on-costs by the dates they apply to, no two in force on one day"
    )
    pension_schemes: dict[SchemeName, PensionScheme] = Field(
        default={}, description="pension schemes a post may name in pension_scheme, each with its employer rate by date"
    )


PayScaleFile = Annotated[
    Union[Authority, Spine, NationalInsurance],
    Field(discriminator="kind"),
]
"""Any pay-scale file, told apart by its 'kind'."""


def proposal_json_schema() -> str:
    """The JSON Schema of a proposal file (pretty-printed, stable key order)."""
    import json

    schema = Proposal.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "postcost proposal"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def pay_scale_json_schema() -> str:
    """The JSON Schema of a pay-scale file, one schema for the three kinds: its 'kind'
    (authority, spine or employer_ni) says which of them a file must be."""
    import json

    schema = TypeAdapter(PayScaleFile).json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "postcost pay scale"
    schema["description"] = (
        "A pay-scale file: an authority's grades and on-costs (kind: authority), a national pay spine "
        "(kind: spine) or the employer NI table (kind: employer_ni). Every figure states its source and confidence."
    )
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
