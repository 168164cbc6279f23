"""AppTest: the Interventies page filters, searches and shows each intervention's quote."""

from __future__ import annotations

from tests.app.pagetest import assert_clean, run_page, texts

PAGE = "4_Interventies.py"


def test_leiden_interventions_with_quotes_and_timeline():
    at = run_page(PAGE, "GM0546")
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) == 5 and set(table["gemeente"]) == {"Leiden"}
    assert table["citaat uit de agenda"].notna().all()
    assert len(at.get("plotly_chart")) == 1


def test_search_is_applied_across_all_gemeenten():
    at = run_page(PAGE, "GM0118", iv_gemeenten=[], iv_zoek="ouders")
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert table.apply(lambda r: "ouders" in " ".join(map(str, r.values)).lower(), axis=1).all()


def test_theme_filter_and_no_result_message():
    at = run_page(PAGE, "GM0118", iv_thema=["Extra onderwijs"])
    assert_clean(at)
    assert set(at.dataframe[0].value["interventie"]) == {"Verlengen lestijd"}
    at.text_input(key="iv_zoek").input("xyzzy").run()
    assert "Geen interventies gevonden" in texts(at)


def test_amsterdam_sees_all_agendas():
    at = run_page(PAGE, "GM0363")
    assert_clean(at)
    assert "geen GKA-agenda" in texts(at) and len(at.dataframe[0].value) == 14
