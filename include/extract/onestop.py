"""Extractor of the one-stop-shop read API (sources/onestop.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from include.connections import SourceConnection
from include.extract import common
from include.extract.http import (
    Auth,
    AuthenticationError,
    ExtractSettings,
    HttpClient,
    SessionExpired,
    TransientError,
)
from include.extract.paging import ListingRules, Page
from include.extract.validators import onestop as rules
from include.extract.windows import VN_TZ, Window, month_windows
from include.landing import LandingArea, Manifest, RecordIdentity
from include.landing.versions import ONESTOP_FORMAT, version_sort_key
from include.pii import redact_onestop_record

log = logging.getLogger(__name__)

SOURCE = "onestop"
ENTITIES = ("donvi", "hoso", "tientrinh")
LOGIN_PATH = "/api/v1/auth/session"
PATHS = {"donvi": "/api/v1/donvi", "hoso": "/api/v1/hoso", "tientrinh": "/api/v1/tientrinh"}

IDENTITIES = {
    "donvi": RecordIdentity(key=("MaDonVi",)),
    "hoso": RecordIdentity(
        key=("MaHoSo",), version_field="NgayCapNhat", version_format=ONESTOP_FORMAT
    ),
    # A step has no key and no update time: it is history, never changed. Two real steps can
    # share dossier, second and status (two departments acting at once), so the landed key also
    # holds who acted; a step seen twice is the same step.
    "tientrinh": RecordIdentity(
        key=("MaHoSo", "ThoiDiemXuLy", "TrangThai", "MaDonVi", "PhongBanXuLy", "NguoiXuLy")
    ),
}


def _error_code(payload: Any) -> str:
    if not isinstance(payload, dict):
        raise TransientError("response is not a JSON envelope")
    return str(payload.get("error_code", "")).strip()


class OnestopAuth(Auth):
    """Session login; an expired session (HTTP 401, or error_code 401) means log in again."""

    renewable = True

    def __init__(self, login: str, password: str) -> None:
        self._login = login
        self._password = password
        self._session: str | None = None
        self._lock = threading.Lock()

    def headers(self, client: HttpClient) -> dict[str, str]:
        with self._lock:
            if self._session is None:
                self._session = self._log_in(client)
            return {"X-Session": self._session}

    def invalidate(self, used: Mapping[str, str] | None = None) -> None:
        with self._lock:
            # Only the session the rejected call carried: workers that were sent with it
            # all see it expire, and must not drop the one the first of them renewed.
            if used is None or used.get("X-Session") == self._session:
                self._session = None

    def _log_in(self, client: HttpClient) -> str:
        def check(payload: Any) -> None:
            code = _error_code(payload)
            if code == "401":
                raise AuthenticationError(
                    f"{SOURCE} POST {LOGIN_PATH}: credentials rejected (error_code 401); check "
                    f"the login and password of Airflow connection '{client.connection.conn_id}'"
                )
            if code != "0":
                raise TransientError(f"business error_code {code}")
            if not payload.get("session"):
                raise TransientError("login answer without a session")

        payload = client.request(
            "POST",
            LOGIN_PATH,
            context="login",
            json_body={"username": self._login, "password": self._password},
            check=check,
            authenticated=False,
        )
        return str(payload["session"])


def check_envelope(payload: Any) -> None:
    """The gateway answers business errors with HTTP 200: treat them as failures."""
    code = _error_code(payload)
    if code == "401":
        raise SessionExpired
    if code != "0":
        raise TransientError(f"business error_code {code}")
    if not isinstance(payload.get("data"), list):
        raise TransientError("envelope without a data list")


def _check_page(payload: Any) -> None:
    check_envelope(payload)
    total = payload.get("tong_so_ban_ghi")
    if not isinstance(total, int) or isinstance(total, bool):
        raise TransientError("paged envelope without tong_so_ban_ghi")


def make_client(connection: SourceConnection, settings: ExtractSettings) -> HttpClient:
    return HttpClient(
        SOURCE, connection, settings, OnestopAuth(connection.login, connection.password)
    )


def _timestamp(instant: dt.datetime) -> str:
    return instant.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def _redact_all(records: list[Any], hmac_key: bytes) -> list[dict[str, Any]]:
    return [
        redact_onestop_record(r if isinstance(r, dict) else {"_value": r}, hmac_key)
        for r in records
    ]


def _served_identity(record: Any) -> str:
    """A step as served, free text included: what tells two steps of one second apart while
    paging. Computed in memory before redaction and never stored."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _extract_donvi(
    client: HttpClient, landing: LandingArea, window: Window, hmac_key: bytes
) -> Manifest:
    meter = common.StatsMeter(client)
    payload = client.get_json(PATHS["donvi"], context="snapshot", check=check_envelope)
    records = _redact_all(payload["data"], hmac_key)
    latest: dict[Any, dict[str, Any]] = {}
    identity = common.key_identity(IDENTITIES["donvi"].key)
    for record in records:
        latest[identity(record)] = record
    good, quarantine = common.split_valid(latest.values(), rules.validate_donvi)
    return common.land(
        landing,
        source=SOURCE,
        entity="donvi",
        mode="snapshot",
        window=window,
        records=good,
        quarantine=quarantine,
        identity=IDENTITIES["donvi"],
        meter=meter,
        source_totals={"records_served": len(records)},
        request={"path": PATHS["donvi"]},
    )


def _extract_listing(
    client: HttpClient,
    landing: LandingArea,
    entity: str,
    window: Window,
    hmac_key: bytes,
) -> Manifest:
    path = PATHS[entity]
    settings = client.settings
    context = f"window {window}"

    def fetch(start: dt.datetime, end: dt.datetime, index: int) -> Page:
        params = {
            "tu_ngay": _timestamp(start),
            "den_ngay": _timestamp(end),
            "trang": index + 1,
            "so_ban_ghi": settings.page_size,
        }
        payload = client.get_json(path, params, context=context, check=_check_page)
        served_size = payload.get("so_ban_ghi")
        size = (
            served_size if isinstance(served_size, int) and served_size > 0 else settings.page_size
        )
        total = payload["tong_so_ban_ghi"]
        served = payload["data"]
        return Page(
            _redact_all(served, hmac_key),
            total,
            (index + 1) * size >= total,
            identities=[_served_identity(r) for r in served] if entity == "tientrinh" else None,
        )

    identity = IDENTITIES[entity]
    listing_rules = ListingRules(
        identity=common.key_identity(identity.key),
        version=(
            (lambda r: version_sort_key(r.get("NgayCapNhat"), ONESTOP_FORMAT))
            if entity == "hoso"
            else (lambda r: 0)
        ),
        max_restarts=settings.max_restarts,
        max_splits=settings.max_window_splits,
        page_size=settings.page_size,
        max_total=settings.max_listing_total,
        repeats_in_page_are_records=entity == "tientrinh",
    )
    meter = common.StatsMeter(client)
    # Only the dossier listing is live (docs/extraction.md, Drift): only it is journaled.
    with common.journaled_listing(
        landing,
        SOURCE,
        entity,
        window,
        fetch,
        listing_rules,
        live=entity == "hoso",
        failure=f"{SOURCE} GET {path} {context}",
        client=client,
    ) as listing:
        good, quarantine = common.split_valid(listing.records, rules.VALIDATORS[entity])
        return common.land(
            landing,
            source=SOURCE,
            entity=entity,
            mode="incremental",
            window=window,
            records=good,
            quarantine=quarantine,
            identity=identity,
            meter=meter,
            source_totals={
                # What the extract accounts for: the accepted listings' totals plus the
                # records that moved out of the window while it was read (Drift).
                "tong_so_ban_ghi": sum(t for _, _, t in listing.totals) + listing.moved_out,
                "moved_out": listing.moved_out,
                "listings": [
                    {"tu_ngay": _timestamp(s), "den_ngay": _timestamp(e), "tong_so_ban_ghi": t}
                    for s, e, t in listing.totals
                ],
            },
            request={
                "path": path,
                "tu_ngay": _timestamp(window.start_instant),
                "den_ngay": _timestamp(window.end_instant),
                "so_ban_ghi": settings.page_size,
            },
            restarts=listing.restarts,
            window_splits=listing.splits,
        )


def extract_onestop(
    start: dt.date | str,
    end: dt.date | str,
    *,
    landing: LandingArea,
    connection: SourceConnection | None = None,
    settings: ExtractSettings | None = None,
    hmac_key: bytes | None = None,
    entities: Sequence[str] = ENTITIES,
) -> list[Manifest]:
    """Land the agencies (snapshot), and the dossiers and steps changed in [start, end].

    ``start``/``end`` are Vietnam calendar dates, inclusive; the range is cut into calendar
    months (the API takes at most 31 days), one extract per entity and month.
    """
    run = common.begin(SOURCE, ENTITIES, entities, start, end, connection, settings, hmac_key)
    requested = run.requested
    manifests = []
    with make_client(run.connection, run.settings) as client:
        if "donvi" in entities:
            manifests.append(_extract_donvi(client, landing, requested, run.hmac_key))
        for entity in ("hoso", "tientrinh"):
            if entity in entities:
                for window in month_windows(requested):
                    manifests.append(
                        _extract_listing(client, landing, entity, window, run.hmac_key)
                    )
    return manifests
