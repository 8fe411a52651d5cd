"""Extractor of the provincial public-service portal API (sources/dvc_portal.md)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from include.connections import SourceConnection
from include.extract import common
from include.extract.http import Auth, ExtractSettings, HttpClient, TransientError
from include.extract.paging import ListingRules, Page
from include.extract.validators import dvc_portal as rules
from include.extract.windows import VN_TZ, Window, month_windows
from include.landing import LandingArea, Manifest, RecordIdentity
from include.landing.versions import ISO_FORMAT, version_sort_key
from include.pii import redact_record

log = logging.getLogger(__name__)

SOURCE = "dvc_portal"
ENTITIES = ("services", "payments", "ratings")
TOKEN_PATH = "/oauth/token"
PATHS = {
    "services": "/api/v1/services",
    "payments": "/api/v1/payments",
    "ratings": "/api/v1/ratings",
}

IDENTITIES = {
    "services": RecordIdentity(
        key=("serviceId",), version_field="updatedAt", version_format=ISO_FORMAT
    ),
    "payments": RecordIdentity(
        key=("transactionId",), version_field="updatedAt", version_format=ISO_FORMAT
    ),
    "ratings": RecordIdentity(
        key=("ratingId",), version_field="updatedAt", version_format=ISO_FORMAT
    ),
}


class DvcAuth(Auth):
    """OAuth 2 client credentials; HTTP 401 on a call means fetch a new token and repeat."""

    renewable = True

    def __init__(self, client_id: str, client_secret: str) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None
        self._lock = threading.Lock()

    def headers(self, client: HttpClient) -> dict[str, str]:
        with self._lock:
            if self._token is None:
                self._token = self._fetch_token(client)
            return {"Authorization": f"Bearer {self._token}"}

    def invalidate(self, used: Mapping[str, str] | None = None) -> None:
        with self._lock:
            # Only the session the rejected call carried: workers that were sent with it
            # all see it expire, and must not drop the one the first of them renewed.
            if used is None or used.get("Authorization") == f"Bearer {self._token}":
                self._token = None

    def _fetch_token(self, client: HttpClient) -> str:
        def check(payload: Any) -> None:
            if not isinstance(payload, dict) or not payload.get("access_token"):
                raise TransientError("token answer without access_token")

        # A 401 here means bad client credentials: HttpClient raises AuthenticationError.
        payload = client.request(
            "POST",
            TOKEN_PATH,
            context="token",
            form={
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._client_secret,
            },
            check=check,
            authenticated=False,
        )
        return str(payload["access_token"])


def _check_page(payload: Any) -> None:
    if not isinstance(payload, dict) or not isinstance(payload.get("content"), list):
        raise TransientError("page without a content list")
    page = payload.get("page")
    if not isinstance(page, dict) or not isinstance(page.get("totalElements"), int):
        raise TransientError("page without page.totalElements")


def make_client(connection: SourceConnection, settings: ExtractSettings) -> HttpClient:
    return HttpClient(SOURCE, connection, settings, DvcAuth(connection.login, connection.password))


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(VN_TZ).isoformat()


def _extract(
    client: HttpClient,
    landing: LandingArea,
    entity: str,
    window: Window,
    *,
    snapshot: bool,
) -> Manifest:
    path = PATHS[entity]
    settings = client.settings
    context = "snapshot (includeHistory)" if snapshot else f"window {window}"

    def fetch(start: dt.datetime, end: dt.datetime, index: int) -> Page:
        params: dict[str, Any] = {"page": index, "size": settings.page_size}
        if snapshot:
            params["includeHistory"] = "true"
        else:
            params |= {"updatedFrom": _iso(start), "updatedTo": _iso(end)}
        payload = client.get_json(path, params, context=context, check=_check_page)
        page = payload["page"]
        total = page["totalElements"]
        total_pages = page.get("totalPages")
        if isinstance(total_pages, int):
            last = index + 1 >= total_pages
        else:
            last = (index + 1) * settings.page_size >= total
        records = [
            redact_record(r if isinstance(r, dict) else {"_value": r}) for r in payload["content"]
        ]
        return Page(records, total, last)

    identity = IDENTITIES[entity]
    listing_rules = ListingRules(
        identity=common.key_identity(identity.key),
        version=lambda r: version_sort_key(r.get("updatedAt"), ISO_FORMAT),
        max_restarts=settings.max_restarts,
        # The catalogue has no window to split.
        max_splits=0 if snapshot else settings.max_window_splits,
        page_size=settings.page_size,
        max_total=settings.max_listing_total,
    )
    meter = common.StatsMeter(client)
    request: dict[str, Any] = {"path": path, "size": settings.page_size}
    if snapshot:
        request["includeHistory"] = True
    else:
        request |= {
            "updatedFrom": _iso(window.start_instant),
            "updatedTo": _iso(window.end_instant),
        }
    # The catalogue has no window a record could leave: only the windowed listings are
    # journaled (docs/extraction.md, Drift).
    with common.journaled_listing(
        landing,
        SOURCE,
        entity,
        window,
        fetch,
        listing_rules,
        live=not snapshot,
        failure=f"{SOURCE} GET {path} {context}",
        client=client,
    ) as listing:
        good, quarantine = common.split_valid(listing.records, rules.VALIDATORS[entity])
        return common.land(
            landing,
            source=SOURCE,
            entity=entity,
            mode="snapshot" if snapshot else "incremental",
            window=window,
            records=good,
            quarantine=quarantine,
            identity=identity,
            meter=meter,
            source_totals={
                # The accepted listings' totals plus the records that moved out of the window
                # while it was read (docs/extraction.md, Drift).
                "totalElements": sum(t for _, _, t in listing.totals) + listing.moved_out,
                "moved_out": listing.moved_out,
                "listings": [
                    {"updatedFrom": _iso(s), "updatedTo": _iso(e), "totalElements": t}
                    for s, e, t in listing.totals
                ]
                if not snapshot
                else [],
            },
            request=request,
            restarts=listing.restarts,
            window_splits=listing.splits,
        )


def extract_dvc_portal(
    start: dt.date | str,
    end: dt.date | str,
    *,
    landing: LandingArea,
    connection: SourceConnection | None = None,
    settings: ExtractSettings | None = None,
    hmac_key: bytes | None = None,
    entities: Sequence[str] = ENTITIES,
) -> list[Manifest]:
    """Land the service catalogue with its history (snapshot), and the payments and ratings
    changed in [start, end] (Vietnam dates, inclusive; one extract per entity and month)."""
    run = common.begin(SOURCE, ENTITIES, entities, start, end, connection, settings, hmac_key)
    requested = run.requested
    manifests = []
    with make_client(run.connection, run.settings) as client:
        if "services" in entities:
            manifests.append(_extract(client, landing, "services", requested, snapshot=True))
        for entity in ("payments", "ratings"):
            if entity in entities:
                for window in month_windows(requested):
                    manifests.append(_extract(client, landing, entity, window, snapshot=False))
    return manifests
