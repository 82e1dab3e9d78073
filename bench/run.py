"""Benchmarks: postcost against the floor of its stack and against PyYAML's C loader.

    python bench/run.py [--repeat N] [--quick]

Prints, each as a ratio measured side by side in this run (N rounds, each running every command
once as a fresh process, as a user would run it; the ratio is the median of the rounds' ratios):

  start-up   postcost total on the July 2021 example / the floor program (bench/floor.py)
  bulk CSV   postcost total --format json, 100,000 posts from CSV / the floor program
  bulk YAML  postcost total --format json, 10,000 posts in YAML / loading that file with
             PyYAML's C loader alone
  scaling    time(100,000) / time(10,000), posts from CSV
  memory     peak resident memory of the 100,000-post CSV run
  xlsx       postcost total -o FILE.xlsx, 10,000 posts from CSV / the same as JSON; and the peak
             resident memory of the workbook of an establishment-shaped 100,000 posts

and, not targets of the issue, for scale, each against the floor: bulk CSV on an
establishment-shaped 100,000 posts (bench/generate.py --shape establishment: most posts alike),
and only reading the 100,000 rows and writing a JSON object for each (bench/readwrite.py: the
part of the bulk CSV run that no costing can take away).

Inputs are generated (deterministically) by bench/generate.py into bench/out/.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description="postcost benchmarks")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median); default 5")
    parser.add_argument("--quick", action="store_true", help="one run each")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat

    # Run from bytecode, as an installed package does (pip compiles on install): an editable
    # install on a machine with PYTHONDONTWRITEBYTECODE set would otherwise compile every run.
    import postcost

    compileall.compile_dir(str(Path(postcost.__file__).parent), quiet=1)
    csv_10k, csv_100k, yaml_10k = generate(10_000, "csv"), generate(100_000, "csv"), generate(10_000, "yaml")
    establishment = generate(100_000, "csv", "establishment")
    floor = [sys.executable, str(HERE / "floor.py")]
    c_loader = [sys.executable, "-c", f"import yaml; yaml.load(open({str(yaml_10k)!r}, encoding='utf-8'), Loader=yaml.CSafeLoader)"]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"{repeat} round(s), each running every command once as a fresh process, the commands taking turns;")
    print("times are medians, ratios the median of each round's ratio\n")
    t = timed(
        {
            "floor": floor,
            "start": [*POSTCOST, "total", str(JULY)],
            "csv_100k": [*POSTCOST, "total", "--format", "json", str(csv_100k)],
            "csv_10k": [*POSTCOST, "total", "--format", "json", str(csv_10k)],
            "yaml": [*POSTCOST, "total", "--format", "json", str(yaml_10k)],
            "c_loader": c_loader,
            "establishment": [*POSTCOST, "total", "--format", "json", str(establishment)],
            "readwrite": [sys.executable, str(HERE / "readwrite.py"), str(csv_100k.with_suffix(".csv"))],
            "xlsx_10k": [*POSTCOST, "total", "-o", str(OUT / "csv-10000.xlsx"), str(csv_10k)],
        },
        repeat,
    )
    median = {name: statistics.median(found) for name, found in t.items()}
    memory = peak_memory_mb([*POSTCOST, "total", "--format", "json", str(csv_100k)])
    xlsx_memory = peak_memory_mb([*POSTCOST, "total", "-o", str(OUT / "establishment-100000.xlsx"), str(establishment)])

    rows = [
        ("start-up (July 2021 example) / floor", "start", "floor", "≤ 1.15"),
        ("bulk CSV (100,000 posts, json) / floor", "csv_100k", "floor", "≤ 4"),
        ("bulk YAML (10,000 posts, json) / C loader", "yaml", "c_loader", "≤ 1.2"),
        ("scaling CSV: 100,000 / 10,000 posts", "csv_100k", "csv_10k", "≤ 11"),
        ("xlsx / json (10,000 posts from CSV)", "xlsx_10k", "csv_10k", "≤ 4"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, a, b, target in rows:
        times = f"{median[a]:.3f} s / {median[b]:.3f} s"
        print(f"{name:<{width}}  {times:>22}  ratio {ratio(t[a], t[b]):6.2f}  (target {target})")
    print(f"{'peak memory, 100,000 posts from CSV':<{width}}  {memory:>20.0f} MB  (target ≤ 500 MB)")
    print(f"{'peak memory, xlsx of 100,000 establishment':<{width}}  {xlsx_memory:>20.0f} MB  (target ≤ 500 MB)")
    print("\nfor scale, not targets:")
    for name, a, what in (
        ("establishment-shaped 100,000 posts / floor", "establishment", "most posts alike"),
        ("reading and writing 100,000 rows / floor", "readwrite", "bench/readwrite.py: no costing"),
    ):
        times = f"{median[a]:.3f} s / {median['floor']:.3f} s"
        print(f"{name:<{width}}  {times:>22}  ratio {ratio(t[a], t['floor']):6.2f}  ({what})")


if __name__ == "__main__":
    main()
