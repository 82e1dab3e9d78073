"""postcost import: a report's table, as printed, to a draft proposal and its footing.

The table is paragraph 61 of Nottinghamshire County Council's report to its Adult Social Care and
Public Health Committee, 26 July 2021 ("Adults and Health Recovery from COVID"), copied from the
report's text into tests/fixtures/para61.txt. The tests write the same rows into a Word document
(python-docx), a workbook (openpyxl) and a PDF (fpdf2), and compare each draft with the
hand-written examples/nottinghamshire-2021-07-adults-recovery.yaml.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postcost import importer
from postcost.check import check_proposal
from postcost.loader import load_proposal

from conftest import JULY_2021, ROOT

PARA61 = ROOT / "tests" / "fixtures" / "para61.txt"


def para61_rows() -> list[list[str]]:
    """The table's rows as the report's text has them: each line with a tab, split at the tabs."""
    return [line.split("\t") for line in PARA61.read_text(encoding="utf-8").splitlines() if "\t" in line]


# --- writing the table into each format ----------------------------------------------------------


def write_docx(path: Path, rows: list[list[str]], *, before: int = 0) -> Path:
    """A Word document: a paragraph, ``before`` small tables that are not the costing, then the
    table. A heading row (a title alone) is one cell merged across the table, as Word does it."""
    import docx

    document = docx.Document()
    document.add_paragraph("61. The financial implications of resources requested in this report are as follows:")
    for n in range(before):
        other = document.add_table(rows=2, cols=2)
        other.cell(0, 0).text, other.cell(0, 1).text = "Report author", f"Officer {n + 1}"
        other.cell(1, 0).text, other.cell(1, 1).text = "Telephone", "0115 977 0000"
    table = document.add_table(rows=len(rows), cols=6)
    for row, cells in zip(table.rows, rows):
        word = row.cells  # once a row: python-docx works out the whole grid for each call
        if cells[0] and not any(cells[1:]):
            word[0].merge(word[5]).text = cells[0]
            continue
        for cell, text in zip(word, cells):
            cell.text = text
    document.save(path)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A workbook: figures as numbers in £#,##0 cells (FTE as numbers where they are plain),
    text as text, as a finance officer would type the table."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Para 61"
    for r, cells in enumerate(rows, 1):
        for c, text in enumerate(cells, 1):
            if not text:
                continue
            cell = sheet.cell(r, c)
            money = text.replace("£", "").replace(",", "")
            if c == 6 and money.isdigit():
                cell.value, cell.number_format = int(money), "£#,##0"
            elif c == 3 and r > 1 and text.replace(".", "", 1).isdigit():
                cell.value = Decimal(text) if "." in text else int(text)
            else:
                cell.value = text
    book.save(path)
    return path


def write_pdf(path: Path, rows: list[list[str]]) -> Path:
    """A PDF with the table ruled (cell borders), in a core font (Windows-1252 covers the
    table's £ and –), on as many pages as it takes, its header row repeated on each."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.add_page()
    pdf.set_font("helvetica", size=7)
    with pdf.table(col_widths=(70, 30, 20, 40, 70, 40), line_height=4, first_row_as_headings=True) as table:
        for cells in rows:
            row = table.row()
            for text in cells:
                row.cell(text)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def para61_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("para61")
    rows = para61_rows()
    return {
        "txt": PARA61,
        "docx": write_docx(folder / "para61.docx", rows, before=1),
        "xlsx": write_xlsx(folder / "para61.xlsx", rows),
        "pdf": write_pdf(folder / "para61.pdf", rows),
    }


# --- the July 2021 table, in every format ---------------------------------------------------------


def stated_figures(proposal):
    """Every printed figure: the total, and each theme's name, sub-total and lines' stated figures."""
    return proposal.stated_total.total, [
        (theme.name, theme.stated_subtotal.total, [None if line.stated is None else line.stated.total for line in theme.lines])
        for theme in proposal.themes
    ]


def titles(proposal):
    # the example writes "Specialist Resource x1 – Mosaic Financial Strategy"; para 61 prints "x1–"
    return [line.title.replace("x1–", "x1 –") for theme in proposal.themes for line in theme.lines]


def footings(result) -> set[tuple[str, Decimal, Decimal]]:
    return {(f.subject, f.stated, f.found) for f in result.findings if f.check == "footing"}


@pytest.mark.parametrize("kind", ["txt", "docx", "xlsx", "pdf"])
def test_the_july_2021_table_imports_to_the_examples_figures_and_footing(run, para61_files, tmp_path, kind):
    draft = tmp_path / "t.yaml"
    result = run("import", para61_files[kind], "-o", draft)
    assert result.exit_code == 0, result.stderr
    loaded = load_proposal(draft)
    example = load_proposal(JULY_2021)
    # 47 lines (11 + 4 + 2 + 6 + 4 + 5 + 7 + 7 + 1), 9 sub-totals and the total, the example's
    # figures all: titles and every stated figure as para 61 prints them
    assert sum(len(t.lines) for t in loaded.proposal.themes) == 47
    assert stated_figures(loaded.proposal) == stated_figures(example.proposal)
    assert titles(loaded.proposal) == titles(example.proposal)
    # the footing check finds the two slips the example acknowledges: Departmental Reviews'
    # lines add to 262,813, not the printed 262,816; the sub-totals to 3,342,241, not 3,342,243
    draft_checked, example_checked = check_proposal(loaded), check_proposal(example)
    assert footings(example_checked) <= footings(draft_checked)
    slips = {(f.subject, f.stated, f.found) for f in draft_checked.findings if f.check == "footing" and f.failed}
    assert ("theme 4 Departmental Reviews", Decimal(262816), Decimal(262813)) in slips
    assert ("total", Decimal(3342243), Decimal(3342241)) in slips
    # the printed lines themselves add to 3,342,238 (the sub-totals' 3,342,241, less Departmental
    # Reviews' 3): the draft of figures foots the total against them too
    assert slips == {("theme 4 Departmental Reviews", Decimal(262816), Decimal(262813)),
                     ("total", Decimal(3342243), Decimal(3342241)), ("total", Decimal(3342243), Decimal(3342238))}
    # and the summary printed straight after the import shows them
    assert "262,816     262,813     -3   DIFFERS" in result.stdout
    assert "3,342,243   3,342,241     -2   DIFFERS" in result.stdout
    assert "47 lines, 9 sub-totals, a total in 9 themes" in result.stdout
    assert run("check", draft).exit_code == 1


def test_a_pasted_draft_is_every_line_a_figure_with_its_row_as_a_comment(run, tmp_path):
    draft = tmp_path / "t.yaml"
    assert run("import", PARA61, "-o", draft).exit_code == 0
    text = draft.read_text(encoding="utf-8")
    assert text.count("- kind: figure") == 47
    assert "pay_scale" not in text
    # provenance: the row it came from and its cells, and the raw text of a figure read from a
    # footnoted cell ('1*', para 61's Business Analyst)
    assert ("      # line 36: Business Analyst | Band D | 1* | Temporary (Sept 21 – Mar 22) | "
            "Service Improvement Quality and Practice | £31,043\n") in text
    assert "        fte: 1   # '1*'\n" in text
    # the Forensic Social Worker prints 'Funded from Transforming Care Partnership' for its cost:
    # a figure of 1 FTE with no cost, its words kept
    assert "        note: \"printed: Funded from Transforming Care Partnership\"" in text


def test_with_a_pay_scale_and_period_the_posts_cost_as_the_hand_written_example(run, tmp_path):
    draft = tmp_path / "t.yaml"
    result = run("import", PARA61, "-o", draft, "--pay-scale", "nottinghamshire", "--period", "2021-09..2022-03",
                 "--pay-year", "2020/21")
    assert result.exit_code == 0, result.stderr
    assert "38 costed as posts, 8 amounts, 1 unit cost" in result.stdout
    loaded, example = load_proposal(draft), load_proposal(JULY_2021)
    ours, theirs = check_proposal(loaded), check_proposal(example)
    # every line's and theme's stated figure against its computed one: the same pairs as the
    # example's, so the same verdicts under the example's tolerance (£4, and £2 where it says)
    pairs = lambda result: [(f.subject.split()[0], f.check, f.stated, f.found) for f in result.findings  # noqa: E731
                            if f.check in ("total", "quantity") and f.subject != "total"]
    assert pairs(ours) == pairs(theirs)
    assert [line.cost for line in ours.report.lines] == [line.cost for line in theirs.report.lines]
    assert ours.report.grand_total == theirs.report.grand_total
    # the draft states no tolerance (postcost never infers one): its differences of up to £4 show
    assert max(abs(f.difference) for f in ours.findings if f.check == "total" and f.subject != "total") == 4


def test_a_period_found_in_the_table_is_used_when_none_is_given(run, tmp_path):
    # para 61's lines print 'Temporary (Sept 21 - Mar 22)' and 'Temporary (Nov 21 – Mar 22)':
    # September 2021 to March 2022
    draft = tmp_path / "t.yaml"
    result = run("import", PARA61, "-o", draft, "--pay-scale", "nottinghamshire")
    assert result.exit_code == 0, result.stderr
    text = draft.read_text(encoding="utf-8")
    assert "period: {start: 2021-09, end: 2022-03}" in text
    assert '        start: "2021-11"   # \'Temporary (Nov 21 – Mar 22)\'\n' in text
    assert run("check", draft).exit_code in (0, 1)


def test_without_output_the_draft_goes_to_stdout_and_the_summary_to_stderr(run):
    result = run("import", PARA61)
    assert result.exit_code == 0
    assert result.stdout.startswith("# Drafted by 'postcost import' from para61.txt")
    from postcost.yamlfile import parse_yaml

    assert len(parse_yaml(result.stdout, "-").data["themes"]) == 9
    assert "Read " in result.stderr and "262,816     262,813     -3   DIFFERS" in result.stderr


def test_pasted_text_on_standard_input(run):
    from typer.testing import CliRunner

    from postcost.cli import app

    pasted = "Post\tGrade\tFTE\tCost\nOfficer\tBand A\t1\t£21,377\nTotal\t\t\t£21,377\n"
    result = CliRunner().invoke(app, ["import", "-"], input=pasted.encode(), env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert "stated_total: 21377" in result.stdout and "Read standard input" in result.stderr


# --- reading printed figures, grades and periods -------------------------------------------------


@pytest.mark.parametrize("cell, value, negative", [
    ("£74,863", "74863", False),
    ("74,864.11", "74864.11", False),
    ("(19)", "19", True),
    ("−19", "19", True),
    ("-£1,900", "1900", True),
    ("£ 312,000", "312000", False),
    ("³737.88", "737.88", False),  # a footnote digit run into the number
    ("1*", "1", False),
    ("£1,600 per new starter", "1600", False),
])
def test_figures_are_read_as_printed(cell, value, negative):
    printed = importer.read_number(cell)
    assert (printed.value, printed.negative) == (Decimal(value), negative)


def test_counts_read_fractions_and_placeholders_read_as_nothing():
    assert importer.read_number("4½", count=True).value == Decimal("4.5")
    assert importer.read_number("1**", count=True).value == 1
    for blank in ("", "n/a", "-", "–", "N/A"):
        assert importer.read_number(blank) is None
    for bad in ("74864,11", "two", "£1.2m"):
        with pytest.raises(importer.Unreadable):
            importer.read_number(bad)


@pytest.mark.parametrize("text, start, end, months, permanent", [
    ("Temporary (Sept 21 - Mar 22)", "2021-09", "2022-03", None, False),
    ("Sept 21 – Mar 22", "2021-09", "2022-03", None, False),
    ("1 November 2021 to 31 March 2022", "2021-11", "2022-03", None, False),
    ("15 Nov 2021 to 31 March 2022", "2021-11-15", "2022-03", None, False),
    ("to 31 March 2022", None, "2022-03", None, False),
    ("Extend temporary contract until March 2022", None, "2022-03", None, False),
    ("12 months", None, None, 12, False),
    ("Permanent", None, None, None, True),
])
def test_periods_are_read_as_printed(text, start, end, months, permanent):
    period = importer.read_period(text)
    assert (period.start, period.end, period.months, period.permanent) == (start, end, months, permanent)


def test_grades_in_a_title_are_found_when_the_table_has_no_grade_column(run, tmp_path):
    table = tmp_path / "t.txt"
    table.write_text("Post\tFTE\tCost\nSocial Worker (Band B)\t3\t£74,863\nClerk (Grade 5)\t1\t£18,033\n", encoding="utf-8")
    draft = tmp_path / "t.yaml"
    assert run("import", table, "-o", draft, "--pay-scale", "nottinghamshire", "--period", "2021-09..2022-03",
               "--pay-year", "2020/21").exit_code == 0
    text = draft.read_text(encoding="utf-8")
    assert "        grade: Band B\n" in text and "        grade: Grade 5\n" in text


def test_a_post_the_scale_cannot_cost_stays_a_figure_saying_why(run, tmp_path):
    # the shipped spine has no salaries for 2035/36: the post cannot be costed, so it stays what
    # the table prints, and the draft still loads
    table = tmp_path / "t.txt"
    table.write_text("Post\tGrade\tFTE\tCost\nOfficer\tBand A\t1\t£21,377\n", encoding="utf-8")
    draft = tmp_path / "t.yaml"
    result = run("import", table, "-o", draft, "--pay-scale", "nottinghamshire", "--period", "2035-04..2036-03")
    assert result.exit_code == 0, result.stderr
    assert "no line could be costed as a post" in result.stdout
    text = draft.read_text(encoding="utf-8")
    assert "      - kind: figure\n        title: Officer\n" in text
    assert "# not costed as a post: themes[0].lines[0].grade: no salary for point 23 in pay year 2035/36" in text
    assert run("check", draft).exit_code == 0


def test_a_grade_the_scale_lacks_stays_a_figure_with_what_to_fill_in(run, tmp_path):
    table = tmp_path / "t.txt"
    table.write_text("Post\tGrade\tFTE\tCost\nSocial Worker\tBand B\t3\t£74,863\nDirector\tPO4\t1\t£50,000\n", encoding="utf-8")
    draft = tmp_path / "t.yaml"
    assert run("import", table, "-o", draft, "--pay-scale", "nottinghamshire", "--period", "2021-09..2022-03").exit_code == 0
    text = draft.read_text(encoding="utf-8")
    assert "      - kind: figure\n        title: Director\n        grade: PO4   # not a grade of nottinghamshire" in text
    assert "      - title: Social Worker\n        grade: Band B\n" in text
    assert run("check", draft).exit_code in (0, 1)


# --- tables as printed: £000, savings, head counts, footing hints --------------------------------


def test_a_thousands_table_of_savings_imports_signed_and_foots(run, tmp_path):
    # £000: a new post 30, a deleted post (19): net 11, as printed; FTE 1 − 0.5 = 0.5
    table = tmp_path / "t.txt"
    table.write_text(
        "Item\tGrade\tFTE\t£000\n"
        "Office\t\t\t\n"
        "New case officer\tExecutive Officer\t1\t30\n"
        "Admission Order Office\tExecutive Officer\t(0.5)\t(19)\n"
        "Total\t\t0.5\t11\n", encoding="utf-8")
    draft = tmp_path / "t.yaml"
    result = run("import", table, "-o", draft)
    assert result.exit_code == 0, result.stderr
    text = draft.read_text(encoding="utf-8")
    assert "units: thousands" in text
    assert "        fte: 0.5   # '(0.5)'\n        saving: true\n" in text
    assert "stated_total: 11" in text and "stated_fte: 0.5" in text
    assert "OK: " in result.stdout


def test_a_table_that_does_not_foot_shows_the_difference_and_the_hint_straight_after_import(run, tmp_path):
    # printed lines 1,250 + 3,040 + 2,100 = 6,390, against a printed total of 6,750: 360 short,
    # which 3,400 printed as 3,040 would explain (3,400 − 3,040 = 360; no other pair of
    # neighbouring digits swapped in 1,250, 3,040 or 2,100 makes 360)
    table = tmp_path / "t.txt"
    table.write_text("Item\tCost\nAdvertising\t£1,250\nTraining\t£3,040\nVenue\t£2,100\nTotal\t£6,750\n", encoding="utf-8")
    result = run("import", table, "-o", tmp_path / "t.yaml")
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    assert "total: printed lines add up 6,750 6,390 -360 DIFFERS [1]" in shown
    assert "[1] hint: 1.2 printed £3,040 would foot as £3,400: two digits transposed?" in shown


def test_a_row_with_no_label_that_sums_the_rows_above_is_a_sub_total(run, tmp_path):
    table = tmp_path / "t.txt"
    table.write_text(
        "Item\tCost\nTraining\t\nCourse\t£1,000\nMentoring\t£500\n\t£1,500\nVenues\t\nHall\t£2,000\n\t£2,000\n\t£3,500\n",
        encoding="utf-8")
    draft = tmp_path / "t.yaml"
    result = run("import", table, "-o", draft)
    assert result.exit_code == 0
    data = load_proposal(draft).proposal
    assert [(t.name, t.stated_subtotal.total) for t in data.themes] == [("Training", 1500), ("Venues", 2000)]
    assert data.stated_total.total == 3500


def test_space_aligned_text_keeps_its_columns(run, tmp_path):
    table = tmp_path / "t.txt"
    table.write_text(
        "Job Title                 Grade     FTE    Total Cost\n"
        "Safeguarding\n"
        "Social Worker             Band B    3         £74,863\n"
        "Advertising                                    £1,900\n"
        "Sub Total:                                    £76,763\n", encoding="utf-8")
    draft = tmp_path / "t.yaml"
    assert run("import", table, "-o", draft).exit_code == 0
    theme = load_proposal(draft).proposal.themes[0]
    assert theme.name == "Safeguarding" and theme.stated_subtotal.total == 76763
    assert [(line.title, line.grade, line.fte, line.stated.total) for line in theme.lines] == [
        ("Social Worker", "Band B", 3, 74863), ("Advertising", None, None, 1900)]


def test_a_csv_table(run, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text('Post,Grade,FTE,Cost\nOfficer,Band A,1,"£21,377"\nTotal,,,"£21,377"\n', encoding="utf-8")
    draft = tmp_path / "t.yaml"
    assert run("import", table, "-o", draft).exit_code == 0
    assert load_proposal(draft).proposal.stated_total.total == 21377


def test_a_docx_heading_merged_across_the_table_is_read_once(tmp_path):
    # python-docx's row.cells gives a cell merged over six columns six times
    path = write_docx(tmp_path / "t.docx", para61_rows()[:3])
    rows = importer.read_tables(str(path))[0].rows
    assert rows[1].cells == ("Increased Safeguarding Demand", "", "", "", "", "")


def test_an_xlsx_figure_is_read_as_its_format_shows_it(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Post", "Cost"])
    sheet.append(["Officer", 24954.7])
    sheet["B2"].number_format = "#,##0"  # shown as 24,955: the printed figure
    book.save(tmp_path / "t.xlsx")
    assert importer.read_tables(str(tmp_path / "t.xlsx"))[0].rows[1].cells == ("Officer", "24955")


# --- every draft loads ---------------------------------------------------------------------------

_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["£1,070", "(19)", "−3", "1*", "4½", "n/a", "Band B", "Sub Total:", "TOTAL", "Permanent",
                     "Sept 21 - Mar 22", 'a "quoted": #text', "yes", "2021-09", "\u2028", "Funded from X", "£5 each"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=1, max_size=8), st.booleans())
def test_every_draft_loads(rows, costed):
    header = ["Job Title", "Grade", "FTE", "Total Cost"]
    table = importer.RawTable("table 1", tuple(importer.Row(f"line {n}", tuple(importer.clean(c) for c in cells))
                                               for n, cells in enumerate([header] + rows, 1)))
    try:
        costing = importer.read_costing("t.txt", [table])
    except importer.PostcostError:
        return  # no line with a figure: refused, with a message
    options = importer.Options()
    if costed:
        options = importer.Options(pay_scale="nottinghamshire", grades={"band b": "Band B"}, period=("2021-09", "2022-03"))
    draft = importer.draft_yaml(costing, options)
    importer.load_draft(draft.text, "draft")  # raises PostcostError if it does not load


# --- errors: one clear message, exit 2 -------------------------------------------------------------


def one_error(result, text: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("postcost: error:")]
    assert len(errors) == 1 and text in errors[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_file_with_no_table(run, tmp_path):
    prose = tmp_path / "letter.txt"
    prose.write_text("Dear Councillor,\n\nThank you for your letter about the proposal.\n", encoding="utf-8")
    one_error(run("import", prose), "letter.txt: has no table to import")


def test_a_document_with_no_table(run, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Social Worker, Band B: £74,863")
    document.save(tmp_path / "r.docx")
    one_error(run("import", tmp_path / "r.docx"), "r.docx: has no table to import")


def test_table_9_of_3(run, tmp_path):
    path = write_docx(tmp_path / "r.docx", para61_rows(), before=2)
    one_error(run("import", path, "--table", "9"), "r.docx: has 3 tables; --table 9 names none of them")
    # the default is the table with the most figures, the costing; --table 1 an author's box
    assert run("import", path, "-o", tmp_path / "t.yaml").exit_code == 0
    one_error(run("import", path, "--table", "1"), "table 1 has no lines with figures to import")


def test_an_encrypted_pdf(run, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    pdf.set_font("helvetica", size=8)
    pdf.cell(text="Social Worker   Band B   £74,863")
    pdf.output(str(tmp_path / "locked.pdf"))
    one_error(run("import", tmp_path / "locked.pdf"), "locked.pdf: is an encrypted (password-protected) PDF")


def test_a_scanned_pdf_with_no_text(run, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 120, 80, style="F")  # a page that is a picture: no text to read
    pdf.output(str(tmp_path / "scan.pdf"))
    one_error(run("import", tmp_path / "scan.pdf"), "scan.pdf: has no text to read (a scanned image?)")


@pytest.mark.parametrize("name, message", [
    ("r.pdf", "is not a PDF postcost can read"),
    ("r.docx", "is not a Word document postcost can read"),
    ("r.xlsx", "is not an Excel workbook postcost can read"),
    ("r.doc", "postcost cannot import .doc"),
])
def test_an_unreadable_file(run, tmp_path, name, message):
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 not what its name says")
    one_error(run("import", tmp_path / name), message)


def test_a_missing_file(run, tmp_path):
    one_error(run("import", tmp_path / "none.docx"), "none.docx: no such file")


@pytest.mark.parametrize("option, message", [
    (["--period", "2021-09"], "--period '2021-09': not START..END"),
    (["--period", "2022-03..2021-09"], "the period ends (2021-09) before it starts (2022-03)"),
    (["--pay-year", "2021"], "--pay-year: '2021' is not a financial year"),
    (["--table", "0"], "--table 0: tables are numbered from 1"),
    (["--pay-scale", "nowhere"], "nowhere"),
])
def test_bad_options(run, option, message):
    one_error(run("import", PARA61, *option), message)


def test_the_draft_is_never_written_over_a_file_without_force_nor_over_its_input(run, tmp_path):
    draft = tmp_path / "t.yaml"
    draft.write_text("kept", encoding="utf-8")
    one_error(run("import", PARA61, "-o", draft), "t.yaml: already exists")
    assert draft.read_text(encoding="utf-8") == "kept"
    assert run("import", PARA61, "-o", draft, "--force").exit_code == 0
    assert draft.read_text(encoding="utf-8").startswith("# Drafted by")
    same = tmp_path / "table.yaml"
    same.write_text(PARA61.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "table.txt").symlink_to(same)
    one_error(run("import", tmp_path / "table.txt", "-o", same, "--force"), "is a file this run reads")
    one_error(run("import", PARA61, "-o", tmp_path / "t.json"), "a proposal is a .yaml file")
