"""AppTest: the Kaart page — target areas, funding layer, area profile, buurt drill-down."""

from __future__ import annotations

import json

from tests.app.pagetest import assert_clean, run_page, texts

PAGE = "1_Kaart.py"


def _spec(at, i=0):
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def test_leiden_wijk_map_outlines_and_lists_the_target_wijken():
    at = run_page(PAGE, "GM0546", "wijk")
    assert_clean(at)
    spec = _spec(at)
    outline = [t for t in spec["data"] if t.get("name") == "Doelgebied agenda" and "locations" in t]
    assert len(outline) == 1 and sorted(outline[0]["locations"]) == ["WK054605", "WK054606"]
    targets = at.dataframe[1].value
    assert set(targets["gebied"]) == {"Bos- en Gasthuisdistrict", "Morsdistrict"}
    assert set(targets["hoe gevonden"]) == {"afgeleid"}
    assert len(at.dataframe[0].value) == 10  # the values table: Leiden's 10 wijken


def test_leiden_buurt_level_outlines_the_buurten_of_the_target_wijken():
    at = run_page(PAGE, "GM0546", "buurt")
    assert_clean(at)
    outline = [t for t in _spec(at)["data"] if t.get("name") == "Doelgebied agenda" and "locations" in t][0]
    assert outline["locations"] and all(c.startswith(("BU054605", "BU054606")) for c in outline["locations"])


def test_funding_layer_in_euro_with_source():
    at = run_page(PAGE, "GM0546", "wijk", kaart_laag="totaal")
    assert_clean(at)
    values = at.dataframe[0].value
    assert values.iloc[:, 2].str.startswith("€ ").all()
    # The derived target wijken get the wijk intervention on top of the whole-gemeente ones.
    by_name = dict(zip(values["naam"], values.iloc[:, 2]))
    to_number = lambda t: float(t.replace("€ ", "").replace(".", "").replace(",", "."))  # noqa: E731
    assert to_number(by_name["Morsdistrict"]) > to_number(by_name["Stevenshofdistrict"])
    assert "GKA-agenda GM0546-2019" in texts(at)


def test_selected_wijk_shows_profile_against_gemeente_and_nl():
    at = run_page(PAGE, "GM0546", "wijk", kaart_gebied="WK054606")
    assert_clean(at)
    profile = at.dataframe[2].value
    assert list(profile.columns) == ["indicator", "Morsdistrict", "Leiden", "Nederland", "jaar"]
    selected = [t for t in _spec(at)["data"] if t.get("name") == "Geselecteerd"]
    assert selected[0]["locations"] == ["WK054606"]
    assert len(at.get("plotly_chart")) == 2  # map + profile chart


def test_drill_down_to_the_buurten_of_a_wijk():
    at = run_page(PAGE, "GM0546", "wijk", kaart_gebied="WK054606")
    at.button(key="kaart_drill").click().run()
    assert_clean(at)
    assert at.session_state["niveau"] == "buurt"
    values = at.dataframe[0].value
    assert len(values) > 1 and values["code"].str.startswith("BU054606").all()


def test_hoogeveen_names_no_areas_and_quotes_the_agenda():
    at = run_page(PAGE, "GM0118", "wijk")
    assert_clean(at)
    assert "De agenda noemt geen wijken" in texts(at)
    assert not [t for t in _spec(at)["data"] if t.get("name") == "Doelgebied agenda" and "locations" in t]


def test_amsterdam_without_agenda_still_gets_its_map_and_no_funding():
    at = run_page(PAGE, "GM0363", "wijk", kaart_laag="gka")
    assert_clean(at)
    assert "geen GKA-agenda" in texts(at)
    assert at.dataframe[0].value.iloc[:, 2].eq("geheim/onbekend").all()
    cbs = run_page(PAGE, "GM0363", "wijk")
    assert_clean(cbs) and len(cbs.dataframe[0].value) > 50


def test_national_view_shows_every_gemeente_with_agendas_outlined():
    at = run_page(PAGE, "GM0118", "gemeente")
    assert_clean(at)
    assert at.title[0].value == "Kaart — gemeenten van Nederland (Hoogeveen gemarkeerd)"
    assert len(at.dataframe[0].value) == 342
    spec = _spec(at)
    outline = [t for t in spec["data"] if t.get("name") == "Doelgebied agenda" and "locations" in t][0]
    assert set(outline["locations"]) == {"GM0118", "GM0361", "GM0307", "GM0119", "GM0546"}
    assert [t for t in spec["data"] if t.get("name") == "Geselecteerd"][0]["locations"] == ["GM0118"]


def test_national_funding_layer_and_opening_a_gemeente():
    at = run_page(PAGE, "GM0546", "gemeente", kaart_laag="gka", kaart_gebied="GM0119")
    assert_clean(at)
    values = at.dataframe[0].value.set_index("naam")
    assert values.iloc[:, 1].ne("geheim/onbekend").sum() == 5  # only the agenda gemeenten have money
    assert values.loc["Meppel"].iloc[1].startswith("€ ")
    link = at.get("page_link")[0].proto
    assert link.label == "Wijken van Meppel tonen" and "gemeente=GM0119" in link.query_string
