"""Kaart page: cold start of the app to a rendered Leiden wijk map (headless Chromium), and the
server-side time to build the map page. Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/bench_kaart.py [--repeat 3]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402

from gka_dash import facts, mapview  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app  # noqa: E402

MAP_READY_JS = (
    "() => { const gd = document.querySelector('.js-plotly-plot');"
    " return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot"
    " && gd._fullLayout.map._subplot.map.loaded()"
    " && gd._fullLayout.map._subplot.map.queryRenderedFeatures().length > 0; }"
)


def cold_start(repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(repeat):
            started = time.perf_counter()
            process, url = start_app()
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/?gemeente=GM0546&niveau=wijk")
            page.wait_for_function(MAP_READY_JS, timeout=120_000)
            timings.append(time.perf_counter() - started)
            page.close()
            stop_app(process)
        browser.close()
    return timings


def server_side(repeat: int) -> tuple[list[float], list[float]]:
    feiten = facts.load_feiten()
    build = []
    for i in range(repeat):
        indicator = ("aandeel_0_15_pct", "woz_waarde_x1000_eur")[i % 2]
        started = time.perf_counter()
        result = mapview.indicator_map(feiten, "GM0546", "wijk", indicator, geojson_url="/app/static/x.geojson")
        result.figure.to_json()
        build.append(time.perf_counter() - started)
    page_runs = []
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["gemeente"] = "GM0546"
    at.run()
    for i in range(repeat):
        started = time.perf_counter()
        at.selectbox(key="indicator").set_value(("woz_waarde_x1000_eur", "aandeel_0_15_pct")[i % 2]).run()
        page_runs.append(time.perf_counter() - started)
    return build, page_runs


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f}, n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    build, page_runs = server_side(max(args.repeat, 5))
    print(f"server: build Leiden wijk map figure + JSON: {_summary(build)}")
    print(f"server: Kaart page rerun on indicator change (AppTest): {_summary(page_runs)}")
    if CHROMIUM.exists():
        print(f"cold start to rendered Leiden wijk map (streamlit start + Chromium): {_summary(cold_start(args.repeat))}")
    else:
        print(f"cold start: skipped, no {CHROMIUM}")


if __name__ == "__main__":
    main()
