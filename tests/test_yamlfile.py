"""The YAML reader: exact numbers, no duplicate keys, no tags, bounded aliases, line numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from postcost.errors import PostcostError
from postcost.yamlfile import parse_yaml


def problems(text: str) -> list[str]:
    with pytest.raises(PostcostError) as raised:
        parse_yaml(text, "f.yaml")
    return [p.render() for p in raised.value.problems]


def test_numbers_are_exact_decimals_from_their_text():
    doc = parse_yaml("a: 0.10\nb: 1600\nc: 1000.50\n", "f.yaml")
    assert doc.data == {"a": Decimal("0.10"), "b": 1600, "c": Decimal("1000.50")}
    assert str(doc.data["a"]) == "0.10"


@pytest.mark.parametrize(
    "text, hint",
    [
        ("1_0", "write it in plain digits, as 10, or 1.0 if the '_' is a mistyped point"),  # YAML 1.1 reads 10
        ("1_000.50", "write it in plain digits, as 1000.50"),
        ("-2_5", "write it in plain digits, as -25, or -2.5 if the '_' is a mistyped point"),
    ],
)
def test_numbers_with_underscores_are_refused_not_read_without_them(text, hint):
    (message,) = problems(f"a: {text}\n")
    assert message == f"f.yaml:1: '{text}': a number may not contain '_'\n  hint: {hint}"
    assert parse_yaml(f"a: '{text}'\nb: a_1\n", "f.yaml").data == {"a": text, "b": "a_1"}  # quoted, or not a number: text


def test_yes_and_no_stay_text_and_dates_stay_text():
    doc = parse_yaml("a: no\nb: yes\nc: true\nd: 2021-07-26\n", "f.yaml")
    assert doc.data == {"a": "no", "b": "yes", "c": True, "d": "2021-07-26"}


def test_duplicate_keys_name_both_lines():
    (message,) = problems("title: a\nfte: 1\ntitle: b\n")
    assert message.startswith("f.yaml:3: key 'title' is given twice (lines 1 and 3)")


def test_ambiguous_numbers_are_refused():
    (message,) = problems("a: 010\n")
    assert "f.yaml:1: '010' is an ambiguous number" in message


def test_python_tags_are_refused():
    (message,) = problems("a: !!python/object/apply:os.system ['echo hi']\n")
    assert "is not allowed" in message


def test_alias_bomb_fails_fast():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi")
    )
    (message,) = problems(bomb)
    assert "aliases expand this document far beyond its size" in message


def test_lines_are_recorded_for_keys_and_items():
    doc = parse_yaml("themes:\n  - name: A\n    lines:\n      - title: x\n", "f.yaml")
    assert doc.line_of(("themes", 0, "lines", 0, "title")) == 4
    assert doc.line_of(("themes", 0, "name")) == 2


def test_syntax_errors_give_a_line():
    (message,) = problems("a: [1, 2\nb: 3\n")
    assert message.startswith("f.yaml:") and "is not valid YAML" in message
