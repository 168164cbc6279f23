"""The transcribed agendas in data/agenda/ against their seeds (../shared/seeds) and KWB 2024."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from gka_dash import agenda, paths

SEEDS = paths.REPO_ROOT.parent / "shared" / "seeds"
EXTRACTS = paths.SHARED_CBS_DEFAULT / "extracts"
pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")

MEPPEL, LEIDEN, HOOGEVEEN, ALKMAAR, AMERSFOORT = "GM0119", "GM0546", "GM0118", "GM0361", "GM0307"


def _norm(text: str) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="module")
def data() -> agenda.AgendaData:
    return agenda.load_agenda()


@pytest.fixture(scope="module")
def seed_of(data) -> dict[str, str]:
    """agenda_id -> whitespace-normalised seed text."""
    return {r.agenda_id: _norm((SEEDS / r.bron).read_text(encoding="utf-8")) for r in data.agendas.itertuples()}


def _agenda_of(data, table: str, frame: pd.DataFrame) -> pd.Series:
    if "agenda_id" in frame:
        return frame["agenda_id"]
    return frame["interventie_id"].map(data.interventies.set_index("interventie_id")["agenda_id"])


@pytest.mark.parametrize("table", [t for t in agenda.TABLE_NAMES if "bron_citaat" in agenda.TABLES[t]["fields"]])
def test_every_quote_occurs_in_its_seed(data, seed_of, table):
    frame = data.tables()[table]
    owners = _agenda_of(data, table, frame)
    missing = [
        (i + 2, quote) for i, (quote, owner) in enumerate(zip(frame["bron_citaat"], owners))
        if pd.notna(quote) and _norm(quote) not in seed_of[owner]
    ]
    assert missing == []


def _amounts_in(quote: str) -> set[float]:
    """Every number in a quote read the Dutch way: 110.000,- / 25.000,00 / 134.478 / 10.000 euro."""
    found = set()
    for token in re.findall(r"\d[\d.]*(?:,\d+)?", quote):
        whole, _, cents = token.partition(",")
        found.add(float(whole.replace(".", "") + ("." + cents if cents else "")))
    return found


def test_every_amount_matches_its_quote_or_has_a_doubt(data):
    rows = data.begroting[data.begroting["bedrag_eur"].notna()]
    unexplained = [
        (r.agenda_id, r.regel, r.bedrag_eur, r.bron_citaat) for r in rows.itertuples()
        if r.bedrag_eur not in _amounts_in(r.bron_citaat) and pd.isna(r.twijfel)
    ]
    assert unexplained == []
    # ...and the check is real: the typo row does not match its quote.
    typo = rows[rows["bron_citaat"].str.contains("€25.00,-", regex=False)]
    assert len(typo) == 1 and typo["bedrag_eur"].iloc[0] not in _amounts_in(typo["bron_citaat"].iloc[0])


@pytest.mark.parametrize("needle, expect_amount", [
    ("€25.00,-", 25000.0),                                  # Hoogeveen typo
    ("komt er zicht op de totale begroting", None),         # Alkmaar total not yet known
    ("Voorlopig : €134.478,-", 134478.0),                   # Leiden provisional
    ("Gemeentelijke middelen € 00.000,00", None),           # Meppel template placeholder
    ("588 uren extra inzet kansencoach", 49980.0),          # Meppel 588 h x €85 next to the €50,000 maximum
    ("588 uur x € 85,- €50.000,-", 50000.0),
])
def test_named_doubts_are_flagged(data, needle, expect_amount):
    rows = data.begroting[data.begroting["bron_citaat"].map(_norm).str.contains(needle, regex=False)]
    assert len(rows) >= 1
    flagged = rows[rows["twijfel"].notna()]
    assert len(flagged) >= 1
    amounts = flagged["bedrag_eur"]
    if expect_amount is None:
        assert amounts.isna().all()
    else:
        assert expect_amount in set(amounts)


def test_leiden_cofinancing_gka_part_unknown(data):
    rows = data.begroting[(data.begroting["interventie_id"] == "GM0546-2019-I1") & (data.begroting["financier"] == "GKA")]
    assert len(rows) == 1 and pd.isna(rows["bedrag_eur"].iloc[0]) and rows["status"].iloc[0] == "onbekend"
    assert pd.notna(rows["twijfel"].iloc[0])


# Per agenda: (ingevulde interventies+experimenten, lege sjabloonblokken, GKA-euros, totaal stated in the seed)
EXPECTED_BLOCKS = {HOOGEVEEN: (3, 1), ALKMAAR: (1, 1), AMERSFOORT: (1, 2), MEPPEL: (2, 0), LEIDEN: (4, 0)}


@pytest.mark.parametrize("gemeente, counts", EXPECTED_BLOCKS.items())
def test_blocks_with_content_and_empty_template_blocks(data, gemeente, counts):
    blocks = agenda.interventies_met_gemeente(data)
    blocks = blocks[blocks["gemeente_code"] == gemeente]
    filled = blocks[blocks["ingevuld"] & blocks["soort"].isin(["interventie", "experiment"])]
    empty = blocks[~blocks["ingevuld"].astype(bool)]
    assert (len(filled), len(empty)) == counts
    assert empty["naam"].isna().all()
    assert not data.begroting["interventie_id"].isin(empty["interventie_id"]).any()


def test_meppel_gka_rows_add_up_to_the_stated_agenda_total(data):
    b = data.begroting[data.begroting["agenda_id"] == "GM0119-2022"]
    counted_gka = b[b["telt_mee"] & (b["financier"] == "GKA")]["bedrag_eur"].sum()
    stated = b[b["interventie_id"].isna() & (b["financier"] == "GKA")]["bedrag_eur"]
    assert set(stated) == {100000.0}
    assert counted_gka == 100000.0


def _extract(gemeente: str) -> pd.DataFrame:
    path = next(EXTRACTS.glob(f"{gemeente}_*_kwb2024_gemeente_wijk_buurt.csv"))
    return pd.read_csv(path, dtype={"Codering_3": str})


def test_doelgebied_codes_exist_in_kwb_2024_with_that_name(data):
    areas = data.doelgebieden.merge(
        agenda.interventies_met_gemeente(data)[["interventie_id", "gemeente_code"]], on="interventie_id")
    for gemeente, group in areas.groupby("gemeente_code"):
        kwb = _extract(gemeente).set_index("Codering_3")["WijkenEnBuurten_naam"].str.strip()
        for r in group.itertuples():
            assert r.gebiedscode in kwb.index, r.gebiedscode
            assert kwb[r.gebiedscode] == r.gebiedsnaam


def test_meppel_buurten_in_haveltermade(data):
    kwb = _extract(MEPPEL).set_index("Codering_3")
    named = data.doelgebieden[data.doelgebieden["gebiedscode"].str.startswith("BU0119")]
    assert set(named["gebiedscode"]) == {"BU01190201", "BU01190202"}
    assert set(kwb.loc[["BU01190201", "BU01190202"], "WijkenEnBuurten_naam"]) == {"Staatsliedenbuurt", "Zeeheldenbuurt"}
    # both buurten lie in wijk WK011902 Haveltermade
    assert kwb.loc["WK011902", "WijkenEnBuurten_naam"] == "Haveltermade"
    assert (named["matching"] == "genoemd").all()


def test_leiden_zuid_west_and_de_mors_are_cbs_wijken_with_reasoning(data):
    rows = data.doelgebieden[data.doelgebieden["interventie_id"] == "GM0546-2019-I3"].set_index("gebiedscode")
    assert set(rows.index) == {"WK054605", "WK054606"}
    assert (rows["matching"] == "afgeleid").all()
    assert rows["toelichting"].str.len().min() > 100


def test_hoogeveen_unnamed_wijken_whole_gemeente_flagged(data):
    row = data.doelgebieden[data.doelgebieden["interventie_id"] == "GM0118-2019-I2"]
    assert list(row["gebiedscode"]) == [HOOGEVEEN]
    assert row["matching"].iloc[0] == "hele_gemeente" and bool(row["gebied_onbepaald"].iloc[0])


def test_named_schools_recorded_with_their_gemeente(data):
    scholen = data.scholen
    named = scholen.dropna(subset=["school_naam"])
    assert {"Praktijkschool De Viaan", "Van der Meij College", "Jan Arentsz"} <= set(named["school_naam"])
    assert {"Beatrixschool", "Het Avontuur", "De Plataan"} <= set(named["school_naam"])
    amersfoort = scholen[scholen["gemeente_code"] == AMERSFOORT]
    assert len(amersfoort) == 1 and amersfoort["school_naam"].isna().all()  # agenda names none


def test_readme_lists_every_flagged_doubt(data):
    readme = (paths.AGENDA_DIR / "README.md").read_text(encoding="utf-8")
    for note in data.begroting["twijfel"].dropna():
        assert _norm(note) in _norm(readme)


def test_readme_column_reference_is_the_generated_one():
    readme = (paths.AGENDA_DIR / "README.md").read_text(encoding="utf-8")
    assert agenda.columns_markdown().strip() in readme
