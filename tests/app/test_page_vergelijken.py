"""AppTest: the Vergelijken page's three views for agenda and non-agenda gemeenten."""

from __future__ import annotations

import json

import pytest

from tests.app.pagetest import assert_clean, run_page, texts

PAGE = "5_Vergelijken.py"


def test_leiden_wijken_ranked_with_target_areas_and_references():
    at = run_page(PAGE, "GM0546", "wijk", vg_indicator="inkomen_per_inwoner_x1000_eur")
    assert_clean(at)
    assert at.title[0].value == "Vergelijken — Leiden"
    table = at.dataframe[0].value
    assert len(table) == 10 and list(table["rang"])[:1] == [1.0]
    label = "Gemiddeld inkomen per inwoner"
    assert table[label].str.startswith("€ ").all()  # Dutch money format, x 1.000
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in spec["data"]] == ["Overige gebieden", "Doelgebied agenda"]
    # CBS publishes no NL average income per inhabitant: the page says so instead of drawing a line.
    assert "Nederland: geen gegevens" in texts(at)


def test_reference_lines_for_gemeente_and_nl():
    at = run_page(PAGE, "GM0546", "wijk", vg_indicator="aandeel_0_15_pct")
    assert_clean(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert any(n.startswith("Leiden: ") and n.endswith("%") for n in notes)
    assert any(n.startswith("Nederland: ") for n in notes)


def test_changing_the_indicator_reranks():
    at = run_page(PAGE, "GM0546", "wijk", vg_indicator="aandeel_0_15_pct")
    first = at.dataframe[0].value.iloc[0]["naam"]
    at.selectbox(key="vg_indicator").set_value("woz_waarde_x1000_eur").run()
    assert_clean(at)
    assert "Gemiddelde WOZ-waarde van woningen" in at.dataframe[0].value.columns
    assert "%" not in at.dataframe[0].value.iloc[0]["Gemiddelde WOZ-waarde van woningen"]


@pytest.mark.parametrize("gemeente,naam", [("GM0118", "Hoogeveen"), ("GM0363", "Amsterdam")])
def test_all_gemeenten_side_by_side(gemeente, naam):
    at = run_page(PAGE, gemeente, "wijk", vg_tab="Gemeenten naast elkaar", vg_gm_indicator="aandeel_0_15_pct")
    assert_clean(at)
    assert len(at.dataframe[0].value) == 342  # every gemeente, not only those with an agenda
    assert f"**{naam}** staat op rang **" in texts(at)
    chosen = at.multiselect(key="vg_gemeenten").value
    assert gemeente in chosen and "GM0546" in chosen  # the agenda gemeenten are preselected


def test_gemeente_against_nederland_for_a_gemeente_without_agenda():
    at = run_page(PAGE, "GM0363", "buurt", vg_tab="Gemeente en Nederland")
    assert_clean(at)
    table = at.dataframe[0].value
    row = table[table["indicator"] == "Huishoudens met een laag inkomen"].iloc[0]
    assert row["Amsterdam"].endswith("%") and row["Nederland"].endswith("%") and "," in row["Nederland"]
    assert len(at.get("plotly_chart")) == 1


def test_national_level_ranks_gemeenten_and_highlights_the_chosen_one():
    at = run_page(PAGE, "GM0118", "gemeente", vg_indicator="aandeel_0_15_pct")
    assert_clean(at)
    assert len(at.dataframe[0].value) == 342
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Hoogeveen" in [t["name"] for t in spec["data"]]
