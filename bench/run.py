"""Benchmarks: postcost against the floor of its stack, side by side in one run.

    python bench/run.py [--repeat N] [--quick] [--against REV]

Prints, each as a ratio measured side by side in this run (N rounds, each running every command
once as a fresh process, as a user would run it; the ratio is the median of the rounds' ratios),
with the target it is held to:

  start-up        postcost total on the July 2021 example / the floor (bench/floor.py)
  establishment   an establishment-shaped 100,000 posts from CSV (bench/generate.py --shape
                  establishment): --format json, csv and markdown, check, and the table / floor
  spread          the spread 100,000-post CSV file (every start month over seven years): json /
                  floor, and, with --against REV, / the same run of commit REV
  memory          peak resident memory of the spread 100,000-post json run
  xlsx            -o FILE.xlsx on an establishment-shaped 10,000 posts from CSV / json of the
                  same; and the peak resident memory of the workbook of the establishment-shaped
                  100,000 posts

and, for scale, the workbook of the spread 10,000 posts (nearly every post distinct) / its json,
10,000 posts in YAML / PyYAML's C loader reading that file, and reading and writing the spread
file's rows with no costing (bench/readwrite.py) / floor.

Inputs are generated (deterministically) by bench/generate.py into bench/out/. --against REV
checks REV out in a temporary git worktree and runs it from there with this interpreter.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
JULY = ROOT / "examples" / "nottinghamshire-2021-07-adults-recovery.yaml"
# The console script beside this interpreter (a `postcost` found on PATH may be a wrapper, such as
# a pyenv shim, that adds its own start-up time), else `python -m postcost`.
_SCRIPT = Path(sys.executable).parent / "postcost"
POSTCOST = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "postcost"]
MEASURE_MEMORY = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def generate(n: int, kind: str, shape: str = "spread") -> Path:
    path = OUT / (f"{kind}-{n}.yaml" if shape == "spread" else f"{kind}-{n}-{shape}.yaml")
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        command = [sys.executable, str(HERE / "generate.py"), str(n), "--posts-as", kind, "--shape", shape, "-o", str(path)]
        subprocess.run(command, check=True)
    return path


def timed(commands: dict[str, list[str]], repeat: int) -> dict[str, list[float]]:
    """Wall times of ``repeat`` rounds, each running every command once (output discarded). The
    commands take turns, round by round, so that a machine whose speed drifts during the run (a
    shared VM) slows the commands of one round alike: see :func:`ratio`."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - started)
    return times


def ratio(a: list[float], b: list[float]) -> float:
    """The median of the rounds' ratios a/b: each pair ran side by side, at the machine's speed
    of the moment, so drift between rounds cancels (a ratio of two medians would not)."""
    return statistics.median(x / y for x, y in zip(a, b))


def peak_memory_mb(command: list[str]) -> float:
    out = subprocess.run([sys.executable, "-c", MEASURE_MEMORY, *command], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


@contextlib.contextmanager
def commit_checkout(rev: str):
    """A command prefix running postcost as of commit ``rev``, from a temporary git worktree."""
    folder = Path(tempfile.mkdtemp(prefix="postcost-bench-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder / "tree"), rev],
                   check=True, capture_output=True)
    try:
        source = folder / "tree" / "src"
        scales = folder / "tree" / "pay_scales"
        # the package and its shipped scales as an install lays them out: postcost and postcost.pay_scales
        (folder / "site" / "postcost").mkdir(parents=True)
        for item in (source / "postcost").iterdir():
            (folder / "site" / "postcost" / item.name).symlink_to(item)
        (folder / "site" / "postcost" / "pay_scales").symlink_to(scales)
        compileall.compile_dir(str(folder / "site"), quiet=1)
        run = f"import sys; sys.path.insert(0, {str(folder / 'site')!r}); from postcost.cli import main; sys.argv[0] = 'postcost'; main()"
        yield [sys.executable, "-c", run]
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder / "tree")], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="postcost benchmarks")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median); default 5")
    parser.add_argument("--quick", action="store_true", help="one run each")
    parser.add_argument("--against", metavar="REV", help="also time the spread file with commit REV, side by side")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    with contextlib.ExitStack() as stack:
        before = stack.enter_context(commit_checkout(args.against)) if args.against else None
        measure(repeat, before, args.against)


def measure(repeat: int, before: list[str] | None, rev: str | None) -> None:
    # Run from bytecode, as an installed package does (pip compiles on install): an editable
    # install on a machine with PYTHONDONTWRITEBYTECODE set would otherwise compile every run.
    import postcost

    compileall.compile_dir(str(Path(postcost.__file__).parent), quiet=1)
    csv_10k, spread, yaml_10k = generate(10_000, "csv"), generate(100_000, "csv"), generate(10_000, "yaml")
    establishment, establishment_10k = generate(100_000, "csv", "establishment"), generate(10_000, "csv", "establishment")
    floor = [sys.executable, str(HERE / "floor.py")]
    c_loader = [sys.executable, "-c", f"import yaml; yaml.load(open({str(yaml_10k)!r}, encoding='utf-8'), Loader=yaml.CSafeLoader)"]
    total = [*POSTCOST, "total"]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"{repeat} round(s), each running every command once as a fresh process, the commands taking turns;")
    print("times are medians, ratios the median of each round's ratio\n")
    commands = {
        "floor": floor,
        "start": [*total, str(JULY)],
        "est_json": [*total, "--format", "json", str(establishment)],
        "est_csv": [*total, "--format", "csv", str(establishment)],
        "est_markdown": [*total, "--format", "markdown", str(establishment)],
        "est_check": [*POSTCOST, "check", str(establishment)],
        "est_table": [*total, str(establishment)],
        "spread": [*total, "--format", "json", str(spread)],
        "est_10k": [*total, "--format", "json", str(establishment_10k)],
        "est_xlsx_10k": [*total, "-o", str(OUT / "establishment-10000.xlsx"), str(establishment_10k)],
        "csv_10k": [*total, "--format", "json", str(csv_10k)],
        "xlsx_10k": [*total, "-o", str(OUT / "csv-10000.xlsx"), str(csv_10k)],
        "yaml": [*total, "--format", "json", str(yaml_10k)],
        "c_loader": c_loader,
        "readwrite": [sys.executable, str(HERE / "readwrite.py"), str(spread.with_suffix(".csv"))],
    }
    if before is not None:
        commands["spread_before"] = [*before, "total", "--format", "json", str(spread)]
    t = timed(commands, repeat)
    median = {name: statistics.median(found) for name, found in t.items()}
    memory = peak_memory_mb([*total, "--format", "json", str(spread)])
    xlsx_memory = peak_memory_mb([*total, "-o", str(OUT / "establishment-100000.xlsx"), str(establishment)])

    rows = [
        ("start-up (July 2021 example) / floor", "start", "floor", "≤ 1.15"),
        ("establishment 100,000: json / floor", "est_json", "floor", "≤ 3"),
        ("establishment 100,000: csv / floor", "est_csv", "floor", "≤ 3"),
        ("establishment 100,000: markdown / floor", "est_markdown", "floor", "≤ 3"),
        ("establishment 100,000: check / floor", "est_check", "floor", "≤ 3"),
        ("establishment 100,000: table / floor", "est_table", "floor", "≤ 6"),
        ("spread 100,000: json / floor", "spread", "floor", "none"),
        *([(f"spread 100,000: json / commit {rev}", "spread", "spread_before", "≤ 1.15")] if before else []),
        ("establishment 10,000: xlsx / json", "est_xlsx_10k", "est_10k", "≤ 4"),
    ]
    width = max(len(r[0]) for r in rows) + 4
    for name, a, b, target in rows:
        times = f"{median[a]:.3f} s / {median[b]:.3f} s"
        print(f"{name:<{width}}  {times:>22}  ratio {ratio(t[a], t[b]):6.2f}  (target {target})")
    print(f"{'peak memory, spread 100,000, json':<{width}}  {memory:>20.0f} MB  (target ≤ 500 MB)")
    print(f"{'peak memory, xlsx of establishment 100,000':<{width}}  {xlsx_memory:>20.0f} MB  (target ≤ 500 MB)")
    print("\nfor scale, not targets:")
    for name, a, b, what in (
        ("spread 10,000: xlsx / json", "xlsx_10k", "csv_10k", "nearly every post distinct"),
        ("10,000 posts in YAML, json / C loader", "yaml", "c_loader", "PyYAML's C loader reading the same file"),
        ("reading and writing 100,000 rows / floor", "readwrite", "floor", "bench/readwrite.py: no costing"),
    ):
        times = f"{median[a]:.3f} s / {median[b]:.3f} s"
        print(f"{name:<{width}}  {times:>22}  ratio {ratio(t[a], t[b]):6.2f}  ({what})")


if __name__ == "__main__":
    main()
