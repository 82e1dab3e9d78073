from decimal import Decimal

import pytest

from postcost.money import D, format_months, format_pounds, format_rate, plain_number, round_money, round_pounds


def test_D_refuses_floats():
    with pytest.raises(TypeError):
        D(0.1)
    assert D("0.10") == Decimal("0.10") and D("£1,600") == Decimal(1600)


def test_rounding_is_half_up_not_bankers():
    # builtin round() would give 0.12 and 2 (round half to even)
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_pounds(Decimal("2.5")) == Decimal("3")
    assert round_money(Decimal("-0.125")) == Decimal("-0.13")


def test_formats():
    assert format_pounds(Decimal("3342242.59")) == "£3,342,243"
    assert format_pounds(Decimal("-3.64")) == "-£4"
    assert format_rate(Decimal("0.1505")) == "15.05%" and format_rate(Decimal("0.227")) == "22.7%"


@pytest.mark.parametrize(
    "written, plain",
    [("£74,864.11", "74864.11"), ("1,000,000", "1000000"), ("-£1,600", "-1600"), ("£28000.50", "28000.50"), (" 5 ", "5")],
)
def test_a_pound_sign_and_thousands_commas_are_dropped(written, plain):
    assert plain_number(written) == plain


@pytest.mark.parametrize("written", ["74864,11", "1,5", "1,00", "12,3456", ",100", "1,000,00"])
def test_any_other_comma_is_refused_not_dropped(written):
    # dropping the comma of a decimal comma would read '74864,11' as £7,486,411
    with pytest.raises(ValueError, match="commas may only separate thousands"):
        plain_number(written)


def test_months_show_at_most_two_places():
    # 15 Nov 2021 - 31 Mar 2022: 16/30 of November and four whole months = 4.5333... -> 4.53
    assert format_months(4 + Decimal(16) / 30) == "4.53"
    assert format_months(Decimal("7.000")) == "7" and format_months(Decimal("6.5")) == "6.5"
    assert format_months(Decimal("2.625")) == "2.63"  # half up
