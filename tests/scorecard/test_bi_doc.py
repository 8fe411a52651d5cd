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


def test_the_doc_has_the_three_examples() -> None:
    assert [_title(b) for b in BLOCKS] == [
        "ranking of districts this quarter",
        "communes below target",
        "monthly trend of online dossiers",
    ]


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
