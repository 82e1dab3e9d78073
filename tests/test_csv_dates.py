"""Date cells of a CSV file of posts, as spreadsheets write them, day/month/year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postcost import PostcostError, cost_proposal, load_proposal
from postcost.csvposts import DATE_HINT, BadCell, csv_date

from conftest import HEADER

# Excel's 1900 date system: serial 1 is 1 January 1900, and it counts a 29 February 1900 that
# never was, so from 1 March 1900 a serial is the days since 30 December 1899. By hand: 1900-01-01
# to 2021-01-01 is 121 × 365 days + 30 leap days (1904 ... 2020) = 44,195 days, so 2021-01-01 is
# serial 1 + 44,195 + 1 (the false leap day) = 44,197; 1 November 2021 is 304 days later
# (31+28+31+30+31+30+31+31+30+31 = 304): 44,501.
NOV_2021_SERIAL = "44501"


@pytest.mark.parametrize(
    "cell, iso",
    [
        ("Nov-21", "2021-11"),
        ("Nov-2021", "2021-11"),
        ("nov-21", "2021-11"),
        ("November 2021", "2021-11"),
        ("NOVEMBER 2021", "2021-11"),
        ("Nov 2021", "2021-11"),
        ("Sept 2021", "2021-09"),
        ("Sep-21", "2021-09"),
        ("1 November 2021", "2021-11-01"),
        ("1 Nov 2021", "2021-11-01"),
        ("01-Nov-21", "2021-11-01"),
        ("30 sept 2021", "2021-09-30"),
        ("29 Feb 2024", "2024-02-29"),  # 2024 is a leap year
        ("01/11/21", "2021-11-01"),  # a two-digit year is 20YY
        ("1/11/21", "2021-11-01"),
        ("31/03/22", "2022-03-31"),
        (NOV_2021_SERIAL, "2021-11-01"),
        ("44501.0", "2021-11-01"),
        ("44651", "2022-03-31"),  # 44,501 + 29 (to 30 Nov) + 31 (Dec) + 31 (Jan) + 28 (Feb) + 31 (Mar) = 44,651
        ("01/11/2021 00:00", "01/11/2021"),  # the model reads this form itself
        ("01/11/2021 00:00:00", "01/11/2021"),
        ("2021-11-01 00:00:00", "2021-11-01"),
        ("2021-11-01T00:00", "2021-11-01"),
        ("1 Nov 2021 00:00", "2021-11-01"),
        ("2021-11", "2021-11"),  # the proposal file's forms are left to the model
        ("2021-11-01", "2021-11-01"),
        ("15/11/2021", "15/11/2021"),
        ("TBC", "TBC"),  # not a date: the model says so
    ],
)
def test_a_spreadsheets_date_forms(cell, iso):
    assert csv_date(cell) == iso


@pytest.mark.parametrize(
    "cell, message",
    [
        ("01/11/2021 09:30", "'01/11/2021 09:30' has a time of day"),
        ("01/11/2021 00:00:01", "'01/11/2021 00:00:01' has a time of day"),
        ("Nov-21 00:00", "'Nov-21 00:00' is not a date"),
        ("30 Feb 2021", "'30 Feb 2021' is not a date: February 2021 has 28 days"),
        ("29/02/23", "'29/02/23' is not a date: February 2023 has 28 days"),
        ("0 Nov 2021", "'0 Nov 2021' is not a date: November 2021 has 30 days"),
        ("11/13/21", "month 13 does not exist in '11/13/21' (dates are day/month/year)"),
        ("Novembr 2021", "'Novembr 2021' is not a date: 'Novembr' is not the name of a month"),
        ("12345", "'12345' is not a date: as an Excel date number it is outside 1970 to 2099"),
        ("73051", "'73051' is not a date: as an Excel date number it is outside 1970 to 2099"),  # 1 Jan 2100
        ("Nov-0000", "'Nov-0000' is not a date"),  # there was no year 0
        ("1 Nov 0000", "'1 Nov 0000' is not a date"),
    ],
)
def test_a_spreadsheets_date_forms_that_are_no_date(cell, message):
    with pytest.raises(BadCell) as raised:
        csv_date(cell)
    assert raised.value.message == message


def test_excel_serials_are_bounded_to_1970_to_2099():
    # 1970-01-01 is 25,569 days after 1899-12-30: 2 days to 1900-01-01, then 70 × 365 days and
    # 17 leap days (1904 ... 1968; 1900 was none): 2 + 25,550 + 17 = 25,569. 2100-01-01 is
    # 2 + 200 × 365 + 49 leap days (1904 ... 2096) = 73,051 days after it, so 2099-12-31 is 73,050.
    assert csv_date("25569") == "1970-01-01"
    assert csv_date("73050") == "2099-12-31"
    with pytest.raises(BadCell):
        csv_date("25568")


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from([str.lower, str.upper, str.title]))
def test_every_day_form_reads_as_its_day_and_every_month_form_as_its_month(day, case):
    name = MONTH_NAMES[day.month - 1]
    for cell in (
        f"{day.day} {name} {day.year}", f"{day.day} {name[:3]} {day.year}", f"{day.day:02d}-{name[:3]}-{day.year % 100:02d}",
        f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}", f"{day.day}/{day.month}/{day.year % 100:02d}",
        str((day - date(1899, 12, 30)).days),
    ):
        assert csv_date(case(cell)) == day.isoformat(), cell
    for cell in (f"{name} {day.year}", f"{name[:3]}-{day.year % 100:02d}", f"{name[:3]}-{day.year}"):
        assert csv_date(case(cell)) == f"{day.year}-{day.month:02d}", cell


def proposal(write, rows: str):
    write(rows, "posts.csv")
    return write(HEADER + "posts_csv: posts.csv\nthemes: []\n")


def test_a_csv_costs_the_same_with_a_spreadsheets_dates(write):
    """Each row written with ISO dates and with a spreadsheet's forms of the same dates costs the
    same, to the penny (the period is Sept 2021 - March 2022)."""
    iso = proposal(write, "theme,title,grade,fte,start,end\nA,a,Band B,1,2021-11,\nA,b,Band B,1,2021-11-15,2022-01\n"
                   "A,c,Band B,1,2021-11-01,2022-03-31\n")
    expected = [(line.start, line.end, line.cost) for line in cost_proposal(load_proposal(iso)).lines]
    for a_start, b_start, b_end, c_start, c_end in [
        ("Nov-21", "15 Nov 2021", "January 2022", NOV_2021_SERIAL, "44651"),
        ("November 2021", "15/11/21", "Jan-2022", "01/11/2021 00:00", "31-Mar-22"),
    ]:
        path = proposal(write, f"theme,title,grade,fte,start,end\nA,a,Band B,1,{a_start},\nA,b,Band B,1,{b_start},{b_end}\n"
                        f"A,c,Band B,1,{c_start},{c_end}\n")
        assert [(line.start, line.end, line.cost) for line in cost_proposal(load_proposal(path)).lines] == expected


def test_a_bad_date_cell_is_named_at_its_row_once(write):
    path = proposal(write, "theme,title,grade,fte,start,end\nA,a,Band B,1,Nov-21,\nA,b,Band B,1,01/11/2021 09:30,31 Feb 2022\n")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    assert [(p.line, p.message, p.hint) for p in raised.value.problems] == [
        (3, "column start: '01/11/2021 09:30' has a time of day", "write the date alone: postcost costs whole days"),
        (3, "column end: '31 Feb 2022' is not a date: February 2022 has 28 days", DATE_HINT),
    ]


def test_yaml_dates_keep_their_forms(write):
    path = write(HEADER + "themes:\n  - {name: A, lines: [{title: x, grade: Band B, fte: 1, start: Nov-21}]}\n")
    with pytest.raises(PostcostError) as raised:
        load_proposal(path)
    assert "'Nov-21' is not a month" in raised.value.problems[0].message
