"""The command line: argv to loader/engine/report, output to stdout, problems to stderr.

Exit codes, as diff and grep use them: 0 all good; 1 ``check`` found figures that disagree;
2 bad input or usage. A PostcostError (a user's mistake) is printed as one line per problem; any
other exception is a bug in postcost and is left to raise.
"""

import enum
import errno
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from postcost import __version__
from postcost.errors import PostcostError, Problem, render_problems
from postcost.outfile import refuse_inputs, replacing, write_text

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


SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".xlsx": "xlsx"}
READ_NOT_WRITTEN = (".yaml", ".yml")  # postcost's input files: never an output, whatever --format says


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
    _tidy_console()


def _tidy_console() -> None:
    """Make any console safe to print to: a COLUMNS that is not a positive number (COLUMNS=0) is
    ignored, as if unset; on a console that is not UTF-8 (cp1252, ascii) what it cannot show is
    replaced by '?' rather than stopping the run. JSON and CSV go out as UTF-8 all the same
    (:func:`_utf8_stdout`)."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and not (columns.strip().isdigit() and int(columns) > 0):
        del os.environ["COLUMNS"]
    if not _is_utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    if not _is_utf8(sys.stderr) and hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(errors="backslashreplace")


def _is_utf8(stream: object) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("_", "-") in ("utf-8", "utf8")


def _utf8_stdout() -> object:
    """Standard output, reconfigured to UTF-8 if the console is not: JSON and CSV are UTF-8 files."""
    if not _is_utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="strict")
    return sys.stdout


@contextmanager
def _user_errors() -> Iterator[None]:
    """Print every problem a user can cause as 'postcost: error: FILE:LINE: ...' and exit 2."""
    try:
        yield
    except PostcostError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _print_problems(problems: list[Problem]) -> None:
    for text in render_problems(problems):
        print(f"postcost: error: {text}", file=sys.stderr)


def _write(output: Path | None, write: Callable[[object], None], *, utf8: bool = False) -> None:
    """``write(handle)`` to standard output (as UTF-8 when ``utf8``), or to the file ``output``,
    all or nothing (:mod:`postcost.outfile`)."""
    if output is None:
        write(_utf8_stdout() if utf8 else sys.stdout)
        return
    with _user_errors():
        write_text(output, write)


def _output_format(output: Path | None, format: "TotalFormat | None") -> str:
    """The format to write: --format if given, else the -o file's suffix, else the table."""
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in READ_NOT_WRITTEN or (format is None and suffix not in SUFFIX_FORMATS):
            written = ", ".join(SUFFIX_FORMATS)
            raise PostcostError([Problem(
                str(output), None, f"postcost does not write {suffix or 'files without a suffix'} files",
                f"name a file ending {written}; or, for any other name but .yaml, choose the content with --format",
            )])
    if format is not None:
        return format.value
    return SUFFIX_FORMATS[output.suffix.lower()] if output is not None else "table"


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
            "Inferred from the -o file's extension (.md, .csv, .json, .xlsx) when not given.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o",
            help="Write to this file instead of the screen. Never one of the files the run reads; the old "
            "file is replaced only once the new one is complete.",
        ),
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
        if output is not None:
            refuse_inputs(output, [file])
        loaded = load_proposal(file)
        if output is not None:  # before the costing, which may take a while
            refuse_inputs(output, loaded.files_read)
        chosen = _output_format(output, format)
        if chosen == "xlsx" and output is None:
            raise PostcostError([Problem(None, None, "xlsx is a binary workbook: give a file with -o FILE.xlsx")])
        report = cost_proposal(loaded)
    from postcost import report as render

    if chosen == "json":
        _write(output, lambda handle: render.write_json(report, handle), utf8=True)
    elif chosen == "markdown":
        _write(output, lambda handle: render.render_markdown(report, handle))
    elif chosen == "csv":
        _write(output, lambda handle: render.render_csv(report, handle), utf8=True)
    elif chosen == "xlsx":
        from postcost.xlsx import write_workbook

        with _user_errors():
            with replacing(output) as temporary:
                write_workbook(report, temporary)
    else:
        _write(output, lambda handle: render.render_table(report, file=handle))


class ExplainFormat(str, enum.Enum):
    text = "text"
    json = "json"


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
    format: Annotated[
        ExplainFormat,
        typer.Option("--format", "-f", help="text (for people) or json (each month's figures, for tools to re-add)."),
    ] = ExplainFormat.text,
) -> None:
    """Show how a line's cost is derived: grade, point and salary with their sources, FTE and months,
    then per month the pay, employer NI (rate and threshold) and on-costs, and the one rounding.
    """
    from postcost.engine import cost_proposal
    from postcost.explain import explain as explain_lines
    from postcost.explain import explain_json, find_lines
    from postcost.loader import load_proposal

    with _user_errors():
        report = cost_proposal(load_proposal(file))
        chosen = find_lines(report, line)
    if format is ExplainFormat.json:
        import json

        sys.stdout.write(json.dumps(explain_json(report, chosen), indent=2, ensure_ascii=False) + "\n")
    else:
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
    from postcost.loader import NotAProposal, load_proposal

    results, bad_input = [], []
    for file in files:
        try:
            results.append(check_proposal(load_proposal(file)))
        except NotAProposal as exc:  # a scale beside the proposals, as a pre-commit hook passes them
            print(f"postcost: {exc.problems[0].location}: a pay-scale file, not a proposal: not checked", file=sys.stderr)
        except PostcostError as exc:
            _print_problems(exc.problems)
            bad_input += exc.problems
    if format is CheckFormat.json:
        import json

        payload = {
            "ok": not bad_input and all(r.ok for r in results),
            "files": [render.check_json(r) for r in results],
            "errors": [render.problem_json(p) for p in bad_input],
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        if format is CheckFormat.github:
            sys.stdout.write(render.render_github_problems(bad_input))
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
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this .json file instead of the screen.")
    ] = None,
    pay_scale: Annotated[
        bool, typer.Option("--pay-scale", help="The schema of pay-scale files (authority, spine, employer_ni) instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of the proposal format (or, with --pay-scale, of pay-scale files), for
    editors and tools that validate YAML.

    Point a file at it with a first line '# yaml-language-server: $schema=PATH'.
    """
    from postcost.models import pay_scale_json_schema, proposal_json_schema

    if output is not None and output.suffix.lower() != ".json":
        with _user_errors():
            raise PostcostError([Problem(str(output), None, "a JSON Schema is written to a .json file", "name a file ending .json")])
    text = pay_scale_json_schema() if pay_scale else proposal_json_schema()
    _write(output, lambda handle: handle.write(text), utf8=True)


@app.command()
def scales(
    name: Annotated[
        str | None,
        typer.Argument(help="A shipped scale's name (an authority, a spine or an NI table) or a path; omit to list them.",
                       show_default=False),
    ] = None,
    pay_year: Annotated[
        str | None,
        typer.Option("--pay-year", help="The pay year to show, e.g. 2025/26 (default: the latest the scale has); "
                                        "for an NI table, the tax year (default: every one).", show_default=False),
    ] = None,
) -> None:
    """List the shipped pay scales of every kind, or show one: an authority's grades (bottom and top
    salaries and the annual cost of one full-time post with on-costs), a spine's points and salaries
    for a pay year, or an NI table's rates and thresholds, each with its sources.
    """
    from postcost import report as render
    from postcost.loader import load_pay_scale, load_scale_file, shipped_scales
    from postcost.models import Authority, Spine
    from postcost.scales_table import grade_costs, render_ni, render_scale_list, render_spine

    if name is None:
        with _user_errors():
            found = shipped_scales()
        render_scale_list(found)
        return
    with _user_errors():
        scale, path = load_scale_file(name, relative_to=Path.cwd())
        if isinstance(scale, Authority):
            authority = load_pay_scale(name, relative_to=Path.cwd())
            rows, year = grade_costs(authority, pay_year)
            render.render_grades(authority, rows, year)
        elif isinstance(scale, Spine):
            render_spine(scale, path, pay_year)
        else:
            render_ni(scale, path, pay_year)


@app.command()
def new(
    file: Annotated[Path | None, typer.Argument(help="The file to write (default: print it).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
    pay_scale: Annotated[
        bool, typer.Option("--pay-scale", help="Write a starter authority pay scale (grades on NJC points, on-costs) instead.")
    ] = False,
) -> None:
    """Write a commented starter proposal to edit: two themes, posts, a lump sum and a unit cost.
    With --pay-scale, a starter authority pay scale: grades on NJC points, a pension rate and employer NI.
    """
    from postcost.starter import STARTER, STARTER_PAY_SCALE

    default = "my-council.yaml" if pay_scale else "proposal.yaml"
    name = file.name if file else default
    text = STARTER_PAY_SCALE.format(name=name, stem=Path(name).stem) if pay_scale else STARTER.format(name=name)
    if file is None:
        sys.stdout.write(text)
        return
    with _user_errors():
        if file.suffix.lower() not in READ_NOT_WRITTEN:
            what = "a pay-scale file" if pay_scale else "a proposal"
            raise PostcostError([Problem(str(file), None, f"{what} is a .yaml file", f"name it {file.stem or default[:-5]}.yaml")])
        if file.exists() and not force:
            raise PostcostError([Problem(str(file), None, "already exists", "choose another name, or add --force to overwrite it")])
    _write(file, lambda handle: handle.write(text))
    then = f"show its grades with: postcost scales {file}" if pay_scale else f"cost it with: postcost total {file}"
    print(f"wrote {file}; {then}", file=sys.stderr)


@app.command("import")
def import_(
    file: Annotated[
        str, typer.Argument(help="The table: .txt (pasted), .csv, .tsv, .xlsx, .docx or .pdf; '-' for pasted text on standard input.",
                            show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the draft proposal to this .yaml file (default: print it)."),
    ] = None,
    table: Annotated[
        int | None, typer.Option("--table", help="Which table of the file (1 for the first; default: the one with most figures).",
                                 show_default=False),
    ] = None,
    pay_scale: Annotated[
        str | None, typer.Option("--pay-scale", help="Cost lines whose grade this scale has as posts (a shipped name or a .yaml file).",
                                 show_default=False),
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="The months costed, START..END (e.g. 2021-09..2022-03); default: the lines' own.",
                                 show_default=False),
    ] = None,
    pay_year: Annotated[
        str | None, typer.Option("--pay-year", help="Cost every month at this pay year's salaries (e.g. 2020/21).", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the -o file if it exists.")] = False,
) -> None:
    """Draft a proposal from a report's own costing table, as printed, and check its footing.

    Headings become themes, rows lines, 'Sub-total' and 'Total' rows the stated sub-totals and
    total; every printed figure goes in 'stated'. Each line is a figure (kind: figure) unless
    --pay-scale is given and a period is known: then lines whose grade the scale has are posts.
    Prints what it read and could not read, then the footing as 'postcost check' finds it.
    Exit 0 once the draft is written (whether or not the table adds up), 2 on bad input.
    """
    from postcost import importer
    from postcost import report as render
    from postcost.check import check_proposal
    from postcost.loader import load_proposal
    from postcost.text import printable

    with _user_errors():
        if table is not None and table < 1:
            raise PostcostError([Problem(None, None, f"--table {table}: tables are numbered from 1", "give --table 1 for the first")])
        if output is not None:
            if output.suffix.lower() not in READ_NOT_WRITTEN:
                raise PostcostError([Problem(str(output), None, "a proposal is a .yaml file", f"name it {output.stem or 'proposal'}.yaml")])
            if output.exists() and not force:
                raise PostcostError([Problem(str(output), None, "already exists", "choose another name, or add --force to replace it")])
        months = importer.parse_period(period) if period is not None else None
        year = importer.check_pay_year(pay_year) if pay_year is not None else None
        imported = importer.import_table(file, table=table, pay_scale=pay_scale, period=months, pay_year=year,
                                         draft_folder=output.parent if output is not None else None)
        if output is not None:
            refuse_inputs(output, imported.files_read)
    said = sys.stdout if output is not None else sys.stderr  # without -o, the draft itself goes to standard output
    for line in importer.summary(imported):
        print(printable(line), file=said)
    with _user_errors():
        if output is None:
            sys.stdout.write(imported.draft.text)
            sys.stdout.flush()
            checked = check_proposal(imported.loaded("the draft"))
        else:
            write_text(output, lambda handle: handle.write(imported.draft.text))
            print(f"Wrote {output}.", file=said)
            checked = check_proposal(load_proposal(output))  # as postcost check reads it
    render.render_check_table(checked, file=said)
    shown = output if output is not None else "FILE (the draft, saved)"
    print(f"Read the draft against the document, fill in what says FILL IN; then: postcost check {shown}", file=said)


def main() -> None:
    """The console script: a short-lived process, so two things a long-lived one needs are skipped
    (each measured with bench/run.py):

    - the cyclic garbage collector: a run's objects form no cycles worth collecting, and its full
      passes over 100,000 costed lines take about a second;
    - freeing every object and module one by one at exit, which takes about 60 ms after costing
      the July 2021 example and 0.7 s after 100,000 lines: once the output is flushed the
      process ends at once (os._exit, as mypy does). Every file written is closed by then.

    Ctrl-C and SIGTERM stop the run cleanly (a file being written is left as it was) with one
    line on stderr and the shell's code for the signal (130, 143). Standard output that is
    closed (``>&-``) or full (``/dev/full``) is one line on stderr and exit 2; a pipe whose
    reader has gone (``| head``) ends quietly, as Click does. Any other exception is a bug, and
    is left to Python to report."""
    gc.disable()
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, _stopped)
    if sys.stdout is None:  # started with standard output closed
        sys.stdout = _Closed()
    try:
        app()
        code: object = EXIT_OK  # pragma: no cover - Typer's app always ends with SystemExit
    except SystemExit as stop:
        code = stop.code
    except Stopped as stop:
        print(f"postcost: stopped by {signal.Signals(stop.signal).name}", file=sys.stderr)
        code = 128 + stop.signal
    except OSError as exc:
        code = _cannot_write_stdout(exc)
    _exit_at_once(code)


class Stopped(BaseException):
    """The run was asked to stop (Ctrl-C, SIGTERM): raised where it is, so that a file being
    written is cleaned up on the way out (:func:`postcost.outfile.replacing`)."""

    def __init__(self, signal: int):
        super().__init__(signal)
        self.signal = signal


def _stopped(signum: int, frame: object) -> None:
    raise Stopped(signum)


class _Closed:
    """Standard output when the process started without one: writing to it is an error."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


_STDOUT_ERRORS = (errno.EBADF, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EPIPE)


def _cannot_write_stdout(exc: OSError) -> int:
    """The exit code for an OSError from writing standard output (every file postcost reads or
    writes turns its own into a PostcostError, so what is left is the output stream); any other
    OSError is a bug and is raised."""
    if exc.errno not in _STDOUT_ERRORS:
        raise exc
    if exc.errno != errno.EPIPE:
        print(f"postcost: error: cannot write to standard output: {exc.strerror}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _exit_at_once(code: object) -> None:
    """End the process with ``code`` as sys.exit would (None is 0; text is printed, and is 1)."""
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
    except OSError as exc:  # what was still buffered could not be written
        sys.stdout = _Closed()  # so that nothing tries it again on the way out
        code = _cannot_write_stdout(exc) if code == EXIT_OK else code
    try:
        sys.stderr.flush()
    except OSError:  # nowhere left to say anything
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
