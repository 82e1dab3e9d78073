"""Instructions, not seconds: postcost's work on a benchmark file counted by valgrind, which gives
the same count on every run however busy the machine is.

    python bench/instructions.py [--against REV] [--file NAME] [--format FORMAT]

Runs `postcost total --format FORMAT bench/out/NAME.yaml` (default: the spread 10,000 posts, json)
under valgrind's cachegrind (no cache simulation) and prints the instructions it took; with
--against REV, also commit REV's, from a temporary git worktree, and the ratio. Use it to tell
whether a change to the code made a run cheaper where wall times on a shared machine move by
±30% between runs; bench/run.py's side-by-side ratios remain the measure of the targets.
Needs valgrind (apt install valgrind); a run takes about 30 s for 10,000 posts and 4 minutes for
100,000.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

from run import OUT, POSTCOST, commit_checkout, generate


def instructions(command: list[str]) -> int:
    """The instructions ``command`` executes, as cachegrind counts them (its 'I refs')."""
    valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    done = subprocess.run([*valgrind, *command], capture_output=True, text=True, check=True)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)[1].replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description="postcost's instructions on a benchmark file")
    parser.add_argument("--against", metavar="REV", help="also count commit REV's, and print the ratio")
    parser.add_argument("--file", default="csv-10000", help="csv-N (spread) or csv-N-establishment, as bench/run.py names them (default csv-10000)")
    parser.add_argument("--format", default="json", help="the output format (default json)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench/instructions.py needs valgrind (apt install valgrind)")
    path = OUT / f"{args.file}.yaml"
    if not path.exists():  # the files bench/run.py generates
        n, _, shape = args.file.removeprefix("csv-").partition("-")
        generate(int(n), "csv", shape or "spread")
    import postcost  # run from bytecode, as bench/run.py does: compiling is not the run's work

    compileall.compile_dir(str(Path(postcost.__file__).parent), quiet=1)
    arguments = ["total", "--format", args.format, str(path)]
    with contextlib.ExitStack() as stack:
        before = stack.enter_context(commit_checkout(args.against)) if args.against else None
        now = instructions([*POSTCOST, *arguments])
        print(f"this tree: {now:,} instructions  (postcost {' '.join(arguments)})")
        if before is not None:
            then = instructions([*before, *arguments])
            print(f"{args.against}: {then:,} instructions; ratio {now / then:.2f}")


if __name__ == "__main__":
    main()
