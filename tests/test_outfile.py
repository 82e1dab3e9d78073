"""Files postcost writes: never over an input, never half written; and any console or pipe.

The hostile cases are built here: symlinks and hard links to inputs, runs stopped with SIGTERM,
Ctrl-C (SIGINT) and SIGKILL in the middle of writing, standard output closed or full, consoles
that are not UTF-8.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from postcost.errors import PostcostError
from postcost.outfile import replacing, write_text

from conftest import EXAMPLES, JULY_2021

CSV_EXAMPLE = EXAMPLES / "csv-establishment.yaml"


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    """The examples (with their CSV folder) copied to a folder of their own."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path / "examples"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- never over an input -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["direct", "relative", "symlink", "hard link"])
@pytest.mark.parametrize("which", ["proposal", "posts CSV", "pay scale"])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(run, copies, monkeypatch, which, how):
    monkeypatch.chdir(copies)
    proposal = "csv-establishment.yaml"
    if which == "pay scale":  # a scale of the proposal's own, beside it
        shutil.copy(EXAMPLES.parent / "pay_scales" / "nottinghamshire.yaml", copies / "scale.yaml")
        text = (copies / proposal).read_text(encoding="utf-8").replace("pay_scale: nottinghamshire", "pay_scale: ./scale.yaml")
        (copies / proposal).write_text(text, encoding="utf-8")
    target = {"proposal": proposal, "posts CSV": "csv/establishment-posts.csv", "pay scale": "scale.yaml"}[which]
    if how == "relative":
        target = f"csv/../{target}"
    elif how in ("symlink", "hard link"):
        link = copies / "out.json"
        (os.symlink if how == "symlink" else os.link)(copies / target, link)
        target = "out.json"
    before = _snapshot(copies)
    result = run("total", proposal, "--format", "json", "-o", target)
    assert result.exit_code == 2, result.stdout
    assert "is a file this run reads" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert _snapshot(copies) == before  # nothing written, no temporary file left


@pytest.mark.parametrize("name", ["out.pdf", "out.xls", "out.txt", "out.yaml", "out"])
def test_a_suffix_postcost_does_not_write_is_refused(run, tmp_path, name):
    result = run("total", JULY_2021, "-o", tmp_path / name)
    assert result.exit_code == 2
    assert "postcost does not write" in result.stderr and ".json, .md, .markdown, .csv, .xlsx" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_explicit_format_may_choose_the_content_of_another_suffix(run, tmp_path):
    result = run("total", JULY_2021, "--format", "json", "-o", tmp_path / "figures.txt")
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "figures.txt").read_text(encoding="utf-8"))["grand_total"] == "3342242.59"
    assert run("total", JULY_2021, "--format", "csv", "-o", tmp_path / "p.yaml").exit_code == 2  # never a .yaml


def test_schema_and_new_write_only_their_own_kind_of_file(run, tmp_path):
    proposal = tmp_path / "p.yaml"
    proposal.write_text("title: mine\n", encoding="utf-8")
    assert run("schema", "-o", proposal).exit_code == 2
    assert proposal.read_text(encoding="utf-8") == "title: mine\n"
    assert run("new", tmp_path / "p.txt").exit_code == 2
    assert run("schema", "-o", tmp_path / "s.json").exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["title"]


# --- all or nothing ------------------------------------------------------------------------------


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("the good old file\n", encoding="utf-8")

    def half_then_interrupted(handle):
        handle.write('{"half": ')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text(target, half_then_interrupted)
    assert target.read_text(encoding="utf-8") == "the good old file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_complete_write_replaces_the_file_keeping_its_permissions(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, lambda handle: handle.write("new\n"))
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_folder_that_does_not_exist_is_one_clear_problem(tmp_path):
    with pytest.raises(PostcostError) as caught:
        with replacing(tmp_path / "no-such-folder" / "out.json"):
            pass  # pragma: no cover - not reached
    assert "cannot be written: No such file or directory" in caught.value.problems[0].message


# A child that runs the console script and stops in the middle of writing its output: the writer
# is replaced by one that writes half, says so on stderr and waits to be stopped.
_STOPPED_MIDWAY = """
import sys, time
from pathlib import Path
import postcost.report, postcost.xlsx

def half(report, handle_or_path):
    if isinstance(handle_or_path, Path):
        handle_or_path.write_bytes(b"PK half a workbook")
    else:
        handle_or_path.write('{"half": ')
        handle_or_path.flush()
    print("writing", file=sys.stderr, flush=True)
    time.sleep(60)

postcost.report.write_json = postcost.xlsx.write_workbook = half
sys.argv = ["postcost", "total", *sys.argv[1:]]
from postcost.cli import main
main()
"""


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_a_run_stopped_while_writing_leaves_the_old_file_whole(tmp_path, suffix, stop):
    target = tmp_path / f"out{suffix}"
    target.write_bytes(b"the good old file")
    child = subprocess.Popen(
        [sys.executable, "-c", _STOPPED_MIDWAY, str(JULY_2021), "-o", str(target)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        assert child.stderr.readline() == "writing\n"
        child.send_signal(stop)
        child.wait(timeout=30)
    finally:
        child.kill()
    assert target.read_bytes() == b"the good old file"
    left = sorted(p.name for p in tmp_path.iterdir())
    if stop is signal.SIGKILL:  # no clean-up is possible: the hidden temporary file remains
        assert child.returncode == -signal.SIGKILL
        assert len(left) == 2 and left[0].startswith(f".out{suffix}.") and left[0].endswith(".tmp")
    else:
        assert child.returncode == 128 + stop
        assert child.stderr.read() == f"postcost: stopped by {stop.name}\n"
        assert left == [target.name]


# --- any console, any pipe -----------------------------------------------------------------------


def _console(*args: object, env: dict[str, str] | None = None, **streams) -> subprocess.CompletedProcess:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    return subprocess.run(
        [sys.executable, "-c", "from postcost.cli import main; main()", *map(str, args)],
        env={**os.environ, "COLUMNS": "100", **(env or {})}, check=False, **streams,
    )


@pytest.mark.parametrize("command", ["total", "check", "explain"])
@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_console_that_is_not_utf8_still_gets_the_figures(command, encoding):
    done = _console(command, JULY_2021, env={"PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    text = done.stdout.decode(encoding)
    if command == "total":  # the grand total of the July 2021 report, para 61
        assert ("£3,342,243" if encoding == "cp1252" else "?3,342,243") in text


def test_json_and_csv_are_utf8_whatever_the_console():
    done = _console("total", "--format", "json", JULY_2021, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "—" in json.loads(done.stdout.decode("utf-8"))["title"] + "—"  # decodes as UTF-8
    done = _console("total", "--format", "csv", JULY_2021, env={"PYTHONIOENCODING": "cp1252"})
    assert done.returncode == 0
    done.stdout.decode("utf-8")


def test_closed_or_full_standard_output_is_one_line_not_a_traceback(tmp_path):
    closed = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -c "from postcost.cli import main; main()" total "{JULY_2021}" >&-'],
        capture_output=False, stderr=subprocess.PIPE, text=True, check=False,
    )
    assert closed.returncode == 2
    assert closed.stderr == "postcost: error: cannot write to standard output: standard output is closed\n"
    with open("/dev/full", "w") as full:
        done = _console("total", JULY_2021, stdout=full)
    assert done.returncode == 2
    assert done.stderr == b"postcost: error: cannot write to standard output: No space left on device\n"


def test_writing_a_file_needs_no_standard_output(tmp_path):
    closed = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -c "from postcost.cli import main; main()" total "{JULY_2021}" -o "{tmp_path}/t.json" >&-'],
        stderr=subprocess.PIPE, text=True, check=False,
    )
    assert closed.returncode == 0, closed.stderr
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["grand_total"] == "3342242.59"


@pytest.mark.parametrize("columns", ["0", "-3", "wide", ""])
def test_a_columns_that_is_no_width_is_ignored(columns):
    done = _console("total", JULY_2021, env={"COLUMNS": columns})
    assert done.returncode == 0, done.stderr
    assert b"3,342,243" in done.stdout
    assert max(len(line) for line in done.stdout.decode("utf-8").splitlines()) <= 80  # as when piped
