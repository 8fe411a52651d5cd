"""The manifest written beside every landed extract (schema in docs/extraction.md)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATA_NAME = "records.jsonl.gz"
ORIGINALS_DIR = "original"


@dataclass(frozen=True)
class QuarantineEntry:
    """A record that broke its source's spec, already without personal data."""

    reason: str
    record: dict[str, Any]


@dataclass(frozen=True)
class OriginalFile:
    """A file kept as received (minus personal-data cells), e.g. one unit's QLVB export."""

    #: Path relative to the extract directory, e.g. ``original/1201.xlsx``.
    path: str
    #: SHA-256 of the bytes the source sent.
    sha256_received: str
    #: SHA-256 of the stored (redacted) copy.
    sha256_stored: str
    bytes_received: int
    #: Columns whose cells were blanked before storing.
    redacted_columns: list[str] = field(default_factory=list)
    #: What the file is, e.g. ``{"unit_id": 1201}``.
    describes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Timings:
    started_at: str
    finished_at: str
    seconds: float
    requests: int = 0
    retries: int = 0
    restarts: int = 0
    reauthentications: int = 0
    window_splits: int = 0


@dataclass(frozen=True)
class Manifest:
    """What one extract holds and how it was obtained."""

    source: str
    entity: str
    #: ``incremental`` (records changed in the window) or ``snapshot`` (the whole list).
    mode: str
    window_start: dt.date
    window_end: dt.date
    extract_id: str
    extractor_version: str
    record_count: int
    sha256: str
    timings: Timings
    #: The source's own counts, e.g. ``{"tong_so_ban_ghi": 812}`` or QLVB footers per unit.
    source_totals: dict[str, Any] = field(default_factory=dict)
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    originals: list[OriginalFile] = field(default_factory=list)
    #: The request parameters that define the extract (no credentials).
    request: dict[str, Any] = field(default_factory=dict)
    data_file: str = DATA_NAME
    manifest_version: int = MANIFEST_VERSION
    #: Directory of the extract; set when read back, not stored.
    directory: Path | None = field(default=None, compare=False)

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.window_start, self.window_end

    @property
    def quarantine_count(self) -> int:
        return len(self.quarantine)

    def to_json(self) -> str:
        body = asdict(self)
        body.pop("directory")
        body["window_start"] = self.window_start.isoformat()
        body["window_end"] = self.window_end.isoformat()
        return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, directory: Path | None = None) -> Manifest:
        body = json.loads(text)
        return cls(
            source=body["source"],
            entity=body["entity"],
            mode=body["mode"],
            window_start=dt.date.fromisoformat(body["window_start"]),
            window_end=dt.date.fromisoformat(body["window_end"]),
            extract_id=body["extract_id"],
            extractor_version=body["extractor_version"],
            record_count=body["record_count"],
            sha256=body["sha256"],
            timings=Timings(**body["timings"]),
            source_totals=body.get("source_totals", {}),
            quarantine=[QuarantineEntry(**entry) for entry in body.get("quarantine", [])],
            originals=[OriginalFile(**entry) for entry in body.get("originals", [])],
            request=body.get("request", {}),
            data_file=body.get("data_file", DATA_NAME),
            manifest_version=body.get("manifest_version", MANIFEST_VERSION),
            directory=directory,
        )
