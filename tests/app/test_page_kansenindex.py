"""AppTest: the Kansenindex page ranks wijken/buurten, shows target areas or candidates, and its components."""

from __future__ import annotations

import pytest
from tests.app.pagetest import assert_clean, run_page, texts

PAGE = "2_Kansenindex.py"


def test_leiden_wijken_shows_named_target_areas_and_their_rank():
    at = run_page(PAGE, "GM0546", "wijk")
    assert_clean(at)
    assert at.title[0].value == "Kansenindex — wijken van Leiden"
    shown = texts(at)
    # Leiden's agenda derives two target wijken; both are ranked among Leiden's 10 wijken.
    assert "Bos- en Gasthuisdistrict**: rang" in shown and "Morsdistrict**: rang" in shown
    assert "van 10" in shown
    ranking = at.dataframe[0].value
    assert len(ranking) == 10
    assert set(ranking.loc[ranking["doelgebied agenda"] == "ja", "naam"]) == {"Bos- en Gasthuisdistrict", "Morsdistrict"}
    # Gemeente-only indicators are left out at wijk level, and the page says so.
    assert "Weggelaten componenten" in shown and "Huishoudens met een laag inkomen" in shown
    assert len(at.get("plotly_chart")) == 2


def test_hoogeveen_without_named_areas_gets_candidates_with_the_agenda_quote():
    at = run_page(PAGE, "GM0118", "wijk")
    assert_clean(at)
    shown = texts(at)
    assert "noemt geen wijken als doelgebied" in shown
    assert "wijken met de meeste achterstanden" in shown  # the agenda's own words
    assert "Kandidaten volgens de kansenindex: **" in shown


def test_amsterdam_buurten_without_agenda_still_ranked():
    at = run_page(PAGE, "GM0363", "buurt")
    assert_clean(at)
    assert "geen GKA-agenda" in texts(at)
    assert len(at.dataframe[0].value) > 400  # Amsterdam has ~500 buurten


def test_weight_zero_leaves_component_out_and_changes_the_ranking():
    at = run_page(PAGE, "GM0546", "wijk")
    before = at.dataframe[0].value[["naam", "kansenindex"]]
    at.slider(key="kx_w_inkomen_per_inwoner_x1000_eur").set_value(0.0).run()
    assert_clean(at)
    components = at.dataframe[1].value
    row = components[components["component"] == "Gemiddeld inkomen per inwoner"].iloc[0]
    assert row["gebruikt"] == "nee" and row["reden_weggelaten"] == "gewicht 0"
    after = at.dataframe[0].value[["naam", "kansenindex"]]
    assert not before.equals(after)


@pytest.mark.parametrize("gemeente", ["GM0546", "GM0118"])
def test_national_view_ranks_all_gemeenten(gemeente):
    at = run_page(PAGE, gemeente, "gemeente")
    assert_clean(at)
    assert at.title[0].value == "Kansenindex — alle gemeenten van Nederland"
    assert len(at.dataframe[0].value) == 342
    assert "van 34" in texts(at)  # "rang N van 341/342 gemeenten"
