"""Read CSV files exported from CBS StatLine ("Kerncijfers wijken en buurten").

A StatLine export is ';'-separated, UTF-8 with a BOM, pads text with spaces, writes '.' for
secret/unknown and names each column by its topic path and unit, e.g.
``Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)``. The path is matched against the CBS
topic tree (recorded ``DataProperties``), which gives the OData key, whose stem maps to a
catalogue id (DESIGN §5).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gka_dash import indicators

# CBS secret/unknown markers (CBS_RULES.md §1, §3) and the Wijk- en Buurtkaart sentinels.
MISSING_MARKERS = (".", "x", "X", "", "-")
MISSING_SENTINELS = (-99997, -99995, -99991)

_UNIT_SUFFIX = re.compile(r"\s*\(([^()]*)\)\s*$")
_KEY_SUFFIX = re.compile(r"_\d+$")

REGION_COLUMN = "Wijken en buurten"
CODE_TOPIC = "Regioaanduiding/Codering"
NAME_TOPIC = "Regioaanduiding/Gemeentenaam"
KIND_TOPIC = "Regioaanduiding/Soort regio"

SOORT_REGIO_TO_NIVEAU = {"Land": "land", "Gemeente": "gemeente", "Wijk": "wijk", "Buurt": "buurt"}


def key_stem(key: str) -> str:
    """``k_0Tot15Jaar_8`` -> ``k_0Tot15Jaar``: the suffix changes per year, the stem does not."""
    return _KEY_SUFFIX.sub("", key)


@dataclass(frozen=True)
class Topic:
    key: str
    path: str
    unit: str | None

    @property
    def stem(self) -> str:
        return key_stem(self.key)


def topics_from_data_properties(records: list[dict]) -> list[Topic]:
    """Build the topic paths (``Group/Sub/Title``) from recorded OData DataProperties."""
    by_id = {rec["ID"]: rec for rec in records}

    def _path(rec: dict) -> str:
        parts = [rec["Title"].strip()]
        parent = rec.get("ParentID")
        while parent is not None:
            parts.append(by_id[parent]["Title"].strip())
            parent = by_id[parent].get("ParentID")
        return "/".join(reversed(parts))

    return [
        Topic(rec["Key"], _normalise_title(_path(rec)), rec.get("Unit"))
        for rec in records
        if rec.get("Type") == "Topic" and rec.get("Key")
    ]


def load_topics(path: Path) -> list[Topic]:
    """Read topics from a DataProperties JSON (a list) or the compact CSV the snapshot ships."""
    if path.suffix == ".json":
        return topics_from_data_properties(json.loads(path.read_text(encoding="utf-8")))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [Topic(r.key, r.path, r.unit or None) for r in frame.itertuples()]


def write_topics(topics: list[Topic], path: Path) -> None:
    pd.DataFrame([{"key": t.key, "path": t.path, "unit": t.unit or ""} for t in topics]).to_csv(
        path, index=False
    )


def _normalise_title(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def split_header(header: str) -> tuple[str, str | None]:
    """``'Bevolking/Aantal inwoners (aantal)'`` -> ``('Bevolking/Aantal inwoners', 'aantal')``."""
    header = header.lstrip("\ufeff")
    match = _UNIT_SUFFIX.search(header)
    if not match:
        return _normalise_title(header), None
    return _normalise_title(header[: match.start()]), match.group(1).strip()


def read_export(source: str | Path | bytes, encoding: str = "utf-8-sig") -> pd.DataFrame:
    """Read a StatLine CSV export as strings (no parsing of numbers yet)."""
    if isinstance(source, bytes):
        source = io.StringIO(source.decode(encoding))
    return pd.read_csv(
        source, sep=";", dtype=str, keep_default_na=False, encoding=encoding if not isinstance(source, io.StringIO) else None
    )


def to_number(values: pd.Series) -> pd.Series:
    """StatLine text to float: padding stripped, CBS markers and sentinels to NaN (never 0)."""
    text = values.astype("string").str.strip()
    text = text.mask(text.isin(MISSING_MARKERS))
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").astype(float)
    return numbers.mask(numbers.isin(MISSING_SENTINELS))


@dataclass
class ParsedExport:
    """A StatLine export mapped onto stems and catalogue ids."""

    frame: pd.DataFrame  # code, naam, niveau, gemeente_naam + one float column per OData stem
    stems: dict[str, str]  # original header -> stem
    unmatched: list[str]  # headers that match no CBS topic


def parse_export(raw: pd.DataFrame, topics: list[Topic]) -> ParsedExport:
    """Map the headers of a StatLine export to OData stems and parse its values.

    Raises:
        ValueError: when the export has no code column (``Regioaanduiding/Codering``); StatLine
            only includes it when the user ticks it, and without it rows cannot be joined.
    """
    by_path = {t.path: t for t in topics}
    stems: dict[str, str] = {}
    unmatched: list[str] = []
    columns: dict[str, pd.Series] = {}
    code_column = None
    for header in raw.columns:
        path, _unit = split_header(header)
        if path == CODE_TOPIC:
            code_column = header
            continue
        if header.lstrip("\ufeff") == REGION_COLUMN:
            continue
        topic = by_path.get(path)
        if topic is None:
            unmatched.append(header)
            continue
        stems[header] = topic.stem
    if code_column is None:
        raise ValueError(
            "kolom 'Regioaanduiding/Codering (code)' ontbreekt; kies in StatLine bij "
            "'Regioaanduiding' ook 'Codering' en download opnieuw"
        )
    text_stems = {key_stem(t.key) for t in topics if t.unit in ("naam", "omschrijving", "code")}
    for header, stem in stems.items():
        if stem in text_stems:
            columns[stem] = raw[header].astype("string").str.strip()
        else:
            columns[stem] = to_number(raw[header])
    frame = pd.DataFrame(columns)
    frame.insert(0, "code", raw[code_column].astype("string").str.strip())
    frame.insert(1, "naam", raw[REGION_COLUMN].astype("string").str.strip() if REGION_COLUMN in raw else pd.NA)
    if "SoortRegio" in frame:
        frame["niveau"] = frame["SoortRegio"].map(SOORT_REGIO_TO_NIVEAU)
    else:
        frame["niveau"] = frame["code"].map(niveau_from_code)
    return ParsedExport(frame=frame, stems=stems, unmatched=unmatched)


def niveau_from_code(code: str) -> str | None:
    prefix = str(code)[:2]
    return {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}.get(prefix)


def gemeente_code_of(code: str) -> str | None:
    """The gemeente of a CBS region code (GM0546, WK054601, BU05460101 -> GM0546)."""
    code = str(code)
    if code[:2] in ("GM", "WK", "BU") and len(code) >= 6:
        return "GM" + code[2:6]
    return None


def wijk_code_of(code: str) -> str | None:
    code = str(code)
    return "WK" + code[2:8] if code.startswith("BU") and len(code) == 10 else None


def to_facts(frame: pd.DataFrame, jaar: int, bron: str) -> pd.DataFrame:
    """Wide stems frame -> long facts for every stem the catalogue knows."""
    value_columns = [c for c in frame.columns if c in indicators.CBS_STEMS]
    long = frame.melt(id_vars=["code"], value_vars=value_columns, var_name="stem", value_name="waarde")
    long["indicator"] = long.pop("stem").map(indicators.CBS_STEMS)
    long["jaar"] = int(jaar)
    long["bron"] = bron
    long["waarde"] = long["waarde"].astype(float)
    return long[["code", "indicator", "jaar", "waarde", "bron"]]

