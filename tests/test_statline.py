"""StatLine CSV exports: headers to stems, '.' to NaN, padding stripped — on real CBS rows."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gka_dash import paths, statline

TOPICS = statline.load_topics(paths.CBS_DIR / "85984NED_topics.csv")
HEADER = (
    '\ufeff"Wijken en buurten";"Regioaanduiding/Gemeentenaam (naam)";"Regioaanduiding/Soort regio (omschrijving)";'
    '"Regioaanduiding/Codering (code)";"Bevolking/Aantal inwoners (aantal)";'
    '"Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)";'
    '"Bevolking/Bevolking naar herkomst/Herkomstland/Buiten Europa  (aantal)"\n'
)
# Real KWB 2024 rows (CBS, CC BY 4.0), padded as StatLine pads them; '.' marks secret/unknown.
ROWS = (
    '"Nederland";"Nederland                               ";"Land      ";"NL00      ";17942942;2714040;3324101\n'
    '"Leiden";"Leiden                                  ";"Gemeente  ";"GM0546    ";130108;15294;30398\n'
    '"Wijk 01 Binnenstad-Noord";"Leiden                                  ";"Wijk      ";"WK054601  ";15545;1010;.\n'
)


def _parse(text: str) -> pd.DataFrame:
    return statline.parse_export(statline.read_export(text.encode("utf-8")), TOPICS).frame


def test_headers_map_to_stems_and_codes_are_stripped():
    frame = _parse(HEADER + ROWS)
    assert list(frame["code"]) == ["NL00", "GM0546", "WK054601"]
    assert list(frame["niveau"]) == ["land", "gemeente", "wijk"]
    assert frame.loc[1, "k_0Tot15Jaar"] == 15294
    assert frame.loc[1, "Gemeentenaam"] == "Leiden"


def test_secret_dot_becomes_nan_never_zero():
    frame = _parse(HEADER + ROWS)
    assert np.isnan(frame.loc[2, "BuitenEuropa"])
    facts = statline.to_facts(frame, 2024, "CBS KWB 2024 (85984NED)")
    row = facts[(facts["code"] == "WK054601") & (facts["indicator"] == "herkomst_buiten_europa")]
    assert row["waarde"].isna().all()


def test_missing_code_column_is_explained_in_dutch():
    header = HEADER.replace('"Regioaanduiding/Codering (code)";', "")
    rows = "\n".join(";".join(p for i, p in enumerate(r.split(";")) if i != 3) for r in ROWS.splitlines())
    with pytest.raises(ValueError, match="Codering"):
        _parse(header + rows + "\n")


@pytest.mark.parametrize(
    ("key", "stem"), [("k_0Tot15Jaar_8", "k_0Tot15Jaar"), ("AantalInwoners_5", "AantalInwoners"), ("Gemeentenaam_1", "Gemeentenaam")]
)
def test_key_stem(key, stem):
    assert statline.key_stem(key) == stem


@pytest.mark.parametrize(
    ("code", "gemeente", "wijk"),
    [("BU05460101", "GM0546", "WK054601"), ("WK054601", "GM0546", None), ("GM0546", "GM0546", None), ("NL00", None, None)],
)
def test_codes(code, gemeente, wijk):
    assert statline.gemeente_code_of(code) == gemeente
    assert statline.wijk_code_of(code) == wijk


def test_sentinels_are_missing():
    values = statline.to_number(pd.Series(["12", " 7 ", ".", "x", "", "-99997", "3,5"]))
    assert values.iloc[0] == 12 and values.iloc[1] == 7 and values.iloc[6] == 3.5
    assert values.iloc[2:6].isna().all()
