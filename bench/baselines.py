"""Baselines the benchmarks compare against, measured in the same run on the same data.

Each one does the least work that moves the same bytes: a bare HTTP client that pages a listing
without validating, redacting or landing anything; a bare gzip writer; a bare ``COPY``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterable
from pathlib import Path

import psycopg
import requests

from include.extract.windows import Window, month_windows, quarter_windows

ONESTOP_FORMAT = "%Y%m%d%H%M%S"


def bare_onestop_pull(
    base_url: str, login: str, password: str, entity: str, start: dt.date, end: dt.date
) -> int:
    """Page ``/api/v1/<entity>`` month by month with 1000-record pages; returns the count."""
    session = requests.Session()
    token = session.post(
        f"{base_url}/api/v1/auth/session", json={"username": login, "password": password}
    ).json()["session"]
    session.headers["X-Session"] = token
    count = 0
    for window in month_windows(Window(start, end)):
        page = 1
        while True:
            body = session.get(
                f"{base_url}/api/v1/{entity}",
                params={
                    "tu_ngay": window.start_instant.strftime(ONESTOP_FORMAT),
                    "den_ngay": window.end_instant.strftime(ONESTOP_FORMAT),
                    "trang": page,
                    "so_ban_ghi": 1000,
                },
            ).json()
            count += len(body["data"])
            if page * 1000 >= body["tong_so_ban_ghi"]:
                break
            page += 1
    return count


def bare_dvc_pull(base_url: str, client_id: str, secret: str, entity: str, start, end) -> int:
    """Page ``/api/v1/<entity>`` month by month with 1000-record pages; returns the count."""
    session = requests.Session()
    token = session.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    ).json()["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    count = 0
    for window in month_windows(Window(start, end)):
        page = 0
        while True:
            body = session.get(
                f"{base_url}/api/v1/{entity}",
                params={
                    "updatedFrom": window.start_instant.isoformat(),
                    "updatedTo": window.end_instant.isoformat(),
                    "page": page,
                    "size": 1000,
                },
            ).json()
            count += len(body["content"])
            if page + 1 >= body["page"]["totalPages"]:
                break
            page += 1
    return count


def bare_gzip_write(path: Path, records: Iterable[dict]) -> int:
    """JSON lines through gzip at the landing area's level, nothing else."""
    count = 0
    with gzip.open(path, "wb", compresslevel=3) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, default=str).encode() + b"\n")
            count += 1
    return count


def bare_copy(dsn: str, lines: list[bytes]) -> None:
    """``COPY`` the same JSON lines into a bare one-column jsonb table."""
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare_copy")
        conn.execute("CREATE TABLE bench_bare_copy (record jsonb NOT NULL)")
        with conn.cursor().copy(
            "COPY bench_bare_copy (record) FROM STDIN "
            "(FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x01', ESCAPE E'\\x01')"
        ) as copy:
            for start in range(0, len(lines), 2000):
                copy.write(b"".join(lines[start : start + 2000]))
        conn.execute("DROP TABLE bench_bare_copy")


def bare_qlvb_pull(base_url: str, api_key: str, start: dt.date, end: dt.date) -> int:
    """Download every unit's three registers quarter by quarter as xlsx; returns bytes read."""
    session = requests.Session()
    session.headers["Authorization"] = f"ApiKey {api_key}"
    units = session.get(f"{base_url}/api/qlvb/v2/donvi").json()
    size = 0
    for window in quarter_windows(Window(start, end)):
        for unit in units:
            for register in ("den", "di", "hscv"):
                response = session.get(
                    f"{base_url}/api/qlvb/v2/so-van-ban",
                    params={
                        "loai": register,
                        "don_vi": unit["id"],
                        "tu_ngay": window.start.strftime("%d/%m/%Y"),
                        "den_ngay": window.end.strftime("%d/%m/%Y"),
                        "dinh_dang": "xlsx",
                    },
                )
                response.raise_for_status()
                size += len(response.content)
    return size
