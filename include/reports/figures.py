"""Everything one draft report needs about one unit and period, read from schema ``marts``.

Only the published ``marts`` tables are read (warehouse.md §1), so a draft shows exactly the
figures BI shows: ``indicator_value`` for the figures and their targets, ``indicator_target``
for each target's comparator and source document, ``dti_index`` and ``service_766`` for the
scores, ``admin_units`` for the names of the unit, its parents and its communes, and, for a
unit of the ``2025`` scheme, ``admin_unit_crosswalk`` for the old units its figures before
01/07/2025 are totalled from (reform2025.md §4, §5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg

from include.reports.formatting import nfc
from include.reports.schemes import DRAFT_LEVELS, PRE2025, SCHEME_2025
from include.reports.wording import full_unit_name

DEFAULT_SCHEME = PRE2025


@dataclass(frozen=True)
class Figure:
    """One row of ``marts.indicator_value`` (its measured part)."""

    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    target: Decimal | None
    target_status: str | None
    # A 2025 figure that counts a divided old commune whole at its default successor.
    is_approximate: bool = False


@dataclass(frozen=True)
class OldUnit:
    """A unit of the pre2025 scheme, as a 2025 unit's report names it."""

    code: str
    name: str  # "Xã Dương Quang"
    level: str
    district_name: str | None  # the old district an old commune lay in: "Thị xã Mỹ Hào"
    is_divided: bool  # the old commune was split between several new communes
    default_successor: str | None  # the 2025 unit its records count in: "Xã Như Quỳnh"


@dataclass(frozen=True)
class TargetRule:
    """How a target is stated in its plan: ``>=`` 0.6, from ``Kế hoạch số 09/KH-UBND …``."""

    comparator: str
    source_document: str


@dataclass(frozen=True)
class Score:
    score: Decimal | None
    indicators_scored: int
    indicators_defined: int
    rank: int | None
    siblings: int


@dataclass(frozen=True)
class Points766:
    item_name: str
    value: Decimal | None
    points: Decimal | None
    max_points: Decimal
    indicator_code: str | None = None


@dataclass
class UnitPeriod:
    """The figures of one unit for one period, keyed by (handling level, indicator code)."""

    scheme: str
    unit_code: str
    unit_name: str
    unit_level: str
    parent_name: str | None
    province_name: str | None
    children: list[str]
    period_type: str
    period_key: str
    period_start: dt.date
    period_end: dt.date
    is_complete: bool
    handling_levels: list[str]
    figures: dict[tuple[str, str], Figure]
    indicator_names: dict[str, str] = field(default_factory=dict)
    target_rules: dict[tuple[str, str], TargetRule] = field(default_factory=dict)
    scores: dict[tuple[str, str], Score] = field(default_factory=dict)
    points_766: dict[tuple[str, str], Points766] = field(default_factory=dict)
    #: Indicator → its DTI group (None outside the index): a score built from an approximate
    #: figure is approximate too.
    indicator_groups: dict[str, str | None] = field(default_factory=dict)
    #: Indicator → its catalogue unit (``count``, ``ratio``, ``vnd``) and source system, for
    #: the sentence of an indicator the draft has no wording of its own for.
    indicator_units: dict[str, str] = field(default_factory=dict)
    indicator_systems: dict[str, str] = field(default_factory=dict)
    #: 2025 scheme: the old units whose records count in this unit (its predecessors).
    predecessors: list[OldUnit] = field(default_factory=list)
    #: 2025 commune: divided old communes partly inside it whose records count elsewhere.
    partly_here: list[OldUnit] = field(default_factory=list)
    #: 2025 scheme: divided old communes counted whole here (or, for a province, in one of
    #: its communes): what makes a figure approximate.
    divided_counted_here: list[OldUnit] = field(default_factory=list)

    def figure(self, handling_level: str, indicator_code: str) -> Figure | None:
        return self.figures.get((handling_level, indicator_code))

    def count(self, handling_level: str, indicator_code: str) -> Decimal:
        """A count or amount (0 when the grid has no such row)."""
        found = self.figure(handling_level, indicator_code)
        return found.numerator if found else Decimal(0)


# The grid's levels in the order reports list them (the unit's own level first).
_LEVEL_ORDER = ("province", "district", "commune", "all")


def load_unit_period(
    conn: psycopg.Connection,
    unit_code: str,
    period_type: str,
    period_key: str,
    *,
    scheme: str = DEFAULT_SCHEME,
) -> UnitPeriod:
    """Read one unit's figures for one period; LookupError when the marts have none."""
    rows = conn.execute(
        """
        SELECT handling_level, indicator_code, numerator, denominator, value, target,
               target_status, unit_name, unit_level, parent_code, period_start, period_end,
               is_complete, is_approximate
        FROM marts.indicator_value
        WHERE scheme = %s AND unit_code = %s AND period_type = %s AND period_key = %s
        """,
        (scheme, unit_code, period_type, period_key),
    ).fetchall()
    if not rows:
        raise LookupError(
            f"marts.indicator_value has no figures for unit {unit_code} ({scheme}), "
            f"period {period_type} {period_key}"
        )
    figures = {(r[0], r[1]): Figure(r[2], r[3], r[4], r[5], r[6], bool(r[13])) for r in rows}
    unit_level, parent_code, start, end = rows[0][8:12]
    # Composed here, once: the wording recognises unit types ("Thị xã") by their text.
    unit_name = full_unit_name(nfc(rows[0][7]), unit_level)
    levels = sorted({r[0] for r in rows}, key=_LEVEL_ORDER.index)
    ancestors = _ancestors(conn, scheme, parent_code)
    period = UnitPeriod(
        scheme=scheme,
        unit_code=unit_code,
        unit_name=unit_name,
        unit_level=unit_level,
        parent_name=ancestors[0][1] if ancestors else None,
        province_name=next((name for _, name, level in ancestors if level == "province"), None),
        children=_children(conn, scheme, unit_code, period_type, period_key),
        period_type=period_type,
        period_key=period_key,
        period_start=start,
        period_end=end,
        is_complete=all(r[12] for r in rows),
        handling_levels=levels,
        figures=figures,
    )
    for code, name, group, unit, system in conn.execute(
        "SELECT indicator_code, name_vi, group_code, unit, source_system "
        "FROM marts.indicator_catalog ORDER BY indicator_code"
    ):
        period.indicator_names[code] = nfc(name)
        period.indicator_groups[code] = group or None
        period.indicator_units[code] = unit
        period.indicator_systems[code] = system
    unit_chain = [unit_code, *(code for code, _, _ in ancestors)]
    period.target_rules = _target_rules(conn, period, unit_chain)
    period.scores = _scores(conn, period)
    period.points_766 = _points_766(conn, period)
    if scheme == SCHEME_2025:
        _load_predecessors(conn, period)
    return period


def _ancestors(
    conn: psycopg.Connection, scheme: str, parent_code: str | None
) -> list[tuple[str, str, str]]:
    """(code, name, level) from the parent up to the province."""
    chain = []
    while parent_code:
        row = conn.execute(
            "SELECT unit_code, unit_name, unit_level, parent_code FROM marts.admin_units "
            "WHERE scheme = %s AND unit_code = %s",
            (scheme, parent_code),
        ).fetchone()
        if row is None:
            break
        chain.append((row[0], full_unit_name(nfc(row[1]), row[2]), row[2]))
        parent_code = row[3]
    return chain


def _children(
    conn: psycopg.Connection, scheme: str, unit_code: str, period_type: str, period_key: str
) -> list[str]:
    """The names of the units directly under this one that the grid has figures for."""
    # From the unit table, each child checked on indicator_value's key: filtering the grid by
    # parent_code scans all of it (0.2 s a draft on the province; under 10 ms this way).
    rows = conn.execute(
        """
        SELECT a.unit_name FROM marts.admin_units a
        WHERE a.scheme = %s AND a.parent_code = %s AND EXISTS (
            SELECT FROM marts.indicator_value v
            WHERE v.scheme = a.scheme AND v.unit_code = a.unit_code
                  AND v.period_type = %s AND v.period_key = %s)
        ORDER BY a.unit_name
        """,
        (scheme, unit_code, period_type, period_key),
    ).fetchall()
    return [nfc(name) for (name,) in rows]


def _target_rules(
    conn: psycopg.Connection, period: UnitPeriod, unit_chain: list[str]
) -> dict[tuple[str, str], TargetRule]:
    """The plan row behind each target of the period: the unit's own row, else its level's
    (indicators.md §5), so the draft can cite the comparator and the plan. Codes are looked up
    in the unit's own scheme: 12127 is phường Minh Đức in one and phường Thượng Hồng in the
    other."""
    rows = conn.execute(
        """
        SELECT indicator_code, handling_level, unit_code, unit_level, comparator,
               source_document
        FROM marts.indicator_target
        WHERE scheme = %s AND target_year = %s AND unit_code = ANY(%s)
              AND ((unit_level IS NULL AND unit_code = %s) OR unit_level = %s)
        ORDER BY (unit_level IS NULL) DESC
        """,
        (period.scheme, period.period_end.year, unit_chain, period.unit_code, period.unit_level),
    ).fetchall()
    rules: dict[tuple[str, str], TargetRule] = {}
    for code, level, _unit, _scope, comparator, source in rows:
        rules.setdefault((level, code), TargetRule(comparator, nfc(source)))
    return rules


def _scores(conn: psycopg.Connection, period: UnitPeriod) -> dict[tuple[str, str], Score]:
    rows = conn.execute(
        """
        SELECT handling_level, group_code, score, indicators_scored, indicators_defined,
               rank_among_siblings, siblings
        FROM marts.dti_index
        WHERE scheme = %s AND unit_code = %s AND period_type = %s AND period_key = %s
        """,
        (period.scheme, period.unit_code, period.period_type, period.period_key),
    ).fetchall()
    return {(r[0], r[1]): Score(*r[2:]) for r in rows}


def _points_766(conn: psycopg.Connection, period: UnitPeriod) -> dict[tuple[str, str], Points766]:
    rows = conn.execute(
        """
        SELECT handling_level, item_code, item_name, value, points, max_points, indicator_code
        FROM marts.service_766
        WHERE scheme = %s AND unit_code = %s AND period_type = %s AND period_key = %s
        """,
        (period.scheme, period.unit_code, period.period_type, period.period_key),
    ).fetchall()
    return {(r[0], r[1]): Points766(nfc(r[2]), *r[3:]) for r in rows}


def latest_complete_period(
    conn: psycopg.Connection, period_type: str, *, scheme: str = DEFAULT_SCHEME
) -> str | None:
    """The key of the latest period of a type whose figures are complete, or None."""
    row = conn.execute(
        "SELECT period_key FROM marts.indicator_value "
        "WHERE scheme = %s AND period_type = %s AND is_complete "
        "GROUP BY period_key ORDER BY max(period_end) DESC LIMIT 1",
        (scheme, period_type),
    ).fetchone()
    return row[0] if row else None


def units_with_figures(
    conn: psycopg.Connection,
    period_type: str,
    period_key: str,
    *,
    levels: tuple[str, ...] | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> list[tuple[str, str, str]]:
    """(unit code, unit name, unit level) of every unit of these levels with figures (by
    default the levels the scheme's drafts are written for)."""
    levels = levels or DRAFT_LEVELS[scheme]
    return conn.execute(
        "SELECT DISTINCT unit_code, unit_name, unit_level FROM marts.indicator_value "
        "WHERE scheme = %s AND period_type = %s AND period_key = %s AND unit_level = ANY(%s) "
        "ORDER BY unit_code",
        (scheme, period_type, period_key, list(levels)),
    ).fetchall()


def schemes_with_figures(conn: psycopg.Connection) -> list[str]:
    """The schemes ``indicator_value`` holds, ``pre2025`` first."""
    found = {s for (s,) in conn.execute("SELECT DISTINCT scheme FROM marts.indicator_value")}
    return [scheme for scheme in (PRE2025, SCHEME_2025) if scheme in found]


# --- 2025 units: the old units behind them -----------------------------------------------------

# One crosswalk row with the names the report prints: the old unit's own name and its district
# from the pre2025 unit table (the names the old drafts used), the default successor's name
# from the 2025 one; the crosswalk's names only where a unit table lacks the code.
_OLD_UNITS_SQL = """
SELECT c.old_unit_code, coalesce(o.unit_name, c.old_unit_name, c.old_unit_code),
       c.old_unit_level, d.unit_name, c.relation = 'divided',
       coalesce(n.unit_name, dflt.new_unit_name), coalesce(n.unit_level, dflt.new_unit_level)
FROM marts.admin_unit_crosswalk c
LEFT JOIN marts.admin_units o ON o.scheme = c.old_scheme AND o.unit_code = c.old_unit_code
LEFT JOIN marts.admin_units d
    ON d.scheme = o.scheme AND d.unit_code = o.parent_code AND d.unit_level = 'district'
LEFT JOIN marts.admin_unit_crosswalk dflt
    ON dflt.old_scheme = c.old_scheme AND dflt.old_unit_code = c.old_unit_code AND dflt.is_default
LEFT JOIN marts.admin_units n ON n.scheme = %s AND n.unit_code = dflt.new_unit_code
WHERE c.old_scheme = %s AND {where}
ORDER BY c.old_unit_code
"""


def _old_units(conn: psycopg.Connection, where: str, params: tuple) -> list[OldUnit]:
    rows = conn.execute(
        _OLD_UNITS_SQL.format(where=where), (SCHEME_2025, PRE2025, *params)
    ).fetchall()
    return [
        OldUnit(
            code=code,
            name=full_unit_name(nfc(name), level),
            level=level,
            district_name=nfc(district) if district else None,
            is_divided=bool(divided),
            default_successor=full_unit_name(nfc(successor), successor_level or "commune")
            if successor
            else None,
        )
        for code, name, level, district, divided, successor, successor_level in rows
    ]


def _load_predecessors(conn: psycopg.Connection, period: UnitPeriod) -> None:
    """The crosswalk rows a 2025 unit's report needs (reform2025.md §3–§5): the old units of
    its own level whose default successor it is; for a commune, the divided old communes
    partly inside it but counted elsewhere; the divided old communes counted whole in it."""
    level, code = period.unit_level, period.unit_code
    period.predecessors = _old_units(
        conn,
        "c.new_unit_code = %s AND c.new_unit_level = %s AND c.old_unit_level = %s AND c.is_default",
        (code, level, level),
    )
    if level == "commune":
        period.partly_here = _old_units(
            conn,
            "c.new_unit_code = %s AND c.new_unit_level = 'commune' "
            "AND c.relation = 'divided' AND NOT c.is_default",
            (code,),
        )
        period.divided_counted_here = [old for old in period.predecessors if old.is_divided]
    else:
        period.divided_counted_here = _old_units(
            conn,
            "c.new_province_code = %s AND c.old_unit_level = 'commune' "
            "AND c.relation = 'divided' AND c.is_default",
            (code,),
        )
