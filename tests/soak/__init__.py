"""The zero-loss soak of the extractors (docs/extraction.md, *Soak*)."""
