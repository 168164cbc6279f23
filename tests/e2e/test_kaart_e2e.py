"""Browser: the app starts and Leiden's wijk map renders from the static GeoJSON."""

import io

from tests.e2e.conftest import assert_no_errors, wait_for_app

LEIDEN_WIJKEN = 10


def test_leiden_wijk_map_renders(app_url, page, screenshot_dir):
    geojson_responses = []
    page.on(
        "response",
        lambda r: geojson_responses.append(r.status) if r.url.endswith("/app/static/geo/wijk/GM0546.geojson") else None,
    )
    page.goto(f"{app_url}/?gemeente=GM0546&niveau=Wijken")
    wait_for_app(page)
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => { const gd = document.querySelector('.js-plotly-plot');"
        " return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot"
        " && gd._fullLayout.map._subplot.map.loaded(); }",
        timeout=60_000,
    )
    assert geojson_responses and geojson_responses[0] == 200, "the GeoJSON is served as a static file"
    locations = page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullData"
        ".filter(t => t.type === 'choroplethmap' && t.showscale !== false).reduce((n, t) => n + t.locations.length, 0)"
    )
    assert locations == LEIDEN_WIJKEN
    rendered = page.evaluate(
        "() => { const m = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;"
        " return new Set(m.queryRenderedFeatures().map(f => JSON.stringify(f.properties.ct))).size; }"
    )
    assert rendered >= LEIDEN_WIJKEN, f"only {rendered} wijk polygons drawn"
    page.screenshot(path=str(screenshot_dir / "kaart_leiden_wijk.png"), full_page=True)
    assert "Kaart — Leiden" in page.locator("h1").first.inner_text()
    assert_no_errors(page)


def test_link_with_bare_gemeente_code_opens_that_gemeente(app_url, page):
    page.goto(f"{app_url}/?gemeente=GM0118")
    wait_for_app(page)
    page.locator("h1").first.wait_for()
    assert "Kaart — Hoogeveen" in page.locator("h1").first.inner_text()
    assert_no_errors(page)


def test_deep_link_on_fresh_server_gets_app_navigation(page, tmp_path):
    """A first request to /Uploaden must run app.py (sidebar + navigation), not the bare page script."""
    from tests.e2e.conftest import start_app, stop_app

    process, url = start_app({"GKA_DASH_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"})
    try:
        page.goto(f"{url}/Uploaden")
        wait_for_app(page)
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.wait_for(timeout=60_000)
        links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
        assert any("Gegevens uploaden" in link for link in links)
        assert not any(link.strip() == "app" for link in links)
        assert_no_errors(page)
    finally:
        stop_app(process)
