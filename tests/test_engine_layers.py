"""The engine's layers and what it keeps: the loader does not import the engine; nothing is
cached between runs (a caller that edits a pay-scale file sees its new rates); new starters are
counted per distinct post of a CSV file."""

from __future__ import annotations

import ast
import shutil
from decimal import Decimal

from postcost import cost_proposal, load_proposal

from conftest import HEADER, ROOT

SRC = ROOT / "src" / "postcost"


def imports(module: str) -> set[str]:
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_layers_go_one_way():
    assert "postcost.engine" not in imports("loader")
    for lower in ("models", "scales", "method", "basis"):
        assert not {"postcost.engine", "postcost.loader"} & imports(lower), lower
    assert "pydantic" not in imports("method") and "postcost.loader" not in imports("method")


def test_a_pay_scale_edited_between_runs_is_read_anew(tmp_path):
    # a copy of the shipped scale, its spine and NI table; the pension rate of every on-cost rule
    # raised from 22.7% to 50% between two runs in one process must change the cost
    for name in ("nottinghamshire", "njc-spine", "employer-ni"):
        shutil.copy(ROOT / "pay_scales" / f"{name}.yaml", tmp_path / f"{name}.yaml")
    proposal = tmp_path / "p.yaml"
    proposal.write_text(HEADER.replace("pay_scale: nottinghamshire", "pay_scale: ./nottinghamshire.yaml")
                        + "themes:\n  - name: T\n    lines:\n      - {title: SW, grade: Band B, fte: 1}\n", encoding="utf-8")
    before = cost_proposal(load_proposal(proposal)).grand_total
    scale = tmp_path / "nottinghamshire.yaml"
    text = scale.read_text(encoding="utf-8")
    assert "pension: 0.227" in text
    scale.write_text(text.replace("pension: 0.227", "pension: 0.5"), encoding="utf-8")
    after = cost_proposal(load_proposal(proposal)).grand_total
    # Band B, SCP 28, £32,234 in 2020/21, 7 months: pay £18,803.1667; 27.3% more of it is £5,133.2645, and
    # the two costs, each rounded once to the penny, differ by £5,133.27
    assert after - before == Decimal("5133.27")


def test_new_starters_count_each_distinct_csv_post_with_its_rows(tmp_path):
    (tmp_path / "posts.csv").write_text(
        "theme,title,grade,fte,funded_by\n"
        "A,a,Band B,1,\nA,b,Band B,1,\nA,c,Band B,0.5,\nB,d,Band B,1.5,\nB,e,Band B,1,a grant\n", encoding="utf-8")
    proposal = tmp_path / "p.yaml"
    proposal.write_text(HEADER + "posts_csv: posts.csv\nthemes:\n  - name: Kit\n    lines:\n"
                        "      - {kind: unit_cost, title: laptops, unit_amount: 1000, quantity: new_starters}\n", encoding="utf-8")
    report = cost_proposal(load_proposal(proposal))
    (laptops,) = [line for line in report.lines if line.title == "laptops"]
    # ceil(1) + ceil(1) + ceil(0.5) + ceil(1.5) = 1 + 1 + 1 + 2 = 5; the grant-funded post is not a new starter
    assert laptops.quantity == 5
