"""gka_dash.deck: the standard REA deck on the real snapshot and agendas (no image rendering)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from gka_dash import agenda, deck, facts, formatting, funding

LEIDEN, MEPPEL, AMSTERDAM = "GM0546", "GM0119", "GM0363"  # Amsterdam has no agenda in data/agenda
CBS_ONLY = ["kaart_aandeel_0_15_pct", "kaart_herkomst_buiten_europa_pct", "kaart_inkomen_per_inwoner_x1000_eur",
            "kaart_woz_waarde_x1000_eur", "ranglijst_kinderen", "profiel"]


@pytest.fixture(scope="module")
def feiten():
    return facts.load_feiten()


@pytest.fixture(scope="module")
def agenda_data():
    return agenda.load_agenda()


@pytest.fixture(scope="module")
def leiden(feiten, agenda_data):
    return deck.standard_deck(LEIDEN, feiten, agenda_data=agenda_data)


def _by_stem(slides, suffix):
    return next(s for s in slides if s.file_stem.endswith(suffix))


def test_leiden_deck_has_every_kind_in_catalogue_order(leiden):
    stems = [s.file_stem for s in leiden]
    assert stems == [f"{LEIDEN}_{kind}" for kind in deck.SLIDE_KINDS]


def test_every_slide_has_title_source_year_notes_and_data(leiden):
    for slide in leiden:
        assert slide.title and slide.source.startswith("Bron: ")
        assert re.search(r"(CBS KWB|GKA-agenda \w+) 20\d\d", slide.source), slide.source  # source and year
        assert slide.notes.strip() and not slide.data.empty
        assert slide.figure.data, f"{slide.title}: empty figure"


def test_map_slide_outlines_agenda_targets_and_lists_values(leiden, feiten):
    slide = _by_stem(leiden, "kaart_aandeel_0_15_pct")
    assert slide.title == "Aandeel kinderen 0-15 jaar — wijken van Leiden"
    outline = [t for t in slide.figure.data if t.name == "Doelgebied agenda"]
    assert outline and set(outline[0].locations) == set(slide.data.loc[slide.data["doelgebied_agenda"] == "ja", "code"])
    table = facts.wide(feiten, LEIDEN, "wijk").frame.set_index("naam")
    top = table["aandeel_0_15_pct"].idxmax()
    first_line = slide.notes.splitlines()[1]
    assert first_line.startswith(f"- {top}") and formatting.percent(table.at[top, "aandeel_0_15_pct"]) in first_line
    assert len(slide.data) == len(table)


def test_funding_slide_numbers_come_from_funding(feiten, agenda_data):
    slides = deck.standard_deck(MEPPEL, feiten, kinds=["geld_per_interventie"], agenda_data=agenda_data)
    assert len(slides) == 1
    slide = slides[0]
    kinderen = agenda.children_by_area(agenda.codes_needed(agenda_data), feiten=feiten)
    expected = funding.funding_per_child(agenda_data.interventies, agenda_data.agendas, agenda_data.begroting,
                                         agenda_data.doelgebieden, kinderen, MEPPEL)
    assert len(slide.data) == len(expected)
    for row in expected.itertuples():
        assert formatting.euro(row.eur_per_kind_totaal, 2) in slide.notes
    assert "GKA-agenda Meppel 2022-2024" in slide.source
    bars = {t.name: list(t.x) for t in slide.figure.data}
    assert set(bars) == {"GKA-bijdrage", "Totaal begroot"}
    assert sorted(v for v in bars["Totaal begroot"] if v is not None) == pytest.approx(
        sorted(expected["eur_per_kind_totaal"].dropna()))


def test_oab_reference_line_on_year_slide(leiden):
    slide = _by_stem(leiden, "geld_per_jaar")
    lines = [s for s in slide.figure.layout.shapes if s.type == "line"]
    assert lines and "OAB-referentie" in slide.notes
    assert not math.isnan(slide.data["oab_eur_per_kind_per_jaar"].iloc[0])


def test_gemeente_without_agenda_gets_cbs_slides_and_says_so(feiten, agenda_data):
    slides = deck.standard_deck(AMSTERDAM, feiten, agenda_data=agenda_data)
    assert [s.file_stem.removeprefix(f"{AMSTERDAM}_") for s in slides] == CBS_ONLY
    assert deck.NO_AGENDA_TEXT in deck.deck_subtitle([AMSTERDAM], agenda_data)
    assert deck.agenda_notices([LEIDEN, AMSTERDAM], agenda_data) == [
        f"Amsterdam: {deck.NO_AGENDA_TEXT}; het deck toont alleen de kaarten en CBS-grafieken."]
    assert not any(t.name == "Doelgebied agenda" for s in slides for t in s.figure.data)


def test_missing_values_are_shown_as_unknown_never_zero(feiten, agenda_data):
    slide = deck.standard_deck(AMSTERDAM, feiten, kinds=["kaart_inkomen_per_inwoner_x1000_eur"],
                               agenda_data=agenda_data)[0]
    column = slide.data.columns[2]
    missing = slide.data[slide.data[column].isna()]
    assert len(missing) > 0  # CBS hides income for small wijken
    for naam in missing["naam"]:
        assert f"- {naam}: {formatting.MISSING_TEXT}" in slide.notes


def test_long_ranking_is_cut_for_the_slide_but_not_in_the_data(feiten, agenda_data):
    slide = deck.standard_deck(AMSTERDAM, feiten, kinds=["ranglijst_kinderen"], agenda_data=agenda_data)[0]
    wijken = len(facts.areas(AMSTERDAM, "wijk"))
    assert f"de {deck.RANKING_MAX_BARS} hoogste van {wijken} wijken" in slide.title
    assert sum(len(t.y) for t in slide.figure.data) == deck.RANKING_MAX_BARS
    assert len(slide.data) == wijken


def test_several_gemeenten_one_after_the_other(feiten, agenda_data):
    slides = deck.build_deck([MEPPEL, AMSTERDAM], feiten, kinds=["profiel"], agenda_data=agenda_data)
    assert [s.title for s in slides] == ["Meppel naast Nederland (Nederland = 100)",
                                         "Amsterdam naast Nederland (Nederland = 100)"]
    assert deck.deck_title([MEPPEL, AMSTERDAM]) == "Gelijke kansen in Meppel en Amsterdam"


@pytest.mark.parametrize(("code", "match"), [("GM9999", "onbekende CBS-code 'GM9999'"),
                                             ("WK054600", "geen gemeentecode")])
def test_bad_gemeente_has_dutch_message(feiten, agenda_data, code, match):
    with pytest.raises(facts.UnknownAreaError, match=match):
        deck.standard_deck(code, feiten, agenda_data=agenda_data)


def test_unknown_slide_kind(feiten, agenda_data):
    with pytest.raises(KeyError, match="onbekende dia 'taart'"):
        deck.standard_deck(LEIDEN, feiten, kinds=["taart"], agenda_data=agenda_data)


def test_slide_data_exports_as_table(leiden):
    for slide in leiden:
        assert isinstance(slide.data, pd.DataFrame)
        assert not any(isinstance(v, tuple) for v in slide.data.to_numpy().ravel()), slide.file_stem
