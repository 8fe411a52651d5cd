"""Log lines per task kind of one DAG run's task logs (the runbook's table).

    python -m bench.task_logs .local/airflow/logs/dag_id=dti_nightly/run_id=<run>

Prints a Markdown row per kind: tasks, median and largest number of lines (every line of the
task's latest attempts, Airflow's own included). The sources' tasks count as one kind
(``<source>.extract``), the dbt per-model tasks as ``dbt.<model/test>``.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from include.sources import registry

SOURCE_PREFIX = re.compile(rf"^({'|'.join(map(re.escape, registry.SLUGS))})\.")


def kind_of(task_id: str) -> str:
    kind = SOURCE_PREFIX.sub("<source>.", task_id)
    if kind.startswith("dbt.") and "producer" not in kind:
        return "dbt.<model/test>"
    return kind


def lines_per_kind(run_dir: Path) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = defaultdict(list)
    for log in run_dir.glob("task_id=*/**/attempt=*.log"):
        task_id = log.relative_to(run_dir).parts[0].removeprefix("task_id=")
        with log.open(encoding="utf-8", errors="replace") as lines:
            counts[kind_of(task_id)].append(sum(1 for _ in lines))
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit(__doc__)
    print("| task | tasks | median lines | max lines |\n|---|---|---|---|")
    for kind, counts in sorted(lines_per_kind(Path(args[0])).items()):
        print(f"| `{kind}` | {len(counts)} | {statistics.median(counts):.0f} | {max(counts)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
