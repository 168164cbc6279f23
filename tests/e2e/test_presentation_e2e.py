"""Browser: run through the Presentatie page with the keyboard and download the deck as PPTX."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from pptx import Presentation

from gka_dash import deck
from tests.e2e.conftest import assert_no_errors, wait_for_app

# Bound multiselects carry their shown labels in the URL, one repeated parameter per choice.
TWO_SLIDES = urlencode([("presentatie_dias", deck.SLIDE_KINDS[k].label) for k in ("profiel", "geld_per_jaar")])


def _slide_title(page) -> str:
    return page.locator(".gka-slide-title").first.inner_text()


def _counter(page) -> str:
    return page.locator(".gka-slide-counter").first.inner_text()


def _wait_for_counter(page, text: str) -> None:
    page.wait_for_function(
        "t => { const c = document.querySelector('.gka-slide-counter'); return c && c.innerText.includes(t); }",
        arg=text, timeout=60_000,
    )
    wait_for_app(page)


def _warm_up(page, app_url) -> None:
    """Open "/" first: Streamlit 1.67 decides once per server whether it runs st.navigation (v2) or the
    old pages/ directory mode (v1); until app.py has run once, a deep link such as /Presentatie is
    run in v1 mode without the sidebar state (reported to the lead)."""
    page.goto(app_url)
    page.get_by_text("Dashboard gelijke kansen").first.wait_for(timeout=60_000)  # app.py has run
    wait_for_app(page)


def test_keyboard_and_buttons_run_through_the_deck(app_url, page, screenshot_dir):
    _warm_up(page, app_url)
    page.goto(f"{app_url}/Presentatie?gemeente=GM0546&dia=2")
    wait_for_app(page)
    _wait_for_counter(page, "Dia 2 van 9")  # the slide number comes from the URL
    assert _slide_title(page) == "Aandeel herkomst buiten Europa — wijken van Leiden"
    assert "Bron: CBS KWB 2024" in page.locator(".gka-slide-meta").first.inner_text()
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)

    page.locator(".gka-slide-title").first.click()  # focus the page, not a widget
    page.keyboard.press("ArrowRight")
    _wait_for_counter(page, "Dia 3 van 9")
    assert "dia=3" in page.url
    assert _slide_title(page) == "Gemiddeld inkomen per inwoner — wijken van Leiden"
    page.keyboard.press("ArrowLeft")
    _wait_for_counter(page, "Dia 2 van 9")

    page.get_by_role("button", name="Volgende").click()
    _wait_for_counter(page, "Dia 3 van 9")
    page.get_by_text("Volledig scherm (zonder zijbalk)").click()
    wait_for_app(page)
    page.wait_for_function("() => { const s = document.querySelector('[data-testid=\"stSidebar\"]');"
                           " return !s || getComputedStyle(s).display === 'none'; }", timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(screenshot_dir / "presentatie_leiden_volledig_scherm.png"))
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.gka-slide-title')).fontSize)")
    assert size >= 40, f"slide title only {size}px on a projector"
    assert_no_errors(page)


def test_download_pptx_from_the_page(app_url, page, screenshot_dir):
    _warm_up(page, app_url)
    page.goto(f"{app_url}/Presentatie?gemeente=GM0119&{TWO_SLIDES}")
    wait_for_app(page)
    _wait_for_counter(page, "Dia 1 van 2")
    page.get_by_role("button", name="Maak PPTX, PDF en afbeeldingen").click()
    button = page.get_by_role("button", name="Presentatie (PPTX)")
    button.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    data = open(info.value.path(), "rb").read()
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert [s.shapes.title.text for s in slides][1:] == [
        "Meppel naast Nederland (Nederland = 100)", "Geld per kind per jaar — Meppel tegenover de OAB-referentie"]
    page.screenshot(path=str(screenshot_dir / "presentatie_meppel_downloads.png"), full_page=True)
    assert_no_errors(page)
