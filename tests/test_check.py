"""`postcost check`: stated figures against computed ones, footing, acknowledgements, envelopes."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from postcost.check import ACKNOWLEDGED, DIFFERS, check_proposal
from postcost.loader import load_proposal

from conftest import EXAMPLES, HEADER, JULY_2021

BURY = EXAMPLES / "bury-2024-09-workforce-support.yaml"
STATED = re.compile(r"^(\s*(?:-\s+)?(?:stated|stated_subtotal|stated_total|stated_quantity):\s*)([0-9.]+)", re.M)


def check(path):
    return check_proposal(load_proposal(path))


def test_july_2021_checks_clean_and_shows_both_slips(run):
    result = run("check", JULY_2021)
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    # para 61: Departmental Reviews printed £262,816, its printed lines add to £262,813
    assert re.search(r"262,816\s+262,813\s+-3\s+acknowledged", out)
    # para 61: printed sub-totals add to £3,342,241, the printed total is £3,342,243
    assert re.search(r"3,342,243\s+3,342,241\s+-2\s+acknowledged", out)
    assert "0 differ" in out


def stated_figures(text: str):
    """(offset, figure, line) of each figure the report states; not the pins inside 'acknowledge'."""
    lines = text.splitlines()
    found = []
    for m in STATED.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if "check:" not in lines[line - 2]:
            found.append((m.start(2), m.group(2), line))
    return found


def test_every_stated_figure_of_july_2021_is_checked():
    # the file states 57 figures: 46 lines (47 less the externally funded one), 9 themes, the
    # total and the equipment line's quantity; check reports each at its line, as stated
    figures = stated_figures(JULY_2021.read_text(encoding="utf-8"))
    assert len(figures) == 47 + 9 + 1 + 1 - 1
    findings = {(f.line, f.stated) for f in check(JULY_2021).findings if f.check != "footing"}
    assert {(line, Decimal(figure)) for _, figure, line in figures} <= findings


@pytest.mark.parametrize("index", range(57))
def test_changing_any_stated_figure_by_1000_fails_at_its_line(write, index):
    text = JULY_2021.read_text(encoding="utf-8")
    offset, figure, line = stated_figures(text)[index]
    bumped = str(int(figure) + 1000)
    copy = write(text[:offset] + bumped + text[offset + len(figure):])
    result = check(copy)
    assert not result.ok
    failed = [f for f in result.findings if f.failed]
    assert any(f.line == line and f.stated == int(bumped) for f in failed), [(f.line, f.stated) for f in failed]


def test_changing_a_figure_by_1000_via_the_cli_names_figure_and_line(run, write):
    text = JULY_2021.read_text(encoding="utf-8").replace("stated: 74863\n", "stated: 75863\n", 1)
    path = write(text)
    result = run("check", path, "--format", "github")
    assert result.exit_code == 1
    # the first Band B 3 FTE line (1.4 Social Worker) states its cost on line 53 of the example
    assert f"::error file={path},line=53,title=postcost check::1.4 Social Worker: cost: stated 75,863, computed 74,864" in result.stdout


def test_bury_totals_381600_and_checks_clean(run):
    # Bury Council record of decision, 19 Sept 2024: 21,600 + 3 × 120,000 = £381,600
    result = check(BURY)
    assert result.report.grand_total == 381600
    assert result.ok and result.count(DIFFERS) == 0
    assert run("check", BURY).exit_code == 0


def test_an_envelope_below_the_total_fails_and_prints_the_shortfall(run, write):
    # Bury's four lump sums total £381,600 (above); an envelope of £300,000 is £81,600 short
    text = BURY.read_text(encoding="utf-8").replace(
        "funding:\n", "budget_envelope: {name: Test grant, amount: 300000}\nfunding:\n"
    )
    result = run("check", write(text))
    assert result.exit_code == 1
    assert "OVER BY £81,600" in result.stdout


def test_an_envelope_above_the_total_prints_the_headroom(run, write):
    text = BURY.read_text(encoding="utf-8").replace(
        "funding:\n", "budget_envelope: {name: Test grant, amount: 400000}\nfunding:\n"
    )
    result = run("check", write(text))
    assert result.exit_code == 0
    assert "headroom £18,400" in result.stdout  # 400,000 − 381,600


def test_a_changed_acknowledged_slip_fails(write):
    text = JULY_2021.read_text(encoding="utf-8").replace("found: 262813\n", "found: 262812\n")
    result = check(write(text))
    (failed,) = [f for f in result.findings if f.failed]
    assert failed.check == "footing" and "the figures changed" in failed.note


def test_an_acknowledgement_that_matches_nothing_fails(write):
    path = write(
        HEADER + "themes:\n  - name: T\n    lines:\n"
        "      - {kind: amount, title: a, amount: 100, stated: 100,\n"
        "         acknowledge: [{check: annual, stated: 1, found: 2, reason: old}]}\n"
    )
    result = check(path)
    (failed,) = [f for f in result.findings if f.failed]
    assert "matches no stated figure" in failed.note


def test_tolerance_needs_a_reason(run, write):
    path = write(HEADER + "tolerance: {amount: 5}\nthemes:\n  - name: T\n    lines:\n      - {kind: amount, title: a, amount: 1}\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert "tolerance: required key 'reason' is missing" in result.stderr


def test_pence_figures_are_checked_to_the_penny(write):
    # a stated £24,954.00 is written in pence, so it must match £24,954.70 to the penny: it differs
    path = write(HEADER + "themes:\n  - name: T\n    lines:\n      - {title: SW, grade: Band B, fte: 1, stated: 24954.00}\n")
    (finding,) = check(path).findings
    assert finding.status == DIFFERS and finding.found == __import__("decimal").Decimal("24954.70")


def test_financial_year_and_annual_figures(write):
    # 1 FTE Band B for 7 months at 2020/21 salary: £24,954.70 in 2021/22 (test_engine); annual £42,779.49
    path = write(
        HEADER + "themes:\n  - name: T\n    lines:\n"
        "      - title: SW\n        grade: Band B\n        fte: 1\n"
        "        stated: {annual: 42779.49, financial_years: {'2021/22': 24955}}\n"
    )
    result = check(path)
    assert [(f.check, f.status) for f in result.findings] == [("annual", "agrees"), ("financial_year", "agrees")]


def test_json_format(run):
    result = run("check", JULY_2021, BURY, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] is True and len(data["files"]) == 2
    acknowledged = [f for f in data["files"][0]["findings"] if f["status"] == ACKNOWLEDGED]
    assert {(f["stated"], f["computed"]) for f in acknowledged} == {("262816", "262813"), ("3342243", "3342241")}


def test_bad_file_among_good_ones_exits_2(run):
    result = run("check", BURY, "missing.yaml")
    assert result.exit_code == 2
    assert "missing.yaml: no such proposal file" in result.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_checks_clean(run, example: Path):
    # what CI runs: postcost check examples/*.yaml
    result = run("check", example)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_proposal_that_states_nothing_passes_but_says_so(write, run):
    path = write(HEADER + "themes:\n  - name: T\n    lines:\n      - {kind: amount, title: Lump, amount: 100}\n")
    result = run("check", path)
    assert result.exit_code == 0
    assert "OK, but nothing to check: no line, theme or total states a figure" in " ".join(result.stdout.split())
