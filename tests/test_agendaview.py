"""Agenda views on the real agenda tables: totals derive from the begroting rows."""

from __future__ import annotations

import pytest

from gka_dash import agenda, agendaview, facts


@pytest.fixture(scope="module")
def data():
    return agenda.load_agenda()


def test_overview_per_kind_is_money_over_children(data):
    kinderen = agenda.children_by_area(agenda.codes_needed(data), feiten=facts.load_feiten())
    out = agendaview.overview(data, kinderen).set_index("gemeente_code")
    row = out.loc["GM0118"]
    assert row["gka_eur"] == 2 * 40000 + 2 * 20000 + 2 * 10000  # GKA rows of I1, I2, I3, two schooljaren each
    assert row["gka_eur_per_kind"] == pytest.approx(row["gka_eur"] / row["kinderen_0_15"])
    assert row["gka_eur_per_kind_per_jaar"] == pytest.approx(row["gka_eur_per_kind"] / 3)


def test_money_by_year_sums_per_schooljaar_and_drops_empty(data):
    out = agendaview.money_by_year(data)
    hoogeveen = out[(out["gemeente_code"] == "GM0118") & (out["soort_geld"] == "Totaal")].set_index("tijdvak")
    assert hoogeveen.at["schooljaar 2019-2020", "bedrag_eur"] == 110000 + 50000 + 25000
    assert not (out["bedrag_eur"] == 0).any()


def test_money_by_financier_counts_unknown_contributions(data):
    out = agendaview.money_by_financier(data).set_index(["gemeente_code", "financier"])
    assert out.loc[("GM0546", "EU"), "bedrag_eur"] == 427000
    assert out.loc[("GM0546", "GKA"), "onbekend"] == 1


def test_search_words_and_themes(data):
    frame = agendaview.interventions(data)
    assert (agendaview.search(frame, "ouders")["naam"].str.len() > 0).all()
    both = agendaview.search(frame, themes=["Soepele overgangen"])
    assert "GM0546-2019-I3" in set(both["interventie_id"])  # 'Extra onderwijs; Soepele overgangen'
    assert agendaview.search(frame, "xyzzy").empty
    assert agendaview.search(frame, gemeenten=["GM0119"])["gemeente_code"].eq("GM0119").all()


def test_euro_texts():
    assert agendaview.euro(134000.0) == "€ 134.000" and agendaview.euro(float("nan")) == "onbekend"
    assert agendaview.euro_per_kind(8.7616) == "€ 8,76"
