"""Run one page of the real app (app.py with st.navigation) in AppTest for a gemeente and level."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT = 120


def run_page(page: str, gemeente: str = "GM0546", niveau: str = "wijk", **state) -> AppTest:
    """AppTest of ``pages/<page>`` with the sidebar state set; extra ``state`` goes into session_state."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["gemeente"] = gemeente
    at.session_state["niveau"] = niveau
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(f"pages/{page}").run()
    return at


def texts(at: AppTest) -> str:
    """All markdown, captions, info and warning text of the page, joined (for assertions)."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def assert_clean(at: AppTest) -> None:
    """No exception element and no st.error on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
