"""The catalogue checks itself: every entry is complete and consistent (pudl-style self-check)."""

import pytest

from gka_dash import indicators


@pytest.mark.parametrize("ind", list(indicators.CATALOGUE.values()), ids=lambda i: i.id)
def test_entry_is_complete(ind):
    assert ind.id.islower() and " " not in ind.id
    assert ind.label and ind.label[0].isupper()
    assert ind.unit in indicators.UNIT_LABELS
    assert ind.direction in (indicators.HIGHER_IS_WORSE, indicators.LOWER_IS_WORSE, indicators.NEUTRAL)
    assert set(ind.levels) <= set(indicators.LEVELS)
    if ind.unit == "pct":
        assert ind.id.endswith("_pct"), "the unit goes in the name"
    if ind.is_derived:
        assert ind.numerator in indicators.CATALOGUE and ind.denominator in indicators.CATALOGUE


def test_cbs_stems_are_unique_and_have_no_suffix():
    stems = [i.cbs_stem for i in indicators.CATALOGUE.values() if i.cbs_stem]
    assert len(stems) == len(set(stems))
    assert all(not s.rsplit("_", 1)[-1].isdigit() for s in stems)
    assert indicators.CBS_STEMS["k_0Tot15Jaar"] == "kinderen_0_15"


def test_unknown_indicator_gives_dutch_error():
    with pytest.raises(KeyError, match="onbekende indicator 'bestaat_niet'"):
        indicators.get("bestaat_niet")


# Catalogue unit -> the CBS unit texts (85984NED DataProperties) it may stand for.
_CBS_UNITS = {
    "aantal": {"aantal"}, "personen": {"aantal"}, "pct": {"%"}, "x1000_eur": {"x 1 000 euro"},
    "per_km2": {"aantal inwoners per km²"}, "per_1000": {"per 1 000 inwoners"}, "km": {"km"}, "klasse": {"code"},
}


def test_cbs_stems_have_the_unit_cbs_publishes():
    from gka_dash import paths, statline

    cbs_units = {t.stem: t.unit for t in statline.load_topics(paths.CBS_DIR / "85984NED_topics.csv")}
    for ind in indicators.CATALOGUE.values():
        if ind.cbs_stem:
            assert cbs_units[ind.cbs_stem] in _CBS_UNITS[ind.unit], f"{ind.id}: CBS gives {cbs_units[ind.cbs_stem]}"
