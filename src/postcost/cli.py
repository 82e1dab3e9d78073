"""The command line: argv to loader/engine/report, output to stdout, problems to stderr.

Exit codes, as diff and grep use them: 0 all good; 1 ``check`` found figures that disagree;
2 bad input or usage. A PostcostError (a user's mistake) is printed as one line per problem; any
other exception is a bug in postcost and is left to raise.
"""

import enum
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from postcost import __version__
from postcost.errors import PostcostError, Problem, render_problems

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
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".xlsx": "xlsx", ".txt": "table"}


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
        for text in render_problems(exc.problems):
            print(f"postcost: error: {text}", file=sys.stderr)
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
            raise PostcostError([Problem(str(output), None, f"cannot be written: {exc.strerror or exc}")]) from None


FileArg = Annotated[str, typer.Argument(help="A proposal YAML file.", show_default=False)]


@app.command()
def total(
    file: FileArg,
    format: Annotated[
        TotalFormat | None,
        typer.Option(
            "--format", "-f",
            help="table (for people; the default), markdown (to paste into a report), csv (for "
            "spreadsheets), json (for tools) or xlsx (a workbook with live formulas; needs -o). "
            "Inferred from the -o file's extension when not given.",
            show_default=False,
        ),
    ] = None,
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

    chosen = format.value if format else SUFFIX_FORMATS.get(output.suffix.lower(), "table") if output else "table"
    with _user_errors():
        if chosen == "xlsx" and output is None:
            raise PostcostError([Problem(None, None, "xlsx is a binary workbook: give a file with -o FILE.xlsx")])
        report = cost_proposal(load_proposal(file))
    from postcost import report as render

    if chosen == "json":
        _write(output, lambda handle: render.write_json(report, handle))
    elif chosen == "markdown":
        _write(output, lambda handle: handle.write(render.render_markdown(report)))
    elif chosen == "csv":
        _write(output, lambda handle: render.render_csv(report, handle))
    elif chosen == "xlsx":
        from postcost.xlsx import write_workbook

        with _user_errors():
            write_workbook(report, output)
    else:
        _write(output, lambda handle: render.render_table(report, file=handle))


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


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of the screen.")] = None,
) -> None:
    """Print the JSON Schema of the proposal format, for editors and tools that validate YAML.

    Point a proposal at it with a first line '# yaml-language-server: $schema=PATH'.
    """
    from postcost.models import proposal_json_schema

    _write(output, lambda handle: handle.write(proposal_json_schema()))


@app.command()
def scales(
    name: Annotated[str | None, typer.Argument(help="A shipped scale's name or a path; omit to list them.", show_default=False)] = None,
    pay_year: Annotated[
        str | None,
        typer.Option("--pay-year", help="The pay year to cost, e.g. 2025/26 (default: the latest the scale has).", show_default=False),
    ] = None,
) -> None:
    """List the shipped pay scales, or show one scale's grades: bottom (and top) salaries and the
    annual cost of one full-time post with on-costs, for a pay year.
    """
    from postcost import report as render
    from postcost.loader import load_pay_scale, shipped_scale_names
    from postcost.scales_table import grade_costs

    if name is None:
        for scale_name in shipped_scale_names():
            print(scale_name)
        return
    with _user_errors():
        scale = load_pay_scale(name, relative_to=Path.cwd())
        rows, year = grade_costs(scale, pay_year)
    render.render_grades(scale, rows, year)


@app.command()
def new(
    file: Annotated[Path | None, typer.Argument(help="The file to write (default: print it).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Write a commented starter proposal to edit: two themes, posts, a lump sum and a unit cost."""
    from postcost.starter import STARTER

    text = STARTER.format(name=file.name if file else "proposal.yaml")
    if file is None:
        sys.stdout.write(text)
        return
    with _user_errors():
        if file.exists() and not force:
            raise PostcostError([Problem(str(file), None, "already exists", "choose another name, or add --force to overwrite it")])
    _write(file, lambda handle: handle.write(text))
    print(f"wrote {file}; cost it with: postcost total {file}", file=sys.stderr)


def main() -> None:
    """The console script: a short-lived process, so two things a long-lived one needs are skipped
    (each measured with bench/run.py):

    - the cyclic garbage collector: a run's objects form no cycles worth collecting, and its full
      passes over 100,000 costed lines take about a second;
    - freeing every object and module one by one at exit, which takes about 60 ms after costing
      the July 2021 example and 0.7 s after 100,000 lines: once the output is flushed the
      process ends at once (os._exit, as mypy does). Every file written is closed by then.

    Any exception other than the app's own exit is a bug, and is left to Python to report."""
    gc.disable()
    try:
        app()
        code: object = EXIT_OK  # pragma: no cover - Typer's app always ends with SystemExit
    except SystemExit as stop:
        code = stop.code
    _exit_at_once(code)


def _exit_at_once(code: object) -> None:
    """End the process with ``code`` as sys.exit would (None is 0; text is printed, and is 1)."""
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader of a pipe has gone: nothing more can be said
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
