"""Where the embedded data and the runtime files live.

Every path can be overridden with an environment variable so tests and deployments can point
elsewhere without touching code.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


DATA_DIR = _env_path("GKA_DASH_DATA_DIR", REPO_ROOT / "data")
AGENDA_DIR = DATA_DIR / "agenda"
CBS_DIR = DATA_DIR / "cbs"
GEO_DIR = DATA_DIR / "geo"

# Regions (one row per land/gemeente/wijk/buurt) and facts (long format, one value per row).
GEBIEDEN_FILE = CBS_DIR / "gebieden.parquet"
FEITEN_FILE = CBS_DIR / "feiten.parquet"

# Files Streamlit serves as /app/static/...; generated from data/geo, never committed.
STATIC_DIR = REPO_ROOT / "static"

# Runtime state (the SQLite store, the cbsodata cache) stays outside the tracked files.
VAR_DIR = _env_path("GKA_DASH_VAR_DIR", REPO_ROOT / "var")
CBSODATA_CACHE_DIR = _env_path("GKA_DASH_CBS_CACHE", VAR_DIR / "cbs_cache")
DEFAULT_SQLITE_FILE = VAR_DIR / "gka_dash.sqlite"

SHARED_CBS_DEFAULT = REPO_ROOT.parent / "shared" / "cbs"
