"""Browser tests: start the real app with `streamlit run` and drive Debian's Chromium with Playwright.

The whole folder skips when Playwright or /usr/bin/chromium is missing; CI installs both and sets
GKA_DASH_REQUIRE_BROWSER=1, which turns that skip into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GKA_DASH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-gpu",
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
]
SCREENSHOT_DIR = Path(os.environ.get("GKA_DASH_SCREENSHOTS", REPO / "screenshots"))

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

_missing = sync_playwright is None or not CHROMIUM.exists()
if _missing and os.environ.get("GKA_DASH_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"browser tests required but Playwright or {CHROMIUM} is missing")
pytestmark = pytest.mark.skipif(_missing, reason=f"no Playwright or no {CHROMIUM}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(env: dict[str, str] | None = None, timeout: float = 60.0):
    """Start `streamlit run app.py` on a free loopback port; return (process, base_url)."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]
    process = subprocess.Popen(
        command, cwd=REPO, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace")
            raise RuntimeError(f"streamlit exited early:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not become healthy in time")


def stop_app(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app on the embedded data with an empty SQLite store of its own."""
    store = tmp_path_factory.mktemp("store") / "e2e.sqlite"
    process, url = start_app({"GKA_DASH_DATABASE_URL": f"sqlite:///{store}"})
    yield url
    stop_app(process)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SCREENSHOT_DIR}")
    return SCREENSHOT_DIR


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout,
    )
    page.wait_for_timeout(500)


def assert_no_errors(page) -> None:
    """No Python exception box, no st.error, no JS error."""
    assert page.locator("[data-testid='stException']").count() == 0, "a Python traceback is shown"
    assert page.js_errors == [], f"JavaScript errors: {page.js_errors}"
