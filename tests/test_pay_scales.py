"""The pay-scale format (its JSON Schema, stated confidence, open-ended on-cost rules), the
starter `postcost new --pay-scale` writes, browsing any scale with `postcost scales`, and old
(pre-2019) NJC points named in a proposal.

Figures: NJC spine points as pay_scales/njc-spine.yaml has them, with the sources it names
(2024/25 and 2025/26 derived in docs/sources/frameworks/njc-2024-2026.md); employer NI as
pay_scales/employer-ni.yaml has it (2025/26: 15% above £5,000 a year; 2021/22: 13.8% above
£8,840; 2018/19: 13.8% above £8,424; 2019/20: 13.8% above £8,632).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import jsonschema
import pytest

from postcost.engine import cost_proposal
from postcost.errors import PostcostError
from postcost.loader import _shipped_folder, load_pay_scale, load_proposal, load_scale_file, shipped_scales
from postcost.models import pay_scale_json_schema
from postcost.yamlfile import load_yaml

from conftest import ROOT

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/pay-scale.schema.json"
DERBYSHIRE = ROOT / "tests" / "fixtures" / "derbyshire.yaml"
SHIPPED = sorted(_shipped_folder().glob("*.yaml"))


def _outline(schema: dict) -> dict:
    """Each object's properties, required keys and whether extra keys are allowed (as
    tests/test_formats.py compares the proposal schema)."""
    defs = {"<root>": schema, **schema.get("$defs", {})}
    return {
        name: (sorted(d.get("properties", {})), sorted(d.get("required", [])), d.get("additionalProperties"))
        for name, d in defs.items()
    }


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(pay_scale_json_schema())


# --- the schema ----------------------------------------------------------------------------------


def test_the_shipped_pay_scale_schema_is_up_to_date(schema):
    # regenerate with: postcost schema --pay-scale -o schema/pay-scale.schema.json
    shipped = json.loads((ROOT / "schema" / "pay-scale.schema.json").read_text(encoding="utf-8"))
    assert _outline(shipped) == _outline(schema)
    assert shipped["discriminator"]["propertyName"] == "kind"


def test_schema_command_prints_and_writes_the_pay_scale_schema(run, tmp_path, schema):
    assert json.loads(run("schema", "--pay-scale").stdout) == schema
    path = tmp_path / "pay-scale.schema.json"
    assert run("schema", "--pay-scale", "-o", path).exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8")) == schema
    assert json.loads(run("schema").stdout)["title"] == "postcost proposal"  # without --pay-scale: as before


@pytest.mark.parametrize("scale", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scale_names_the_schema_and_validates_against_it(scale, schema):
    assert scale.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    jsonschema.validate(load_yaml(scale).data, schema)


def test_the_fixture_authority_validates_against_the_schema(schema):
    assert DERBYSHIRE.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/pay-scale.schema.json")
    jsonschema.validate(load_yaml(DERBYSHIRE).data, schema)


def test_schema_requires_confidence_and_knows_the_kinds(schema):
    data = load_yaml(DERBYSHIRE).data
    del data["grades"]["Grade 4"]["confidence"]
    with pytest.raises(jsonschema.ValidationError, match="'confidence' is a required property"):
        jsonschema.validate(data, schema)
    data = load_yaml(DERBYSHIRE).data
    data["kind"] = "authorty"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data = load_yaml(DERBYSHIRE).data
    del data["on_costs"][1]["start"]  # an end is optional; a start is not
    with pytest.raises(jsonschema.ValidationError, match="'start' is a required property"):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("scale", SHIPPED, ids=lambda p: p.name)
def test_no_shipped_scale_cites_a_document_outside_the_repository(scale):
    text = scale.read_text(encoding="utf-8")
    assert "pay-data.md" not in text
    for cited in re.findall(r"docs/sources/[\w/.-]+\.md", text):
        assert (ROOT / cited).is_file(), cited


# --- the starter ---------------------------------------------------------------------------------


def test_new_pay_scale_writes_a_starter_that_validates_and_costs(run, tmp_path, schema):
    scale = tmp_path / "my-council.yaml"
    result = run("new", "--pay-scale", scale)
    assert result.exit_code == 0, result.stderr
    assert f"postcost scales {scale}" in result.stderr
    jsonschema.validate(load_yaml(scale).data, schema)
    assert load_pay_scale(str(scale)).authority.on_costs[0].end is None  # open-ended, as the starter says
    proposal = tmp_path / "p.yaml"
    proposal.write_text("""\
title: A post on the starter scale
authority: Example Borough Council
pay_scale: my-council.yaml
pay_year: 2025/26
period: {start: 2025-04, end: 2026-03}
themes:
  - name: T
    lines:
      - {title: Officer, grade: Grade 3, fte: 1}
""", encoding="utf-8")
    report = cost_proposal(load_proposal(proposal))
    # Grade 3's bottom is SCP 8, £26,824 in 2025/26; the starter's assumed 20% pension, employer NI
    # 15% above £5,000 for every 2025/26 pay day (30 Apr 2025 to 31 Mar 2026):
    # 26,824 × 1.20 + 0.15 × (26,824 − 5,000) = 32,188.80 + 3,273.60 = £35,462.40
    assert report.grand_total == Decimal("35462.40")
    again = run("new", "--pay-scale", scale)
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_new_pay_scale_prints_without_a_file_and_refuses_another_suffix(run, tmp_path):
    printed = run("new", "--pay-scale").stdout
    assert printed.startswith("# yaml-language-server: $schema=pay-scale.schema.json\n")
    assert "\nkind: authority\n" in printed and "confidence: L" in printed
    result = run("new", "--pay-scale", tmp_path / "scale.txt")
    assert result.exit_code == 2 and "a pay-scale file is a .yaml file" in result.stderr


# --- open-ended and overlapping on-cost rules ----------------------------------------------------


def test_an_open_ended_rule_is_in_force_until_changed():
    scale = load_pay_scale(str(DERBYSHIRE))
    first, second = scale.authority.on_costs
    assert scale.on_cost_rule(date(2023, 3, 31)) is first
    assert scale.on_cost_rule(date(2023, 4, 1)) is second
    assert scale.on_cost_rule(date(2040, 3, 31)) is second  # no end: still in force
    assert scale.on_cost_rule(date(2019, 3, 31)) is None  # before any rule


def _authority(tmp_path, rules: str):
    path = tmp_path / "council.yaml"
    path.write_text(f"""\
kind: authority
name: council
authority: Test Council
spine: njc-spine
grades:
  G: {{bottom: 10, source: test grade, confidence: H}}
on_costs:
{rules}""", encoding="utf-8")
    return path


def test_rules_that_meet_end_to_end_are_accepted(tmp_path):
    path = _authority(tmp_path, """\
  - {start: 2019-04-01, end: 2023-03-31, employer_ni: true, source: a, confidence: H}
  - {start: 2023-04-01, employer_ni: true, source: b, confidence: H}
""")
    assert len(load_pay_scale(str(path)).authority.on_costs) == 2


@pytest.mark.parametrize("rules,message", [
    ("""\
  - {start: 2023-04-01, employer_ni: true, source: a, confidence: H}
  - {start: 2019-04-01, end: 2023-04-01, employer_ni: true, source: b, confidence: H}
""", "on_costs[1]: this rule (from 2019-04-01 to 2023-04-01) and on_costs[0] (from 2023-04-01, no end) overlap"),
    ("""\
  - {start: 2019-04-01, end: 2023-03-31, employer_ni: true, source: a, confidence: H}
  - {start: 2020-04-01, end: 2020-09-30, employer_ni: true, source: b, confidence: H}
""", "on_costs[1]: this rule (from 2020-04-01 to 2020-09-30) and on_costs[0] (from 2019-04-01 to 2023-03-31) overlap"),
])
def test_overlapping_rules_are_refused_naming_both(tmp_path, rules, message):
    path = _authority(tmp_path, rules)
    with pytest.raises(PostcostError) as caught:
        load_pay_scale(str(path))
    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.line == 9  # the later rule of the two
    assert problem.message.startswith(message)


# --- browsing ------------------------------------------------------------------------------------


def test_scales_lists_every_shipped_scale_of_every_kind(run):
    out = run("scales").stdout
    listed = {(s.name, s.kind) for s in shipped_scales()}
    expected = {(p.stem, load_yaml(p).data["kind"]) for p in SHIPPED if p.stem != "no-grades"}
    assert listed == expected
    assert {"authority", "spine", "employer_ni"} <= {kind for _, kind in listed}
    for path in SHIPPED:
        data = load_yaml(path).data
        if path.stem != "no-grades":
            title = data.get("title") or data["authority"]
            assert re.search(rf"^  {re.escape(path.stem)}\s+{data['kind']}\s+{re.escape(title)}$", out, re.M), path.stem
    assert "no-grades" not in out  # postcost's own scale for stated salaries, not one to name


def test_scales_shows_the_spine_for_a_pay_year(run):
    result = run("scales", "njc-spine", "--pay-year", "2025/26")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # 2025/26 = 2024/25 × 1.032 to the nearest pound: SCP 2 £24,413, SCP 43 £54,495
    # (docs/sources/frameworks/njc-2024-2026.md, the spine table), confidence M
    assert re.search(r"^\s+2\s+24,413\s+M$", out, re.M)
    assert re.search(r"^\s+43\s+54,495\s+M$", out, re.M)
    assert "Source [M]: NJC award 2025/26: +3.2% on all points from 1 April 2025" in out
    assert "Old SCP" not in out


def test_scales_shows_old_point_numbers_before_2019(run):
    out = run("scales", "njc-spine", "--pay-year", "2017/18").stdout
    assert "Points are the old (pre-2019) SCP numbers" in out and "New SCP from 2019/20" in out
    # the 2017/18 column and the assimilation table of pay_scales/njc-spine.yaml: old SCP 6 £15,014
    # became new SCP 1; old SCP 49 £43,821 became 43 (old n became n − 6 for n ≥ 29); old SCP 22
    # (£20,661, confidence M in 2017/18: old SCP 20–28 are M) became 12
    assert re.search(r"^\s+6\s+15,014\s+H\s+1$", out, re.M)
    assert re.search(r"^\s+22\s+20,661\s+M\s+12$", out, re.M)
    assert re.search(r"^\s+49\s+43,821\s+H\s+43$", out, re.M)
    assert "Assimilation [H]: NJC 2018-20 pay agreement" in out


def test_scales_shows_the_ni_table(run):
    out = run("scales", "employer-ni").stdout
    assert re.search(r"^  2025/26\s+6 Apr 2025 – 5 Apr 2026\s+15%\s+5,000\s+0.5%\s+H\s+\[\d+\]$", out, re.M)
    # 2022/23 in two periods: 15.05% for pay days to 5 November 2022, then 13.8%
    assert re.search(r"^  2022/23\s+6 Apr 2022 – 5 Nov 2022\s+15.05%\s+9,100", out, re.M)
    assert re.search(r"^  2022/23\s+6 Nov 2022 – 5 Apr 2023\s+13.8%\s+9,100", out, re.M)
    assert re.search(r"^  2016/17\s+6 Apr 2016 – 5 Apr 2017\s+13.8%\s+8,112\s+—", out, re.M)  # no levy before 2017
    assert "https://www.gov.uk/guidance/rates-and-thresholds-for-employers-2018-to-2019" in out
    one = run("scales", "employer-ni", "--pay-year", "2021/22").stdout
    assert "2021/22" in one and "2020/21" not in one


def test_scales_shows_a_user_written_authority(run):
    result = run("scales", DERBYSHIRE, "--pay-year", "2025/26")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # one FTE for the twelve months of 2025/26 at the grade's bottom, the fixture's 25% pension
    # and employer NI 15% above £5,000:
    # Grade 4, SCP 7 £26,403: 26,403 × 1.25 + 0.15 × 21,403 = 33,003.75 + 3,210.45 = 36,214.20
    # Grade 6, SCP 17 £31,022: 31,022 × 1.25 + 0.15 × 26,022 = 38,777.50 + 3,903.30 = 42,680.80
    assert re.search(r"Grade 4\s+7–10\s+26,403\s+27,694\s+36,214$", out, re.M)  # top SCP 10: £27,694
    assert re.search(r"Grade 6\s+17–22\s+31,022\s+33,699\s+42,681$", out, re.M)  # top SCP 22: £33,699
    assert re.search(r"Grade 9\s+31– \(top not known\)\s+41,771\s+—\s+", out, re.M)
    earlier = run("scales", DERBYSHIRE, "--pay-year", "2021/22").stdout
    # 2021/22, under the fixture's first rule (19%): SCP 7 £20,444; NI 13.8% above £8,840:
    # 20,444 × 1.19 + 0.138 × 11,604 = 24,328.36 + 1,601.352 = 25,929.712
    assert re.search(r"Grade 4\s+7–10\s+20,444\s+21,695\s+25,930$", earlier, re.M)


@pytest.mark.parametrize("args,message", [
    (("njc-spine", "--pay-year", "2031/32"), "njc-spine.yaml: has no salaries for pay year 2031/32"),
    (("employer-ni", "--pay-year", "2031/32"), "employer-ni.yaml: has no rates for tax year 2031/32"),
    (("njc-spin",), "pay scale 'njc-spin' is not a shipped scale or a file"),
])
def test_scales_refuses_what_it_cannot_show(run, args, message):
    result = run("scales", *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_scales_refuses_a_file_that_is_no_pay_scale(run, tmp_path):
    proposal = tmp_path / "proposal.yaml"
    proposal.write_text("title: x\nauthority: y\nthemes: []\n", encoding="utf-8")
    result = run("scales", proposal)
    assert result.exit_code == 2
    assert f"{proposal}:1: this is a proposal, not a pay-scale file" in result.stderr
    kindless = tmp_path / "kindless.yaml"
    kindless.write_text("name: x\ngrades: {}\n", encoding="utf-8")
    result = run("scales", kindless)
    assert "a pay-scale file needs a 'kind': authority, spine or employer_ni" in result.stderr
    assert "README.md, 'Writing a pay-scale file'" in result.stderr
    odd = tmp_path / "odd.yaml"
    odd.write_text("kind: spines\nname: x\n", encoding="utf-8")
    result = run("scales", odd)
    assert f"{odd}:1: kind: kind 'spines' is not a kind of pay-scale file" in result.stderr


def test_load_scale_file_reads_each_kind():
    for name, kind in (("nottinghamshire", "authority"), ("njc-spine", "spine"), ("employer-ni", "employer_ni")):
        scale, path = load_scale_file(name)
        assert scale.kind == kind and path.endswith(f"{name}.yaml")


# --- old (pre-2019) points -----------------------------------------------------------------------

OLD_POINT = """\
title: An old point
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
period: {{start: {start}, end: {end}}}
themes:
  - name: T
    lines:
      - {{title: Worker, point: "{point}", fte: 1}}
"""


@pytest.mark.parametrize("point", ["old 17", "Old 17", "old  17"])
def test_an_old_point_is_costed_at_its_old_salary_before_2019(write, point):
    report = cost_proposal(load_proposal(write(OLD_POINT.format(start="2018-04", end="2019-03", point=point))))
    # old SCP 17 in 2018/19: £18,672 (pay_scales/njc-spine.yaml); Nottinghamshire's 22.7% on-cost
    # rule; NI 13.8% above £8,424 for every 2018/19 pay day:
    # 18,672 × 1.227 + 0.138 × (18,672 − 8,424) = 22,910.544 + 1,414.224 = £24,324.768 → £24,324.77
    assert report.grand_total == Decimal("24324.77")


def test_an_old_point_is_costed_at_the_point_it_became_after_2019(write):
    report = cost_proposal(load_proposal(write(OLD_POINT.format(start="2019-04", end="2020-03", point="old 17"))))
    # old SCP 17 was assimilated to new SCP 6 in April 2019 (the spine's assimilation table):
    # SCP 6 in 2019/20 is £19,171; NI 13.8% above £8,632:
    # 19,171 × 1.227 + 0.138 × (19,171 − 8,632) = 23,522.817 + 1,454.382 = £24,977.199 → £24,977.20
    assert report.grand_total == Decimal("24977.20")
    (line,) = report.lines
    assert line.months[0].salary.note == "old SCP 17, assimilated to SCP 6 from 2019/20"


def test_explain_shows_the_old_point_and_the_point_it_became(run, write):
    path = write(OLD_POINT.format(start="2019-03", end="2019-04", point="old 17"))
    out = run("explain", path, "1.1").stdout
    assert "salary old SCP 17, 2018/19: £18,672 a year" in out
    assert "salary old SCP 17, 2019/20: £19,171 a year (the pay year in force, old SCP 17, assimilated to SCP 6 from 2019/20)" in out


def test_an_old_point_the_spine_never_had_is_an_error(run, write):
    result = run("total", write(OLD_POINT.format(start="2018-04", end="2019-03", point="old 99")))
    assert result.exit_code == 2
    assert "point 'old 99' is not on nottinghamshire's pay spine or local points" in result.stderr
