"""Loading the landing area into the warehouse's raw tables."""

from include.load.loader import LoadResult, ensure_schema, load_landing, load_manifest

__all__ = ["LoadResult", "ensure_schema", "load_landing", "load_manifest"]
