"""Browser walk through every analysis page: open, switch gemeente, change indicator, select a wijk.

Each step asserts that no Python traceback, no st.error and no JavaScript error appears, and saves a
screenshot to the folder the run prints (``screenshot_dir``). The Leiden wijk map itself is covered by
test_kaart_e2e.py.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import assert_no_errors

TALL = {"width": 1400, "height": 2000}  # Streamlit scrolls inside its own container: a tall viewport shows more


def settle(page, timeout: float = 90_000) -> None:
    """Wait until the script run that the last action triggered has finished."""
    try:
        page.wait_for_selector("[data-testid='stStatusWidgetRunningIcon']", state="attached", timeout=2_500)
    except Exception:  # noqa: BLE001 - a fast rerun may finish before the icon shows
        pass
    page.wait_for_selector("[data-testid='stStatusWidgetRunningIcon']", state="detached", timeout=timeout)
    page.wait_for_timeout(600)


def check(page, shots, name: str) -> None:
    assert_no_errors(page)
    errors = page.locator("[data-testid='stAlertContentError']")
    assert errors.count() == 0, [errors.nth(i).inner_text() for i in range(errors.count())]
    page.screenshot(path=str(shots / f"{name}.png"))


def open_page(page, app_url: str, path: str, query: str = "") -> None:
    page.goto(f"{app_url}/{path}{'?' + query if query else ''}")
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_selector("h1", timeout=60_000)
    settle(page)


def choose(page, label: str, text: str, nth: int = 0) -> None:  # noqa: D401
    """Pick an option in a selectbox by typing part of its text."""
    box = page.get_by_role("combobox", name=label, exact=True).nth(nth)
    box.click()
    page.keyboard.type(text)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    settle(page)


def switch_gemeente(page, naam: str) -> None:
    choose(page, "Gemeente", naam)
    selected = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").first.input_value()
    assert naam in selected, selected


def title(page) -> str:
    return page.locator("h1").first.text_content()


@pytest.fixture
def tall_page(browser):
    context = browser.new_context(viewport=TALL, locale="nl-NL")
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    context.close()


def test_overzicht_and_open_a_gemeente_map(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "Overzicht")
    assert title(page) == "Overzicht van de GKA-agenda's"
    link = page.locator("[data-testid='stPageLink-NavLink']").filter(has_text="Kaart Hoogeveen")
    assert link.count() == 1
    check(page, screenshot_dir, "overzicht")
    link.click()
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Hoogeveen')",
                           timeout=60_000)
    settle(page)
    assert title(page) == "Kaart — Hoogeveen"
    check(page, screenshot_dir, "overzicht_naar_kaart_hoogeveen")


def test_kaart_layer_indicator_wijk_selection_click_and_drill_down(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "", "gemeente=GM0546")
    page.wait_for_selector(".js-plotly-plot")
    choose(page, "Indicator", "WOZ")
    assert "WOZ" in page.locator(".js-plotly-plot .gtitle").first.text_content()
    check(page, screenshot_dir, "kaart_leiden_woz")
    choose(page, "Gebied (of klik op de kaart)", "Morsdistrict")
    page.get_by_text("Morsdistrict en Leiden ten opzichte van Nederland").first.wait_for(timeout=30_000)
    assert "kaart_gebied=" in page.url  # the selection is in the link
    check(page, screenshot_dir, "kaart_leiden_profiel_morsdistrict")
    page.get_by_role("button", name=re.compile("Buurten van Morsdistrict")).click()
    settle(page)
    assert "buurten van Morsdistrict (Leiden)" in page.locator(".js-plotly-plot .gtitle").first.text_content()
    check(page, screenshot_dir, "kaart_leiden_buurten_morsdistrict")
    page.get_by_text("Totaal geld per kind").click()
    settle(page)
    assert "Totaal geld per kind" in page.locator(".js-plotly-plot .gtitle").first.text_content()
    check(page, screenshot_dir, "kaart_leiden_geld_per_kind")


def test_kaart_click_selects_an_area(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "", "gemeente=GM0546&niveau=Wijken")
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for()
    # Click only once the wijk shapes are drawn (the GeoJSON arrives separately as a static file).
    page.wait_for_function(
        "() => { const gd = document.querySelector('.js-plotly-plot');"
        " const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot"
        " && gd._fullLayout.map._subplot.map;"
        " return m && m.loaded() && m.queryRenderedFeatures().length > 0; }",
        timeout=60_000,
    )
    box = plot.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    settle(page)
    page.wait_for_function("() => window.location.search.includes('kaart_gebied=')", timeout=30_000)
    assert "kaart_gebied=" in page.url
    page.get_by_text("ten opzichte van Nederland (= 100)").first.wait_for(timeout=30_000)
    check(page, screenshot_dir, "kaart_klik_selectie")


def test_kansenindex_named_targets_candidates_and_national(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "Kansenindex", "gemeente=GM0546")
    assert title(page) == "Kansenindex — wijken van Leiden"
    assert page.get_by_text("Doelgebieden uit de agenda in deze ranglijst").count() == 1
    check(page, screenshot_dir, "kansenindex_leiden")
    switch_gemeente(page, "Hoogeveen")
    assert title(page) == "Kansenindex — wijken van Hoogeveen"
    assert page.get_by_text("Kandidaat-doelgebieden").count() == 1
    check(page, screenshot_dir, "kansenindex_hoogeveen")
    page.locator("[data-testid='stSidebar']").get_by_text("Gemeente", exact=True).last.click()
    settle(page)
    assert title(page) == "Kansenindex — alle gemeenten van Nederland"
    check(page, screenshot_dir, "kansenindex_nederland")


def test_financiering_switch_gemeente(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "Financiering", "gemeente=GM0546")
    assert title(page) == "Financiering per kind — Leiden"
    page.wait_for_selector(".js-plotly-plot")
    check(page, screenshot_dir, "financiering_leiden")
    switch_gemeente(page, "Meppel")
    assert title(page) == "Financiering per kind — Meppel"
    check(page, screenshot_dir, "financiering_meppel")
    switch_gemeente(page, "Amsterdam")
    assert page.get_by_text("geen GKA-agenda", exact=False).count() >= 1
    check(page, screenshot_dir, "financiering_amsterdam")


def test_interventies_search(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "Interventies", "gemeente=GM0546")
    check(page, screenshot_dir, "interventies_leiden")
    page.get_by_label("Zoeken (naam, doel, doelgroep, partners, citaat)").fill("Mors")
    page.keyboard.press("Enter")
    settle(page)
    assert re.search(r"\b[1-9]\d* van 14 interventies", page.locator("body").inner_text())
    assert "iv_zoek=Mors" in page.url
    check(page, screenshot_dir, "interventies_zoeken")


def test_vergelijken_indicator_tabs_and_url_state(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "Vergelijken", "gemeente=GM0546")
    choose(page, "Indicator", "Gemiddelde WOZ")
    assert "WOZ" in page.locator(".js-plotly-plot .gtitle").first.text_content()
    check(page, screenshot_dir, "vergelijken_wijken_leiden")
    page.get_by_role("tab", name="Gemeenten naast elkaar").click()
    settle(page)
    assert page.get_by_text("Alle 342 gemeenten").count() == 1
    check(page, screenshot_dir, "vergelijken_gemeenten")
    link = page.url
    assert "vg_tab=" in link
    page.get_by_role("tab", name="Gemeente en Nederland").click()
    settle(page)
    switch_gemeente(page, "Amsterdam")
    check(page, screenshot_dir, "vergelijken_amsterdam_nl")
    # Opening the shared link restores the view: the tab of the link is open again.
    open_page(page, link.split("?")[0].rsplit("/", 1)[0], link.rsplit("/", 1)[1].split("?")[0], link.split("?", 1)[1])
    assert page.get_by_text("Alle 342 gemeenten").count() == 1
    check(page, screenshot_dir, "vergelijken_link_hersteld")


def test_kaart_national_view_with_funding_layer(app_url, tall_page, screenshot_dir):
    page = tall_page
    open_page(page, app_url, "", "gemeente=GM0118&niveau=Gemeente")
    assert title(page) == "Kaart — gemeenten van Nederland (Hoogeveen gemarkeerd)"
    page.wait_for_selector(".js-plotly-plot")
    check(page, screenshot_dir, "kaart_nederland")
    page.get_by_text("GKA-geld per kind").click()
    settle(page)
    assert "GKA-geld per kind" in page.locator(".js-plotly-plot .gtitle").first.text_content()
    check(page, screenshot_dir, "kaart_nederland_gka_per_kind")
