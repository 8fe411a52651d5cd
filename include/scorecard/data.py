"""What the scorecard reads from schema ``marts`` (only the published tables, warehouse.md §1).

Every read names its scheme (``pre2025`` or ``2025``): a unit code alone is ambiguous across
the reform of 01/07/2025 (reform2025.md §1).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import psycopg

from include.reports.formatting import nfc
from include.reports.schemes import PRE2025, SCHEMES
from include.reports.wording import full_unit_name

#: The scheme a caller that names none reads (the only one before the reform).
SCHEME = PRE2025


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    group: str | None
    unit: str
    direction: str
    formula: str
    source_system: str


@dataclass(frozen=True)
class Value:
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    target: Decimal | None
    target_status: str | None
    is_complete: bool
    is_approximate: bool = False


@dataclass(frozen=True)
class Link:
    """One crosswalk row (reform2025.md §3), read from the old unit's side or the new one's."""

    old_code: str
    old_level: str
    new_code: str
    new_level: str
    is_divided: bool
    is_default: bool


def schemes(conn: psycopg.Connection) -> list[str]:
    """The schemes ``indicator_value`` holds, ``pre2025`` first."""
    found = {s for (s,) in conn.execute("SELECT DISTINCT scheme FROM marts.indicator_value")}
    return [scheme for scheme in SCHEMES if scheme in found]


def units(conn: psycopg.Connection, scheme: str = SCHEME) -> list[Unit]:
    """Units that have figures (the grid's units), provinces first."""
    rows = conn.execute(
        "SELECT DISTINCT unit_code, unit_name, unit_level, parent_code "
        "FROM marts.indicator_value WHERE scheme = %s ORDER BY unit_code",
        (scheme,),
    ).fetchall()
    return [
        Unit(code, full_unit_name(nfc(name), level), level, parent)
        for code, name, level, parent in rows
    ]


def crosswalk(conn: psycopg.Connection) -> list[Link]:
    """Every old → new row of ``admin_unit_crosswalk``, in old-code order."""
    rows = conn.execute(
        "SELECT old_unit_code, old_unit_level, new_unit_code, new_unit_level, "
        "relation = 'divided', is_default FROM marts.admin_unit_crosswalk "
        "WHERE old_scheme = %s ORDER BY old_unit_code, NOT is_default, new_unit_code",
        (PRE2025,),
    ).fetchall()
    return [Link(*row) for row in rows]


def unit_names(conn: psycopg.Connection, scheme: str) -> dict[str, tuple[str, str]]:
    """code → (name, level) of every unit of a scheme (also those without figures)."""
    rows = conn.execute(
        "SELECT unit_code, unit_name, unit_level FROM marts.admin_units WHERE scheme = %s",
        (scheme,),
    ).fetchall()
    return {code: (full_unit_name(nfc(name), level), level) for code, name, level in rows}


def catalog(conn: psycopg.Connection) -> list[Indicator]:
    rows = conn.execute(
        "SELECT indicator_code, name_vi, name_en, group_code, unit, direction, formula, "
        "source_system FROM marts.indicator_catalog ORDER BY CASE split_part(indicator_code, "
        "'.', 1) WHEN 'tthc' THEN 0 WHEN 'dvc' THEN 1 ELSE 2 END, indicator_code"
    ).fetchall()
    return [Indicator(r[0], nfc(r[1]), r[2], r[3], r[4], r[5], nfc(r[6]), r[7]) for r in rows]


def latest_period(
    conn: psycopg.Connection, period_type: str, scheme: str = SCHEME
) -> tuple[str, dt.date, dt.date]:
    """The latest complete period of a type, else the latest one (a young warehouse)."""
    row = conn.execute(
        "SELECT period_key, period_start, period_end FROM marts.indicator_value "
        "WHERE scheme = %s AND period_type = %s "
        "GROUP BY period_key, period_start, period_end "
        "ORDER BY bool_and(is_complete) DESC, period_end DESC LIMIT 1",
        (scheme, period_type),
    ).fetchone()
    if row is None:
        raise LookupError(f"marts.indicator_value has no {period_type} periods")
    return row[0], row[1], row[2]


def values(
    conn: psycopg.Connection,
    unit_code: str,
    period_type: str,
    period_key: str,
    scheme: str = SCHEME,
) -> dict[tuple[str, str], Value]:
    """(handling level, indicator) → figure, for one unit and period."""
    rows = conn.execute(
        "SELECT handling_level, indicator_code, numerator, denominator, value, target, "
        "target_status, is_complete, is_approximate FROM marts.indicator_value "
        "WHERE scheme = %s AND unit_code = %s AND period_type = %s AND period_key = %s",
        (scheme, unit_code, period_type, period_key),
    ).fetchall()
    return {(r[0], r[1]): Value(*r[2:]) for r in rows}


def index_scores(
    conn: psycopg.Connection,
    period_type: str,
    period_key: str,
    handling_level: str = "all",
    scheme: str = SCHEME,
) -> dict[tuple[str, str], tuple[Decimal | None, int | None, int]]:
    """(unit, group) → (score, rank among siblings, siblings) for one period."""
    rows = conn.execute(
        "SELECT unit_code, group_code, score, rank_among_siblings, siblings FROM marts.dti_index "
        "WHERE scheme = %s AND period_type = %s AND period_key = %s AND handling_level = %s",
        (scheme, period_type, period_key, handling_level),
    ).fetchall()
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


def index_trend(
    conn: psycopg.Connection,
    unit_code: str,
    period_type: str,
    handling_level: str = "all",
    scheme: str = SCHEME,
) -> list[tuple[str, Decimal | None]]:
    rows = conn.execute(
        "SELECT period_key, score FROM marts.dti_index WHERE scheme = %s AND unit_code = %s "
        "AND period_type = %s AND handling_level = %s AND group_code = 'all' "
        "ORDER BY period_start",
        (scheme, unit_code, period_type, handling_level),
    ).fetchall()
    return [(key, score) for key, score in rows]


def indicator_trend(
    conn: psycopg.Connection,
    unit_code: str,
    period_type: str,
    indicator_code: str,
    handling_level: str = "all",
    scheme: str = SCHEME,
) -> list[tuple[str, Decimal | None]]:
    rows = conn.execute(
        "SELECT period_key, value FROM marts.indicator_value WHERE scheme = %s "
        "AND unit_code = %s AND period_type = %s AND handling_level = %s "
        "AND indicator_code = %s ORDER BY period_start",
        (scheme, unit_code, period_type, handling_level, indicator_code),
    ).fetchall()
    return [(key, value) for key, value in rows]


def points_766(
    conn: psycopg.Connection,
    unit_code: str,
    period_type: str,
    period_key: str,
    level: str,
    scheme: str = SCHEME,
) -> list[tuple[str, str, Decimal | None, Decimal | None, Decimal, str | None]]:
    """(item, name, value, points, max points, indicator), ``total`` last."""
    rows = conn.execute(
        "SELECT item_code, item_name, value, points, max_points, indicator_code "
        "FROM marts.service_766 "
        "WHERE scheme = %s AND unit_code = %s AND period_type = %s AND period_key = %s "
        "AND handling_level = %s ORDER BY item_code = 'total', item_code",
        (scheme, unit_code, period_type, period_key, level),
    ).fetchall()
    return [(r[0], nfc(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


@dataclass(frozen=True)
class Freshness:
    published_at: str | None
    latest_records: dict[str, dt.date | None]
    #: (scheme, period type, key, start, end, complete), the old scheme first.
    periods: list[tuple[str, str, str, dt.date, dt.date, bool]]


# The latest record date per source, from the facts in marts (no load table is published).
_LATEST_RECORD_SQL = {
    "Hồ sơ TTHC (một cửa)": "SELECT max(received_on) FROM marts.dossiers",
    "Văn bản đi, đến (QLVB)": "SELECT max(registered_on) FROM marts.documents",
    "Thanh toán trực tuyến (Cổng DVC)": "SELECT max(paid_on) FROM marts.payments",
    "Đánh giá hài lòng (Cổng DVC)": "SELECT max(rated_on) FROM marts.ratings",
}


def freshness(conn: psycopg.Connection) -> Freshness:
    comment = conn.execute(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = 'marts'"
    ).fetchone()
    try:
        published_at = json.loads(comment[0]).get("at") if comment and comment[0] else None
    except json.JSONDecodeError:
        published_at = None
    latest = {label: conn.execute(sql).fetchone()[0] for label, sql in _LATEST_RECORD_SQL.items()}
    periods = conn.execute(
        "SELECT scheme, period_type, period_key, period_start, period_end, "
        "bool_and(is_complete) FROM marts.indicator_value "
        "WHERE period_type IN ('month', 'quarter', 'half', 'year') "
        "GROUP BY scheme, period_type, period_key, period_start, period_end "
        "ORDER BY scheme <> %s, period_type, period_start",
        (PRE2025,),
    ).fetchall()
    return Freshness(published_at, latest, [tuple(row) for row in periods])
