"""Uploads: read real-world CSV/XLSX files and validate them, one pandera schema per kind.

Kinds (:data:`KINDS`):

- ``indicator``: an analyst's own figure per area (``gebiedscode, jaar, indicator, waarde,
  eenheid, bron``), for catalogue ids or new ids of their own.
- ``kwb``: a CSV exported from CBS StatLine (Kerncijfers wijken en buurten), parsed with
  :mod:`gka_dash.statline`; the year is given with the upload.
- ``agenda``: a complete GKA agenda (one or more agendas, every table of
  :data:`gka_dash.agenda.TABLES`), as one .xlsx workbook with a sheet per table or as one CSV per
  table (``begroting.csv`` ...); checked with :func:`gka_dash.agenda.validate_tables`.

Files may be ';', ',' or tab separated, UTF-8 with or without BOM or cp1252, quoted, with
decimal commas and thousands dots, or .xlsx. Every problem is gathered (file, row as a spreadsheet
shows it, column, value, Dutch reason) before a file is rejected; a file with any problem is
rejected whole.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa

from gka_dash import agenda, indicators, paths, statline

KINDS = ("indicator", "kwb", "agenda")
KIND_LABELS = {
    "indicator": "Eigen indicator per gebied",
    "kwb": "CBS Kerncijfers wijken en buurten (StatLine-export)",
    "agenda": "GKA-agenda (alle tabellen)",
}

DEFAULT_MAX_UPLOAD_MB = 20  # as server.maxUploadSize in .streamlit/config.toml
MAX_FIELD_CHARS = 100_000  # a longer cell is not data but an accident (or an attack)
MAX_PROBLEMS = 1_000  # gather at most this many; the report says when there were more
MIN_JAAR = 1990
KWB_TOPICS_FILE = paths.CBS_DIR / "85984NED_topics.csv"
DELIMITERS = (";", "\t", ",")
DELIMITER_NAMES = {";": "puntkomma", "\t": "tab", ",": "komma"}
# Optional agenda tables: a CSV upload may leave them out (they are then empty).
OPTIONAL_AGENDA_TABLES = ("scholen", "afspraken")

# Columns of the indicator upload, described once (template, help text and schema read this).
INDICATOR_COLUMNS: dict[str, dict] = {
    "gebiedscode": {"required": True, "description": "CBS-code van het gebied: GMxxxx, WKxxxxxx of BUxxxxxxxx (KWB 2024)."},
    "jaar": {"required": True, "description": "Jaar waarop de waarde betrekking heeft, bijvoorbeeld 2024."},
    "indicator": {"required": True,
                  "description": "Id van de indicator: een id uit de catalogus of een eigen id in kleine letters "
                                 "met underscores, bijvoorbeeld vve_bereik_pct."},
    "waarde": {"required": True, "description": "Het getal; decimale komma of punt mag, leeg = geen gegevens."},
    "eenheid": {"required": False, "description": "Eenheid, verplicht voor een eigen indicator (bijv. pct, aantal, eur)."},
    "bron": {"required": True, "description": "Waar het getal vandaan komt, bijvoorbeeld 'GGD Jeugdmonitor 2023'."},
}
INDICATOR_KEY = ["gebiedscode", "indicator", "jaar"]
_INDICATOR_ID = r"^[a-z][a-z0-9_]{1,59}$"
# Units whose values cannot be negative; percentages also not above 100.
_NON_NEGATIVE_UNITS = {"aantal", "pct", "per_1000", "x1000_eur", "km", "per_km2", "klasse", "personen", "eur"}


def max_upload_bytes() -> int:
    """Upload size limit in bytes (``GKA_DASH_MAX_UPLOAD_MB``, default 20 MB)."""
    return int(float(os.environ.get("GKA_DASH_MAX_UPLOAD_MB") or DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024)


def max_jaar() -> int:
    return date.today().year + 1


# --------------------------------------------------------------------------- problems and results
@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload; ``rij`` is 1-based as a spreadsheet shows it (header = 1)."""

    bestand: str
    rij: int | None
    kolom: str | None
    waarde: str | None
    reden: str

    def line(self) -> str:
        """``file:row:column: reason`` (the command line's format)."""
        value = f" (waarde '{_short(self.waarde)}')" if self.waarde not in (None, "") else ""
        return f"{self.bestand}:{self.rij or ''}:{self.kolom or ''}: {self.reden}{value}"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with Dutch headers (for the page and for download)."""
    rows = [
        {"bestand": p.bestand, "rij": p.rij, "kolom": p.kolom or "", "waarde": _short(p.waarde or ""), "reden": p.reden}
        for p in problems
    ]
    frame = pd.DataFrame(rows, columns=["bestand", "rij", "kolom", "waarde", "reden"])
    frame["rij"] = frame["rij"].astype("Int64")
    return frame


def _short(text: str | None, limit: int = 80) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Validated:
    """The outcome of validating one upload.

    ``facts`` (kinds indicator and kwb): ``code, indicator, jaar, waarde, eenheid, bron``.
    ``tables`` (kind agenda): one frame per agenda table, as text/typed values.
    """

    kind: str
    filename: str
    problems: list[Problem] = field(default_factory=list)
    facts: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] | None = None
    notes: list[str] = field(default_factory=list)
    jaar: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        if self.facts is not None:
            return len(self.facts)
        return sum(len(t) for t in (self.tables or {}).values())


class _Collector:
    def __init__(self, bestand: str):
        self.bestand = bestand
        self.problems: list[Problem] = []

    def add(self, rij, kolom, waarde, reden) -> None:
        self.problems.append(Problem(self.bestand, None if rij is None else int(rij), kolom,
                                     None if waarde is None else str(waarde), reden))


# --------------------------------------------------------------------------- reading files
@dataclass
class Table:
    """A file read as text: ``frame`` holds strings, its index is the spreadsheet row number."""

    frame: pd.DataFrame
    decimal: str  # the file's likely decimal separator ('.' or ',')
    description: str  # e.g. "CSV, puntkomma, UTF-8 met BOM"


def read_table(data: bytes, filename: str, sheet: str | int = 0) -> tuple[Table | None, list[Problem]]:
    """Read a CSV or XLSX upload as text, sniffing the encoding and delimiter.

    Returns:
        The table (``None`` when it cannot be read) and the problems found while reading.
    """
    out = _Collector(filename)
    if len(data) > max_upload_bytes():
        out.add(None, None, None, f"het bestand is te groot ({len(data) / 1e6:.1f} MB); "
                f"de grens is {max_upload_bytes() / 1e6:.0f} MB")
        return None, out.problems
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        out.add(None, None, None, "het bestand is leeg")
        return None, out.problems
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, filename, sheet, out)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        out.add(None, None, None, "dit is het oude Excel-formaat (.xls); sla het op als .xlsx of als CSV")
        return None, out.problems
    text, encoding = _decode(data)
    if text is None or _looks_binary(text):
        out.add(None, None, None, "dit is geen tekstbestand (CSV) en geen Excel-bestand (.xlsx)")
        return None, out.problems
    return _read_csv_text(text, encoding, out)


def _decode(data: bytes) -> tuple[str | None, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "UTF-8 met BOM"
        except UnicodeDecodeError:
            return None, ""
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return None, ""


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    return "\x00" in sample or control > max(2, len(sample) // 200)


def _sniff_delimiter(lines: list[str]) -> str:
    """The candidate that splits the header into most columns, consistently over the next lines."""
    best, best_score = ";", (0, 0)
    for delimiter in DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(1 for row in rows[1:] if len(row) == width)
        score = (int(width > 1), consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv_text(text: str, encoding: str, out: _Collector) -> tuple[Table | None, list[Problem]]:
    csv.field_size_limit(MAX_FIELD_CHARS)
    head = [line for line in text.splitlines()[:30] if len(line) <= MAX_FIELD_CHARS]
    delimiter = _sniff_delimiter(head or [""])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    numbers: list[int] = []
    width = None
    try:
        for number, record in enumerate(reader, start=1):
            if width is None:
                if not any(cell.strip() for cell in record):
                    continue  # leading empty lines
                width = len(record)
                header = record
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank lines, also the trailing one Excel writes
            if len(record) != width:
                out.add(number, None, None, f"deze rij heeft {len(record)} velden, de kopregel {width}; "
                        f"controleer het scheidingsteken ({DELIMITER_NAMES[delimiter]}) en de aanhalingstekens")
                if len(out.problems) >= MAX_PROBLEMS:
                    break
                continue
            records.append(record)
            numbers.append(number)
    except csv.Error as exc:
        row = reader.line_num or None
        reason = (f"een veld is langer dan {MAX_FIELD_CHARS:,} tekens".replace(",", ".")
                  if "field larger" in str(exc) else f"het bestand kan niet gelezen worden ({exc})")
        out.add(row, None, None, reason)
        return None, out.problems
    if width is None:
        out.add(None, None, None, "het bestand is leeg")
        return None, out.problems
    if out.problems:
        return None, out.problems
    columns = [c.strip().lstrip("\ufeff") for c in header]
    frame = pd.DataFrame(records, columns=columns, index=pd.Index(numbers, name="rij"), dtype=object)
    decimal = "," if delimiter in (";", "\t") else "."
    description = f"CSV, {DELIMITER_NAMES[delimiter]} als scheidingsteken, {encoding}"
    return Table(frame, decimal, description), out.problems


def _read_xlsx(data: bytes, filename: str, sheet, out: _Collector) -> tuple[Table | None, list[Problem]]:
    frames = read_workbook(data, filename, out)
    if frames is None:
        return None, out.problems
    if isinstance(sheet, int):
        name = list(frames)[sheet] if len(frames) > sheet else None
    else:
        name = sheet if sheet in frames else None
    if name is None:
        out.add(None, None, None, f"werkblad '{sheet}' ontbreekt in de werkmap")
        return None, out.problems
    return Table(frames[name], ".", f"Excel-werkmap, blad '{name}'"), out.problems


def read_workbook(data: bytes, filename: str, out: _Collector | None = None) -> dict[str, pd.DataFrame] | None:
    """Every sheet of an .xlsx as text frames (index = spreadsheet row), or None when unreadable."""
    out = out or _Collector(filename)
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=None, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same problem to the user
        out.add(None, None, None, f"het Excel-bestand kan niet gelezen worden ({type(exc).__name__})")
        return None
    frames = {}
    for name, sheet in sheets.items():
        sheet = sheet.fillna("")
        filled = sheet[sheet.apply(lambda r: any(str(v).strip() for v in r), axis=1)]
        if filled.empty:
            frames[str(name)] = pd.DataFrame(dtype=object)
            continue
        header_index = filled.index[0]
        header = [str(v).strip() for v in sheet.loc[header_index]]
        body = filled.loc[filled.index > header_index]
        keep = [i for i, c in enumerate(header) if c]  # Excel often carries empty trailing columns
        body = body.iloc[:, keep]
        body.columns = [header[i] for i in keep]
        body.index = pd.Index([int(i) + 1 for i in body.index], name="rij")
        frames[str(name)] = body.astype(object).map(_xlsx_text)
    return frames


def _xlsx_text(value) -> str:
    text = str(value)
    # openpyxl gives whole numbers stored as floats as '2024.0'
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


# --------------------------------------------------------------------------- numbers
def _number_text(value: str) -> str:
    return value.replace("\u00a0", "").replace(" ", "").replace("€", "").strip()


def column_decimal(values: pd.Series, default: str) -> str:
    """The decimal separator a column uses: evidence from its values, else the file's default."""
    text = values.astype(str).map(_number_text)
    comma = text.str.contains(r"^[+-]?[\d.]*\d,(?:\d{1,2}|\d{4,})$", regex=True).any() or \
        text.str.contains(r"\.\d{3},\d+$", regex=True).any()
    dot = text.str.contains(r"^[+-]?[\d,]*\d\.(?:\d{1,2}|\d{4,})$", regex=True).any() or \
        text.str.contains(r",\d{3}\.\d+$", regex=True).any() or \
        text.str.contains(r"^[+-]?0\.\d+$", regex=True).any()
    if comma and not dot:
        return ","
    if dot and not comma:
        return "."
    return default


def parse_number(value: str, decimal: str) -> float | None:
    """Text as written in a Dutch or English spreadsheet -> float; '' -> NaN; None if not a number."""
    text = _number_text(str(value))
    if text == "":
        return np.nan
    thousands = "." if decimal == "," else ","
    if thousands in text:
        integer = text.split(decimal)[0].lstrip("+-")
        if not re.fullmatch(r"\d{1,3}(?:" + re.escape(thousands) + r"\d{3})+", integer):
            return None
        text = text.replace(thousands, "")
    text = text.replace(decimal, ".")
    if not re.fullmatch(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", text):
        return None
    number = float(text)
    return number if np.isfinite(number) else None


def _parse_numbers(values: pd.Series, default_decimal: str) -> tuple[pd.Series, pd.Series]:
    """Parse a text column; returns (floats, mask of values that are not numbers)."""
    decimal = column_decimal(values, default_decimal)
    parsed = values.map(lambda v: parse_number(v, decimal))
    bad = parsed.isna() & values.astype(str).map(_number_text).ne("")
    return parsed.astype(float), bad


# --------------------------------------------------------------------------- the indicator kind
def indicator_schema(known_codes: set[str]) -> pa.DataFrameSchema:
    """pandera schema of a typed indicator upload (after numbers and years are parsed)."""
    catalogue = indicators.CATALOGUE

    def _non_negative(frame: pd.DataFrame) -> pd.Series:
        units = frame["indicator"].map(lambda i: catalogue[i].unit if i in catalogue else None)
        units = units.where(units.notna(), frame["eenheid"].str.lower())
        negative = frame["waarde"].lt(0) & units.isin(_NON_NEGATIVE_UNITS)
        return ~negative

    def _max_pct(frame: pd.DataFrame) -> pd.Series:
        units = frame["indicator"].map(lambda i: catalogue[i].unit if i in catalogue else None)
        units = units.where(units.notna(), frame["eenheid"].str.lower())
        return ~(frame["waarde"].gt(100) & units.eq("pct"))

    def _unit_for_custom(frame: pd.DataFrame) -> pd.Series:
        custom = ~frame["indicator"].isin(list(catalogue))
        return ~(custom & frame["eenheid"].fillna("").str.strip().eq(""))

    def _unit_matches(frame: pd.DataFrame) -> pd.Series:
        expected = frame["indicator"].map(lambda i: catalogue[i].unit if i in catalogue else None)
        given = frame["eenheid"].fillna("").str.strip()
        labels = frame["indicator"].map(lambda i: catalogue[i].unit_label if i in catalogue else None)
        return expected.isna() | given.eq("") | given.eq(expected) | given.eq(labels)

    def _not_derived(series: pd.Series) -> pd.Series:
        return ~series.map(lambda i: i in catalogue and catalogue[i].is_derived)

    return pa.DataFrameSchema(
        {
            "gebiedscode": pa.Column(str, pa.Check(lambda s: s.isin(known_codes), element_wise=False,
                                                   error="onbekende_code")),
            "jaar": pa.Column(int, pa.Check.in_range(MIN_JAAR, max_jaar(), error="jaar_onwaarschijnlijk")),
            "indicator": pa.Column(str, [pa.Check.str_matches(_INDICATOR_ID, error="indicator_vorm"),
                                         pa.Check(_not_derived, error="indicator_afgeleid")]),
            "waarde": pa.Column(float, nullable=True),
            "eenheid": pa.Column(str, nullable=True),
            "bron": pa.Column(str, pa.Check.str_length(min_value=1, error="bron_leeg")),
        },
        checks=[
            pa.Check(_non_negative, error="negatief"),
            pa.Check(_max_pct, error="pct_boven_100"),
            pa.Check(_unit_for_custom, error="eenheid_ontbreekt"),
            pa.Check(_unit_matches, error="eenheid_wijkt_af"),
        ],
        unique=INDICATOR_KEY,
        report_duplicates="all",
        name="indicator",
    )


_REASONS = {
    "onbekende_code": ("gebiedscode", "deze CBS-code bestaat niet in de KWB 2024-indeling van de snapshot "
                                      "(gebruik GMxxxx, WKxxxxxx of BUxxxxxxxx zonder spaties)"),
    "jaar_onwaarschijnlijk": ("jaar", f"dit jaar is niet aannemelijk; gebruik een jaar van {MIN_JAAR} tot en met "
                                      f"{max_jaar()}"),
    "indicator_vorm": ("indicator", "een indicator-id bestaat uit kleine letters, cijfers en underscores "
                                    "(2-60 tekens), bijvoorbeeld vve_bereik_pct"),
    "indicator_afgeleid": ("indicator", "dit aandeel berekent het dashboard zelf uit aantallen; upload de aantallen"),
    "bron_leeg": ("bron", "de bron is leeg; elk getal heeft een bron nodig"),
    "negatief": ("waarde", "een negatieve waarde kan niet bij deze eenheid"),
    "pct_boven_100": ("waarde", "een percentage kan niet boven 100 liggen"),
    "eenheid_ontbreekt": ("eenheid", "een eigen indicator (niet in de catalogus) heeft een eenheid nodig"),
    "eenheid_wijkt_af": ("eenheid", "wijkt af van de eenheid in de catalogus"),
}


def validate_indicator(data: bytes, filename: str) -> Validated:
    """Validate an ``indicator`` upload; see :data:`INDICATOR_COLUMNS`."""
    result = Validated("indicator", filename)
    table, problems = read_table(data, filename)
    result.problems.extend(problems)
    if table is None:
        return result
    out = _Collector(filename)
    frame = _normalise_headers(table.frame)
    _require_columns(frame, INDICATOR_COLUMNS, out)
    if out.problems:
        result.problems.extend(out.problems)
        return result
    if frame.empty:
        out.add(None, None, None, "het bestand heeft een kopregel maar geen gegevensrijen")
        result.problems.extend(out.problems)
        return result
    if "eenheid" not in frame:
        frame["eenheid"] = ""
    text = frame[list(INDICATOR_COLUMNS)].map(lambda v: str(v).strip())
    text["gebiedscode"] = text["gebiedscode"].str.upper()
    for column in ("gebiedscode", "jaar", "indicator", "bron"):
        for rij in text.index[text[column].eq("")]:
            out.add(rij, column, "", "dit veld is verplicht en is leeg")
    waarde, bad = _parse_numbers(text["waarde"], table.decimal)
    for rij in text.index[bad]:
        out.add(rij, "waarde", text.at[rij, "waarde"], "is geen getal; schrijf bijvoorbeeld 12,5 of 1.234")
    jaar_ok = text["jaar"].str.fullmatch(r"\d{4}")
    for rij in text.index[~jaar_ok & text["jaar"].ne("")]:
        out.add(rij, "jaar", text.at[rij, "jaar"], "is geen jaartal; schrijf vier cijfers, bijvoorbeeld 2024")
    typed = pd.DataFrame({
        "gebiedscode": text["gebiedscode"].astype(str),
        "jaar": pd.to_numeric(text["jaar"].where(jaar_ok, "0"), errors="coerce").fillna(0).astype(int),
        "indicator": text["indicator"].astype(str),
        "waarde": waarde,
        "eenheid": text["eenheid"].astype(str),
        "bron": text["bron"].astype(str),
    }, index=text.index)
    parse_problems = {(p.rij, p.kolom) for p in out.problems}
    try:
        indicator_schema(known_codes()).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        checked = _Collector(filename)
        _pandera_problems(err.failure_cases, typed, checked)
        # a value that could not be parsed is reported once, not again by the schema
        out.problems.extend(p for p in checked.problems if (p.rij, p.kolom) not in parse_problems)
    result.problems.extend(sorted(out.problems, key=_order))
    if result.ok:
        result.facts = pd.DataFrame({
            "code": typed["gebiedscode"], "indicator": typed["indicator"], "jaar": typed["jaar"],
            "waarde": typed["waarde"], "eenheid": typed["eenheid"].where(typed["eenheid"].ne(""), typed["indicator"].map(
                lambda i: indicators.CATALOGUE[i].unit if i in indicators.CATALOGUE else "")),
            "bron": typed["bron"],
        }).reset_index(drop=True)
    return result


def _order(problem: Problem) -> tuple:
    return (problem.bestand, problem.rij or 0, problem.kolom or "")


def _pandera_problems(cases: pd.DataFrame, frame: pd.DataFrame, out: _Collector) -> None:
    seen = set()
    for case in cases.itertuples(index=False):
        check, index = str(case.check), case.index
        if check == "column_in_dataframe":
            out.add(None, str(case.failure_case), None, "verplichte kolom ontbreekt")
            continue
        if index is None or pd.isna(index):
            out.add(None, case.column, None, f"controle '{check}' mislukt")
            continue
        rij = int(index)
        if check == "multiple_fields_uniqueness":
            key = ("dubbel", rij)
            if key in seen:
                continue
            seen.add(key)
            values = ", ".join(str(frame.at[rij, c]) for c in INDICATOR_KEY)
            out.add(rij, ", ".join(INDICATOR_KEY), values,
                    "deze combinatie van gebiedscode, indicator en jaar komt vaker voor in het bestand")
            continue
        column, reason = _REASONS.get(check, (case.column, f"voldoet niet aan controle '{check}'"))
        key = (column, rij, check)
        if key in seen:
            continue
        seen.add(key)
        value = frame.at[rij, column] if column in frame.columns else case.failure_case
        out.add(rij, column, _format_value(value), reason)


def _format_value(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _normalise_headers(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(c).strip().lstrip("\ufeff").lower() for c in frame.columns]
    return frame


def _require_columns(frame: pd.DataFrame, spec: dict[str, dict], out: _Collector) -> None:
    """Required columns via pandera (presence only); a single column hints at a wrong delimiter."""
    schema = pa.DataFrameSchema({name: pa.Column(object, required=meta["required"]) for name, meta in spec.items()})
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        missing = err.failure_cases.loc[err.failure_cases["check"] == "column_in_dataframe", "failure_case"]
        hint = ""
        if len(frame.columns) == 1:
            hint = ("; het bestand lijkt maar één kolom te hebben — gebruik puntkomma, komma of tab als "
                    "scheidingsteken")
        for name in missing:
            out.add(1, str(name), None, f"verplichte kolom '{name}' ontbreekt in de kopregel{hint}")
    duplicated = pd.Index(frame.columns)[pd.Index(frame.columns).duplicated()]
    for name in sorted(set(duplicated)):
        out.add(1, name, None, "deze kolom staat meer dan eens in de kopregel")


# --------------------------------------------------------------------------- the kwb kind
def validate_kwb(data: bytes, filename: str, jaar: int | None) -> Validated:
    """Validate a CBS StatLine export (Kerncijfers wijken en buurten) of year ``jaar``."""
    result = Validated("kwb", filename, jaar=jaar)
    out = _Collector(filename)
    if jaar is None:
        out.add(None, None, None, "geef het jaar van de KWB-tabel op (bijvoorbeeld 2024)")
    elif not MIN_JAAR <= int(jaar) <= max_jaar():
        out.add(None, None, str(jaar), f"jaar {jaar} is niet aannemelijk ({MIN_JAAR}-{max_jaar()})")
    table, problems = read_table(data, filename)
    result.problems.extend(problems)
    if table is None or out.problems:
        result.problems.extend(out.problems)
        return result
    raw = table.frame
    try:
        parsed = statline.parse_export(raw, statline.load_topics(KWB_TOPICS_FILE))
    except ValueError as exc:
        out.add(1, statline.CODE_TOPIC, None, str(exc))
        result.problems.extend(out.problems)
        return result
    known_stems = {stem for stem in parsed.stems.values() if stem in indicators.CBS_STEMS}
    if not known_stems:
        out.add(1, None, None, "geen enkele kolom komt overeen met een indicator van het dashboard; "
                "kies in StatLine bijvoorbeeld 'Bevolking/Aantal inwoners'")
    if raw.empty:
        out.add(None, None, None, "het bestand heeft een kopregel maar geen gegevensrijen")
    frame = parsed.frame
    frame.index = raw.index
    codes = frame["code"].astype(str)
    known = known_codes()
    for rij in frame.index[~codes.isin(known)]:
        out.add(rij, statline.CODE_TOPIC, codes[rij], "deze CBS-code bestaat niet in de KWB 2024-indeling van de snapshot")
    for rij in frame.index[codes.duplicated(keep=False)]:
        out.add(rij, statline.CODE_TOPIC, codes[rij], "deze code komt vaker voor in het bestand")
    for header, stem in parsed.stems.items():
        if stem not in indicators.CBS_STEMS:
            continue
        ind = indicators.CATALOGUE[indicators.CBS_STEMS[stem]]
        raw_text = raw[header].astype(str).str.strip()
        if not pd.api.types.is_float_dtype(frame[stem]):
            # a topic CBS types as a code (e.g. stedelijkheid 1-5) is still a number to the dashboard
            frame[stem] = statline.to_number(raw[header])
        values = frame[stem]
        sentinel = raw_text.map(lambda t: parse_number(t, ".") in statline.MISSING_SENTINELS).astype(bool)
        not_number = (values.isna() & ~raw_text.isin(statline.MISSING_MARKERS) & ~sentinel).astype(bool)
        for rij in frame.index[not_number]:
            out.add(rij, header, raw_text[rij], "is geen getal (CBS schrijft '.' voor geheim of onbekend)")
        if ind.unit in _NON_NEGATIVE_UNITS:
            for rij in frame.index[values.lt(0)]:
                out.add(rij, header, raw_text[rij], "een negatieve waarde kan niet bij deze eenheid")
        if len(out.problems) >= MAX_PROBLEMS:
            break
    result.problems.extend(out.problems)
    ignored = [h for h, s in parsed.stems.items() if s not in indicators.CBS_STEMS] + parsed.unmatched
    if ignored:
        result.notes.append("Genegeerde kolommen (geen indicator van het dashboard): " + ", ".join(ignored))
    if result.ok:
        bron = f"CBS KWB {int(jaar)} (upload {filename})"
        facts = statline.to_facts(frame.reset_index(drop=True), int(jaar), bron)
        facts["eenheid"] = facts["indicator"].map(lambda i: indicators.CATALOGUE[i].unit)
        result.facts = facts[["code", "indicator", "jaar", "waarde", "eenheid", "bron"]]
    return result


# --------------------------------------------------------------------------- the agenda kind
_AGENDA_MESSAGE = re.compile(
    r"^(?P<file>[a-z_]+)\.csv(?:, rij (?P<rij>\d+))?(?:, kolom (?P<kolom>[^:]+))?: "
    r"(?:waarde '(?P<waarde>.*?)' )?(?P<reden>.*)$", re.S
)


def validate_agenda(files: list[tuple[str, bytes]]) -> Validated:
    """Validate a complete agenda upload: one .xlsx with a sheet per table, or one CSV per table."""
    names = ", ".join(name for name, _ in files)
    result = Validated("agenda", names)
    files = _expand_zips(files, result)
    raw: dict[str, pd.DataFrame] = {}
    source: dict[str, str] = {}
    for name, data in files:
        if data[:4] == b"PK\x03\x04":
            out = _Collector(name)
            sheets = read_workbook(data, name, out)
            result.problems.extend(out.problems)
            for sheet, frame in (sheets or {}).items():
                table = sheet.strip().lower()
                if table in agenda.TABLES:
                    raw[table], source[table] = frame, f"{name}[{sheet}]"
                else:
                    result.notes.append(f"Werkblad '{sheet}' in {name} is genegeerd (geen agendatabel).")
            continue
        table = os.path.splitext(os.path.basename(name))[0].strip().lower()
        if table not in agenda.TABLES:
            result.problems.append(Problem(name, None, None, None,
                                           "de bestandsnaam moet de tabel noemen: " + ", ".join(
                                               f"{t}.csv" for t in agenda.TABLES)))
            continue
        read, problems = read_table(data, name)
        result.problems.extend(problems)
        if read is not None:
            raw[table], source[table] = _canonical_numbers(table, _normalise_headers(read.frame), read.decimal), name
    if result.problems:
        return result
    for table in OPTIONAL_AGENDA_TABLES:
        if table not in raw:
            raw[table] = pd.DataFrame(columns=agenda.TABLES[table]["fields"], dtype=object)
            source[table] = f"{table}.csv"
    for table, frame in list(raw.items()):
        if source[table].endswith("]"):
            raw[table] = _canonical_numbers(table, _normalise_headers(frame), ".")
    missing = [t for t in agenda.TABLES if t not in raw]
    for table in missing:
        result.problems.append(Problem(names, None, None, None, f"tabel '{table}' ontbreekt (werkblad of {table}.csv)"))
    if result.problems:
        return result
    row_numbers = {t: frame.index.to_list() for t, frame in raw.items()}
    positional = {t: frame.reset_index(drop=True) for t, frame in raw.items()}
    try:
        data = agenda.validate_tables(positional, gebiedscodes=known_codes())
    except agenda.AgendaValidationError as err:
        for message in err.problems:
            result.problems.append(_agenda_problem(message, source, row_numbers))
        return result
    tables = data.tables()
    gm_known = known_codes()
    for i, code in enumerate(tables["gemeenten"]["gemeente_code"]):
        if code not in gm_known:
            rij = row_numbers["gemeenten"][i] if i < len(row_numbers["gemeenten"]) else None
            result.problems.append(Problem(source["gemeenten"], rij, "gemeente_code", code,
                                           "deze gemeentecode bestaat niet in de KWB 2024-indeling"))
    if not len(tables["agendas"]):
        result.problems.append(Problem(source["agendas"], None, None, None, "er staat geen enkele agenda in"))
    if result.ok:
        result.tables = tables
    return result


def _expand_zips(files: list[tuple[str, bytes]], result: Validated) -> list[tuple[str, bytes]]:
    """A .zip of CSV files (the agenda CSV template) becomes its members; .xlsx stays as it is."""
    out = []
    for name, data in files:
        if data[:4] != b"PK\x03\x04":
            out.append((name, data))
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = archive.infolist()
        except zipfile.BadZipFile:
            result.problems.append(Problem(name, None, None, None, "het zip- of Excel-bestand is beschadigd"))
            continue
        if any(m.filename == "[Content_Types].xml" for m in members):
            out.append((name, data))  # an .xlsx workbook
            continue
        if sum(m.file_size for m in members) > 4 * max_upload_bytes():
            result.problems.append(Problem(name, None, None, None, "het zip-bestand is uitgepakt te groot"))
            continue
        for member in members:
            base = os.path.basename(member.filename)
            if member.is_dir() or not base.lower().endswith(".csv") or base.lower() == "toelichting.csv":
                continue
            out.append((f"{name}/{base}", archive.read(member)))
    return out


def _agenda_problem(message: str, source: dict[str, str], rows: dict[str, list[int]]) -> Problem:
    match = _AGENDA_MESSAGE.match(message)
    if not match:
        return Problem(", ".join(sorted(set(source.values()))), None, None, None, message)
    table = match["file"]
    rij = int(match["rij"]) if match["rij"] else None
    if rij is not None and table in rows and 0 <= rij - 2 < len(rows[table]):
        rij = rows[table][rij - 2]  # agenda.py counts positions; map back to the file's own row
    return Problem(source.get(table, f"{table}.csv"), rij, match["kolom"], match["waarde"], match["reden"])


def _canonical_numbers(table: str, frame: pd.DataFrame, decimal: str) -> pd.DataFrame:
    """Rewrite Dutch-formatted numbers ('25.000,50') as '25000.5' so the agenda schema can read them."""
    frame = frame.copy()
    for column in frame.columns:
        spec = agenda.COLUMNS.get(column)
        if not spec or spec["type"] not in ("number", "integer"):
            continue
        values = frame[column].astype(str)
        column_dec = column_decimal(values, decimal)

        def _canon(text: str, dec=column_dec) -> str:
            number = parse_number(text, dec)
            if number is None or (isinstance(number, float) and np.isnan(number)):
                return text  # left as written: the schema reports it with its own message
            return str(int(number)) if number.is_integer() else repr(number)

        frame[column] = values.map(_canon)
    return frame


# --------------------------------------------------------------------------- entry point
def validate(kind: str, files: list[tuple[str, bytes]], jaar: int | None = None) -> Validated:
    """Validate an upload of ``kind``; ``files`` is a list of (file name, content)."""
    if kind not in KINDS:
        raise ValueError(f"onbekende soort upload '{kind}'; kies uit: {', '.join(KINDS)}")
    if not files:
        return Validated(kind, "", [Problem("", None, None, None, "geen bestand gekozen")])
    total = sum(len(data) for _, data in files)
    if total > max_upload_bytes():
        names = ", ".join(name for name, _ in files)
        return Validated(kind, names, [Problem(names, None, None, None,
                                               f"de upload is te groot ({total / 1e6:.1f} MB); de grens is "
                                               f"{max_upload_bytes() / 1e6:.0f} MB")])
    if kind == "agenda":
        return validate_agenda(files)
    if len(files) != 1:
        names = ", ".join(name for name, _ in files)
        return Validated(kind, names, [Problem(names, None, None, None, "kies precies één bestand voor deze soort")])
    name, data = files[0]
    if kind == "indicator":
        return validate_indicator(data, name)
    return validate_kwb(data, name, jaar)


_KNOWN_CODES: set[str] | None = None


def known_codes() -> set[str]:
    """Every CBS code of the snapshot (land, gemeenten, wijken, buurten)."""
    global _KNOWN_CODES
    if _KNOWN_CODES is None:
        from gka_dash import facts

        _KNOWN_CODES = set(facts.load_gebieden()["code"].astype(str))
    return _KNOWN_CODES


# --------------------------------------------------------------------------- templates
TEMPLATE_FORMATS = ("csv", "xlsx")


def template(kind: str, fmt: str = "xlsx") -> tuple[str, bytes]:
    """A downloadable empty template for ``kind``, generated from the schema (file name, content).

    CSV templates are ';'-separated UTF-8 with a BOM (what Dutch Excel reads and writes); the
    agenda CSV template is a zip with one CSV per table. XLSX templates have a sheet per table
    plus a 'toelichting' sheet describing every column.
    """
    if fmt not in TEMPLATE_FORMATS:
        raise ValueError(f"onbekend formaat '{fmt}'; kies uit: {', '.join(TEMPLATE_FORMATS)}")
    sheets = _template_sheets(kind)
    help_rows = _template_help(kind)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for name, columns in sheets.items():
                pd.DataFrame(columns=columns).to_excel(writer, sheet_name=name[:31], index=False)
            help_rows.to_excel(writer, sheet_name="toelichting", index=False)
        return f"sjabloon_{kind}.xlsx", buffer.getvalue()
    if len(sheets) == 1:
        (name, columns), = sheets.items()
        return f"sjabloon_{kind}.csv", _csv_header(columns)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, columns in sheets.items():
            archive.writestr(f"{name}.csv", _csv_header(columns))
        archive.writestr("toelichting.csv", "\ufeff" + help_rows.to_csv(index=False, sep=";"))
    return f"sjabloon_{kind}.zip", buffer.getvalue()


def _csv_header(columns: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(columns)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _template_sheets(kind: str) -> dict[str, list[str]]:
    if kind == "indicator":
        return {"indicator": list(INDICATOR_COLUMNS)}
    if kind == "agenda":
        return {name: list(meta["fields"]) for name, meta in agenda.TABLES.items()}
    if kind == "kwb":
        by_stem = {t.stem: t for t in statline.load_topics(KWB_TOPICS_FILE)}
        code = next(t for t in by_stem.values() if t.path == statline.CODE_TOPIC)
        columns = [statline.REGION_COLUMN, f"{code.path} ({code.unit})"]
        for stem in indicators.CBS_STEMS:
            topic = by_stem.get(stem)
            if topic is not None:
                columns.append(f"{topic.path} ({topic.unit})" if topic.unit else topic.path)
        return {"kwb": columns}
    raise ValueError(f"onbekende soort upload '{kind}'; kies uit: {', '.join(KINDS)}")


def _template_help(kind: str) -> pd.DataFrame:
    rows = []
    if kind == "indicator":
        rows = [{"tabel": "indicator", "kolom": c, "verplicht": "ja" if m["required"] else "nee",
                 "omschrijving": m["description"]} for c, m in INDICATOR_COLUMNS.items()]
        rows += [{"tabel": "catalogus", "kolom": ind.id, "verplicht": "", "omschrijving": f"{ind.label} ({ind.unit})"}
                 for ind in indicators.CATALOGUE.values() if not ind.is_derived]
    elif kind == "agenda":
        for table, meta in agenda.TABLES.items():
            for column in meta["fields"]:
                spec = agenda.column_spec(table, column)
                allowed = f" Toegestaan: {', '.join(spec['values'])}." if "values" in spec else ""
                rows.append({"tabel": table, "kolom": column, "verplicht": "ja" if spec.get("required") else "nee",
                             "omschrijving": spec["description"] + allowed})
    else:
        rows = [{"tabel": "kwb", "kolom": c, "verplicht": "ja" if i < 2 else "nee",
                 "omschrijving": "Exporteer uit CBS StatLine (Kerncijfers wijken en buurten) als CSV met "
                                 "'Regioaanduiding/Codering' aangevinkt; '.' = geheim of onbekend."}
                for i, c in enumerate(_template_sheets("kwb")["kwb"])]
    return pd.DataFrame(rows, columns=["tabel", "kolom", "verplicht", "omschrijving"])
