from decimal import Decimal

import pytest

from postcost.money import D, format_pounds, format_rate, round_money, round_pounds


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
