"""No input a user can write produces a traceback; the same input always gives the same output."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from postcost.cli import app

from conftest import EXAMPLES

RUNNER = CliRunner()
EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
KEYS = [
    "title", "authority", "pay_scale", "pay_year", "period", "start", "end", "themes", "name", "lines",
    "kind", "grade", "point", "fte", "annual_salary", "amount", "unit_amount", "quantity", "stated",
    "stated_total", "full_year", "funded_by", "tolerance", "acknowledge", "check", "found", "reason",
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def run_on(text: str, *args: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.yaml"
        path.write_text(text, encoding="utf-8")
        return RUNNER.invoke(app, [*args, str(path)])


def assert_no_traceback(result, allowed=(0, 2)):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in allowed, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
    st.sampled_from(["Band B", "nottinghamshire", "2021-09", "2022-03", "2020/21", "amount", "unit_cost", "0.5", "1e9"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=6),
    ),
    max_leaves=30,
)


@SETTINGS
@given(document=documents)
def test_random_yaml_documents_never_give_a_traceback(document):
    assert_no_traceback(run_on(yaml.safe_dump(document, allow_unicode=True), "total"))


@st.composite
def mutations(draw):
    text = draw(st.sampled_from(EXAMPLE_TEXTS))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "char", "value"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "char" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.sampled_from(list(":-{}[]#&*!'\" 0.9x\t"))) + lines[i][k + 1:]
        elif ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = key + ": " + draw(st.sampled_from(["-1", "0", "2021-13", "Band Z", "[]", "{}", "", "no", "1e400", "~"])) + "\n"
        if not lines:
            lines = ["\n"]
    return "".join(lines)


@SETTINGS
@given(text=mutations())
def test_mutated_examples_never_give_a_traceback(text):
    assert_no_traceback(run_on(text, "total"))
    assert_no_traceback(run_on(text, "check"), allowed=(0, 1, 2))


def test_the_same_input_gives_byte_identical_output():
    for example in sorted(EXAMPLES.glob("*.yaml")):
        for args in (["total", "--format", "json"], ["total"], ["check", "--format", "json"], ["explain"]):
            first, second = (RUNNER.invoke(app, [*args, str(example)]) for _ in range(2))
            assert first.stdout == second.stdout and first.stdout
