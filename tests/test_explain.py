"""`postcost explain`: the derivation of a line, chosen by position, theme or title."""

from __future__ import annotations

from conftest import EXAMPLES, JULY_2021


def test_explain_the_first_band_b_line(run):
    # para 61's first Band B line: 3 FTE Social Workers, MASH, printed £74,863
    result = run("explain", JULY_2021, "1.4")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "£32,234 a year" in out  # SCP 28, 2020/21 (NJC 2020/21 award)
    assert "employer NI 2021/22 (13.8% above £8,840 a year)" in out
    assert "pension 22.7%" in out
    assert "7 months" in out
    assert "cost: £74,864.11" in out  # 3 × 24,954.7025, derived in test_engine
    assert "https://gov.uk/guidance/rates-and-thresholds-for-employers-2021-to-2022" in out


def test_explain_shows_the_rate_per_month_across_the_2022_change(run):
    out = run("explain", EXAMPLES / "band-b-social-worker-2022-2026.yaml", "1.1").stdout
    assert "Apr 2022–Oct 2022 (×7): salary £34,723" in out and "NI 15.05%" in out
    assert "Nov 2022–Mar 2023 (×5): salary £34,723" in out
    assert "Apr 2025–Mar 2026 (×12): salary £39,152" in out and "NI 15% × (3,262.6667 − 416.6667)" in out


def test_a_theme_number_explains_all_its_lines(run):
    out = run("explain", JULY_2021, "9").stdout
    assert out.startswith("9.1 IT equipment per new starter")
    assert "£1,600.00 × 102 new starters" in out


def test_a_unique_title_chooses_a_line(run):
    out = run("explain", JULY_2021, "Group Manager").stdout
    assert out.startswith("4.1 Group Manager")


def test_an_ambiguous_title_lists_the_positions(run):
    result = run("explain", JULY_2021, "Social Worker")
    assert result.exit_code == 2
    assert "matches 4 lines: 1.4 (Social Worker), 1.5 (Social Worker), 1.6 (Social Worker), 8.3 (Social Worker)" in result.stderr


def test_an_unknown_line_is_a_clear_error(run):
    result = run("explain", JULY_2021, "12.1")
    assert result.exit_code == 2 and "no line '12.1'" in result.stderr


def test_on_costs_a_proposal_states_apply_throughout(run, write):
    path = write("""\
        title: t
        authority: a
        period: {start: 2024-04, end: 2024-04}
        on_costs: {rates: {on_costs: 0.2}, source: "para 5: 'plus 20% on-costs'"}
        themes: [{name: T, lines: [{title: Officer, annual_salary: 30000, fte: 1}]}]
    """)
    out = run("explain", path, "1.1").stdout
    # one month of £30,000 a year plus 20%: 30,000 × 1.2 ÷ 12 = £3,000.00
    assert "on-costs throughout: on_costs 20%" in out
    assert "source: stated in the proposal: para 5: 'plus 20% on-costs'" in out
    assert "cost: £3,000.00" in out
