"""Time until each dashboard page is interactive in headless Chromium, next to a bare Streamlit page
drawing the same precomputed figure, and the server-side rerun time when the indicator changes.

"Interactive" = the script run has finished (no running indicator) and every plotly chart on the
page has drawn (maps: the map has loaded its GeoJSON and rendered features). Each page is opened in
a fresh browser context against a warm server (caches filled by a first, untimed visit).

Prints figures; asserts nothing.
Usage: .venv/bin/python benchmarks/bench_pages.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gka_dash import charts, compare, facts, formatting, geo, kansenindex, mapview  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app  # noqa: E402

READY_JS = """() => {
  const running = document.querySelector("[data-testid='stStatusWidgetRunningIcon']");
  if (running) return false;
  if (!document.querySelector("h1")) return false;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  if (plots.length === 0) return false;
  return plots.every(gd => {
    const fl = gd._fullLayout;
    if (!fl) return false;
    if (fl.map && fl.map._subplot) {
      const m = fl.map._subplot.map;
      return m.loaded() && m.queryRenderedFeatures().length > 0;
    }
    return gd.querySelector('.main-svg') !== null;
  });
}"""

SCENARIOS = [
    # (label, page path, query)
    ("Leiden wijk", "gemeente=GM0546&niveau=Wijken"),
    ("Leiden buurt", "gemeente=GM0546&niveau=Buurten"),
    ("Nederland (gemeenten)", "gemeente=GM0546&niveau=Gemeente"),
]
PAGES = ["Kaart", "Kansenindex", "Vergelijken", "Overzicht", "Financiering", "Interventies"]
LEVEL = {"Leiden wijk": "wijk", "Leiden buurt": "buurt", "Nederland (gemeenten)": "gemeente"}

BARE_SCRIPT = """
import plotly.io as pio
import streamlit as st
st.set_page_config(layout="wide")
st.title("bare")
st.plotly_chart(pio.read_json(st.query_params["fig"]), key="f")
"""


def _figure(page: str, niveau: str):
    """The same figure the page draws first, built with the library (precomputed for the bare page)."""
    feiten = facts.load_feiten()
    scope = None if niveau == "gemeente" else "GM0546"
    if page == "Kaart":
        url = "/" + geo.static_url(geo.static_geojson(niveau, scope))
        return mapview.indicator_map(feiten, scope, niveau, "aandeel_0_15_pct", geojson_url=url).figure
    table = facts.wide(feiten, scope, niveau)
    if page == "Kansenindex":
        result = kansenindex.compute(table.frame, niveau)
        shown = compare.top_with(result.scores, 25, [], value_column="kansenindex")
        return charts.ranking_bar(shown, "kansenindex", title="Kansenindex", value_label="Kansenindex",
                                  source=kansenindex.source_line(result, table.jaren, table.bronnen))
    ranks = compare.top_with(compare.ranked(table.frame, "aandeel_0_15_pct"), 40)
    return charts.ranking_bar(ranks, "waarde", title="Aandeel 0-15", value_label="Aandeel 0-15",
                              source=mapview.data_source(table, "aandeel_0_15_pct"),
                              formatter=lambda v: formatting.percent(v))


def _time_to_ready(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_timeout(300)  # let the first script run start
    page.wait_for_function(READY_JS, timeout=180_000, polling=50)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def browser_timings(repeat: int) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright

    app_timings, bare_timings = {}, {}
    bare_dir = Path(tempfile.mkdtemp(prefix="gka_bare_"))
    (bare_dir / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
    figures = {}
    for page in ("Kaart", "Kansenindex", "Vergelijken"):
        for label, _ in SCENARIOS:
            path = bare_dir / f"{page}_{LEVEL[label]}.json"
            _figure(page, LEVEL[label]).write_json(str(path))
            figures[(page, label)] = path
    shutil.copytree(REPO / "static", bare_dir / "static")  # Streamlit does not serve a symlinked folder
    app, app_url = start_app({"GKA_DASH_DATABASE_URL": f"sqlite:///{bare_dir / 'bench.sqlite'}"})
    bare, bare_url = _start_bare(bare_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for page in PAGES:
                scenarios = SCENARIOS if page in ("Kaart", "Kansenindex", "Vergelijken") else SCENARIOS[:1]
                for label, query in scenarios:
                    url = f"{app_url}/{page}?{query}"
                    _time_to_ready(browser, url)  # warm the server caches
                    app_timings[(page, label)] = [_time_to_ready(browser, url) for _ in range(repeat)]
                    print(f"  measured {page} / {label}", file=sys.stderr, flush=True)
                    if (page, label) in figures:
                        bare_page = f"{bare_url}/?fig={figures[(page, label)]}"
                        _time_to_ready(browser, bare_page)
                        bare_timings[(page, label)] = [_time_to_ready(browser, bare_page) for _ in range(repeat)]
            browser.close()
    finally:
        stop_app(app)
        stop_app(bare)
    return app_timings, bare_timings


def _start_bare(bare_dir: Path):
    import socket
    import subprocess
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(bare_dir / "bare.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.enableStaticServing", "true"],
        cwd=bare_dir, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return process, url
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("bare streamlit did not start")


def server_reruns(repeat: int) -> dict:
    """AppTest: time of the rerun after the indicator changes (server side only)."""
    from streamlit.testing.v1 import AppTest

    out = {}
    cases = [("1_Kaart.py", "indicator", "wijk"), ("1_Kaart.py", "indicator", "buurt"),
             ("5_Vergelijken.py", "vg_indicator", "wijk"), ("5_Vergelijken.py", "vg_indicator", "gemeente")]
    for page, key, niveau in cases:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
        at.session_state["gemeente"] = "GM0546"
        at.session_state["niveau"] = niveau
        at.switch_page(f"pages/{page}").run()
        timings = []
        for i in range(repeat + 1):
            value = ("woz_waarde_x1000_eur", "aandeel_0_15_pct")[i % 2]
            started = time.perf_counter()
            at.selectbox(key=key).set_value(value).run()
            if i:  # the first change fills caches
                timings.append(time.perf_counter() - started)
        assert not at.exception
        out[(page, niveau)] = timings
    return out


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("server-side rerun after an indicator change (AppTest, Leiden):")
    for (page, niveau), values in server_reruns(max(args.repeat, 3)).items():
        print(f"  {page:18s} {niveau:9s} median {_median(values):.3f} s (min {min(values):.3f}, n={len(values)})")
    if not CHROMIUM.exists():
        print(f"no {CHROMIUM}: browser timings skipped")
        return
    app_timings, bare_timings = browser_timings(args.repeat)
    print("\ntime until interactive in headless Chromium (warm server, fresh browser context), median of "
          f"{args.repeat}:")
    print(f"  {'page':13s} {'scenario':22s} {'app':>8s} {'bare':>8s} {'ratio':>6s}")
    for (page, label), values in app_timings.items():
        app = _median(values)
        bare = bare_timings.get((page, label))
        if bare:
            print(f"  {page:13s} {label:22s} {app:7.2f}s {_median(bare):7.2f}s {app / _median(bare):6.2f}")
        else:
            print(f"  {page:13s} {label:22s} {app:7.2f}s {'':>8s} {'':>6s}")


if __name__ == "__main__":
    main()
