"""The registry of sources (registry.yaml, read by registry.py)."""
