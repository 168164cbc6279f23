"""gka_dash.cbs against a local server that answers like CBS OData v3 (tests/odata_stub.py).

The server holds real KWB 2024 (85984NED) rows for Nederland, Meppel GM0119 and Leiden GM0546 and
their wijken/buurten, plus decoy buurten of other gemeenten whose codes contain 0119/0546
(tests/data/odata/build_fixture.py). Expected numbers below are CBS's, from that slice.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import threading
import time

import cbsodata
import numpy as np
import pandas as pd
import pytest

from gka_dash import cbs, paths
from gka_dash.__main__ import main
from gka_dash.indicators import CATALOGUE
from tests.odata_stub import DATA_DIR, OdataStub, filter_rows

TABLE = "85984NED"
FIXTURE = DATA_DIR / TABLE
DATA_PROPERTIES = json.loads((FIXTURE / "DataProperties.json").read_text(encoding="utf-8"))
TYPED_ROWS = json.loads((FIXTURE / "TypedDataSet.json").read_text(encoding="utf-8"))
REGIONS = json.loads((FIXTURE / "WijkenEnBuurten.json").read_text(encoding="utf-8"))

# CBS KWB 2024 figures (StatLine export) for the two gemeenten in the slice.
LEIDEN, MEPPEL = "GM0546", "GM0119"
LEIDEN_WIJKEN, LEIDEN_BUURTEN = 10, 54
MEPPEL_WIJKEN, MEPPEL_BUURTEN = 14, 46
LEIDEN_INWONERS, LEIDEN_KINDEREN_0_15, LEIDEN_HERKOMST_NL = 130108, 15294, 82628
MEPPEL_INWONERS, MEPPEL_KINDEREN_0_15 = 35810, 5450
LEIDEN_INKOMEN_PER_INWONER = 36.4  # x 1,000 euro; CBS shows it only for >= 2,500 inhabitants
SMALL_BUURT = "BU05460001"  # 1,940 inhabitants: income secret (null)
ZERO_KIDS_BUURT = "BU05460407"  # CBS publishes 0 children: a real 0 that must stay 0
DECOYS = {"BU05180546", "BU18590119", "BU17210119"}  # other gemeenten; codes contain 0546/0119


@pytest.fixture
def stub():
    with OdataStub(page_size=50) as server:
        yield server


def _fetch(stub, tmp_path, gemeenten, **kw):
    return cbs.fetch_kwb(2024, gemeenten, cache_dir=tmp_path, catalog_url=stub.url, timeout=5, **kw)


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more


# ---------------------------------------------------------------------------------------------
# Region filter


def test_region_filter_uses_padded_gemeente_key_and_prefixed_substrings():
    assert cbs.region_filter(["gm546"]) == (
        "WijkenEnBuurten eq 'GM0546    ' or substringof('WK0546',WijkenEnBuurten) "
        "or substringof('BU0546',WijkenEnBuurten)"
    )


def test_stub_evaluates_filters_so_a_naive_substring_would_leak_decoys():
    def codes(expression):
        return {r["WijkenEnBuurten"].strip() for r in filter_rows(TYPED_ROWS, expression)}

    assert "BU05180546" in codes("substringof('0546',WijkenEnBuurten)")  # why we search 'BU0546'
    ours = codes(cbs.region_filter([LEIDEN]))
    assert len(ours) == 1 + LEIDEN_WIJKEN + LEIDEN_BUURTEN
    assert all(code[2:6] == "0546" for code in ours)
    # exact comparison, as CBS: an unpadded key matches nothing
    assert filter_rows(TYPED_ROWS, "WijkenEnBuurten eq 'GM0546'") == []


def test_fetch_sends_filter_and_gets_only_that_gemeente(stub, tmp_path):
    result = _fetch(stub, tmp_path, [LEIDEN])
    sent = stub.requests_for("TypedDataSet")
    assert sent and all(p["$filter"] == cbs.region_filter([LEIDEN]) for p in sent)
    data = result.data
    assert len(data) == 1 + LEIDEN_WIJKEN + LEIDEN_BUURTEN < len(TYPED_ROWS)
    assert data["niveau"].value_counts().to_dict() == {"buurt": LEIDEN_BUURTEN, "wijk": LEIDEN_WIJKEN,
                                                       "gemeente": 1}
    assert set(data["gemeente_code"]) == {LEIDEN}
    assert not DECOYS & set(data["code"])
    buurten = data[data["niveau"].eq("buurt")]
    assert set(buurten["wijk_code"]) <= set(data.loc[data["niveau"].eq("wijk"), "code"])


def test_two_gemeenten_over_several_pages(stub, tmp_path):
    result = _fetch(stub, tmp_path, [LEIDEN, MEPPEL])
    pages = stub.requests_for("TypedDataSet")
    assert len(pages) == 3  # 126 rows, 50 per page: the filter travels in every nextLink
    assert {p["$filter"] for p in pages} == {cbs.region_filter([MEPPEL, LEIDEN])}
    data = result.data.set_index("code")
    assert len(data) == 2 + LEIDEN_WIJKEN + LEIDEN_BUURTEN + MEPPEL_WIJKEN + MEPPEL_BUURTEN
    assert data.loc[LEIDEN, "inwoners"] == LEIDEN_INWONERS
    assert data.loc[LEIDEN, "kinderen_0_15"] == LEIDEN_KINDEREN_0_15
    assert data.loc[MEPPEL, "inwoners"] == MEPPEL_INWONERS
    assert data.loc[MEPPEL, "kinderen_0_15"] == MEPPEL_KINDEREN_0_15
    assert data.loc[MEPPEL, "naam"] == "Meppel" and data.loc["WK011900", "naam"] == "Centrum"


def test_a_filter_that_lets_other_gemeenten_through_is_refused(stub, tmp_path, monkeypatch):
    monkeypatch.setattr(cbs, "region_filter", lambda codes: "substringof('0546',WijkenEnBuurten)")
    with pytest.raises(cbs.CbsError, match="buiten de gevraagde gemeenten.*BU05180546"):
        _fetch(stub, tmp_path, [LEIDEN])
    assert list(tmp_path.iterdir()) == []


def test_unknown_gemeente_gives_dutch_error_and_no_cache(stub, tmp_path):
    with pytest.raises(cbs.CbsError, match="geen gegevens voor GM9999"):
        _fetch(stub, tmp_path, ["GM9999"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["Leiden", "GM05460", "WK054600", ""])
def test_bad_gemeente_code_is_named(bad):
    with pytest.raises(ValueError, match="ongeldige gemeentecode"):
        cbs.normalise_gemeenten([bad])


def test_years_and_tables():
    assert cbs.table_id(2024) == "85984NED" and cbs.table_id(2019) == "84583NED"
    with pytest.raises(ValueError, match="geen KWB-tabel bekend voor jaar 2018"):
        cbs.table_id(2018)


# ---------------------------------------------------------------------------------------------
# Normalisation


def test_codes_and_texts_lose_padding(stub, tmp_path):
    data = _fetch(stub, tmp_path, [LEIDEN]).data
    assert data["code"].str.fullmatch(r"GM\d{4}|WK\d{6}|BU\d{8}").all()
    assert set(data["gemeente_naam"]) == {"Leiden"}
    assert set(data["IndelingswijzigingGemeenteWijkBuurt"]) <= {"1", "2", "3"}


def test_columns_are_stems_mapped_to_catalogue_ids(stub, tmp_path):
    data = _fetch(stub, tmp_path, [LEIDEN]).data
    raw_keys = {p["Key"] for p in DATA_PROPERTIES if p["Type"] == "Topic"}
    assert not raw_keys & set(data.columns)  # no suffixed CBS key survives
    assert list(data.columns[: len(cbs.ID_COLUMNS)]) == cbs.ID_COLUMNS
    # 128 topics, minus Gemeentenaam/SoortRegio/Codering which became id columns
    assert len(data.columns) == len(cbs.ID_COLUMNS) + len(raw_keys) - 3
    for indicator in ("inwoners", "kinderen_0_15", "jongeren_15_25", "herkomst_nederland",
                      "inkomen_per_inwoner_x1000_eur", "woz_waarde_x1000_eur", "stedelijkheid"):
        assert indicator in data.columns
    for kept_stem in ("Ongehuwd", "GeboorteTotaal", "OppervlakteTotaal", "MeestVoorkomendePostcode"):
        assert kept_stem in data.columns


def test_counts_never_land_in_percentage_ids(stub, tmp_path):
    data = _fetch(stub, tmp_path, [LEIDEN]).data
    # KWB 2024 publishes these as counts ("aantal"): they get count ids, never the % / per-1,000 ones
    assert "opleiding_laag" in data.columns and "opleiding_laag_pct" not in data.columns
    assert "bijstand_personen" in data.columns and "bijstand_per_1000" not in data.columns
    assert cbs.catalogue_id("BasisonderwijsVmboMbo1", "%") == "BasisonderwijsVmboMbo1"
    assert cbs.catalogue_id("HuishoudensMetEenLaagInkomen", "%") == "laag_inkomen_pct"
    assert cbs.catalogue_id("GemiddeldInkomenPerInwoner", "x 1 000 euro") == "inkomen_per_inwoner_x1000_eur"


def test_duplicate_stems_are_disambiguated_by_topic_group():
    names = cbs.column_names(DATA_PROPERTIES)
    assert names["k_0Tot15Jaar_8"] == "k_0Tot15Jaar"
    assert names["Nederland_17"] == "Nederland"  # Herkomstland: the catalogue's herkomst_nederland
    assert names["Nederland_20"] == "Nederland__GeborenInNederland"
    assert names["EuropaExclusiefNederland_21"] == "EuropaExclusiefNederland__GeborenInNederland"
    assert names["EuropaExclusiefNederland_23"] == "EuropaExclusiefNederland__GeborenBuitenNederland"
    assert names["Appartement_54"] == "Appartement"
    assert names["Appartement_62"] == "Appartement__GemiddeldAardgasverbruik_NaarWoningtype"
    assert names["Huurwoning_67"] == "Huurwoning__GemiddeldAardgasverbruik_NaarEigendom"
    assert len(set(names.values())) == len(names) == 128


def test_disambiguation_does_not_depend_on_input_order():
    shuffled = list(DATA_PROPERTIES)
    random.Random(7).shuffle(shuffled)
    assert cbs.column_names(shuffled) == cbs.column_names(DATA_PROPERTIES)


def test_herkomst_takes_the_herkomstland_value_not_the_born_in_nl_one(stub, tmp_path):
    data = _fetch(stub, tmp_path, [LEIDEN]).data.set_index("code")
    assert data.loc[LEIDEN, "herkomst_nederland"] == LEIDEN_HERKOMST_NL
    assert np.isnan(data.loc[LEIDEN, "Nederland__GeborenInNederland"])  # not in the slice: null


def test_level_from_soort_regio_or_code_prefix():
    wanted = {"NL00", LEIDEN, "WK054600", SMALL_BUURT}
    rows = [dict(r) for r in TYPED_ROWS if r["WijkenEnBuurten"].strip() in wanted]
    from_soort = cbs.normalise(rows, DATA_PROPERTIES, REGIONS).set_index("code")
    for row in rows:
        row["SoortRegio_2"] = None
    from_prefix = cbs.normalise(rows, DATA_PROPERTIES, REGIONS).set_index("code")
    expected = {"NL00": "land", LEIDEN: "gemeente", "WK054600": "wijk", SMALL_BUURT: "buurt"}
    assert from_soort["niveau"].to_dict() == expected == from_prefix["niveau"].to_dict()
    land = from_soort.loc["NL00"]
    assert pd.isna(land["gemeente_code"]) and pd.isna(land["gemeente_naam"]) and land["naam"] == "Nederland"
    assert from_soort.loc[SMALL_BUURT, "wijk_code"] == "WK054600"


# ---------------------------------------------------------------------------------------------
# Missing values: NaN, never 0


def test_null_from_cbs_is_nan_and_real_zero_stays_zero(stub, tmp_path):
    data = _fetch(stub, tmp_path, [LEIDEN]).data.set_index("code")
    assert data.loc[LEIDEN, "inkomen_per_inwoner_x1000_eur"] == LEIDEN_INKOMEN_PER_INWONER
    assert np.isnan(data.loc[SMALL_BUURT, "inkomen_per_inwoner_x1000_eur"])
    assert data["Ongehuwd"].isna().all()  # topic absent from the slice: null at every row
    assert data.loc[ZERO_KIDS_BUURT, "kinderen_0_15"] == 0
    numeric = data.select_dtypes("number")
    assert (numeric == 0).sum().sum() == sum(
        1 for r in TYPED_ROWS if r["WijkenEnBuurten"].startswith(("GM0546", "WK0546", "BU0546"))
        for k, v in r.items() if v == 0 and k != "ID"
    )


@pytest.mark.parametrize("marker", [None, ".", "x", "", "   .  ", -99997, -99995, -99991, "-99997"])
def test_cbs_missing_markers_become_nan(marker):
    row = dict(next(r for r in TYPED_ROWS if r["WijkenEnBuurten"].strip() == LEIDEN))
    row["k_0Tot15Jaar_8"] = marker
    row["AantalInwoners_5"] = f" {LEIDEN_INWONERS} "  # UntypedDataSet style text number
    data = cbs.normalise([row], DATA_PROPERTIES, REGIONS)
    assert np.isnan(data.loc[0, "kinderen_0_15"])
    assert data.loc[0, "inwoners"] == LEIDEN_INWONERS
    assert data.loc[0, "mannen"] > 0


def test_text_missing_markers_become_none():
    row = dict(next(r for r in TYPED_ROWS if r["WijkenEnBuurten"].strip() == LEIDEN))
    row["IndelingswijzigingGemeenteWijkBuurt_4"] = ".         "
    row["MeestVoorkomendePostcode_125"] = "      2311"
    data = cbs.normalise([row], DATA_PROPERTIES, REGIONS)
    assert pd.isna(data.loc[0, "IndelingswijzigingGemeenteWijkBuurt"])
    assert data.loc[0, "MeestVoorkomendePostcode"] == "2311"


def test_unexpected_text_in_a_number_column_is_named():
    row = dict(next(r for r in TYPED_ROWS if r["WijkenEnBuurten"].strip() == LEIDEN))
    row["Mannen_6"] = "onbekend"
    with pytest.raises(ValueError, match=r"kolom Mannen_6: 1 waarde\(n\).*'onbekend'"):
        cbs.normalise([row], DATA_PROPERTIES, REGIONS)


def test_to_feiten_long_format_keeps_nan(stub, tmp_path):
    result = _fetch(stub, tmp_path, [LEIDEN])
    feiten = result.feiten()
    assert list(feiten.columns) == ["code", "indicator", "jaar", "waarde", "bron"]
    assert set(feiten["bron"]) == {"CBS KWB 2024 (85984NED)"} and set(feiten["jaar"]) == {2024}
    assert feiten["waarde"].dtype == float
    ids = set(feiten["indicator"])
    assert ids <= set(CATALOGUE) and not any(CATALOGUE[i].is_derived for i in ids)
    assert "kinderen_0_15" in ids and "Ongehuwd" not in ids
    assert len(feiten) == len(result.data) * len(ids)
    facts = feiten.set_index(["code", "indicator"])["waarde"]
    assert facts[(LEIDEN, "kinderen_0_15")] == LEIDEN_KINDEREN_0_15
    assert np.isnan(facts[(SMALL_BUURT, "inkomen_per_inwoner_x1000_eur")])
    assert facts[(ZERO_KIDS_BUURT, "kinderen_0_15")] == 0
    dropped = result.feiten(dropna=True)
    assert dropped["waarde"].notna().all() and len(dropped) == feiten["waarde"].notna().sum()


# ---------------------------------------------------------------------------------------------
# Cache and failures


def test_cache_is_used_without_refresh_and_survives_a_round_trip(stub, tmp_path):
    first = _fetch(stub, tmp_path, [LEIDEN, MEPPEL])
    assert not first.from_cache and first.cache_file.exists()
    assert first.cache_file == cbs.cache_path(TABLE, ["gm119", "0546"], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [first.cache_file.name]  # no temp files left
    asked = len(stub.requests)
    again = _fetch(stub, tmp_path, [MEPPEL, LEIDEN])
    assert len(stub.requests) == asked  # fetched once per table and gemeenten
    assert again.from_cache and again.melding is None and again.opgehaald == first.opgehaald
    pd.testing.assert_frame_equal(again.data, first.data)


def test_unreadable_cache_is_named(tmp_path):
    path = cbs.cache_path(TABLE, [LEIDEN], tmp_path)
    path.write_bytes(b"not parquet")
    with pytest.raises(cbs.CbsError, match=r"De cache .*kwb_85984NED_GM0546\.parquet is onleesbaar"):
        cbs.fetch_kwb(2024, [LEIDEN], cache_dir=tmp_path, catalog_url=_closed_port_url())
    assert path.read_bytes() == b"not parquet"


def test_cbsodata_options_are_restored(stub, tmp_path):
    before = cbsodata.options.use_https
    _fetch(stub, tmp_path, [LEIDEN])
    assert cbsodata.options.use_https == before


@pytest.mark.parametrize("failure", ["no_server", "http_503"])
def test_failed_refresh_returns_cache_and_leaves_it_byte_identical(stub, tmp_path, failure):
    cached = _fetch(stub, tmp_path, [LEIDEN])
    before = cached.cache_file.read_bytes()
    if failure == "http_503":
        stub.fail_status = 503
        url = stub.url
    else:
        url = _closed_port_url()
    result = cbs.fetch_kwb(2024, [LEIDEN], cache_dir=tmp_path, catalog_url=url, timeout=5, refresh=True)
    assert result.from_cache
    assert result.melding.startswith("Kan CBS (127.0.0.1:")
    assert "niet aangeraakt" in result.melding
    assert cached.cache_file.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [cached.cache_file.name]
    pd.testing.assert_frame_equal(result.data, cached.data)


def test_offline_without_cache_raises_dutch_error(tmp_path):
    url = _closed_port_url()
    expected = r"Kan CBS \(127\.0\.0\.1:\d+\) niet bereiken: geen verbinding"
    with pytest.raises(cbs.CbsOfflineError, match=expected):
        cbs.fetch_kwb(2024, [LEIDEN], cache_dir=tmp_path, catalog_url=url, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_timeout_is_passed_to_requests(tmp_path):
    """A server that accepts but never answers: without a timeout cbsodata would wait forever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Timer(10, listener.close)  # a hanging test ends after 10 s anyway
    stop.start()
    try:
        started = time.monotonic()
        with pytest.raises(cbs.CbsOfflineError, match="geen antwoord binnen de tijd"):
            cbs.fetch_kwb(2024, [LEIDEN], cache_dir=tmp_path,
                          catalog_url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.5)
        assert time.monotonic() - started < 5
    finally:
        stop.cancel()
        listener.close()


def test_http_404_is_an_error_not_offline(stub, tmp_path):
    with pytest.raises(cbs.CbsError, match=r"weigerde het verzoek .*85618NED.*HTTP 404") as info:
        cbs.fetch_kwb(2023, [LEIDEN], cache_dir=tmp_path, catalog_url=stub.url, timeout=5)
    assert not isinstance(info.value, cbs.CbsOfflineError)
    assert list(tmp_path.iterdir()) == []


def test_catalog_url_from_environment(stub, tmp_path, monkeypatch):
    monkeypatch.setenv(cbs.CATALOG_URL_ENV, stub.url)
    result = cbs.fetch_kwb(2024, [MEPPEL], cache_dir=tmp_path)
    assert len(result.data) == 1 + MEPPEL_WIJKEN + MEPPEL_BUURTEN
    assert stub.requests_for("TypedDataSet")


# ---------------------------------------------------------------------------------------------
# Command line


def test_cli_fetch_json_then_cache_when_cbs_fails(stub, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(cbs.CATALOG_URL_ENV, stub.url)
    monkeypatch.setattr(paths, "CBSODATA_CACHE_DIR", tmp_path)
    assert main(["fetch", "--year", "2024", "--gemeente", "GM0546", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["regios"] == {"gemeente": 1, "wijk": LEIDEN_WIJKEN, "buurt": LEIDEN_BUURTEN}
    assert info["uit_cache"] is False and info["tabel"] == TABLE
    assert info["indicatoren_met_waarden"]["inwoners"] == 1 + LEIDEN_WIJKEN + LEIDEN_BUURTEN
    assert info["indicatoren_met_waarden"]["laag_inkomen_pct"] == 0

    stub.fail_status = 503
    assert main(["fetch", "--year", "2024", "--gemeente", "GM0546"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Let op: Kan CBS (127.0.0.1:") and "uit de cache" in out


def test_cli_fetch_fails_with_dutch_message(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(cbs.CATALOG_URL_ENV, _closed_port_url())
    monkeypatch.setattr(paths, "CBSODATA_CACHE_DIR", tmp_path)
    assert main(["fetch", "--year", "2024", "--gemeente", "GM0546"]) == 1
    assert "Fout: Kan CBS (127.0.0.1:" in capsys.readouterr().err
    assert main(["fetch", "--year", "2024", "--gemeente", "GM0546", "--offline"]) == 1
    assert "Er is geen cache voor KWB 2024 van GM0546" in capsys.readouterr().err
    assert main(["fetch", "--year", "2024", "--gemeente", "Leiden"]) == 1
    assert "ongeldige gemeentecode 'Leiden'" in capsys.readouterr().err


def test_cli_as_a_process(stub, tmp_path):
    env = {**os.environ, cbs.CATALOG_URL_ENV: stub.url, "GKA_DASH_CBS_CACHE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "gka_dash", "fetch", "--year", "2024", "--gemeente", "GM0119",
         "--gemeente", "GM0546"],
        cwd=paths.REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "2 gemeente(n), 24 wijken, 100 buurten" in done.stdout
    assert (tmp_path / f"kwb_{TABLE}_GM0119_GM0546.parquet").exists()
