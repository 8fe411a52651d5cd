"""Every SQL example of docs/bi.md runs as ``dti_bi`` against the hand-made marts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import psycopg
import pytest

from include.paths import PROJECT_ROOT
from include.warehouse.roles import ensure_roles

BI_DOC = PROJECT_ROOT / "docs" / "bi.md"
BLOCKS = re.findall(r"```sql\n(.*?)```", BI_DOC.read_text(encoding="utf-8"), flags=re.S)


def _title(block: str) -> str:
    return block.splitlines()[0].removeprefix("-- ").strip()


@pytest.fixture(scope="module")
def bi_conn(marts_dsn: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(marts_dsn) as conn:
        ensure_roles(conn)
        conn.commit()
    with psycopg.connect(marts_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE dti_bi")
        yield conn


def test_the_doc_has_the_examples() -> None:
    assert [_title(b) for b in BLOCKS] == [
        "ranking of districts this quarter",
        "communes below target",
        "monthly trend of online dossiers",
        "ranking of 2025 communes this quarter",
        "a new commune across the reform",
    ]


def test_every_figure_query_names_its_scheme() -> None:
    # A unit code means two units across the reform: no example may mix the schemes.
    for block in BLOCKS:
        if "marts.indicator_value" in block or "marts.dti_index" in block:
            assert "scheme = " in block, _title(block)


def test_ranking_of_districts(bi_conn: psycopg.Connection) -> None:
    rows = bi_conn.execute(BLOCKS[0]).fetchall()
    assert rows
    by_province: dict[str, list[int]] = {}
    for province, rank, *_ in rows:
        by_province.setdefault(province, []).append(rank)
    assert by_province.keys() == {"33", "51"}
    assert all(ranks == sorted(ranks) and ranks[0] == 1 for ranks in by_province.values())


def test_communes_below_target(bi_conn: psycopg.Connection) -> None:
    rows = bi_conn.execute(BLOCKS[1]).fetchall()
    # The fixture sets online rate ≥ 60% for every commune of Mỹ Hào in 2023.
    assert rows
    assert {row[0] for row in rows} == {"328"}
    assert all(row[8] < row[9] for row in rows)  # value below target


def test_monthly_trend_of_online_dossiers(bi_conn: psycopg.Connection) -> None:
    rows = bi_conn.execute(BLOCKS[2]).fetchall()
    months = [row[2] for row in rows if row[0] == "328"]
    assert months == sorted(months) and len(months) == 14  # 12/2022 – 01/2024
    assert all(row[4] >= 0 for row in rows)


@pytest.fixture(scope="module")
def bi_reform_conn(reform_marts_dsn: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(reform_marts_dsn) as conn:
        ensure_roles(conn)
        conn.commit()
    with psycopg.connect(reform_marts_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE dti_bi")
        yield conn


def test_ranking_of_2025_communes(bi_reform_conn: psycopg.Connection) -> None:
    rows = bi_reform_conn.execute(BLOCKS[3]).fetchall()
    # The fixture's 2025 slice: five communes of the new Hưng Yên, ranked 1..5 in 2025-Q4.
    assert {row[0] for row in rows} == {"33"}
    assert [row[1] for row in rows] == sorted(row[1] for row in rows) and len(rows) == 5


def test_a_new_commune_across_the_reform(bi_reform_conn: psycopg.Connection) -> None:
    rows = bi_reform_conn.execute(BLOCKS[4]).fetchall()
    quarters = sorted({row[2] for row in rows})
    assert quarters == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    # Thượng Hồng's four old communes (vietnamadminunits: Dương Quang, Hòa Phong, Bạch Sam,
    # Minh Đức) on every quarter's rows.
    for quarter in quarters:
        olds = [row[5] for row in rows if row[2] == quarter]
        assert olds == ["12112", "12115", "12124", "12127"], quarter


def test_the_2025_examples_run_on_marts_without_2025_figures(
    bi_conn: psycopg.Connection,
) -> None:
    assert bi_conn.execute(BLOCKS[3]).fetchall() == []
    assert bi_conn.execute(BLOCKS[4]).fetchall() == []
