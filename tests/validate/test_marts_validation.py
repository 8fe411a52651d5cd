"""Validation of a marts build: a tiny hand-made indicator_value in a scratch schema."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from include.validate import validate_marts

SCHEMA = "marts_build"
# (unit_code, unit_name, unit_level, parent_code, handling levels it reports)
UNITS = [
    ("328", "Thị xã Mỹ Hào", "district", "33", ("district", "commune", "all")),
    ("12025", "Phường Minh Đức", "commune", "328", ("commune", "all")),
]
PERIODS = [
    ("2023-01", dt.date(2023, 1, 1), dt.date(2023, 1, 31)),
    ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
]


def create_indicator_value(dsn: str) -> None:
    """A dense, consistent grid: two units, two months, one count and one ratio."""
    rows = []
    for code, name, level, parent, handling_levels in UNITS:
        for handling_level in handling_levels:
            for key, start, end in PERIODS:
                common = ("pre2025", code, name, level, parent, handling_level, "month", key)
                rows.append((*common, start, end, "tthc.received", 10, None, 10, None, None, True))
                rows.append(
                    (*common, start, end, "tthc.online_rate", 5, 10, 0.5, 0.6, "not_achieved", True)
                )
    with psycopg.connect(dsn) as conn:
        conn.execute(f"CREATE SCHEMA {SCHEMA}")
        conn.execute(
            f"""
            CREATE TABLE {SCHEMA}.indicator_value (
                scheme text, unit_code text, unit_name text, unit_level text, parent_code text,
                handling_level text, period_type text, period_key text,
                period_start date, period_end date, indicator_code text,
                numerator numeric, denominator numeric, value numeric, target numeric,
                target_status text, is_complete boolean,
                PRIMARY KEY (scheme, unit_code, handling_level, period_type, period_key,
                    indicator_code)
            )
            """
        )
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {SCHEMA}.indicator_value VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )


@pytest.fixture
def marts(fresh_dsn: str) -> str:
    create_indicator_value(fresh_dsn)
    return fresh_dsn


def execute(dsn: str, sql: str) -> None:
    with psycopg.connect(dsn) as conn:
        assert conn.execute(sql).rowcount > 0


def validate(dsn: str, tmp_path):
    return validate_marts(dsn, schema=SCHEMA, run_id="run-1", output=tmp_path / "validation")


def test_a_consistent_build_passes_and_is_recorded(marts, tmp_path):
    outcome = validate(marts, tmp_path)

    assert outcome.passed, outcome.message()
    assert outcome.warnings == []
    with psycopg.connect(marts) as conn:
        row = conn.execute(
            "SELECT suite, scope, run_id, passed, blocking_evaluated FROM ops.validation_run"
        ).fetchone()
    assert row[:4] == ("marts.indicator_value", f"{SCHEMA}.indicator_value", "marts-run-1", True)
    assert row[4] >= 15
    assert outcome.verdicts() == [
        f"marts.indicator_value in {SCHEMA} (run run-1): passed — "
        f"{sum(outcome.runs[0].evaluated.values())} checks, 0 failed"
    ]


def test_a_ratio_above_one_blocks(marts, tmp_path):
    execute(
        marts,
        f"UPDATE {SCHEMA}.indicator_value SET numerator = 12, value = 1.2 "
        "WHERE unit_code = '12025' AND handling_level = 'all' AND period_key = '2023-02' "
        "AND indicator_code = 'tthc.online_rate'",
    )

    outcome = validate(marts, tmp_path)

    assert not outcome.passed
    checks = [f.check for f in outcome.blocking_failures]
    assert any("whose value is outside [0, 1]" in c for c in checks)
    assert any("numerator exceeds the denominator" in c for c in checks)
    assert f"{SCHEMA}.indicator_value run run-1" in outcome.message()
    [verdict] = outcome.verdicts()  # the validate_marts task's log line
    assert verdict.startswith(
        f"marts.indicator_value in {SCHEMA} (run run-1): FAILED — {len(checks)} of "
        f"{sum(outcome.runs[0].evaluated.values())} checks failed: {checks[0]}: "
    )
    assert "\n" not in verdict


def test_a_unit_missing_for_a_period_blocks(marts, tmp_path):
    execute(
        marts,
        f"DELETE FROM {SCHEMA}.indicator_value "
        "WHERE unit_code = '12025' AND handling_level = 'commune' AND period_key = '2023-01' "
        "AND indicator_code = 'tthc.received'",
    )

    outcome = validate(marts, tmp_path)

    [failure] = outcome.blocking_failures
    assert "units missing for a period" in failure.check
    assert failure.found == "1 unexpected rows"


def test_a_jump_between_periods_only_warns(marts, tmp_path):
    execute(
        marts,
        f"UPDATE {SCHEMA}.indicator_value SET numerator = 100, value = 100 "
        "WHERE unit_code = '328' AND handling_level = 'all' AND period_key = '2023-02' "
        "AND indicator_code = 'tthc.received'",
    )

    outcome = validate(marts, tmp_path)

    assert outcome.passed, outcome.message()
    [warning] = outcome.warnings
    assert "period-on-period jumps" in warning.check


def test_a_schema_name_is_never_spliced_into_sql_unchecked(fresh_dsn, tmp_path):
    with pytest.raises(ValueError, match="schema"):
        validate_marts(fresh_dsn, schema="marts; DROP TABLE x", run_id="r", output=tmp_path)
