"""Golden output: what each example prints, in every format, at a fixed width with no colour.

A change in what postcost prints for a shipped example shows here as a diff: the table, check,
explain (every line), JSON, CSV and markdown. After checking the new output by eye, refresh with:
python3 -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from postcost.cli import app

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
OUTPUTS = {  # golden file suffix: the command's arguments before the example
    "total.txt": ["total"],
    "check.txt": ["check"],
    "explain.txt": ["explain"],
    "json": ["total", "--format", "json"],
    "csv": ["total", "--format", "csv"],
    "md": ["total", "--format", "markdown"],
}


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden(monkeypatch, update_golden, example: Path, output: str):
    monkeypatch.chdir(ROOT)  # outputs name files as examples/NAME.yaml
    args = [*OUTPUTS[output], f"examples/{example.name}"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"{example.stem}.{output}"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_bytes(result.stdout_bytes)
    assert result.stdout_bytes == golden.read_bytes()
