"""A CostReport as an Excel workbook an auditor can follow: inputs in cells, totals as formulas.

Sheet "Costing": one row per line with its inputs (FTE, months, annual salary, unit amount,
quantity), its cost as a live formula, sub-totals and the grand total as =SUM(...) formulas, and
postcost's own figure beside each for comparison. Sheet "Months": for each post, each run of
months costed alike, with the salary, NI rate and threshold and on-cost rates in cells and the
one-FTE monthly cost as a formula. A line's cost is =ROUND(FTE × SUMIFS(Months), 2): Excel's ROUND
rounds halves away from zero, as ROUND_HALF_UP does for costs. Excel computes in binary floating
point, so the "postcost" column (exact Decimal arithmetic) is the figure of record.
"""

from __future__ import annotations

from pathlib import Path

from postcost.engine import CostReport
from postcost.errors import PostcostError, Problem
from postcost.explain import group_months
from postcost.report import describe_period, footer_lines

MONEY = "#,##0.00"
RATE = "0.00%"


def write_workbook(report: CostReport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Costing"
    months = book.create_sheet("Months")

    months.append(["line", "months", "from", "to", "annual salary", "fraction of a month", "pay (1 FTE)",
                   "NI rate", "NI annual threshold", "NI (1 FTE)", "on-cost rate (sum)", "on-costs (1 FTE)",
                   "per month (1 FTE)", "run (1 FTE)"])
    for cell in months[1]:
        cell.font = bold
    # rows are counted here: openpyxl's max_row looks at every cell, so asking it a row would take
    # time growing with the square of the lines (minutes for 10,000)
    r = 1
    for line in report.lines:
        for group in group_months(line.months):
            first = group[0]
            r += 1
            charges_ni = first.ni_period is not None and first.rule.employer_ni
            rate = sum((c.rate for c in first.on_costs), 0)
            months.append([
                line.position, len(group), f"{first.month:%Y-%m}", f"{group[-1].month:%Y-%m}",
                first.annual_salary, first.fraction, f"=E{r}/12*F{r}",
                first.ni_rate if charges_ni else 0, first.ni_threshold if charges_ni else 0,
                f"=MAX(0,H{r}*(E{r}-I{r})/12*F{r})", rate, f"=K{r}*G{r}", f"=G{r}+J{r}+L{r}", f"=B{r}*M{r}",
            ])
            for col, fmt in (("E", MONEY), ("G", MONEY), ("H", RATE), ("I", MONEY), ("J", MONEY), ("K", RATE),
                             ("L", MONEY), ("M", MONEY), ("N", MONEY)):
                months[f"{col}{r}"].number_format = fmt

    head = ["#", "Line", "Grade", "Point", "FTE", "Period", "Months", "Unit amount", "Quantity", "Cost £",
            "postcost £", "Funded by"]
    sheet.append([report.proposal.title, report.proposal.authority])
    sheet["A1"].font = bold
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = bold
    subtotal_cells = []
    r = 2
    for theme in report.themes:
        r += 1
        sheet.append([theme.position, theme.name])
        sheet.cell(r, 2).font = bold
        first_row = r + 1
        for line in theme.lines:
            r += 1
            if line.kind == "post":
                formula = f'=ROUND(E{r}*SUMIFS(Months!N:N,Months!A:A,A{r}),2)'
            elif line.kind == "unit_cost":
                formula = f"=ROUND(H{r}*I{r},2)"
            else:
                formula = f"=ROUND(H{r},2)"
            if line.funded_by:
                formula = f"=0*{formula[1:]}"
            sheet.append([
                line.position, line.title, line.grade or "", line.point or "", line.fte,
                describe_period(line), line.month_count if line.kind == "post" else None,
                line.unit_amount if line.kind == "unit_cost" else (line.exact if line.kind == "amount" else None),
                line.quantity, formula, line.cost, line.funded_by or "",
            ])
            for col in ("H", "J", "K"):
                sheet[f"{col}{r}"].number_format = MONEY
        last_row = r
        r += 1
        sheet.append(["", f"Sub-total: {theme.name}", *[""] * 7, f"=SUM(J{first_row}:J{last_row})", theme.subtotal])
        subtotal_cells.append(f"J{r}")
        for col in ("B", "J", "K"):
            sheet[f"{col}{r}"].font = bold
        sheet[f"J{r}"].number_format = sheet[f"K{r}"].number_format = MONEY
    r += 1
    sheet.append(["", "TOTAL", *[""] * 7, f"=SUM({','.join(subtotal_cells)})", report.grand_total])
    for col in ("B", "J", "K"):
        sheet[f"{col}{r}"].font = bold
    sheet[f"J{r}"].number_format = sheet[f"K{r}"].number_format = MONEY
    sheet.append([])
    for text in footer_lines(report):
        sheet.append(["", text])
    for col, width in zip("ABCDEFGHIJKL", (6, 48, 10, 8, 6, 16, 8, 12, 9, 14, 14, 20)):
        sheet.column_dimensions[col].width = width
    try:
        book.save(path)
    except OSError as exc:
        raise PostcostError([Problem(str(path), None, f"cannot be written: {exc.strerror or exc}")]) from None
