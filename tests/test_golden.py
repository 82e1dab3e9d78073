"""Golden output: each example's table and check output, at a fixed width with no colour.

A change in what postcost prints for a shipped example shows here as a diff. After checking the
new output by eye, refresh with:  python3 -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from postcost.cli import app

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("command", ["total", "check"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden(monkeypatch, update_golden, example: Path, command: str):
    monkeypatch.chdir(ROOT)  # outputs name files as examples/NAME.yaml
    result = CliRunner().invoke(app, [command, f"examples/{example.name}"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"{example.stem}.{command}.txt"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
