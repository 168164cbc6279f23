"""Funding per child as a map layer: hand-built nesting cases and Meppel's named buurten."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gka_dash import agenda, facts, funding, fundinglayer

GM_PER_KIND = 10.0  # a whole-gemeente intervention
WK_PER_KIND = 100.0  # an intervention for wijk WK999901
BU_PER_KIND = 50.0  # an intervention for buurt BU99990201
KIND_BU = 40.0
KIND_WK2 = 200.0


def _funding(*rows):
    return pd.DataFrame([
        {"agenda_id": "GM9999-2022", "doelgebied_codes": codes, "eur_per_kind_gka": gka, "eur_per_kind_totaal": gka,
         "cbs_jaar": 2024, "leeftijdsband": "0-15"} for codes, gka in rows
    ])


FUNDING = _funding((("GM9999",), GM_PER_KIND), (("WK999901",), WK_PER_KIND), (("BU99990201",), BU_PER_KIND),
                   (("WK999903",), np.nan))


def test_wijk_level_sums_covering_interventions_and_shares_a_named_buurt():
    areas = pd.DataFrame({"code": ["WK999901", "WK999902", "WK999903"], "naam": ["a", "b", "c"],
                          "kinderen_0_15": [100.0, KIND_WK2, 50.0]})
    kinderen = pd.concat([areas, pd.DataFrame({"code": ["BU99990201"], "naam": ["bu"], "kinderen_0_15": [KIND_BU]})])
    out = fundinglayer.per_area(FUNDING, kinderen, "gka").set_index("code")
    assert out.at["WK999901", "waarde"] == pytest.approx(GM_PER_KIND + WK_PER_KIND)
    # WK999902 holds the named buurt: its money reaches KIND_BU of KIND_WK2 children.
    assert out.at["WK999902", "waarde"] == pytest.approx(GM_PER_KIND + BU_PER_KIND * KIND_BU / KIND_WK2)
    assert out.at["WK999903", "waarde"] == pytest.approx(GM_PER_KIND)
    assert out.at["WK999903", "onbekend"] == 1 and out.at["WK999903", "interventies"] == 1


def test_buurt_level_inherits_the_wijk_intervention():
    areas = pd.DataFrame({"code": ["BU99990101", "BU99990201"], "naam": ["x", "y"], "kinderen_0_15": [10.0, KIND_BU]})
    out = fundinglayer.per_area(FUNDING, areas, "totaal").set_index("code")
    assert out.at["BU99990101", "waarde"] == pytest.approx(GM_PER_KIND + WK_PER_KIND)
    assert out.at["BU99990201", "waarde"] == pytest.approx(GM_PER_KIND + BU_PER_KIND)


def test_no_known_amount_is_missing_not_zero():
    areas = pd.DataFrame({"code": ["WK999903"], "naam": ["c"], "kinderen_0_15": [50.0]})
    out = fundinglayer.per_area(_funding((("WK999903",), np.nan)), areas)
    assert np.isnan(out["waarde"].iloc[0])
    facts_frame = fundinglayer.as_facts(out, "gka", "bron")
    assert facts_frame["indicator"].iloc[0] == "gka_eur_per_kind" and np.isnan(facts_frame["waarde"].iloc[0])


def test_meppel_real_agenda():
    data = agenda.load_agenda()
    feiten = facts.load_feiten()
    kinderen = agenda.children_by_area(agenda.codes_needed(data), feiten=feiten)
    rows = funding.funding_per_child(data.interventies, data.agendas, data.begroting, data.doelgebieden, kinderen,
                                     gemeente_code="GM0119")
    rows = fundinglayer.latest_agenda(rows)
    buurten = facts.wide(feiten, "GM0119", "buurt").frame
    out = fundinglayer.per_area(rows, buurten, "totaal").set_index("code")
    named = out.loc[["BU01190201", "BU01190202"], "waarde"]
    others = out.drop(index=["BU01190201", "BU01190202"])["waarde"].dropna()
    assert (named.to_numpy() > others.max()).all()  # the named buurten get the buurt intervention on top
