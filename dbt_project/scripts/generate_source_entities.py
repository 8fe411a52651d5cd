"""Generate the ``source_entities`` seed from the source registry (include/sources/registry.yaml).

dbt cannot read the registry, so its entities are committed as ``seeds/source_entities.csv``:
one row per source and entity, with its load mode, its window cut and whether its windows say
how far the source is loaded (``int_source_coverage_summarised``). A test checks that the seed
equals a regeneration. Run from the project root after editing the registry, then commit::

    .venv/bin/python dbt_project/scripts/generate_source_entities.py
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEED = PROJECT_ROOT / "dbt_project" / "seeds" / "source_entities.csv"
COLUMNS = ("source_system", "entity", "mode", "window_cut", "is_coverage")


def seed_text() -> str:
    """The seed's CSV, in the registry's order."""
    from include.sources import registry

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entity in registry.all_entities():
        writer.writerow(
            (
                entity.source,
                entity.name,
                entity.mode,
                entity.cut_name or "",
                str(entity.coverage).lower(),
            )
        )
    return out.getvalue()


def main() -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    SEED.write_text(seed_text(), encoding="utf-8")
    print(f"wrote {SEED.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
