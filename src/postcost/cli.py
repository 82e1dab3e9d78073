"""The command line: argv to loader/engine/report, output to stdout, problems to stderr.

Exit codes, as diff and grep use them: 0 all good; 1 ``check`` found figures that disagree;
2 bad input or usage. A PostcostError (a user's mistake) is printed as one line per problem; any
other exception is a bug in postcost and is left to raise.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from postcost import __version__
from postcost.errors import PostcostError

EXIT_OK, EXIT_DISAGREE, EXIT_BAD_INPUT = 0, 1, 2

app = typer.Typer(
    name="postcost",
    help="Cost UK public-sector posts and proposals exactly, and check the figures a report states.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


class TotalFormat(str, enum.Enum):
    table = "table"
    json = "json"


def _version(value: bool) -> None:
    if value:
        print(f"postcost {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Cost UK public-sector posts and proposals exactly, and check the figures a report states."""


@contextmanager
def _user_errors() -> Iterator[None]:
    """Print every problem a user can cause as 'postcost: error: FILE:LINE: ...' and exit 2."""
    try:
        yield
    except PostcostError as exc:
        for problem in exc.problems:
            print(f"postcost: error: {problem.render()}", file=sys.stderr)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _write(output: Path | None, write: Callable[[object], None]) -> None:
    if output is None:
        write(sys.stdout)
        return
    with _user_errors():
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                write(handle)
        except OSError as exc:
            from postcost.errors import Problem

            raise PostcostError([Problem(str(output), None, f"cannot be written: {exc.strerror or exc}")]) from None


FileArg = Annotated[str, typer.Argument(help="A proposal YAML file.", show_default=False)]


@app.command()
def total(
    file: FileArg,
    format: Annotated[
        TotalFormat, typer.Option("--format", "-f", help="table (for people) or json (for tools).")
    ] = TotalFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of the screen.")
    ] = None,
) -> None:
    """Cost a proposal: every line, the sub-total of each theme and the grand total.

    Posts cost FTE x one full-time post, month by month (pay, employer NI above the threshold,
    on-cost rates); each line is rounded once to the penny. The footer names the pay scale, the
    on-cost rules and the rounding policy.
    """
    from postcost.engine import cost_proposal
    from postcost.loader import load_proposal

    with _user_errors():
        report = cost_proposal(load_proposal(file))
    from postcost import report as render

    if format is TotalFormat.json:
        _write(output, lambda handle: handle.write(render.render_json(report)))  # type: ignore[attr-defined]
    else:
        _write(output, lambda handle: render.render_table(report, file=handle))  # type: ignore[arg-type]


@app.command()
def explain(
    file: FileArg,
    line: Annotated[
        str | None,
        typer.Argument(
            help="Which line: its position as numbered in the table (e.g. 1.4), a theme number (e.g. 4) for "
            "all its lines, or the line's title where that is unique. Omit for every line.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show how a line's cost is derived: grade, point and salary with their sources, FTE and months,
    then per month the pay, employer NI (rate and threshold) and on-costs, and the one rounding.
    """
    from postcost.engine import cost_proposal
    from postcost.explain import explain as explain_lines
    from postcost.explain import find_lines
    from postcost.loader import load_proposal

    with _user_errors():
        report = cost_proposal(load_proposal(file))
        chosen = find_lines(report, line)
    sys.stdout.write(explain_lines(report, chosen))


class CheckFormat(str, enum.Enum):
    table = "table"
    json = "json"
    github = "github"


@app.command()
def check(
    files: Annotated[list[str], typer.Argument(help="Proposal YAML files.", show_default=False)],
    format: Annotated[
        CheckFormat,
        typer.Option("--format", "-f", help="table (for people), json (for tools) or github (Actions annotations)."),
    ] = CheckFormat.table,
    show_all: Annotated[bool, typer.Option("--all", help="List figures that agree too, not only the others.")] = False,
) -> None:
    """Check every figure a proposal states: each line, sub-total and total against the computed
    figure, the printed table's footing, acknowledged slips and any budget envelope.

    A stated figure must equal the computed one rounded to its unit (whole pounds for whole-pound
    figures) unless the file states a tolerance with a reason. Exit 0 when every figure agrees or
    is acknowledged, 1 when any disagrees, 2 on bad input.
    """
    from postcost import report as render
    from postcost.check import check_proposal
    from postcost.loader import load_proposal

    results, bad_input = [], False
    for file in files:
        try:
            with _user_errors():
                results.append(check_proposal(load_proposal(file)))
        except typer.Exit:
            bad_input = True
    if format is CheckFormat.json:
        import json

        payload = {"ok": not bad_input and all(r.ok for r in results), "files": [render.check_json(r) for r in results]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        for result in results:
            if format is CheckFormat.github:
                sys.stdout.write(render.render_github(result))
            else:
                render.render_check_table(result, show_all=show_all)
    if bad_input:
        raise typer.Exit(EXIT_BAD_INPUT)
    if not all(r.ok for r in results):
        raise typer.Exit(EXIT_DISAGREE)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
