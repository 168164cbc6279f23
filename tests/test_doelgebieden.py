"""Target areas placed on wijk and buurt level, on the real agenda data and KWB areas."""

from __future__ import annotations

from gka_dash import agenda, doelgebieden, facts


def _targets(gemeente):
    data = agenda.load_agenda()
    return doelgebieden.for_gemeente(data.doelgebieden, data.interventies, gemeente)


def test_leiden_named_wijken_at_wijk_and_buurt_level():
    targets = _targets("GM0546")
    wijk = doelgebieden.at_level(targets, facts.areas("GM0546", "wijk"), "wijk")
    assert set(wijk["code"]) == {"WK054605", "WK054606"}
    assert set(wijk["relatie"]) == {doelgebieden.RELATIE_ZELF} and set(wijk["matching"]) == {"afgeleid"}
    buurt = doelgebieden.at_level(targets, facts.areas("GM0546", "buurt"), "buurt")
    assert len(buurt) > 2 and buurt["code"].str.startswith(("BU054605", "BU054606")).all()
    assert set(buurt["relatie"]) == {doelgebieden.RELATIE_BINNEN}


def test_meppel_named_buurten_mark_their_wijk_as_partly_target():
    targets = _targets("GM0119")
    wijk = doelgebieden.at_level(targets, facts.areas("GM0119", "wijk"), "wijk")
    assert set(wijk["code"]) == {"WK011902"} and set(wijk["relatie"]) == {doelgebieden.RELATIE_DEELS}
    buurt = doelgebieden.at_level(targets, facts.areas("GM0119", "buurt"), "buurt")
    assert set(doelgebieden.outline_codes(buurt)) == {"BU01190201", "BU01190202"}


def test_hoogeveen_names_no_area():
    targets = _targets("GM0118")
    assert not targets.empty and doelgebieden.named_areas(targets).empty
    assert doelgebieden.at_level(targets, facts.areas("GM0118", "wijk"), "wijk").empty
