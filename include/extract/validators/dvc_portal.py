"""Rules a DVC-portal record must follow to be loaded (sources/dvc_portal.md).

Each function returns the reasons a record breaks the spec (empty: the record is good).
Timestamps must be ISO 8601 *with* an offset (without one the instant is ambiguous); money must
be an integer, as a JSON number or a numeric string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from include.landing.versions import parse_iso_instant

FEE_KINDS = frozenset({"FEE", "CHARGE", "LAND_TAX", "OTHER"})
GATEWAYS = frozenset({"DVCQG", "LOCAL"})
PAYMENT_STATUSES = frozenset({"PENDING", "SUCCESS", "FAILED", "REFUNDED"})
CHANNELS = frozenset({"PORTAL", "KIOSK", "SMS", "ZALO"})
RATING_LEVELS = frozenset({"RAT_HAI_LONG", "HAI_LONG", "BINH_THUONG", "KHONG_HAI_LONG"})
AGENCY_LEVELS = frozenset({"PROVINCE", "DISTRICT", "COMMUNE"})
ONLINE_LEVELS = frozenset({"FULL", "PARTIAL", "NONE"})
SERVICE_STATUSES = frozenset({"PUBLISHED", "SUSPENDED"})
SERVICE_FLAGS = ("eligibleFullOnline", "hasFee", "requiresPaperResult")


def parse_amount(value: Any) -> int | None:
    """An integer VND amount from a JSON number or a numeric string; ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _check_key(record: Mapping[str, Any], name: str) -> list[str]:
    value = record.get(name)
    if value is None or (isinstance(value, str) and not value.strip()) or isinstance(value, bool):
        return [f"missing {name}"]
    return []


def _check_instant(record: Mapping[str, Any], name: str, *, required: bool) -> list[str]:
    value = record.get(name)
    if value is None or value == "":
        return [f"missing {name}"] if required else []
    if parse_iso_instant(value) is None:
        return [f"{name} {value!r} is not an ISO 8601 timestamp with an offset"]
    return []


def _check_code(record: Mapping[str, Any], name: str, allowed: frozenset[str]) -> list[str]:
    value = record.get(name)
    if value not in allowed:
        return [f"{name} {value!r} is not one of {sorted(allowed)}"]
    return []


def _check_date(record: Mapping[str, Any], name: str, *, required: bool) -> list[str]:
    value = record.get(name)
    if value is None:
        return [f"missing {name}"] if required else []
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return [f"{name} {value!r} is not a YYYY-MM-DD date"]
    return []


def validate_services(record: Mapping[str, Any]) -> list[str]:
    reasons = _check_key(record, "serviceId")
    reasons += _check_key(record, "procedureCode")
    reasons += _check_code(record, "agencyLevel", AGENCY_LEVELS)
    reasons += _check_code(record, "onlineLevel", ONLINE_LEVELS)
    reasons += _check_code(record, "status", SERVICE_STATUSES)
    reasons += _check_date(record, "publishedFrom", required=True)
    reasons += _check_date(record, "publishedTo", required=False)
    reasons += _check_instant(record, "updatedAt", required=True)
    for name in SERVICE_FLAGS:
        if name in record and record[name] is not None and not isinstance(record[name], bool):
            reasons.append(f"{name} {record[name]!r} is not a boolean")
    return reasons


def validate_payments(record: Mapping[str, Any]) -> list[str]:
    reasons = _check_key(record, "transactionId")
    reasons += _check_code(record, "feeKind", FEE_KINDS)
    reasons += _check_code(record, "gateway", GATEWAYS)
    reasons += _check_code(record, "status", PAYMENT_STATUSES)
    if parse_amount(record.get("amount")) is None:
        reasons.append(f"amount {record.get('amount')!r} is not an integer VND amount")
    reasons += _check_instant(record, "createdAt", required=True)
    reasons += _check_instant(record, "paidAt", required=False)
    reasons += _check_instant(record, "updatedAt", required=True)
    return reasons


def validate_ratings(record: Mapping[str, Any]) -> list[str]:
    reasons = _check_key(record, "ratingId")
    reasons += _check_code(record, "channel", CHANNELS)
    withdrawn = record.get("withdrawn") is True
    if not (withdrawn and record.get("level") is None):
        reasons += _check_code(record, "level", RATING_LEVELS)
    reasons += _check_instant(record, "ratedAt", required=True)
    reasons += _check_instant(record, "updatedAt", required=True)
    return reasons


VALIDATORS: Mapping[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "services": validate_services,
    "payments": validate_payments,
    "ratings": validate_ratings,
}


def validate(entity: str, record: Mapping[str, Any]) -> list[str]:
    """Reasons the DVC-portal ``entity`` record breaks the spec; empty when it is good."""
    return VALIDATORS[entity](record)
