"""The landing area: every extract kept once, immutably, as received minus personal data.

Layout (docs/extraction.md)::

    <root>/<source>/<entity>/<window_start>_<window_end>/<extract_id>/
        records.jsonl.gz   one JSON object per line, gzip
        manifest.json      what the extract holds and how it was obtained
        original/...       files kept as received (QLVB exports), personal-data cells blanked

An extract is assembled in a hidden temporary directory beside its final place and renamed
into it in one step, so a reader sees a whole extract or none. Nothing is ever overwritten:
extracting a window again adds a new extract id, and written files are made read-only.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from include.landing.journal import ServedJournal
from include.landing.manifest import (
    DATA_NAME,
    MANIFEST_NAME,
    ORIGINALS_DIR,
    Manifest,
    OriginalFile,
    QuarantineEntry,
    Timings,
)
from include.landing.versions import version_sort_key

#: gzip level of the data files: level 3 compresses JSON lines to about the same size as the
#: default 6 while writing several times faster (docs/extraction.md).
COMPRESS_LEVEL = 3
_BATCH_LINES = 512
_TMP_PREFIX = ".tmp-"


class LandingError(RuntimeError):
    """A landed extract is missing, altered or inconsistent with its manifest."""


@dataclass(frozen=True)
class PendingOriginal:
    """A file to keep beside an extract; ``content`` is already redacted."""

    name: str
    content: bytes
    sha256_received: str
    bytes_received: int
    redacted_columns: list[str] = field(default_factory=list)
    describes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordIdentity:
    """How records of an entity are told apart and which version of one is newest.

    Stored in each manifest's ``request`` as ``dedup`` so the landing area can de-duplicate
    without knowing the sources.
    """

    key: tuple[str, ...]
    #: Field whose value orders versions of a record; ``None``: the latest extract wins.
    version_field: str | None = None
    #: ``yyyyMMddHHmmss`` (one-stop) or ``iso8601`` (DVC, offsets vary).
    version_format: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": list(self.key),
            "version_field": self.version_field,
            "version_format": self.version_format,
        }


class _HashingWriter(io.RawIOBase):
    """File wrapper that hashes what is written, so the checksum costs no second read."""

    def __init__(self, target: io.BufferedWriter) -> None:
        self._target = target
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.sha256.update(data)
        return self._target.write(data)


def new_extract_id(started_at: dt.datetime) -> str:
    """Sortable by start time (UTC), unique thanks to a random suffix."""
    stamp = started_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_readonly(path: Path, content: bytes) -> None:
    with path.open("xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o444)


class LandingArea:
    """A directory tree of immutable extracts with their manifests."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    # ------------------------------------------------------------------ writing
    def write_extract(
        self,
        *,
        source: str,
        entity: str,
        mode: str,
        window_start: dt.date,
        window_end: dt.date,
        records: Iterable[Mapping[str, Any]],
        started_at: dt.datetime,
        extractor_version: str,
        identity: RecordIdentity,
        quarantine: Sequence[QuarantineEntry] = (),
        source_totals: Mapping[str, Any] | None = None,
        originals: Sequence[PendingOriginal] = (),
        request: Mapping[str, Any] | None = None,
        counters: Mapping[str, int] | None = None,
    ) -> Manifest:
        """Write one extract and return its manifest. ``records`` is streamed, not held."""
        if mode not in ("incremental", "snapshot"):
            raise ValueError(f"mode must be 'incremental' or 'snapshot', not {mode!r}")
        extract_id = new_extract_id(started_at)
        window_dir = self._window_dir(source, entity, window_start, window_end)
        window_dir.mkdir(parents=True, exist_ok=True)
        tmp_dir = window_dir / f"{_TMP_PREFIX}{extract_id}"
        final_dir = window_dir / extract_id
        tmp_dir.mkdir()
        try:
            record_count, sha256 = self._write_records(tmp_dir / DATA_NAME, records)
            stored_originals = self._write_originals(tmp_dir, originals)
            finished_at = dt.datetime.now(dt.UTC)
            counts = dict(counters or {})
            manifest = Manifest(
                source=source,
                entity=entity,
                mode=mode,
                window_start=window_start,
                window_end=window_end,
                extract_id=extract_id,
                extractor_version=extractor_version,
                record_count=record_count,
                sha256=sha256,
                timings=Timings(
                    started_at=started_at.astimezone(dt.UTC).isoformat(),
                    finished_at=finished_at.isoformat(),
                    seconds=round((finished_at - started_at).total_seconds(), 3),
                    **{name: int(counts.get(name, 0)) for name in _COUNTER_NAMES},
                ),
                source_totals=dict(source_totals or {}),
                quarantine=list(quarantine),
                originals=stored_originals,
                request={**dict(request or {}), "dedup": identity.as_dict()},
            )
            _write_readonly(tmp_dir / MANIFEST_NAME, manifest.to_json().encode("utf-8"))
        except BaseException:
            # A half-written extract must not linger; nothing outside tmp_dir was touched.
            shutil.rmtree(tmp_dir, ignore_errors=True)
            raise
        if final_dir.exists():  # practically impossible (random suffix), but never overwrite
            raise LandingError(f"extract directory {final_dir} already exists")
        tmp_dir.rename(final_dir)
        if stored_originals:
            (final_dir / ORIGINALS_DIR).chmod(0o555)
        final_dir.chmod(0o555)
        return Manifest.from_json(manifest.to_json(), directory=final_dir)

    @staticmethod
    def _write_records(path: Path, records: Iterable[Mapping[str, Any]]) -> tuple[int, str]:
        count = 0
        dumps = json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), default=_json_default
        ).encode
        with path.open("xb") as raw:
            hashing = _HashingWriter(raw)
            with gzip.GzipFile(
                fileobj=hashing, mode="wb", compresslevel=COMPRESS_LEVEL, mtime=0
            ) as gz:
                batch: list[str] = []
                for record in records:
                    batch.append(dumps(record))
                    if len(batch) >= _BATCH_LINES:
                        gz.write(("\n".join(batch) + "\n").encode("utf-8"))
                        count += len(batch)
                        batch.clear()
                if batch:
                    gz.write(("\n".join(batch) + "\n").encode("utf-8"))
                    count += len(batch)
            raw.flush()
            os.fsync(raw.fileno())
        path.chmod(0o444)
        return count, hashing.sha256.hexdigest()

    @staticmethod
    def _write_originals(tmp_dir: Path, originals: Sequence[PendingOriginal]) -> list[OriginalFile]:
        if not originals:
            return []
        folder = tmp_dir / ORIGINALS_DIR
        folder.mkdir()
        stored = []
        for original in originals:
            if "/" in original.name or original.name.startswith("."):
                raise ValueError(f"invalid original file name {original.name!r}")
            _write_readonly(folder / original.name, original.content)
            stored.append(
                OriginalFile(
                    path=f"{ORIGINALS_DIR}/{original.name}",
                    sha256_received=original.sha256_received,
                    sha256_stored=hashlib.sha256(original.content).hexdigest(),
                    bytes_received=original.bytes_received,
                    redacted_columns=list(original.redacted_columns),
                    describes=dict(original.describes),
                )
            )
        return stored

    def served_journal(
        self,
        source: str,
        entity: str,
        window_start: dt.date,
        window_end: dt.date,
        *,
        live: bool = True,
    ) -> ServedJournal:
        """The journal of a new attempt at a window (see ``journal``); ``live=False`` for a
        listing that cannot move records out of its window: nothing is journaled."""
        window_dir = self._window_dir(source, entity, window_start, window_end)
        return ServedJournal(window_dir, enabled=live)

    def _window_dir(
        self, source: str, entity: str, window_start: dt.date, window_end: dt.date
    ) -> Path:
        return self.root / source / entity / f"{window_start.isoformat()}_{window_end.isoformat()}"

    # ------------------------------------------------------------------ reading
    def manifests(
        self,
        source: str | None = None,
        entity: str | None = None,
        window: tuple[dt.date, dt.date] | None = None,
    ) -> list[Manifest]:
        """Manifests of finished extracts, oldest first; ``window`` keeps those overlapping it."""
        pattern = f"{source or '*'}/{entity or '*'}/*/*/{MANIFEST_NAME}"
        found = []
        for path in self.root.glob(pattern):
            if path.parent.name.startswith(_TMP_PREFIX):
                continue
            manifest = Manifest.from_json(path.read_text(encoding="utf-8"), directory=path.parent)
            if window is not None and (
                manifest.window_end < window[0] or manifest.window_start > window[1]
            ):
                continue
            found.append(manifest)
        found.sort(key=lambda m: (m.extract_id, m.source, m.entity))
        return found

    def verify(self, manifest: Manifest) -> None:
        """Check the data file and the originals against the manifest's checksums."""
        directory = self._directory(manifest)
        actual = _sha256_file(directory / manifest.data_file)
        if actual != manifest.sha256:
            raise LandingError(
                f"{manifest.source}/{manifest.entity} extract {manifest.extract_id}: data file "
                f"checksum {actual} differs from the manifest's {manifest.sha256}"
            )
        for original in manifest.originals:
            actual = _sha256_file(directory / original.path)
            if actual != original.sha256_stored:
                raise LandingError(
                    f"{manifest.source}/{manifest.entity} extract {manifest.extract_id}: "
                    f"{original.path} checksum {actual} differs from the manifest's"
                )

    def read_records(self, manifest: Manifest, *, verify: bool = True) -> Iterator[dict[str, Any]]:
        """The landed records of one extract, checked against its manifest first."""
        if verify:
            self.verify(manifest)
        count = 0
        with gzip.open(
            self._directory(manifest) / manifest.data_file, "rt", encoding="utf-8"
        ) as handle:
            for line in handle:
                count += 1
                yield json.loads(line)
        if verify and count != manifest.record_count:
            raise LandingError(
                f"{manifest.source}/{manifest.entity} extract {manifest.extract_id}: "
                f"{count} records read, manifest says {manifest.record_count}"
            )

    def read_original(self, manifest: Manifest, path: str) -> bytes:
        return (self._directory(manifest) / path).read_bytes()

    def latest_records(self, source: str, entity: str) -> list[dict[str, Any]]:
        """The newest version of every record landed for ``source``/``entity``.

        Incremental extracts are merged by the entity's key, the highest version field winning
        and, on a tie or without one, the later extract. A snapshot entity is what its most
        recent extract says.
        """
        manifests = self.manifests(source, entity)
        if not manifests:
            return []
        if manifests[-1].mode == "snapshot":
            return list(self.read_records(manifests[-1]))
        latest: dict[tuple[Any, ...], tuple[tuple[Any, ...], dict[str, Any]]] = {}
        for order, manifest in enumerate(manifests):
            dedup = manifest.request["dedup"]
            key_fields = dedup["key"]
            version_field = dedup["version_field"]
            version_format = dedup["version_format"]
            for record in self.read_records(manifest):
                key = tuple(_hashable(record.get(name)) for name in key_fields)
                version = (
                    version_sort_key(record.get(version_field), version_format)
                    if version_field
                    else (),
                    order,
                )
                current = latest.get(key)
                if current is None or version >= current[0]:
                    latest[key] = (version, record)
        return [record for _, record in latest.values()]

    def _directory(self, manifest: Manifest) -> Path:
        if manifest.directory is not None:
            return manifest.directory
        window_dir = self._window_dir(
            manifest.source, manifest.entity, manifest.window_start, manifest.window_end
        )
        return window_dir / manifest.extract_id


_COUNTER_NAMES = ("requests", "retries", "restarts", "reauthentications", "window_splits")


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot land a value of type {type(value).__name__}")
