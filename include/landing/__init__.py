"""The landing area: immutable extracts, minus personal data, with their manifests."""

from include.landing.area import LandingArea, LandingError, PendingOriginal, RecordIdentity
from include.landing.journal import ServedJournal
from include.landing.manifest import Manifest, OriginalFile, QuarantineEntry, Timings

__all__ = [
    "LandingArea",
    "LandingError",
    "Manifest",
    "OriginalFile",
    "PendingOriginal",
    "QuarantineEntry",
    "RecordIdentity",
    "ServedJournal",
    "Timings",
]
