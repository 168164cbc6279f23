"""AppTest of the Presentatie page: a slide per screen with title, source and date; prev/next; the URL."""

from __future__ import annotations

from gka_dash import deck, export
from tests.app.pagetest import assert_clean, run_page

PAGE = "7_Presentatie.py"


def _slide_html(at, css_class: str) -> list[str]:
    return [m.value for m in at.markdown if f"class='{css_class}'" in m.value]


def test_first_slide_has_title_source_and_date():
    at = run_page(PAGE, "GM0546")
    assert_clean(at)
    assert _slide_html(at, "gka-slide-title") == [
        "<div class='gka-slide-title'>Aandeel kinderen 0-15 jaar — wijken van Leiden</div>"]
    meta = _slide_html(at, "gka-slide-meta")[0]
    assert "Bron: CBS KWB 2024" in meta and export.dutch_date() in meta
    assert "Dia 1 van 9" in _slide_html(at, "gka-slide-counter")[0]
    assert at.button(key="presentatie_vorige").disabled
    assert at.query_params["dia"] == "1"
    labels = [b.label for b in at.get("download_button")]
    assert "Data van deze dia (CSV)" in labels and "Data van alle dia's (XLSX)" in labels


def test_next_and_previous_move_through_the_deck():
    at = run_page(PAGE, "GM0546")
    for _ in range(8):
        at.button(key="presentatie_volgende").click().run()
    assert_clean(at)
    assert "Dia 9 van 9" in _slide_html(at, "gka-slide-counter")[0]
    assert "Planning van de interventies — Leiden" in _slide_html(at, "gka-slide-title")[0]
    assert at.button(key="presentatie_volgende").disabled
    assert at.query_params["dia"] == "9"
    at.button(key="presentatie_vorige").click().run()
    assert "Geld per kind per jaar — Leiden" in _slide_html(at, "gka-slide-title")[0]


def test_gemeente_without_agenda_says_so_and_shows_maps_only():
    at = run_page(PAGE, "GM0363")
    assert_clean(at)
    assert any(deck.NO_AGENDA_TEXT in i.value for i in at.info)
    assert "Dia 1 van 6" in _slide_html(at, "gka-slide-counter")[0]


def test_slide_choice_and_fullscreen():
    at = run_page(PAGE, "GM0119")
    at.multiselect(key="presentatie_dias").set_value(["profiel", "geld_per_jaar"]).run()
    assert_clean(at)
    assert "Dia 1 van 2" in _slide_html(at, "gka-slide-counter")[0]
    assert "Meppel naast Nederland" in _slide_html(at, "gka-slide-title")[0]
    at.toggle(key="presentatie_scherm").set_value(True).run()
    assert_clean(at)
    assert not at.title  # full screen: no page title, only the slide
    assert any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)


def test_no_gemeente_chosen_gives_a_hint():
    at = run_page(PAGE, "GM0119")
    at.multiselect(key="presentatie_gemeenten").set_value([]).run()
    assert_clean(at)
    assert any("Kies ten minste één gemeente" in i.value for i in at.info)
