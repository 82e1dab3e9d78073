"""What the bulk CSV benchmark cannot avoid: read every row of a posts CSV file with Python's csv
module, group the rows by distinct post (every column but the words), and write a JSON object
per row with a fixed text where postcost writes the row's figures. No validation, no costing, no
totals, and only the standard library imported.

    python bench/readwrite.py POSTS.csv [OUT.json]   (default: written to the null device)

bench/run.py times it beside the floor, so that the bulk CSV ratio can be read as reading and
writing plus what postcost adds (validating, costing, adding up, and its libraries)."""

import csv
import gc
import json
import os
import sys

WORDS = ("title", "team", "note")
FIGURES = '"cost":"0.00","gross_cost":"0.00","funded_by":null,"financial_years":{"2025/26":"0.00"},"fte":"1"'


def main(path: str) -> None:
    gc.disable()  # as postcost's console script runs
    with open(path, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        names = [name for name in WORDS if name in header]
        words = [header.index(name) for name in names]
        post = [i for i in range(len(header)) if i not in words]
        kinds: dict[tuple[str, ...], int] = {}
        kind_of, said = [], []
        for row in rows:
            kind_of.append(kinds.setdefault(tuple(row[i] for i in post), len(kinds)))
            said.append([row[i] for i in words])
    text = json.encoder.encode_basestring
    keys = [f'"{name}":' for name in names]
    figures = [FIGURES] * len(kinds)  # one text per distinct post, as postcost encodes them
    with open(sys.argv[2] if len(sys.argv) > 2 else os.devnull, "w", encoding="utf-8") as out:
        out.write("[" + ",".join(
            f'{{"position":"1.{n}","kind":"post",{",".join(map(str.__add__, keys, map(text, row)))},{figures[kind]}}}'
            for n, (kind, row) in enumerate(zip(kind_of, said), 1)
        ) + "]")


if __name__ == "__main__":
    main(sys.argv[1])
