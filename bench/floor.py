"""The floor of postcost's stack: a minimal Typer + pydantic + PyYAML + rich program that reads a
tiny YAML document, validates it and prints a one-row table. bench/run.py compares postcost
against it, so the ratios say what postcost adds over merely starting its libraries."""

import typer
import yaml
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

app = typer.Typer()


class Row(BaseModel):
    name: str
    cost: str


@app.command()
def main(name: str = "floor") -> None:
    row = Row.model_validate(yaml.load(f"name: {name}\ncost: '1.00'\n", Loader=yaml.CSafeLoader))
    table = Table("Line", "Cost £")
    table.add_row(row.name, row.cost)
    Console().print(table)


if __name__ == "__main__":
    app()
