"""The contract between the two environments: Cosmos (``.venv``) reads the outcome of every dbt
node from the JSON log of the ``dbt`` of ``.venv-dbt`` (docs/decisions.md, issue 12).

The DAG's per-model tasks take their state from that log only. An upgrade of either lock that
changes dbt's events or Cosmos' reading of them fails here, instead of every per-model task
of a night reporting "not run" or waiting: a real ``dbt build`` of one seed and its tests
against a fresh database, its log fed line by line to the parser Cosmos' producer task uses
(a module Cosmos marks private: this test is where a rename shows).
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from include.pipeline import dbt

SEED = "seed.dti.source_entities"


class RecordingTaskInstance:
    """What the parser needs of a task instance: XComs pushed and pulled by key."""

    def __init__(self) -> None:
        self.xcoms: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[key] = value

    def xcom_pull(self, key: str, task_ids: str | None = None) -> Any:
        return self.xcoms.get(key)


def test_the_watcher_reads_each_node_and_its_tests_from_the_dbt_of_its_own_env(
    fresh_dsn, tmp_path
) -> None:
    from cosmos.operators._watcher.aggregation import get_tests_status_xcom_key
    from cosmos.operators._watcher.base import store_dbt_resource_status_from_log
    from cosmos.operators._watcher.state import get_status_xcom_key

    nodes = json.loads(dbt.ensure_manifest().read_text(encoding="utf-8"))["nodes"]
    tests = [
        uid
        for uid, node in nodes.items()
        if node["resource_type"] == "test" and node["depends_on"]["nodes"] == [SEED]
    ]
    assert tests, f"{SEED} has no tests of its own"
    result = subprocess.run(
        [
            str(dbt.dbt_executable()),
            "build",
            "--select",
            SEED.rsplit(".", 1)[-1],
            # Not the tests that read other models too (they are not built here).
            "--indirect-selection",
            "cautious",
            "--log-format",
            "json",
            "--vars",
            json.dumps(dbt.DBT_VARS),
            "--project-dir",
            str(dbt.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(dbt.DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env={
            **os.environ,
            **dbt.dbt_environment(fresh_dsn),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    # dbt_project.yml turns dbt's colours off: its lines reach the producer's log as they are.
    log_file = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    for output in (result.stdout, result.stderr, log_file):
        assert "\x1b[" not in output and "\\u001b[" not in output

    ti, test_results = RecordingTaskInstance(), {}
    for line in result.stdout.splitlines():
        store_dbt_resource_status_from_log(
            line,
            {"context": {"ti": ti}},
            tests_per_model={SEED: tests},
            test_results_per_model=test_results,
            should_generate_model_uris=False,
        )
    assert ti.xcoms[get_status_xcom_key(SEED)]["status"] == "success"
    assert ti.xcoms[get_tests_status_xcom_key(SEED)] == "pass"
