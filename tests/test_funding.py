"""gka_dash.funding: hand-built frames with named constants, then the real seeds + KWB 2024 slice."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gka_dash import agenda, funding, paths

EXTRACTS = paths.SHARED_CBS_DEFAULT / "extracts"


def test_bands_for_ages():
    assert funding.bands_for_ages(None, None) == ("0-15",)
    assert funding.bands_for_ages(0, 23) == ("0-15", "15-25")
    assert funding.bands_for_ages(0, 16) == ("0-15", "15-25")  # 15 and 16 are in the 15-25 band
    assert funding.bands_for_ages(4, 12) == ("0-15",)
    assert funding.bands_for_ages(16, 23) == ("15-25",)


def test_peiljaar_is_the_nearest_available_year():
    assert funding.peiljaar(2020, [2016, 2022, 2024]) == 2022
    assert funding.peiljaar(2019, [2018, 2020]) == 2018  # tie: the earlier
    assert funding.peiljaar(2030, [2024]) == 2024
    assert funding.peiljaar(2020, []) is None


# --- hand-built agenda ---------------------------------------------------------------------
KIND_WK1, KIND_WK2, KIND_GM = 40.0, 60.0, 1000.0
JONG_WK1, JONG_WK2 = 30.0, 20.0
TOTAAL_Y1, TOTAAL_Y2, GKA_PER_JAAR = 110_000.0, 90_000.0, 40_000.0
GKA_I2, GEMEENTE_I2 = 30_000.0, 10_000.0
NL_KIND = 2_700_000.0


def _frames():
    agendas = pd.DataFrame({"agenda_id": ["GM0001-2019"], "gemeente_code": ["GM0001"], "periode": ["2019-2021"],
                            "jaar_start": [2019], "jaar_eind": [2021]})
    gemeenten = pd.DataFrame({"gemeente_code": ["GM0001"], "gemeente_naam": ["Testdorp"]})
    interventies = pd.DataFrame({
        "interventie_id": ["GM0001-2019-I1", "GM0001-2019-I2", "GM0001-2019-E1"],
        "agenda_id": "GM0001-2019", "soort": ["interventie", "interventie", "experiment"],
        "ingevuld": [True, True, False], "naam": ["Een", "Twee", None],
        "leeftijd_min": pd.array([pd.NA, 0, pd.NA], dtype="Int64"),
        "leeftijd_max": pd.array([pd.NA, 16, pd.NA], dtype="Int64"),
    })
    b = lambda iid, rol, bedrag, fin=None, jaar=None, eind=None, sj=None, telt=True, tw=None: dict(
        agenda_id="GM0001-2019", interventie_id=iid, rol=rol, bedrag_eur=bedrag, financier=fin, jaar=jaar,
        jaar_eind=eind, schooljaar=sj, telt_mee=telt, twijfel=tw)
    begroting = pd.DataFrame([
        b("GM0001-2019-I1", "totaal", TOTAAL_Y1, jaar=2019, eind=2020, sj="2019-2020"),
        b("GM0001-2019-I1", "totaal", TOTAAL_Y2, jaar=2020, eind=2021, sj="2020-2021", tw="typo"),
        b("GM0001-2019-I1", "bijdrage", GKA_PER_JAAR, "GKA", 2019, 2020, "2019-2020"),
        b("GM0001-2019-I1", "bijdrage", GKA_PER_JAAR, "GKA", 2020, 2021, "2020-2021"),
        b("GM0001-2019-I1", "bijdrage", np.nan, "overig"),
        b("GM0001-2019-I1", "totaal", 999_999.0, telt=False),  # a repeat: never summed
        b("GM0001-2019-I2", "bijdrage", GKA_I2, "GKA"),
        b("GM0001-2019-I2", "bijdrage", GEMEENTE_I2, "gemeente"),
    ])
    begroting["jaar"] = begroting["jaar"].astype("Int64")
    begroting["jaar_eind"] = begroting["jaar_eind"].astype("Int64")
    doelgebieden = pd.DataFrame({
        "interventie_id": ["GM0001-2019-I1", "GM0001-2019-I2", "GM0001-2019-I2"],
        "gebiedscode": ["GM0001", "WK000101", "WK000102"], "matching": ["hele_gemeente", "genoemd", "genoemd"],
        "rol": "doelgebied", "gebied_onbepaald": [True, False, False],
    })
    kinderen = pd.DataFrame({
        "code": ["GM0001", "WK000101", "WK000102", "WK000101", "WK000102", "NL00"],
        "indicator": ["kinderen_0_15", "kinderen_0_15", "kinderen_0_15", "jongeren_15_25", "jongeren_15_25",
                      "kinderen_0_15"],
        "jaar": 2024, "waarde": [KIND_GM, KIND_WK1, KIND_WK2, JONG_WK1, JONG_WK2, NL_KIND],
    })
    return gemeenten, agendas, interventies, begroting, doelgebieden, kinderen


def test_funding_per_child_hand_built():
    _, agendas, interventies, begroting, doelgebieden, kinderen = _frames()
    out = funding.funding_per_child(interventies, agendas, begroting, doelgebieden, kinderen).set_index("interventie_id")
    assert list(out.index) == ["GM0001-2019-I1", "GM0001-2019-I2"]  # the empty block is skipped
    i1, i2 = out.loc["GM0001-2019-I1"], out.loc["GM0001-2019-I2"]
    assert i1["totaal_eur"] == TOTAAL_Y1 + TOTAAL_Y2 and i1["gka_eur"] == 2 * GKA_PER_JAAR
    assert i1["kinderen"] == KIND_GM and i1["leeftijdsband"] == "0-15" and i1["cbs_jaar"] == 2024
    assert i1["eur_per_kind_gka"] == pytest.approx(2 * GKA_PER_JAAR / KIND_GM)
    assert i1["totaal_volledig"] and i1["gebied_onbepaald"] and i1["twijfel_aantal"] == 1
    # no totaal or post rows: total = all contributions; ages 0-16 -> both bands
    assert i2["totaal_eur"] == GKA_I2 + GEMEENTE_I2
    assert i2["kinderen"] == KIND_WK1 + KIND_WK2 + JONG_WK1 + JONG_WK2
    assert i2["leeftijdsband"] == "0-15 + 15-25" and i2["doelgebied_codes"] == ("WK000101", "WK000102")
    assert i2["eur_per_kind_totaal"] == pytest.approx((GKA_I2 + GEMEENTE_I2) / (KIND_WK1 + KIND_WK2 + JONG_WK1 + JONG_WK2))


def test_funding_per_tijdvak_does_not_spread_amounts():
    _, agendas, interventies, begroting, doelgebieden, kinderen = _frames()
    out = funding.funding_per_child(interventies, agendas, begroting, doelgebieden, kinderen, per_tijdvak=True)
    i1 = out[out["interventie_id"] == "GM0001-2019-I1"].set_index("tijdvak")
    assert i1.loc["schooljaar 2019-2020", "totaal_eur"] == TOTAAL_Y1
    assert i1.loc["schooljaar 2020-2021", "gka_eur"] == GKA_PER_JAAR
    assert i1["totaal_eur"].sum() == TOTAAL_Y1 + TOTAAL_Y2


def test_missing_children_give_nan_not_a_partial_sum():
    _, agendas, interventies, begroting, doelgebieden, kinderen = _frames()
    kinderen = kinderen[~((kinderen["code"] == "WK000102") & (kinderen["indicator"] == "jongeren_15_25"))]
    out = funding.funding_per_child(interventies, agendas, begroting, doelgebieden, kinderen).set_index("interventie_id")
    assert math.isnan(out.loc["GM0001-2019-I2", "kinderen"])
    assert math.isnan(out.loc["GM0001-2019-I2", "eur_per_kind_gka"])


def test_unknown_gka_part_is_nan_and_flagged():
    _, agendas, interventies, begroting, doelgebieden, kinderen = _frames()
    begroting.loc[begroting["interventie_id"] == "GM0001-2019-I2", "bedrag_eur"] = np.nan
    out = funding.money_totals(begroting).set_index("sleutel")
    assert math.isnan(out.loc["GM0001-2019-I2", "gka_eur"]) and not out.loc["GM0001-2019-I2", "gka_volledig"]


def test_gemeente_row_and_oab_reference():
    gemeenten, agendas, interventies, begroting, doelgebieden, kinderen = _frames()
    row = funding.funding_per_gemeente(interventies, agendas, begroting, doelgebieden, kinderen).iloc[0]
    gka = 2 * GKA_PER_JAAR + GKA_I2
    assert row["interventie"] is None and row["gka_eur"] == gka and row["kinderen"] == KIND_GM
    assert row["eur_per_kind_gka"] == pytest.approx(gka / KIND_GM)
    assert row["jaren"] == 3 and row["eur_per_kind_gka_per_jaar"] == pytest.approx(gka / KIND_GM / 3)
    assert row["oab_eur_per_kind_per_jaar"] == pytest.approx(funding.OAB_EUR_PER_JAAR / NL_KIND)
    assert math.isnan(funding.oab_reference(kinderen, 2019)["eur_per_kind_per_jaar"])  # OAB amount from 2020
    summary = funding.agenda_summary(gemeenten, agendas, interventies, begroting).iloc[0]
    assert summary["interventies"] == 2
    assert summary["totaal_eur"] == TOTAAL_Y1 + TOTAAL_Y2 + GKA_I2 + GEMEENTE_I2


# --- the real agendas with the KWB 2024 extracts --------------------------------------------
def _kinderen_from_extracts() -> pd.DataFrame:
    frames = []
    for path in sorted(EXTRACTS.glob("GM*_kwb2024_gemeente_wijk_buurt.csv")) + [EXTRACTS / "kwb2024_nl_alle_niveaus_85984NED.csv"]:
        raw = pd.read_csv(path, dtype={"Codering_3": str}, na_values=["."])
        if "nl_alle" in path.name:
            raw = raw[raw["Codering_3"] == "NL00"]
        for column, indicator in (("k_0Tot15Jaar_8", "kinderen_0_15"), ("k_15Tot25Jaar_9", "jongeren_15_25")):
            frames.append(pd.DataFrame({"code": raw["Codering_3"].str.strip(), "indicator": indicator,
                                        "jaar": 2024, "waarde": raw[column].astype(float)}))
    return pd.concat(frames, ignore_index=True)


# KWB 2024 (extract GM0119_Meppel_kwb2024_gemeente_wijk_buurt.csv and the NL row)
MEPPEL_KIND_0_15 = 5450
STAATSLIEDEN_0_15, STAATSLIEDEN_15_25 = 215, 185
ZEEHELDEN_0_15, ZEEHELDEN_15_25 = 140, 115
NL_KIND_0_15 = 2_714_040
# Meppel agenda (seed 003): two interventions of max €50,000 each, all GKA (activiteitenplan €100,000)
MEPPEL_I1_EUR, MEPPEL_I2_EUR = 50_000, 50_000
# Seeds, summed by hand: Hoogeveen (110+110+50+60+25+25)k total, GKA (40+20+10)k x 2 school years
HOOGEVEEN_TOTAAL = 110_000 + 110_000 + 50_000 + 60_000 + 25_000 + 25_000
HOOGEVEEN_GKA = 2 * (40_000 + 20_000 + 10_000)
LEIDEN_TOTAAL = 134_478 + 200_000 + (285_000 + 427_000) + 10_000
LEIDEN_GKA = 200_000 - 66_000


@pytest.fixture(scope="module")
def real():
    data = agenda.load_agenda()
    return data, _kinderen_from_extracts()


def test_meppel_funding_from_the_seeds(real):
    data, kinderen = real
    out = funding.funding_per_child(data.interventies, data.agendas, data.begroting, data.doelgebieden, kinderen,
                                    gemeente_code="GM0119").set_index("interventie_id")
    i1, i2 = out.loc["GM0119-2022-I1"], out.loc["GM0119-2022-I2"]
    assert i1["kinderen"] == MEPPEL_KIND_0_15
    assert i1["eur_per_kind_gka"] == pytest.approx(MEPPEL_I1_EUR / MEPPEL_KIND_0_15)
    buurt_kinderen = STAATSLIEDEN_0_15 + STAATSLIEDEN_15_25 + ZEEHELDEN_0_15 + ZEEHELDEN_15_25
    assert i2["kinderen"] == buurt_kinderen and i2["leeftijdsband"] == "0-15 + 15-25"
    assert i2["eur_per_kind_totaal"] == pytest.approx(MEPPEL_I2_EUR / buurt_kinderen)
    row = funding.funding_per_gemeente(data.interventies, data.agendas, data.begroting, data.doelgebieden,
                                       kinderen, "GM0119").iloc[0]
    assert row["gka_eur"] == MEPPEL_I1_EUR + MEPPEL_I2_EUR
    assert row["oab_eur_per_kind_per_jaar"] == pytest.approx(486_000_000 / NL_KIND_0_15)


def test_summary_totals_from_the_seeds(real):
    data, _ = real
    s = funding.agenda_summary(data.gemeenten, data.agendas, data.interventies, data.begroting).set_index("gemeente_code")
    assert s.loc["GM0118", ["gka_eur", "totaal_eur"]].tolist() == [HOOGEVEEN_GKA, HOOGEVEEN_TOTAAL]
    assert s.loc["GM0546", ["gka_eur", "totaal_eur"]].tolist() == [LEIDEN_GKA, LEIDEN_TOTAAL]
    assert not s.loc["GM0546", "gka_volledig"]  # Leiden I1: GKA part of the co-financing not stated
    assert s.loc["GM0361", "gka_eur"] == 2 * 70_000 and not s.loc["GM0361", "totaal_volledig"]
    assert s.loc["GM0307", ["gka_eur", "totaal_eur"]].tolist() == [140_000, 210_000 + 10_000]
    assert s["interventies"].to_dict() == {"GM0118": 3, "GM0361": 1, "GM0307": 1, "GM0119": 2, "GM0546": 4}


def test_per_period_has_no_empty_agendaperiode_rows_for_hoogeveen():
    """Hoogeveen's 'overige dekking' has no amount and no year: it adds no period of its own."""
    from gka_dash import agenda, facts, funding

    data = agenda.load_agenda()
    kinderen = agenda.children_by_area(agenda.codes_needed(data), feiten=facts.load_feiten())
    rows = funding.funding_per_child(data.interventies, data.agendas, data.begroting, data.doelgebieden,
                                     kinderen, gemeente_code="GM0118", per_tijdvak=True)
    interventions = rows[rows["interventie_id"].isin(["GM0118-2019-I1", "GM0118-2019-I2", "GM0118-2019-I3"])]
    assert set(interventions["tijdvak"]) == {"schooljaar 2019-2020", "schooljaar 2020-2021"}
    assert interventions["gka_eur"].sum() == 2 * (40_000 + 20_000 + 10_000)
