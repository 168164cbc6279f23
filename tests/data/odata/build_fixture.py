"""Rebuild the CBS OData fixture for 85984NED (KWB 2024) from ../shared/cbs.

Run from the repository root::

    python tests/data/odata/build_fixture.py [path/to/shared/cbs]

Writes, next to this file, the JSON that ``tests/odata_stub.py`` serves:

- ``85984NED/TableInfos.json``, ``85984NED/DataProperties.json``: the recorded metadata, unchanged
  (``../shared/cbs/odata_fixtures/``).
- ``85984NED/TypedDataSet.json``: one OData v3 row per region, every topic key of DataProperties
  present. Values are real: population, age and herkomst from
  ``extracts/kwb2024_nl_alle_niveaus_85984NED.csv`` (StatLine export, raw OData keys); for the two
  target gemeenten also the woonikveilig KWB 2024 values (``wiv_*`` columns of
  ``extracts/<GM>_kwb2024_gemeente_wijk_buurt.csv``) under their OData keys (see ``WIV_KEYS``).
  Every value we do not have is JSON ``null``, as CBS publishes secret or unknown values in
  TypedDataSet; the NL row's IndelingswijzigingGemeenteWijkBuurt (StatLine ".") is null too.
  Text is padded as CBS pads it (keys and codes to 10 characters, the gemeente name to 40).
- ``85984NED/WijkenEnBuurten.json``: the region dimension (Key padded, Title, Description,
  Municipality, DetailRegionCode) for the same regions.

Regions: Nederland, Meppel GM0119 and Leiden GM0546 with all their wijken and buurten, plus
"decoys" from other gemeenten whose codes contain "0119" or "0546" further on (e.g. BU05180546 in
Den Haag) and their gemeenten, so that a sloppy region filter returns rows it should not.

Data: CBS open data, CC BY 4.0 (source: CBS).
"""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
TABLE = "85984NED"
TARGETS = {"GM0119": "GM0119_Meppel", "GM0546": "GM0546_Leiden"}
DECOYS = ["BU05180546", "BU18590119", "BU17210119", "GM0518", "GM1859"]

# woonikveilig column -> 85984NED OData key (same CBS figures under renamed keys).
WIV_KEYS = {
    "wiv_huishoudens": "HuishoudensTotaal_29",
    "wiv_huishoudensgrootte": "GemiddeldeHuishoudensgrootte_33",
    "wiv_dichtheid": "Bevolkingsdichtheid_34",
    "wiv_wozWaarde": "GemiddeldeWOZWaardeVanWoningen_39",
    "wiv_eengezinswoning": "PercentageEengezinswoning_40",
    "wiv_koopwoningen": "Koopwoningen_47",
    "wiv_inkomenPerInwoner": "GemiddeldInkomenPerInwoner_83",
    "wiv_afstandSchool": "AfstandTotSchool_120",
    "wiv_scholenBinnen3km": "ScholenBinnen3Km_121",
    "wiv_stedelijkheid": "MateVanStedelijkheid_127",
}
TEXT_WIDTH = {"Gemeentenaam_1": 40, "SoortRegio_2": 10, "Codering_3": 10}
KEY_WIDTH = 10


def _value(raw, datatype: str):
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw in ("", "."):
        return None
    if datatype == "String":
        return str(raw)
    number = float(raw)
    if datatype == "Long" and number.is_integer():
        return int(number)
    return number


def _write_rows(path: Path, rows: list[dict]) -> None:
    """A JSON array with one row per line (small diffs, still plain JSON)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")


def build(shared_cbs: Path) -> None:
    out = HERE / TABLE
    out.mkdir(parents=True, exist_ok=True)
    for name in ("TableInfos", "DataProperties"):
        shutil.copyfile(shared_cbs / "odata_fixtures" / f"{TABLE}_{name}.json", out / f"{name}.json")
    props = json.loads((out / "DataProperties.json").read_text(encoding="utf-8"))
    topics = {p["Key"]: p["Datatype"] for p in props if p["Type"] == "Topic"}

    nl = pd.read_csv(shared_cbs / "extracts" / "kwb2024_nl_alle_niveaus_85984NED.csv", dtype=str,
                     keep_default_na=False)
    nl["ID"] = range(len(nl))  # position in the national table, as CBS numbers its rows
    codes = nl["Codering_3"]
    keep = (codes.eq("NL00") | codes.str[2:6].isin([t[2:] for t in TARGETS]) | codes.isin(DECOYS))
    rows = nl[keep].copy()
    extra = pd.concat(
        [pd.read_csv(shared_cbs / "extracts" / f"{stem}_kwb2024_gemeente_wijk_buurt.csv", dtype=str)
         for stem in TARGETS.values()]
    )[["Codering_3", *WIV_KEYS]].rename(columns=WIV_KEYS)
    rows = rows.merge(extra, on="Codering_3", how="left", validate="one_to_one")

    typed, dimension = [], []
    for rec in rows.to_dict("records"):
        code = rec["Codering_3"]
        key = code.ljust(KEY_WIDTH)
        row = {"ID": int(rec["ID"]), "WijkenEnBuurten": key}
        for topic, datatype in topics.items():
            value = _value(rec.get(topic), datatype)
            if isinstance(value, str) and topic in TEXT_WIDTH:
                value = value.ljust(TEXT_WIDTH[topic])
            row[topic] = value
        typed.append(row)
        gm = rec["gemeentecode"] or None
        dimension.append({"Key": key, "Title": rec["WijkenEnBuurten_naam"], "Description": None,
                          "Municipality": gm, "DetailRegionCode": code})

    _write_rows(out / "TypedDataSet.json", typed)
    _write_rows(out / "WijkenEnBuurten.json", dimension)
    print(f"{len(typed)} rows, {len(topics)} topics -> {out}")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[3].parent / "shared" / "cbs"
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
