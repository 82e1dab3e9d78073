"""The workbook computes, as a spreadsheet does, exactly the figures postcost computes.

Each workbook is evaluated by the `formulas` package (a spreadsheet engine in Python, working in
binary floating point as Excel does), and every line's gross cost, cost and financial-year parts,
every sub-total and the total is compared with postcost's own JSON. `formulas` compiles each
formula once (about 10 ms a formula here), so the July 2021 example takes ~10 s to evaluate and
the whole file about a minute; each workbook is evaluated once per module. Where LibreOffice is
installed, its recalculation is compared too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, JULY_2021

formulas = pytest.importorskip("formulas")

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))

# Part months (posts starting and ending mid-month, months of 28, 30 and 31 days), several
# financial years, odd FTEs, externally funded posts (one over several years), a stated salary in
# pence, a lump sum and a unit cost with a fraction of a penny, and months on an assumed on-cost
# rate (Nottinghamshire's from April 2023), so that figures fall on and near half pennies and the pennies of a line's rounding
# have to be placed among its years.
AWKWARD = """\
title: "=Awkward proposal\\u0007 with a formula-like title"
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
period: {start: 2021-09, end: 2025-03}
themes:
  - name: Part months
    lines:
      - {title: Mid-month start, grade: Band B, fte: 0.35, start: 2021-09-15, end: 2023-02-13}
      - {title: Leap February, grade: Grade 5, fte: 1.5, start: 2024-02-10, end: 2024-02-20}
      - {title: Odd FTE, grade: Band A, fte: 0.81, start: 2021-10-03, end: 2024-11-27}
      - {title: Stated salary, annual_salary: 30000.55, fte: 0.5, start: 2022-01-31, end: 2024-04-01}
      - {title: "=SUM(1,2)", grade: Band D, fte: 2, start: 2021-09, end: 2025-03}
      - {title: Tied residues, grade: Band C, fte: 1.25, start: 2021-12-06, end: 2024-05-31}
  - name: Funded and lumps
    lines:
      - {title: Funded over years, grade: Band C, fte: 1.25, start: 2021-12-06, end: 2024-05-31, funded_by: A partner}
      - {title: Funded in a year, grade: Grade 4, fte: 1, start: 2022-05, end: 2022-09, funded_by: A partner}
      - {kind: amount, title: Lump, amount: 1234.565}
      - {kind: unit_cost, title: Units, unit_amount: 12.345, quantity: 3}
      - {kind: unit_cost, title: Starters, unit_amount: 1600, quantity: new_starters}
"""


def json_report(run, path: Path) -> dict:
    result = run("total", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def workbook(run, source: Path, out: Path) -> Path:
    result = run("total", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def evaluate(path: Path) -> dict[str, object]:
    """Every Costing cell's value as `formulas` computes the workbook, by coordinate ('J7')."""
    model = formulas.ExcelModel().loads(str(path)).finish()
    found = {}
    for key, value in model.calculate().items():
        sheet, _, ref = str(key).rpartition("!")
        if sheet.upper().endswith("COSTING'") and ":" not in ref:
            found[ref] = value.value[0][0]
    return found


def money(value: object) -> Decimal:
    """A computed cell as the penny it is: it must be that penny's nearest binary number, or
    within a millionth of a penny of it."""
    exact = Decimal(float(value))
    penny = exact.quantize(Decimal("0.01"))
    assert abs(exact - penny) < Decimal("1e-8"), exact
    return penny


def expected_cells(path: Path, data: dict) -> tuple[dict[str, Decimal], list[str]]:
    """postcost's figure for each money cell of the workbook at ``path`` (from its JSON), by
    coordinate, found by the row's position or label and the column's heading; and the Check cells."""
    sheet = openpyxl.load_workbook(path)["Costing"]
    head = [cell.value for cell in sheet[3]]
    column = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(head)}
    years = list(data["financial_years"])
    lines = {line["position"]: line for theme in data["themes"] for line in theme["lines"]}
    themes = {f"Sub-total: {theme['name']}": theme for theme in data["themes"]}
    want: dict[str, Decimal] = {}
    checks = []
    for row in sheet.iter_rows(min_row=4):
        n = row[0].row
        position, label = row[0].value, row[1].value
        if position in lines:
            line = lines[position]
            want[f"{column['Cost £']}{n}"] = Decimal(line["cost"])
            if line["funded_by"]:  # else the cost is the gross cost
                want[f"{column['Gross £ (if funded)']}{n}"] = Decimal(line["gross_cost"])
            for year, part in line["financial_years"].items():
                want[f"{column[year + ' £']}{n}"] = Decimal(part)
            if row[head.index("Check")].value:
                checks.append(f"{position}: {row[head.index('Check')].value}")
        elif label in themes or label == "TOTAL":
            figures = themes[label] if label in themes else data
            want[f"{column['Cost £']}{n}"] = Decimal(figures["subtotal" if label in themes else "grand_total"])
            for year in years:
                want[f"{column[year + ' £']}{n}"] = Decimal(figures["financial_years"].get(year) or 0)
    return want, checks


def assert_computes_as_postcost(run, source: Path, out: Path) -> dict[str, object]:
    data = json_report(run, source)
    path = workbook(run, source, out)
    want, checks = expected_cells(path, data)
    assert checks == []
    values = evaluate(path)
    differ = {ref: (values.get(ref), figure) for ref, figure in want.items() if money(values.get(ref)) != figure}
    assert differ == {}
    return values


@pytest.mark.parametrize("source", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_computes_as_postcost(run, tmp_path, source):
    assert_computes_as_postcost(run, source, tmp_path / "out.xlsx")


def test_july_2021_total_as_a_spreadsheet_computes_it(run, tmp_path):
    path = workbook(run, JULY_2021, tmp_path / "t.xlsx")
    values = evaluate(path)
    sheet = openpyxl.load_workbook(path)["Costing"]
    cost = [c.value for c in sheet[3]].index("Cost £")
    (total,) = [row for row in sheet.iter_rows(min_row=4) if row[1].value == "TOTAL"]
    # para 61's £3,342,243, to the penny as postcost costs it (tests/test_example_july_2021.py);
    # the SUMIFS workbook computed £3,577,575.27 in a spreadsheet
    assert money(values[total[cost].coordinate]) == Decimal("3342242.59")


def test_awkward_proposal_computes_as_postcost(run, tmp_path):
    source = tmp_path / "awkward.yaml"
    source.write_text(AWKWARD, encoding="utf-8")
    data = json_report(run, source)
    lines = [line for theme in data["themes"] for line in theme["lines"]]
    # the cases this proposal is for: lines over several years, funded over several years, a
    # line whose rounding leaves a penny to place (its parts rounded alone do not add to it)
    assert sum(len(line["financial_years"]) > 1 for line in lines) >= 5
    assert any(line["funded_by"] and len(line["financial_years"]) > 1 for line in lines)
    assert any(line["assumed"] for line in lines)
    path = tmp_path / "awkward.xlsx"
    values = assert_computes_as_postcost(run, source, path)
    # line 1.6: its four years' parts rounded alone add to a penny less than the line rounded
    # (G = 1), and the two largest residues tie (2023/24 and 2024/25, each 93,000,000 of
    # S × D, as the writer's working gives them): the penny goes to the earlier year, as
    # split_to_penny places it
    sheet = openpyxl.load_workbook(path)["Costing"]
    head = [c.value for c in sheet[3]]
    (row,) = [r for r in sheet.iter_rows(min_row=4) if r[0].value == "1.6"]
    cell = {name: row[head.index(name)].coordinate for name in head if name}
    assert values[cell["G"]] == 1
    line = next(line for line in lines if line["position"] == "1.6")
    assert [money(values[cell[y + " £"]]) for y in ("2023/24", "2024/25")] == [
        Decimal(line["financial_years"]["2023/24"]), Decimal(line["financial_years"]["2024/25"])]


def test_title_stays_text(run, tmp_path):
    source = tmp_path / "awkward.yaml"
    source.write_text(AWKWARD, encoding="utf-8")
    sheet = openpyxl.load_workbook(workbook(run, source, tmp_path / "a.xlsx"))["Costing"]
    # the control character (BEL) is kept, escaped as the file format escapes it (_x0007_, which
    # Excel reads back as the character; openpyxl leaves it as written); nothing is a formula
    assert sheet["A1"].value == "=Awkward proposal_x0007_ with a formula-like title"
    assert sheet["A1"].data_type == "s"
    (row,) = [r for r in sheet.iter_rows(min_row=4) if r[0].value == "1.5"]
    assert row[1].value == "=SUM(1,2)" and row[1].data_type == "s"


def test_the_same_input_gives_the_same_bytes(run, tmp_path):
    first = workbook(run, JULY_2021, tmp_path / "a.xlsx").read_bytes()
    second = workbook(run, JULY_2021, tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_no_file_beside_the_workbook(run, tmp_path):
    workbook(run, JULY_2021, tmp_path / "t.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_an_unwritable_path_is_a_clear_error(run, tmp_path):
    result = run("total", JULY_2021, "-o", tmp_path / "missing" / "t.xlsx")
    assert result.exit_code == 2
    assert "cannot be written" in result.stderr and "Traceback" not in result.stderr


def test_months_hold_the_inputs_the_formulas_use(run, tmp_path):
    book = openpyxl.load_workbook(workbook(run, JULY_2021, tmp_path / "t.xlsx"))
    months = book["Months"]
    head = [c.value for c in months[1]]
    row = next(r for r in months.iter_rows(min_row=2) if r[0].value == "SCP 23" and r[1].value == "2021-09")
    # SCP 23 (Band A's bottom) in the proposal's pay year 2020/21: £27,741 (pay_scales/njc-spine.yaml);
    # employer NI 2021/22 13.8% above £8,840 (pay_scales/employer-ni.yaml); pension 22.7%
    assert [row[head.index(h)].value for h in ("Annual salary £", "Employer NI rate", "NI threshold £ a year",
                                                "On-cost rates (sum)")] == [27741, 0.138, 8840, 0.227]
    x = next(h for h in head if h.startswith("X:"))
    assert row[head.index(x)].value.startswith(f"=ROUND(D{row[0].row}*100,0)")


def test_formulas_use_only_functions_written_without_a_prefix(run, tmp_path):
    # the writer skips XlsxWriter's search for Excel 365's functions (which need a _xlfn.
    # prefix); this holds every formula to the functions it may use instead
    from postcost.xlsx import FUNCTIONS

    source = tmp_path / "awkward.yaml"
    source.write_text(AWKWARD, encoding="utf-8")
    for path in (JULY_2021, source):
        book = openpyxl.load_workbook(workbook(run, path, tmp_path / "f.xlsx"))
        used = {name for sheet in book for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
                for name in re.findall(r"([A-Z][A-Z0-9.]*)\(", cell.value)}
        assert used and used <= set(FUNCTIONS)


def without_cached_values(path: Path) -> Path:
    """The workbook with each formula's stored result taken out (the writer stores postcost's
    figures there), so that what LibreOffice gives back is what it computed."""
    import zipfile

    out = path.with_name("bare-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1", data)
            target.writestr(item, data)
    return out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_as_postcost(run, tmp_path):
    source = tmp_path / "awkward.yaml"
    source.write_text(AWKWARD, encoding="utf-8")
    for i, path in enumerate((JULY_2021, source)):
        data = json_report(run, path)
        book = without_cached_values(workbook(run, path, tmp_path / f"in{i}.xlsx"))
        want, _ = expected_cells(book, data)
        out = tmp_path / f"lo{i}"
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                        str(book)], check=True, capture_output=True, timeout=300)
        sheet = openpyxl.load_workbook(out / book.name, data_only=True)["Costing"]
        assert {ref: money(sheet[ref].value) for ref in want} == want


SAVINGS = """\
title: Savings and printed figures, in £000
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
period: {start: 2021-09, end: 2023-03}
units: thousands
themes:
  - name: Changes
    lines:
      - {title: Social Worker deleted, grade: Band B, fte: 2, start: 2021-11-15, saving: true}
      - {title: Part-time officer, grade: Band B, hours: 22.5, full_time_hours: 37}
      - {kind: amount, title: Contract ended, amount: 12.3, saving: true, financial_year: 2022/23}
      - {kind: unit_cost, title: Licences, unit_amount: 0.25, quantity: 7}
      - kind: figure
        title: Grant returned
        saving: true
        stated: {financial_years: {"2021/22": 4.5, "2022/23": 1.25}}
"""


def test_savings_thousands_and_figures_compute_as_postcost(run, tmp_path):
    # a deleted post over a part month and two financial years, a post in hours, a saving, a
    # unit cost and a printed figure by year, all in £000: every cell as postcost's JSON
    source = tmp_path / "savings.yaml"
    source.write_text(SAVINGS, encoding="utf-8")
    data = json_report(run, source)
    lines = data["themes"][0]["lines"]
    assert Decimal(lines[0]["cost"]) < 0 and lines[2]["cost"] == "-12300.00" and lines[3]["cost"] == "1750.00"
    assert lines[4]["financial_years"] == {"2021/22": "-4500.00", "2022/23": "-1250.00"}
    assert_computes_as_postcost(run, source, tmp_path / "savings.xlsx")


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(
    st.text(),
    st.text(alphabet="AB12 _x0009_&<>\"\n\t\x01é£"),
    st.sampled_from(["B12", "Social Worker", "_x0041_", "a\x00b", " lead", "trail ", "5 < 6", 'say "hi"']),
))
def test_the_worksheet_escapes_text_as_xlsxwriter_does(text):
    # the fast paths of xlsx.py's worksheet give exactly what XlsxWriter's own escaping gives
    from xlsxwriter.worksheet import Worksheet

    from postcost.xlsx import _sheet_class

    ours, theirs = _sheet_class()(), Worksheet()
    for name in ("_escape_attributes", "_escape_data", "_escape_control_characters"):
        assert getattr(ours, name)(text) == getattr(theirs, name)(text), name
    assert ours._escape_attributes(7) == theirs._escape_attributes(7)
