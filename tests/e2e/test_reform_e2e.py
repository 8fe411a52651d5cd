"""``dti_nightly`` across the reform of 1/7/2025 (reform2025.md), end to end.

The simulators serve ``hung_yen_reform`` (old Mỹ Hào and a divided old commune of Văn Lâm from
2024-07, the new phường and the province's one-stop centre from 2025-07, unfinished dossiers
taken over on 01/07/2025) with every transport fault on and the data faults (malformed records,
NFD text, extra fields, the reform's bad agencies and anomalies) in the records. One DAG run
over the whole range, as an initial load would. The published figures of both schemes are
compared with ``tests/scenario/reform_reference.py``, which counts the served records in plain
Python from the specs, independently of the dbt code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest

from include.scenario import DataFaults, build_scenario
from include.simulators import FaultConfig
from tests.e2e.stack import Stack, audit_rows
from tests.scenario import reform_reference as ref

# One DAG run of 18 months under `dags test`: 11 min alone here, 21 min beside other jobs.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2700)]

REFORM_DAY = dt.date(2025, 7, 1)
#: Cells checked against the reference: (scheme, unit, handling levels).
UNITS = (
    ("2025", "12103", ("commune", "all")),  # Phường Mỹ Hào, from four old communes
    ("2025", "11992", ("commune", "all")),  # Xã Lạc Đạo, default successor of a divided commune
    ("2025", "33", ("province", "district", "commune", "all")),  # Hưng Yên, two-level
    ("pre2025", "328", ("district", "commune", "all")),  # Thị xã Mỹ Hào
    ("pre2025", "12103", ("commune", "all")),  # old Xã Bần Yên Nhân (the code the phường reuses)
    ("pre2025", "33", ("province", "district", "commune", "all")),
)
#: Before, across and after the reform.
PERIODS = (
    ("half", "2024-H2"),
    ("quarter", "2025-Q2"),
    ("year", "2025"),
    ("report_month", "R2025-07"),
    ("report_quarter", "R2025-Q3"),
    ("half", "2025-H2"),
    ("month", "2025-12"),
)


@pytest.fixture(scope="module")
def scenario():
    return build_scenario("hung_yen_reform", 0, data_faults=DataFaults.all())


@pytest.fixture(scope="module")
def stack(server_dsn: str, scenario) -> Iterator[Stack]:
    # Drift off: the reference counts the records as served; the drift fault's live updates
    # (and the losses they may cause) are the extraction tests' concern.
    faults = dataclasses.replace(FaultConfig.all(seed=11), drift=0.0)
    stack = Stack(server_dsn, scenario, faults=faults)
    try:
        migrated = stack.airflow("db", "migrate", timeout=600)
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        result = stack.run_window(
            {"window_start": scenario.start.isoformat(), "window_end": scenario.end.isoformat()}
        )
        stack.output = result.stdout + result.stderr
        assert result.returncode == 0, stack.output[-6000:]
        yield stack
    finally:
        stack.close()


def _rows(stack: Stack, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(stack.warehouse) as conn:
        return conn.execute(sql, params).fetchall()


def _cells(stack: Stack, scheme: str, unit: str, level: str, pt: str, pk: str) -> dict:
    return {
        code: (numerator, value, approximate)
        for code, numerator, value, approximate in _rows(
            stack,
            "SELECT indicator_code, numerator, value, is_approximate FROM marts.indicator_value "
            "WHERE scheme = %s AND unit_code = %s AND handling_level = %s "
            "AND period_type = %s AND period_key = %s",
            (scheme, unit, level, pt, pk),
        )
    }


def test_the_run_publishes_both_schemes(stack: Stack) -> None:
    rows = audit_rows(stack.warehouse)
    assert {row[5] for row in rows} == {"passed"} and all(row[7] for row in rows)
    schemes = dict(_rows(stack, "SELECT scheme, count(*) FROM marts.indicator_value GROUP BY 1"))
    assert set(schemes) == {"pre2025", "2025"}
    # pre2025: only periods that start before the reform, never complete past its eve
    assert _rows(
        stack,
        "SELECT count(*) FROM marts.indicator_value WHERE scheme = 'pre2025' "
        "AND (period_start >= %s OR (is_complete AND period_end >= %s) OR is_approximate)",
        (REFORM_DAY, REFORM_DAY),
    ) == [(0,)]
    # 2025: one series from the first loaded period to the last, complete where loaded
    assert _rows(
        stack,
        "SELECT bool_and(is_complete) FROM marts.indicator_value "
        "WHERE scheme = '2025' AND period_key IN ('2024-H2', '2025-H1', '2025-H2')",
    ) == [(True,)]


@pytest.mark.parametrize(("scheme", "unit", "levels"), UNITS, ids=[f"{s}-{u}" for s, u, _ in UNITS])
def test_figures_equal_the_independent_counts(stack: Stack, scenario, scheme, unit, levels) -> None:
    compared, wrong = 0, []
    for level in levels:
        for pt, pk in PERIODS:
            if scheme == "pre2025" and ref.period_bounds(pt, pk)[0] >= REFORM_DAY:
                assert _cells(stack, scheme, unit, level, pt, pk) == {}
                continue
            published = _cells(stack, scheme, unit, level, pt, pk)
            expected = ref.reform_reference(scenario, scheme, unit, level, pt, pk)
            for measure, count in expected.items():
                code, part = ref.MEASURE_INDICATOR[measure]
                numerator, value, _ = published[code]
                got = numerator if part == "numerator" else value
                compared += 1
                if got != count:
                    wrong.append((level, pt, pk, measure, count, got))
    assert wrong == []
    assert compared >= len(levels) * len(ref.MEASURES) * 3


def test_every_new_commune_continues_its_predecessors(stack: Stack) -> None:
    """reform2025.md §4: before the reform, a new commune's 2025 figure is the sum of its
    predecessors' pre2025 figures, for every additive count of dossiers and documents, period
    and level. (Not payments: a new agency's online dossier submitted in the last days of June
    is paid on submission, before the reform, and counts at the new commune only.)"""
    rows = _rows(
        stack,
        """
        with figures as (
            select v.* from marts.indicator_value as v
            inner join marts.indicator_catalog as c using (indicator_code)
            where c.is_additive and v.unit_level = 'commune' and v.period_end < %s
                and c.source_system in ('onestop', 'qlvb')
        ),
        predecessors as (
            select x.new_unit_code as unit_code, f.handling_level, f.period_type,
                f.period_key, f.indicator_code, sum(f.numerator) as numerator
            from figures as f
            inner join marts.admin_unit_crosswalk as x
                on x.old_unit_code = f.unit_code and x.old_unit_level = 'commune' and x.is_default
            where f.scheme = 'pre2025'
            group by 1, 2, 3, 4, 5
        )
        select count(*), count(*) filter (where f.numerator <> coalesce(p.numerator, 0)),
            count(distinct f.unit_code), sum(f.numerator)
        from figures as f
        left join predecessors as p using (unit_code, handling_level, period_type, period_key,
            indicator_code)
        where f.scheme = '2025'
        """,
        (REFORM_DAY,),
    )
    [(cells, broken, communes, total)] = rows
    assert broken == 0
    assert communes == 4 and total > 0  # the three phường of Mỹ Hào and Lạc Đạo, not vacuous
    assert cells > 1000


def test_a_divided_commune_makes_its_successors_figures_approximate(stack: Stack, scenario) -> None:
    received = _cells(stack, "2025", "11992", "all", "half", "2025-H1")["tthc.received"]
    assert ref.is_approximate(scenario, "11992", "all")
    assert received[0] > 0 and received[2] is True
    whole = _cells(stack, "2025", "12103", "all", "half", "2025-H1")["tthc.received"]
    assert not ref.is_approximate(scenario, "12103", "all") and whole[2] is False
    # the new communes' own agencies count exactly after the reform
    assert _cells(stack, "2025", "12103", "all", "half", "2025-H2")["tthc.received"][2] is False


def test_a_bad_agency_is_quarantined_with_its_code_and_scheme(stack: Stack, scenario) -> None:
    bad = next(a for a in scenario.agencies if a.get("_malformed", "").startswith("PhienBan"))
    reasons = [
        reason
        for (reason,) in _rows(
            stack,
            "SELECT reason FROM ops.quarantine WHERE source = 'onestop' "
            "AND record->>'MaDonVi' = %s",
            (bad["MaDonVi"],),
        )
    ]
    assert len(reasons) >= 1
    assert bad["MaDonVi"] in reasons[0] and bad["MaDVHC"] in reasons[0] and "2025" in reasons[0]
    # never joined to the other scheme's unit of the same code
    assert _rows(
        stack, "SELECT count(*) FROM marts.agencies WHERE agency_code = %s", (bad["MaDonVi"],)
    ) == [(0,)]


def test_takeovers_keep_the_receiving_agency(stack: Stack, scenario) -> None:
    taken = {d["MaHoSo"]: d for d in scenario.dossiers if d.get("MaDonViXuLy")}
    published = dict(
        (code, (agency, handler))
        for code, agency, handler in _rows(
            stack,
            "SELECT dossier_code, agency_code, handling_agency_code FROM marts.dossiers "
            "WHERE handling_agency_code IS NOT NULL",
        )
    )
    assert len(published) >= 200
    for code, (agency, handler) in published.items():
        assert (agency, handler) == (taken[code]["MaDonVi"], taken[code]["MaDonViXuLy"])


def test_drafts_are_written_for_the_new_units(stack: Stack) -> None:
    drafts = stack.home / "reports" / "drafts" / "2025" / "year-2025"
    phuong = (drafts / "12103-2025.html").read_text(encoding="utf-8")
    assert "Sở Khoa học và Công nghệ" in phuong and "Sở Thông tin và Truyền thông" not in phuong
    assert "UBND phường Mỹ Hào báo cáo" in phuong and "cấp xã" in phuong.lower()
    # the predecessor sentence names the old communes it was formed from
    for old in ("Bần Yên Nhân", "Phan Đình Phùng", "Cẩm Xá", "Nhân Hòa"):
        assert old in phuong
    assert (drafts / "33-2025.html").exists() and (drafts / "33-2025.docx").exists()
