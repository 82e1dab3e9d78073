"""Output a finance officer can trust with hostile words in a proposal: no escape sequence or
bidirectional control reaches the terminal (table, check, explain, markdown), no CSV cell runs as
a spreadsheet formula or breaks its row, no annotation is forged, and JSON says every string
exactly."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rich.console import Console
from rich.text import Text

from postcost.engine import cost_proposal
from postcost.loader import load_proposal
from postcost.report import csv_row, render_table, report_json, write_json
from postcost.table import Column, Table, draw
from postcost.text import printable

from conftest import EXAMPLES, HEADER

# Every 1 FTE Band B line below costs £24,954.70 over HEADER's Sept 2021 - March 2022 at
# 2020/21 salaries (as tests/test_csv_posts.py derives it): 7 × 42,779.49 / 12 = 24,954.7025.
# What no terminal output may hold: C0 controls but none, DEL, C1 controls, bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# In YAML double quotes, \e is ESC, \a BEL, \x9b the C1 CSI, \u202e RIGHT-TO-LEFT OVERRIDE.
HOSTILE = HEADER.replace("title: Test proposal", 'title: "Clear \\e[2J screen\\r\\nsecond line"') + """\
meeting: "Committee \\a"
source: "Minutes \\x9b31m"
budget_envelope: {name: "Envelope \\e[5m", amount: 100}
funding:
  - {name: "Grant \\e]0;title\\a", amount: 1000, note: "note \\x7f \\u202eevil\\u202c"}
themes:
  - name: "Theme \\e[31m red"
    lines:
      - title: "Officer \\e[2J"
        team: "Team\\rX"
        grade: Band B
        fte: 1
        stated: 1
        acknowledge: [{check: total, stated: 1, found: 24955, reason: "slip \\e[2J\\nforged"}]
      - {title: "Worker \\u2066\\u202eright\\u2069", grade: Band B, fte: 1, funded_by: "Fund\\nX"}
"""


def test_printable_makes_one_line_of_safe_characters():
    assert printable("Officer \x1b[2J") == "Officer [2J"  # ESC left out; '[2J' is harmless
    assert printable("one\r\ntwo\nthree\rfour\tfive\u2028six") == "one two three four five six"
    # NUL, BEL, DEL and CSI left out; NEL (U+0085, a C1 line break) a space
    assert printable("a\x00b\x07c\x7fd\x85e\x9bf") == "abcd ef"
    assert printable("\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061cy") == "evil x y"
    words = "Lead “officer” – é £1,000 社会 \u00a0 \u200d"  # letters, symbols, NBSP and ZWJ stay
    assert printable(words) == words


def test_total_check_and_explain_print_no_control_character(write, run):
    path = write(HOSTILE)
    commands = [("total", path), ("check", path), ("check", "--all", path), ("explain", path),
                ("total", path, "--format", "markdown"), ("check", path, "--format", "github")]
    for args in commands:
        result = run(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert not UNSAFE.search(result.stdout), (args, UNSAFE.findall(result.stdout))
        assert not UNSAFE.search(result.stderr), (args, result.stderr)
        assert "\x1b" not in result.stdout_bytes.decode("utf-8")
    total = run("total", path).stdout
    assert "Clear [2J screen second line" in total  # one line: the CRLF is a space
    assert "Officer [2J" in total and "Worker right" in total and "24,955" in total
    explain = run("explain", path, "1.1").stdout
    assert explain.startswith("1.1 Officer [2J — Team X  [Theme [31m red]\n")
    assert "cost: £24,954.70" in explain
    check = run("check", path).stdout
    assert "slip [2J forged" in check  # the acknowledgement's reason, as a note


def test_explain_names_the_matching_lines_without_their_control_characters(write, run):
    path = write(HEADER + """\
themes:
  - name: A
    lines:
      - {title: "Officer \\e[2J one", grade: Band B, fte: 1}
      - {title: "Officer \\e[2J two", grade: Band B, fte: 1}
""")
    result = run("explain", path, "officer")
    assert result.exit_code == 2
    assert "1.1 (Officer [2J one), 1.2 (Officer [2J two)" in result.stderr and "\x1b" not in result.stderr


def test_a_styled_cell_keeps_its_styles_where_characters_are_left_out():
    title = Text("Officer \x1b[2J")
    title.append(" (funded)", style="dim")
    table = Table([Column("Line"), Column("Cost")])
    table.add_row(Text("Theme\x1b", style="bold"), "")
    table.add_row(title, "1")
    out = io.StringIO()
    draw(Console(file=out, width=60, force_terminal=True, color_system="standard"), table)
    text = out.getvalue()
    assert "\x1b[2J" not in text
    # rich's own escapes still style the cells: bold 'Theme', and dim from the note's first
    # character (one place earlier than in the Text given, the ESC before it being left out)
    assert "\x1b[1mTheme\x1b[0m" in text
    assert "Officer [2J\x1b[2m (funded)\x1b[0m" in text


def test_the_report_table_is_styled_by_rich_on_a_terminal(write, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    report = cost_proposal(load_proposal(write(HOSTILE)))
    out = io.StringIO()
    render_table(report, file=out, width=100)
    assert "\x1b[1m" in out.getvalue()  # bold theme names and totals: rich's styling works
    assert "\x1b[2J" not in out.getvalue() and "\x1b[31m" not in out.getvalue() and "\x1b]" not in out.getvalue()


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_text_cells_that_would_run_as_formulas_are_written_as_text(write, run):
    path = write(HEADER + """\
themes:
  - name: "@SUM(A1:A9)"
    lines:
      - {title: "=HYPERLINK(\\"http://example.org\\",\\"click\\")", team: "+44 115", grade: Band B, fte: 1}
      - {title: "-2+3", team: "\\tTabbed", grade: Band B, fte: 1, funded_by: "=1+1"}
      - {title: "\\rCarriage", grade: Band B, fte: 1, saving: true, stated: 19000.50}
      - {title: "Plain = fine", grade: Band B, fte: 1}
""")
    result = run("total", path, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfrow,")  # UTF-8's byte-order mark first
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4 + 1 + 1  # header, four lines, the sub-total, the total
    lines = [dict(zip(rows[0], row)) for row in rows[1:5]]
    assert [line["title"] for line in lines] == [
        "'=HYPERLINK(\"http://example.org\",\"click\")", "'-2+3", "'\rCarriage", "Plain = fine",
    ]
    assert [line["team"] for line in lines] == ["'+44 115", "'\tTabbed", "", ""]
    assert {line["theme"] for line in lines} == {"'@SUM(A1:A9)"}
    assert lines[1]["funded_by"] == "'=1+1"
    # numbers are never prefixed: the saving's stated −£19,000.50 and cost −£24,954.70 (the Band B
    # post of the other lines, deleted) are numbers a spreadsheet adds up
    assert lines[2]["stated"] == "-19000.50" and lines[2]["cost"] == "-24954.70"
    assert rows[5][5] == "Sub-total: @SUM(A1:A9)"  # begins with 'S': nothing to prefix


def test_a_carriage_return_or_line_feed_in_a_csv_cell_keeps_the_row_whole(write, run):
    path = write(HEADER + """\
themes:
  - name: A
    lines:
      - {title: "lone\\rreturn", team: "line\\nfeed", grade: Band B, fte: 1}
      - {title: "both\\r\\nends, and \\"quotes\\"", grade: Band B, fte: 1}
""")
    rows = list(csv.reader(io.StringIO(run("total", path, "--format", "csv").stdout_bytes.decode("utf-8-sig"))))
    assert len(rows) == 1 + 2 + 1 + 1
    assert (rows[1][5], rows[1][6]) == ("lone\rreturn", "line\nfeed")
    assert rows[2][5] == 'both\r\nends, and "quotes"'
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_csv_rows_are_as_the_csv_module_writes_them(example, run):
    """csv_row writes what csv.writer (quoting minimal, lines ending in a line feed) writes, on
    a version of Python that quotes a lone carriage return too."""
    out = run("total", example, "--format", "csv").stdout_bytes.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(out)))
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows(rows)
    assert out == expected.getvalue()
    assert "".join(map(csv_row, rows)) == out


def test_csv_row_quotes_what_would_end_a_cell_or_a_row():
    assert csv_row(["a", "b,c", 'say "hi"', "cr\r", "lf\n", "", "-1.50"]) == \
        'a,"b,c","say ""hi""","cr\r","lf\n",,-1.50\n'


# --- markdown, GitHub annotations ------------------------------------------------------------------


def test_a_line_break_or_pipe_in_markdown_cannot_break_a_row(write, run):
    path = write(HEADER + """\
themes:
  - name: "Theme | one"
    lines:
      - {title: "Officer\\nsecond | line\\rthird", grade: Band B, fte: 1}
""")
    out = run("total", path, "--format", "markdown").stdout
    table = [line for line in out.splitlines() if line.startswith("|")]
    # header, rule, theme, line, sub-total, total: six rows of six cells (#, Line, Grade, FTE,
    # Period, Cost), none split by the title's breaks or its pipe
    assert len(table) == 6 and all(re.sub(r"\\\|", "", row).count("|") == 7 for row in table)
    assert "| 1.1 | Officer second \\| line third | Band B | 1 |" in out
    assert "| **Theme \\| one** |" in out


def test_user_text_cannot_forge_a_github_annotation(write, run, tmp_path):
    path = write(HEADER + """\
themes:
  - name: A
    lines:
      - {title: "Officer\\n::error file=forged.yaml::forged\\r%0A", grade: Band B, fte: 1, stated: 1}
""", name="a,line=1:b.yaml")
    result = run("check", path, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("::error file=") and not lines[1].startswith("::")
    # the file name's ',' and ':' are escaped, so it cannot add a property; the title's line
    # breaks are spaces and its '%' is escaped, so it cannot begin a second command
    where = str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert lines[0].startswith(f"::error file={where},line=9,title=postcost check::1.1 Officer ::error")
    assert "forged %250A: cost: stated 1" in lines[0]


# --- JSON ----------------------------------------------------------------------------------------

AWKWARD = "a\x1bb\rc\nd\te\x00f\x7fg\x85h\x9bi\u2028j\u2029k\u202el\"m\\n/o"  # each character JSON must say


def test_json_says_every_string_exactly(write, run):
    awkward_yaml = json.dumps(AWKWARD)  # a JSON string is a YAML double-quoted string
    in_csv = AWKWARD.replace("\x00", "")  # a CSV holding NUL is refused as no text (UTF-16 without its BOM)
    csv_path = write(f"theme,title,team,grade,fte\nB,{csv_row([in_csv])[:-1]},T,Band B,1\n", "posts.csv")
    path = write(HEADER + f"""\
posts_csv: {csv_path.name}
funding:
  - {{name: {awkward_yaml}, note: {awkward_yaml}}}
themes:
  - name: {awkward_yaml}
    lines:
      - {{title: {awkward_yaml}, team: {awkward_yaml}, grade: Band B, fte: 1, funded_by: {awkward_yaml}}}
""")
    result = run("total", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (yaml_line,) = data["themes"][0]["lines"]
    (csv_line,) = data["themes"][1]["lines"]  # written by write_json's path for rows from a CSV file
    assert data["themes"][0]["name"] == AWKWARD
    assert (yaml_line["title"], yaml_line["team"], yaml_line["funded_by"]) == (AWKWARD, AWKWARD, AWKWARD)
    assert csv_line["title"] == in_csv
    assert data["funding"] == [{"name": AWKWARD, "amount": None, "source": None, "note": AWKWARD}]
    assert not re.search("[\x00-\x1f]", result.stdout.rstrip("\n"))  # C0 controls are \u escapes
    # and the streamed text is json.dumps's, to the character
    report = cost_proposal(load_proposal(path))
    written = io.StringIO()
    write_json(report, written)
    assert written.getvalue() == json.dumps(report_json(report), ensure_ascii=False, separators=(",", ":")) + "\n"
    # the same words, a CSV row's among them, in a table and explained: none of them unsafe
    for args in (("total", path), ("explain", path)):
        result = run(*args)
        assert result.exit_code == 0 and not UNSAFE.search(result.stdout), args
