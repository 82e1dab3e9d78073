"""Shared fixtures: paths to the examples, a proposal written inline, and the CLI runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from postcost.cli import app

# No test asserts a time: hypothesis's per-example deadline (200 ms) is off for every property test,
# so a loaded machine cannot fail one.
settings.register_profile("postcost", deadline=None)
settings.load_profile("postcost")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
JULY_2021 = EXAMPLES / "nottinghamshire-2021-07-adults-recovery.yaml"

# A small Nottinghamshire proposal; tests append themes or lines to it.
HEADER = """\
title: Test proposal
authority: Nottinghamshire County Council
pay_scale: nottinghamshire
pay_year: 2020/21
period: {start: 2021-09, end: 2022-03}
"""


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name='p.yaml') -> path of a file holding the dedented text."""

    def _write(text: str, name: str = "p.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def run():
    """run(*args) -> click Result, with stdout and stderr kept apart."""
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "100", "NO_COLOR": "1"})

    return _run
