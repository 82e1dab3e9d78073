"""Write a deterministic synthetic proposal of N posts, for benchmarks.

    python bench/generate.py N --posts-as yaml|csv [--shape spread|establishment] -o OUT.yaml

Posts are spread over 20 themes and Nottinghamshire grades Grade 3 to Band D, with some lump sums
and unit costs. With --posts-as csv the posts go to OUT.csv beside OUT.yaml, which names it. The
same arguments always give the same files.

--shape spread (the default, issue #7's benchmark): FTEs from 0.5 to 3, start and end months
anywhere from April 2019 to March 2026, 1 to 36 months apart (salaries from the pay year in force
each month). Few posts are alike: 100,000 rows hold 54,504 distinct posts.

--shape establishment: a budget-setting establishment, 2025/26: seven posts in ten whole-year at
1 FTE, the rest part-time or multi-FTE, and one in ten starting part-way through the year.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

GRADES = ["Grade 3", "Grade 4", "Grade 5", "Band A", "Band B", "Band C", "Band D"]
FTES = ["0.5", "0.6", "1", "1", "1", "1.5", "2", "2.5", "3"]
THEMES = [f"Theme {i + 1:02d}" for i in range(20)]
FIRST, LAST = (2019, 4), (2026, 3)


def month(index: int) -> str:
    year, m = divmod(FIRST[0] * 12 + FIRST[1] - 1 + index, 12)
    return f"{year}-{m + 1:02d}"


def posts(n: int, shape: str):
    return spread_posts(n) if shape == "spread" else establishment_posts(n)


def establishment_posts(n: int):
    rng = random.Random(20250401)
    for i in range(n):
        start = f"2025-{rng.randrange(5, 13):02d}" if rng.random() < 0.1 else ""
        yield {
            "theme": THEMES[i % len(THEMES)],
            "title": f"Post {i + 1}",
            "grade": rng.choice(GRADES),
            "fte": "1" if rng.random() < 0.7 else rng.choice(["0.5", "0.6", "0.8", "1.5", "2"]),
            "start": start,
            "end": "",
            "team": f"Team {rng.randrange(200)}",
        }


def spread_posts(n: int):
    rng = random.Random(20210726)
    span = (LAST[0] * 12 + LAST[1]) - (FIRST[0] * 12 + FIRST[1]) + 1
    for i in range(n):
        a = rng.randrange(span)
        b = min(span - 1, a + rng.randrange(1, 37))
        yield {
            "theme": THEMES[i % len(THEMES)],
            "title": f"Post {i + 1}",
            "grade": rng.choice(GRADES),
            "fte": rng.choice(FTES),
            "start": month(a),
            "end": month(b),
            "team": f"Team {rng.randrange(200)}",
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of posts")
    parser.add_argument("--posts-as", choices=["yaml", "csv"], default="yaml")
    parser.add_argument("--shape", choices=["spread", "establishment"], default="spread")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    out: Path = args.output
    header = [
        f"title: Synthetic establishment of {args.n} posts",
        "authority: Nottinghamshire County Council",
        "pay_scale: nottinghamshire",
        "period: {start: 2019-04, end: 2026-03}" if args.shape == "spread" else "period: {start: 2025-04, end: 2026-03}",
    ]
    extras = [
        "      - {kind: amount, title: Recruitment campaign, amount: 25000}",
        "      - {kind: unit_cost, title: IT equipment per new starter, unit_amount: 1600, quantity: new_starters}",
    ]
    if args.posts_as == "csv":
        csv_path = out.with_suffix(".csv")
        with open(csv_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["theme", "title", "grade", "fte", "start", "end", "team"])
            writer.writeheader()
            writer.writerows(posts(args.n, args.shape))
        lines = header + [f"posts_csv: {csv_path.name}", "themes:", "  - name: Other costs", "    lines:", *extras]
    else:
        by_theme: dict[str, list[str]] = {name: [] for name in THEMES}
        for post in posts(args.n, args.shape):
            by_theme[post.pop("theme")].append(
                "      - {" + ", ".join(f"{k}: {v}" for k, v in post.items()) + "}"
            )
        lines = header + ["themes:"]
        for name, rows in by_theme.items():
            if rows:
                lines += [f"  - name: {name}", "    lines:", *rows]
        lines += ["  - name: Other costs", "    lines:", *extras]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
