"""Where the project keeps its local state.

Everything a run writes on this machine (embedded PostgreSQL data, Airflow home, landing area,
generated keys) lives under one project-local directory, ``.local/`` beside the code, so a
checkout is self-contained and ``rm -rf .local`` resets it. ``DTI_LOCAL_DIR`` moves it.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def local_dir() -> Path:
    """The project-local state directory (created on first use)."""
    path = Path(os.environ.get("DTI_LOCAL_DIR", PROJECT_ROOT / ".local")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def landing_dir() -> Path:
    """Default landing area root (``DTI_LANDING_DIR`` overrides it, e.g. a mounted volume)."""
    path = Path(os.environ.get("DTI_LANDING_DIR", local_dir() / "landing")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
