"""Output formats, the JSON Schema, `scales` and `new`."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import jsonschema
import openpyxl
import pytest

from postcost.models import proposal_json_schema
from postcost.money import round_pounds
from postcost.yamlfile import load_yaml

from conftest import EXAMPLES, HEADER, JULY_2021, ROOT


@pytest.fixture(scope="module")
def july_json():
    from typer.testing import CliRunner

    from postcost.cli import app

    return json.loads(CliRunner().invoke(app, ["total", str(JULY_2021), "--format", "json"]).stdout)


def json_lines(data):
    return [(line["position"], line["title"], Decimal(line["cost"])) for t in data["themes"] for line in t["lines"]]


def test_csv_agrees_with_json_line_by_line(run, july_json):
    out = run("total", JULY_2021, "--format", "csv").stdout_bytes.decode("utf-8-sig")  # after its byte-order mark
    rows = list(csv.DictReader(io.StringIO(out)))
    lines = [(r["position"], r["title"], Decimal(r["cost"])) for r in rows if r["row"] == "line"]
    assert lines == json_lines(july_json)
    (total,) = [r for r in rows if r["row"] == "total"]
    assert Decimal(total["cost"]) == Decimal(july_json["grand_total"])
    assert round_pounds(Decimal(total["cost"])) == Decimal("3342243")  # para 61's total
    assert total["cost_pounds"] == "3342243"  # as the table shows it: para 61's £3,342,243
    assert total["stated"] == "3342243"  # para 61's printed total, beside the computed one


def test_markdown_agrees_with_json_line_by_line(run, july_json):
    out = run("total", JULY_2021, "--format", "markdown").stdout
    rows = [r.split(" | ") for r in out.splitlines() if re.match(r"\| \d+\.\d+ \|", r)]
    shown = [(r[0].strip("| "), r[1], r[-1].strip(" |")) for r in rows]
    expected = [
        (pos, title if not title.startswith("Forensic") else shown[i][1], f"{cost.quantize(Decimal(1)):,}" if cost else "—")
        for i, (pos, title, cost) in enumerate(json_lines(july_json))
    ]
    assert shown == expected
    assert "| **TOTAL** |" in out and "**£3,342,243**" in out


def test_xlsx_has_live_formulas(run, tmp_path, july_json):
    path = tmp_path / "july.xlsx"
    result = run("total", JULY_2021, "-o", path)  # the format is inferred from the extension
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(path)["Costing"]
    head = [cell.value for cell in sheet[3]]
    cost, postcost = head.index("Cost £"), head.index("postcost £")
    (total,) = [row for row in sheet.iter_rows() if row[1].value == "TOTAL"]
    assert total[cost].value.startswith("=ROUND(SUM(")  # the grand-total cell is a formula
    # postcost's own figure beside it: the JSON's grand total, which prints as para 61's £3,342,243
    assert Decimal(str(total[postcost].value)) == Decimal(july_json["grand_total"])
    assert round_pounds(Decimal(str(total[postcost].value))) == Decimal("3342243")
    subtotals = [row[cost].value for row in sheet.iter_rows() if str(row[1].value).startswith("Sub-total:")]
    assert len(subtotals) == 9 and all(v.startswith("=SUMPRODUCT(ROUND(I") for v in subtotals)
    # a post's months are rows of the Months sheet, summed as ranges (tests/test_xlsx.py
    # evaluates every formula)
    first_post = [row for row in sheet.iter_rows() if row[0].value == "1.4"][0]
    assert "SUM(Months!K" in first_post[head.index("2021/22: c")].value


def test_xlsx_needs_an_output_file(run):
    result = run("total", JULY_2021, "--format", "xlsx")
    assert result.exit_code == 2 and "give a file with -o FILE.xlsx" in result.stderr


@pytest.mark.parametrize("suffix,start", [(".json", "{"), (".md", "**Adults"), (".csv", "row,")])
def test_output_format_follows_the_extension(run, tmp_path, suffix, start):
    path = tmp_path / f"out{suffix}"
    assert run("total", JULY_2021, "-o", path).exit_code == 0
    assert path.read_text(encoding="utf-8-sig").lstrip().startswith(start)  # a CSV file begins with a byte-order mark


def _outline(schema: dict) -> dict:
    """What the schema says of each object: its properties, required keys, and extra keys allowed.
    (pydantic versions differ in how they spell a Decimal's pattern; those details are not compared.)"""
    defs = {"<root>": schema, **schema.get("$defs", {})}
    return {
        name: (sorted(d.get("properties", {})), sorted(d.get("required", [])), d.get("additionalProperties"))
        for name, d in defs.items()
    }


def test_the_shipped_schema_is_up_to_date():
    # regenerate with: postcost schema -o schema/proposal.schema.json
    shipped = json.loads((ROOT / "schema" / "proposal.schema.json").read_text(encoding="utf-8"))
    assert _outline(shipped) == _outline(json.loads(proposal_json_schema()))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_schema_validates_every_example(example):
    schema = json.loads(proposal_json_schema())
    jsonschema.validate(load_yaml(example).data, schema)
    assert example.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/proposal.schema.json")


def test_schema_rejects_an_unknown_key():
    schema = json.loads(proposal_json_schema())
    data = load_yaml(JULY_2021).data
    data["themes"][0]["lines"][0]["grdae"] = "Band B"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_scales_lists_the_authorities_and_costs_grades(run):
    listing = run("scales").stdout
    for name, kind in (("nhs-afc", "authority"), ("nottinghamshire", "authority"), ("teachers-england", "authority"),
                       ("njc-spine", "spine"), ("employer-ni", "employer_ni")):
        assert re.search(rf"^  {name}\s+{kind}\s", listing, re.M), name
    out = run("scales", "nottinghamshire", "--pay-year", "2020/21").stdout
    # Band B bottom SCP 28 = £32,234 in 2020/21; a full 2020/21 year with 2020/21 NI (13.8% above
    # £8,788): 32,234 × 1.227 + 0.138 × (32,234 − 8,788) = 39,551.118 + 3,235.548 = £42,786.67
    assert re.search(r"Band B\s+28– \(top not known\)\s+32,234\s+—\s+42,787", out)


def test_new_writes_a_starter_that_costs(run, tmp_path):
    path = tmp_path / "mine.yaml"
    assert run("new", path).exit_code == 0
    assert run("total", path).exit_code == 0
    again = run("new", path)
    assert again.exit_code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_streamed_json_is_report_json(example):
    """write_json builds each line's text from pieces (figures encoded once); it must say exactly
    what encoding report_json's dictionary says, key order included."""
    from postcost.engine import cost_proposal
    from postcost.loader import load_proposal
    from postcost.report import report_json, write_json

    report = cost_proposal(load_proposal(example))
    written = io.StringIO()
    write_json(report, written)
    expected = json.dumps(report_json(report), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert written.getvalue() == expected


def test_streamed_json_is_report_json_for_what_no_example_has(write):
    """As above, for lines no example has: a stated salary (no grade or point), words and a
    funder to escape, a permanent post's full-year effect, a stated figure."""
    from postcost.engine import cost_proposal
    from postcost.loader import load_proposal
    from postcost.report import report_json, write_json

    path = write(HEADER + """\
themes:
  - name: 'Quotes "and" back\\slashes'
    lines:
      - {title: 'Lead “officer” – é', team: 'Team "A"', annual_salary: 41000, fte: 1, permanent: true}
      - {title: Funded, grade: Band B, fte: 0.5, funded_by: 'Public Health "grant"', stated: 100}
      - {title: Stated, point: "44", fte: 1, stated: 1000}
""")
    report = cost_proposal(load_proposal(path))
    written = io.StringIO()
    write_json(report, written)
    assert written.getvalue() == json.dumps(report_json(report), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert '"grade":null,"point":null' in written.getvalue() and '"full_year_effect":' in written.getvalue()


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_posts_alike_but_for_fte_share_one_basis(example):
    """Posts with the same grade, point and period share one PostBasis whatever their FTEs (the
    July example's Band B Social Workers at 3, 11 and 5 FTE do), which write_json encodes once;
    the test above holds that encoding to report_json's."""
    from postcost.engine import cost_proposal
    from postcost.loader import load_proposal

    report = cost_proposal(load_proposal(example))
    bases: dict[object, object] = {}
    for line in report.lines:
        if line.kind == "post":
            key = (line.grade, line.point, line.annual_salaries, line.start, line.end, line.full_year, line.increments)
            assert bases.setdefault(key, line.basis) is line.basis, line.position
