"""Personal-data redaction, applied in memory before anything is written.

The warehouse needs no applicant's identity (sources/onestop.md, "Personal data"). Applicant
contact fields and free text are dropped; the applicant's ID number survives only as a keyed
hash (HMAC-SHA-256 with the secret ``dti_pii_hmac_key``) so repeat applicants can be counted.
Officials' names and titles are public information and are kept.

Sources add fields without notice, so besides the known names any field whose *name* looks like
one of them (case, diacritics, separators and affixes ignored: ``EmailChuHoSo``,
``dia_chi``, ``Trích yếu nội dung``) is dropped too, at any depth of the record.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

#: Field holding the keyed hash of the applicant's ID number (64 lowercase hex digits).
APPLICANT_KEY_FIELD = "SoGiayToChuHoSo_hmac"

#: One-stop applicant fields (sources/onestop.md) and the step free text.
ONESTOP_PII_FIELDS = frozenset(
    {
        "ChuHoSo",
        "SoGiayToChuHoSo",
        "SoDienThoai",
        "Email",
        "DiaChi",
        "TrichYeuHoSo",
        "DinhDanhCHS",
        "NoiDungXuLy",
    }
)

#: QLVB free-text columns blanked in the kept original and dropped from the landed rows.
#: ``Nơi nhận`` lists recipients, who are private persons when an agency answers a citizen.
QLVB_PII_COLUMNS = ("Trích yếu", "Tiêu đề", "Nơi nhận")

# Normalised fragments: a field whose normalised name contains one of them is personal data.
_PII_NAME_FRAGMENTS = (
    "chuhoso",
    "sogiayto",
    "sodienthoai",
    "dienthoai",
    "email",
    "diachi",
    "trichyeu",
    "dinhdanhchs",
    "noidungxuly",
    "tieude",
    "noinhan",
)


def _normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]", "", ascii_only.casefold())


@functools.lru_cache(maxsize=4096)
def is_pii_field(name: str) -> bool:
    """True when a field's name marks it as applicant data or free text.

    Cached: a source has a few dozen field names, asked about for every record.
    """
    normalised = _normalise_name(name)
    return any(fragment in normalised for fragment in _PII_NAME_FRAGMENTS)


def normalise_id_number(value: object) -> str:
    """The canonical form of an ID number before hashing.

    NFKC folds full-width digits, separators and spaces typed by clerks are removed, letters
    (old passports) are upper-cased: ``"0010 9100-1234"`` and ``"001091001234"`` hash alike.
    """
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s.\-_/]", "", text).upper()


def applicant_key(hmac_key: bytes, id_number: object) -> str | None:
    """HMAC-SHA-256 (hex) of the normalised ID number; ``None`` when there is no number."""
    if id_number is None:
        return None
    normalised = normalise_id_number(id_number)
    if not normalised:
        return None
    return hmac.new(hmac_key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def drop_pii(value: Any) -> Any:
    """A copy of ``value`` (decoded JSON) without personal-data fields at any depth."""
    # Concrete dict/list checks, not the Mapping ABC: this runs on every field of every record.
    if isinstance(value, dict):
        return {
            key: drop_pii(item) if isinstance(item, (dict, list)) else item
            for key, item in value.items()
            if not is_pii_field(str(key))
        }
    if isinstance(value, list):
        return [drop_pii(item) if isinstance(item, (dict, list)) else item for item in value]
    return value


def redact_onestop_record(record: Mapping[str, Any], hmac_key: bytes) -> dict[str, Any]:
    """A one-stop record (``donvi``, ``hoso`` or ``tientrinh``) without personal data.

    A dossier that carries ``SoGiayToChuHoSo`` gets ``SoGiayToChuHoSo_hmac`` in its place
    (``null`` when the number is empty), so the field's presence is kept as received.
    """
    redacted = drop_pii(record)
    if "SoGiayToChuHoSo" in record:
        redacted[APPLICANT_KEY_FIELD] = applicant_key(hmac_key, record["SoGiayToChuHoSo"])
    return redacted


def redact_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A QLVB or DVC-portal record without personal-data fields (none are expected there)."""
    return drop_pii(record)
