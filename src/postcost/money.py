"""Money and rates as exact Decimals, and the one place where a cost is rounded.

Policy (shown in every report's footer): each line's exact cost is rounded once, to the penny,
ROUND_HALF_UP. Sub-totals and totals add the rounded lines. Tables show whole pounds, or £000
to one decimal for a proposal in units: thousands (also ROUND_HALF_UP); that is display only
and never feeds back into a sum.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal

from postcost.errors import excerpt, underscored_number

CENT = Decimal("0.01")
POUND = Decimal("1")
ZERO = Decimal("0.00")

ROUNDING_POLICY = "each line rounded once to the penny (ROUND_HALF_UP); totals add the rounded lines"

# Intermediate arithmetic (monthly pay is annual ÷ 12, part months are days ÷ days in month) is
# carried at 50 significant digits: far beyond a penny, so the single rounding decides every figure.
EXACT = Context(prec=50, rounding=ROUND_HALF_UP)


def D(value: object) -> Decimal:
    """Make a Decimal from an int, a str or a Decimal. Floats are refused: they are not exact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"refusing to make money from {type(value).__name__} {value!r}; use a str")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(plain_number(value))
    raise TypeError(f"cannot make a Decimal from {type(value).__name__}")


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def plain_number(text: str) -> str:
    """A number as written in a report, '£74,864.11', as Decimal reads it: '74864.11'. Commas
    must separate thousands: any other comma (a decimal comma, '74864,11') is refused, since
    dropping it would read £7,486,411. So is any '_' ('1_0'), which Decimal would read as 10."""
    text = text.replace("£", "").strip()
    if "_" in text:  # Decimal reads '1_0' as 10; it may be 1.0 mistyped
        message, hint = underscored_number(text)
        raise ValueError(f"{message}; {hint}")
    if "," not in text:
        return text
    if not _THOUSANDS.fullmatch(text):
        raise ValueError(f"{excerpt(text)}: commas may only separate thousands, as in 74,864.11 (write decimals with a point)")
    return text.replace(",", "")


def round_money(value: Decimal) -> Decimal:
    """Round an exact cost to the penny, half up. The only rounding of a costed figure."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_pounds(value: Decimal) -> Decimal:
    """Round for display in whole pounds, half up (reports print whole pounds)."""
    return value.quantize(POUND, rounding=ROUND_HALF_UP)


TENTH = Decimal("0.1")


def format_thousands(value: Decimal, *, symbol: bool = False) -> str:
    """'3,342.2' for £3,342,243: £000 to one decimal place (£100), half up (display only; a
    table headed £000 shows no £ sign, so ``symbol`` is ignored)."""
    return f"{(value / 1000).quantize(TENTH, rounding=ROUND_HALF_UP):,}"


def format_pounds(value: Decimal, *, symbol: bool = True) -> str:
    """'£3,342,243' (display only)."""
    text = f"{round_pounds(value):,}"
    if symbol:
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    return text


def format_pence(value: Decimal) -> str:
    """'£74,864.11' (display only)."""
    text = f"{round_money(value):,}"
    return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"


def format_rate(rate: Decimal) -> str:
    """0.227 -> '22.7%', 0.1505 -> '15.05%'."""
    percent = (rate * 100).normalize()
    return f"{percent:f}%"


def format_months(months: Decimal) -> str:
    """A post's length in months: '7', '6.5', or '4.53' for 4 16/30 (display only, two places at
    most: a part month's days make repeating decimals; costs use the days themselves)."""
    shown = months.normalize()
    if shown.as_tuple().exponent < -2:
        shown = months.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{shown:f}"
