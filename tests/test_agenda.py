"""gka_dash.agenda: one schema from one column dict, Dutch errors, children counts."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from gka_dash import agenda, paths


def test_every_table_field_is_defined_once_and_every_definition_used():
    used = {f for meta in agenda.TABLES.values() for f in meta["fields"]}
    assert used == set(agenda.COLUMNS)
    for meta in agenda.TABLES.values():
        assert set(meta["primary_key"]) <= set(meta["fields"])
        assert len(meta["fields"]) == len(set(meta["fields"]))


def test_schema_descriptions_come_from_the_column_dict():
    s = agenda.schema("begroting")
    assert s.columns["bedrag_eur"].description == agenda.COLUMNS["bedrag_eur"]["description"]
    assert not s.columns["status"].nullable and s.columns["bedrag_eur"].nullable


@pytest.fixture()
def agenda_copy(tmp_path):
    target = tmp_path / "agenda"
    shutil.copytree(paths.AGENDA_DIR, target)
    return target


def _edit(directory, table, row, column, value):
    """Set a cell; ``row`` is the spreadsheet row (header = 1)."""
    path = directory / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False)


def test_roundtrip_of_the_shipped_tables(agenda_copy):
    data = agenda.load_agenda(agenda_copy)
    assert len(data.begroting) == len(pd.read_csv(agenda_copy / "begroting.csv"))


@pytest.mark.parametrize("table, row, column, value, expect", [
    ("begroting", 3, "bedrag_eur", "25.000,00", "begroting.csv, rij 3, kolom bedrag_eur: waarde '25.000,00' is geen bedrag"),
    ("begroting", 4, "financier", "Rijk", "begroting.csv, rij 4, kolom financier: waarde 'Rijk' is niet toegestaan"),
    ("begroting", 5, "status", "", "begroting.csv, rij 5, kolom status: waarde '' is leeg"),
    ("begroting", 2, "telt_mee", "misschien", "begroting.csv, rij 2, kolom telt_mee: waarde 'misschien' is geen ja/nee-waarde"),
    ("interventies", 2, "leeftijd_min", "nul", "interventies.csv, rij 2, kolom leeftijd_min: waarde 'nul' is geen geheel getal"),
    ("doelgebieden", 2, "gebiedscode", "BU9999", "doelgebieden.csv, rij 2, kolom gebiedscode: waarde 'BU9999' heeft niet de juiste vorm"),
    ("agendas", 2, "ondertekend_gemeente", "27-6-2019", "agendas.csv, rij 2, kolom ondertekend_gemeente"),
])
def test_schema_errors_name_file_row_column_value(agenda_copy, table, row, column, value, expect):
    _edit(agenda_copy, table, row, column, value)
    with pytest.raises(agenda.AgendaValidationError) as err:
        agenda.load_agenda(agenda_copy)
    assert any(p.startswith(expect) for p in err.value.problems), err.value.problems


@pytest.mark.parametrize("table, row, column, value, expect", [
    ("begroting", 2, "interventie_id", "GM0118-2019-I9", "kolom interventie_id: waarde 'GM0118-2019-I9' staat niet in interventies.csv"),
    ("begroting", 2, "bedrag_eur", "", "kolom status: waarde 'begroot' past niet bij een leeg bedrag"),
    ("doelgebieden", 2, "gebiedscode", "GM0119", "kolom gebiedscode: waarde 'GM0119' ligt niet in gemeente GM0118"),
    ("interventies", 5, "naam", "Verzonnen experiment", "hoort leeg te zijn bij een leeg sjabloonblok"),
])
def test_cross_table_errors(agenda_copy, table, row, column, value, expect):
    _edit(agenda_copy, table, row, column, value)
    with pytest.raises(agenda.AgendaValidationError) as err:
        agenda.load_agenda(agenda_copy)
    assert any(expect in p and f"rij {row}" in p for p in err.value.problems), err.value.problems


def test_all_problems_are_gathered_and_nothing_is_returned(agenda_copy):
    _edit(agenda_copy, "begroting", 3, "bedrag_eur", "€40.000")
    _edit(agenda_copy, "begroting", 6, "financier", "Rijk")
    with pytest.raises(agenda.AgendaValidationError) as err:
        agenda.load_agenda(agenda_copy)
    assert len(err.value.problems) == 2
    assert "rij 3" in err.value.problems[0] and "rij 6" in err.value.problems[1]


def test_missing_and_unknown_columns(agenda_copy):
    frame = pd.read_csv(agenda_copy / "scholen.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["rol"]).assign(extra="x").to_csv(agenda_copy / "scholen.csv", index=False)
    with pytest.raises(agenda.AgendaValidationError) as err:
        agenda.load_agenda(agenda_copy)
    assert "scholen.csv: kolom 'rol' ontbreekt" in err.value.problems
    assert any(p.startswith("scholen.csv: onbekende kolom 'extra'") for p in err.value.problems)


def test_unknown_gebiedscode_against_the_cbs_list(agenda_copy):
    data = agenda.load_agenda(agenda_copy)
    known = set(data.doelgebieden["gebiedscode"]) - {"BU01190202"}
    with pytest.raises(agenda.AgendaValidationError, match="BU01190202' bestaat niet in de CBS-indeling"):
        agenda.load_agenda(agenda_copy, gebiedscodes=known)


KIND_A, KIND_B, JONG_A = 40.0, 60.0, 25.0


def test_children_by_area_reads_the_band_indicators_only():
    feiten = pd.DataFrame({
        "code": ["BU1", "BU2", "BU1", "BU1", "BU2"],
        "indicator": ["kinderen_0_15", "kinderen_0_15", "jongeren_15_25", "inwoners", "kinderen_0_15"],
        "jaar": [2024, 2024, 2024, 2024, 2025],
        "waarde": [KIND_A, KIND_B, JONG_A, 1000.0, np.nan],
        "bron": "CBS KWB",
    })
    out = agenda.children_by_area(["BU1", "BU2"], jaar=2024, feiten=feiten)
    assert set(out["indicator"]) == {"kinderen_0_15", "jongeren_15_25"}
    assert out.loc[out["indicator"] == "kinderen_0_15", "waarde"].sum() == KIND_A + KIND_B


def test_children_by_area_from_the_snapshot():
    if not paths.FEITEN_FILE.exists():
        pytest.skip("snapshot not built")
    out = agenda.children_by_area(["BU01190201"], jaar=2024)
    counts = out.set_index("indicator")["waarde"]
    extract = pd.read_csv(paths.SHARED_CBS_DEFAULT / "extracts" / "GM0119_Meppel_kwb2024_gemeente_wijk_buurt.csv")
    row = extract[extract["Codering_3"] == "BU01190201"].iloc[0]
    assert counts["kinderen_0_15"] == row["k_0Tot15Jaar_8"]
    assert counts["jongeren_15_25"] == row["k_15Tot25Jaar_9"]


def test_twijfels_view_lists_flagged_amounts():
    data = agenda.load_agenda()
    doubts = agenda.twijfels(data)
    assert len(doubts) == data.begroting["twijfel"].notna().sum()
    assert doubts["twijfel"].notna().all()
