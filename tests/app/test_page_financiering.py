"""AppTest: the Financiering page shows € per child per intervention, per area and against OAB."""

from __future__ import annotations

import json

from tests.app.pagetest import assert_clean, run_page, texts

PAGE = "3_Financiering.py"


def test_leiden_per_intervention_with_band_year_and_target_wijken():
    at = run_page(PAGE, "GM0546", "wijk")
    assert_clean(at)
    table = at.dataframe[0].value.set_index("interventie")
    village = table.loc["'It takes a village to raise a child'"]
    assert village["doelgebied"] == "Bos- en Gasthuisdistrict, Morsdistrict" and village["matching"] == "afgeleid"
    assert village["totaal per kind"] == "€ 187,86" and village["leeftijdsband"] == "0-15"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "leeftijdsband 0-15, CBS 2024" in spec["layout"]["title"]["text"]
    assert any(a["text"].startswith("OAB per kind × 3 jaar") for a in spec["layout"]["annotations"])
    per_wijk = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert sum(len(t["y"]) for t in per_wijk["data"]) == 10  # Leiden's 10 wijken
    assert "Twijfels bij bedragen" in texts(at)


def test_hoogeveen_per_schooljaar_and_oab_per_year():
    at = run_page(PAGE, "GM0118", "wijk", fin_tijdvak="jaar")
    assert_clean(at)
    table = at.dataframe[0].value
    assert {"schooljaar 2019-2020", "schooljaar 2020-2021"} <= set(table["tijdvak"])
    verbindend = table[table["interventie"].str.startswith("de Verbindende Aanpak")]
    assert set(verbindend["leeftijdsband"]) == {"0-15 + 15-25"}  # ages 0-23 cover both CBS bands
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any(a["text"].startswith("OAB per kind per jaar") for a in spec["layout"]["annotations"])


def test_amsterdam_without_agenda_sees_the_national_comparison_only():
    at = run_page(PAGE, "GM0363", "wijk")
    assert_clean(at)
    assert "geen GKA-agenda" in texts(at)
    assert len(at.get("plotly_chart")) == 1 and not at.dataframe
