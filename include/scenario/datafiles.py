"""Reads the generator's data files in ``include/scenario/data/`` (docs/scenarios.md lists them).

CSV files may start with ``#`` comment lines (CSV has no comments of its own); the first other
line is the header. Text lists hold one value per line, ``#`` lines being comments.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [line for line in f if not line.startswith("#")]


def csv_rows(name: str) -> list[dict[str, str]]:
    """The rows of a CSV data file, as dicts keyed by its header."""
    return list(csv.DictReader(_lines(name)))


def text_list(name: str) -> list[str]:
    """The values of a text list, in file order (repeats kept: they weight a draw)."""
    return [line.rstrip("\n") for line in _lines(name)]


def yaml_doc(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as f:
        return yaml.safe_load(f)
