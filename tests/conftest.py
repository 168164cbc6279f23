"""Shared test settings: keep runtime state (store, caches) out of the work tree."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Tests never touch the developer's var/ folder: each run gets its own.
_VAR = Path(tempfile.mkdtemp(prefix="gka_dash_test_var_"))
os.environ.setdefault("GKA_DASH_VAR_DIR", str(_VAR))
os.environ.setdefault("GKA_DASH_DATABASE_URL", f"sqlite:///{_VAR / 'test.sqlite'}")
