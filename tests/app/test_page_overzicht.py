"""AppTest: the Overzicht page lists every agenda with money, children and € per child."""

from __future__ import annotations

import json

from tests.app.pagetest import assert_clean, run_page, texts

PAGE = "0_Overzicht.py"


def test_all_agendas_with_dutch_money_and_children():
    at = run_page(PAGE, "GM0546")
    assert_clean(at)
    table = at.dataframe[0].value.set_index("gemeente")
    assert set(table.index) == {"Hoogeveen", "Alkmaar", "Amersfoort", "Meppel", "Leiden"}
    assert table.at["Leiden", "GKA"] == "€ 134.000" and table.at["Leiden", "interventies"] == 4
    assert table.at["Hoogeveen", "totaal"] == "€ 380.000" and table.at["Meppel", "periode"] == "2022-2024"
    assert table.at["Leiden", "volledig"].startswith("nee")  # Leiden's GKA share of one intervention is unknown
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any(a["text"].startswith("OAB per kind per jaar: € ") for a in spec["layout"]["annotations"])


def test_each_agenda_gemeente_links_to_its_map():
    at = run_page(PAGE, "GM0363")
    assert_clean(at)
    links = at.get("page_link")
    assert [link.proto.label for link in links] == [
        "Kaart Hoogeveen", "Kaart Alkmaar", "Kaart Amersfoort", "Kaart Meppel", "Kaart Leiden"]
    assert all(link.proto.page.endswith("1_Kaart.py") or "Kaart" in link.proto.page for link in links)
    assert "gemeente=GM0118" in links[0].proto.query_string


def test_gemeente_without_agenda_is_told_so_and_sees_the_overview():
    at = run_page(PAGE, "GM0363", ov_tab="Per financier")
    assert_clean(at)
    assert "Amsterdam heeft (nog) geen GKA-agenda" in texts(at)
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert {"GKA", "EU", "gemeente"} <= {t["name"] for t in spec["data"]}
