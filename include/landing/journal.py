"""What a window's listing served to an extract attempt that did not land it.

A live listing can move a record out of the window while it is read (docs/extraction.md,
*Drift*); the extractor keeps such a record as it was served. If the attempt then dies — the
portal fails for good, the worker is killed, landing is interrupted — the next attempt reads a
listing that no longer holds it, and the record would be in no extract of the run. So every page
an attempt reads is appended to a journal beside the window's extracts, and the attempt that
finally lands the window merges what earlier attempts' journals served and deletes them.

A journal holds records already redacted (pages are redacted as they arrive), one gzip member
per page so a journal cut short by a killed process still reads up to its last whole page. It
is a hidden working file, never an extract: readers of the landing area do not see it.
"""

from __future__ import annotations

import gzip
import json
import logging
import secrets
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

log = logging.getLogger(__name__)

JOURNAL_PREFIX = ".served-"
_SUFFIX = ".jsonl.gz"


class ServedJournal:
    """The journal of one attempt at one window, and the journals earlier attempts left.

    A context manager: leaving it normally (the window is landed) discards the journals, leaving
    it by an exception keeps them for the next attempt. ``enabled=False`` (a listing that does
    not move: snapshots, processing steps) journals nothing.
    """

    def __init__(self, window_dir: Path, *, enabled: bool = True) -> None:
        self._dir = window_dir
        self._enabled = enabled
        self._earlier = sorted(window_dir.glob(f"{JOURNAL_PREFIX}*{_SUFFIX}")) if enabled else []
        self._path = window_dir / f"{JOURNAL_PREFIX}{secrets.token_hex(6)}{_SUFFIX}"
        self._file: Any = None

    def __enter__(self) -> ServedJournal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.discard()
        else:
            self.close()

    def earlier_records(self) -> list[dict[str, Any]]:
        """What the listing served to earlier attempts that did not land the window."""
        records = [record for path in self._earlier for record in _read(path)]
        if records:
            log.info(
                "%s: %d records served to %d earlier attempts that did not land",
                self._dir,
                len(records),
                len(self._earlier),
            )
        return records

    def append(self, records: Iterable[Mapping[str, Any]]) -> None:
        """One page, written through at once: a process killed after it keeps it."""
        if not self._enabled:
            return
        lines = "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
            for r in records
        )
        if not lines:
            return
        if self._file is None:
            self._dir.mkdir(parents=True, exist_ok=True)
            self._file = self._path.open("ab")
            self._path.chmod(0o600)
        self._file.write(gzip.compress(lines.encode("utf-8"), compresslevel=1, mtime=0))
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def discard(self) -> None:
        """The window is landed: this attempt's journal and the earlier ones are done with."""
        self.close()
        if self._enabled:
            for path in [*self._earlier, self._path]:
                path.unlink(missing_ok=True)


def _read(path: Path) -> Iterator[dict[str, Any]]:
    """The whole pages of a journal (a killed writer may have left half of its last one)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:  # another attempt landed the window and discarded it meanwhile
        return
    while data:
        decompressor = zlib.decompressobj(wbits=31)
        try:
            text = decompressor.decompress(data)
        except zlib.error:
            break
        if not decompressor.eof:
            break  # a page cut short
        data = decompressor.unused_data
        for line in text.decode("utf-8").splitlines():
            yield json.loads(line)
