"""Build the embedded snapshot (``data/cbs``, ``data/geo``) from the raw CBS files in ``../shared/cbs``.

``python -m gka_dash snapshot build --source ../shared/cbs`` runs :func:`build`. Every fact keeps
its source and year; nothing is invented: a figure the sources do not hold is simply absent and
the dashboard says "geen gegevens".
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gka_dash import geo, paths, statline

KWB_YEAR = 2024
KWB_TABLE = "85984NED"
BRON_KWB = f"CBS KWB {KWB_YEAR} ({KWB_TABLE})"
BRON_KWB_WOONIKVEILIG = f"CBS KWB {KWB_YEAR} ({KWB_TABLE}), via woonikveilig"
BRON_POLITIE = "Politie via CBS (47022NED), via woonikveilig"
BRON_RIVM = "RIVM Gezondheidsmonitor (50150NED), via woonikveilig"
BRON_KWB_2021 = "CBS KWB 2021 (85039NED), via nlstat"
BRON_KWB_2022 = "CBS KWB 2022 (85318NED), via geoinzicht"

RAW_KWB_WITH_CODES = "kwb/Kerncijfers_wijken_en_buurten_2024_geslachten.csv"
RAW_KWB_HERKOMST = "kwb/Kerncijfers_wijken_en_buurten_2024_11122025_141648.csv"
DATA_PROPERTIES = "odata_fixtures/85984NED_DataProperties.json"
WOONIKVEILIG_DIR = "kwb/woonikveilig_gemeente_2024"
KWB_STRIPPED = "kwb/kwb2024_gemeente_wijk_stripped.json"
NLSTAT_2021 = "kwb/nlstat_kwb2021_gemeente_indicators.json"
GEOINZICHT_2022 = "geo/gemeenten_2022.geojson"

TOPICS_FILE_NAME = f"{KWB_TABLE}_topics.csv"

# woonikveilig's demografie keys -> catalogue ids (all KWB 2024; WOZ and income in × € 1.000).
_WOONIKVEILIG_KWB = {
    "huishoudens": "huishoudens",
    "huishoudensgrootte": "huishoudensgrootte",
    "dichtheid": "bevolkingsdichtheid_per_km2",
    "wozWaarde": "woz_waarde_x1000_eur",
    "koopwoningen": "koopwoningen_pct",
    "eengezinswoning": "eengezinswoningen_pct",
    "inkomenPerInwoner": "inkomen_per_inwoner_x1000_eur",
    "stedelijkheid": "stedelijkheid",
    "afstandSchool": "afstand_school_km",
    "scholenBinnen3km": "scholen_binnen_3km",
}
_KWB_STRIPPED = {"Woningvoorraad_35": "woningvoorraad"}

# nlstat (KWB 2021, gemeente level): (section, English label) -> catalogue id.
_NLSTAT_2021 = {
    ("Inequality", "Low income threshold (%)"): "laag_inkomen_pct",
    ("Inequality", "At-or-below social minimum (%)"): "sociaal_minimum_pct",
    ("Inequality", "Near-poverty 120% (%)"): "sociaal_minimum_120_pct",
    ("Inequality", "Bijstand recipients (per 1k)"): "bijstand_per_1000",
    ("Inequality", "Youth welfare (%)"): "jeugdzorg_pct",
    ("HumanCapital", "Low education (%)"): "opleiding_laag_pct",
    ("HumanCapital", "Medium education (%)"): "opleiding_midden_pct",
    ("HumanCapital", "High education (%)"): "opleiding_hoog_pct",
    ("HumanCapital", "Labour participation (%)"): "arbeidsparticipatie_pct",
    ("IncomeWealth", "Avg income per inhabitant (x€1k)"): "inkomen_per_inwoner_x1000_eur",
    ("IncomeWealth", "Median household wealth (x€1k)"): "mediaan_vermogen_x1000_eur",
    ("WelfareCare", "Wmo care clients (per 1k)"): "wmo_per_1000",
}

# geoinzicht gemeenten 2022 (KWB 2022 as that repository mapped it). Its pct_hh_laag_inkomen is
# left out on purpose: Leiden's 51 is the "40 % lowest incomes" variable, not "laag inkomen".
_GEOINZICHT_2022 = {
    "pct_rond_sociaal_min": "sociaal_minimum_pct",
    "pct_jeugdzorg": "jeugdzorg_pct",
    "arbeidsparticipatie": "arbeidsparticipatie_pct",
    "gem_inkomen_inwoner": "inkomen_per_inwoner_x1000_eur",
    "mediaan_vermogen": "mediaan_vermogen_x1000_eur",
    "wmo_per_1000": "wmo_per_1000",
}
_GEOINZICHT_EDUCATION = {"opl_laag": "opleiding_laag_pct", "opl_midden": "opleiding_midden_pct",
                         "opl_hoog": "opleiding_hoog_pct"}


@dataclass
class BuildReport:
    seconds: float = 0.0
    files: dict[str, int] = field(default_factory=dict)  # path -> bytes
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def build(source: Path, out_dir: Path | None = None) -> BuildReport:
    """Build ``data/cbs`` and ``data/geo`` from ``source`` (the shared ``cbs`` folder)."""
    started = time.perf_counter()
    out_dir = out_dir or paths.DATA_DIR
    source = Path(source)
    report = BuildReport()
    cbs_dir, geo_dir = out_dir / "cbs", out_dir / "geo"
    cbs_dir.mkdir(parents=True, exist_ok=True)
    geo_dir.mkdir(parents=True, exist_ok=True)

    topics = statline.load_topics(source / DATA_PROPERTIES)
    statline.write_topics(topics, cbs_dir / TOPICS_FILE_NAME)

    kwb = _read_kwb_2024(source, topics, report)
    gebieden = _gebieden(kwb)
    feiten = pd.concat(
        [
            statline.to_facts(kwb, KWB_YEAR, BRON_KWB),
            _woonikveilig_facts(source / WOONIKVEILIG_DIR),
            _kwb_stripped_facts(source / KWB_STRIPPED),
            _nlstat_facts(source / NLSTAT_2021),
            _geoinzicht_facts(source / GEOINZICHT_2022),
        ],
        ignore_index=True,
    )
    feiten = _keep_known_regions(feiten, gebieden, report)
    feiten = feiten.dropna(subset=["waarde"]).drop_duplicates(["code", "indicator", "jaar"], keep="first")
    for column in ("code", "indicator", "bron"):
        feiten[column] = feiten[column].astype("category")
    feiten["jaar"] = feiten["jaar"].astype("int16")

    _write_parquet(gebieden, cbs_dir / "gebieden.parquet")
    _write_parquet(feiten.sort_values(["code", "indicator", "jaar"]), cbs_dir / "feiten.parquet")
    report.counts.update(
        {f"gebieden_{lvl}": int((gebieden["niveau"] == lvl).sum()) for lvl in ("gemeente", "wijk", "buurt")}
    )
    report.counts["feiten"] = len(feiten)

    geo_report = geo.build_boundaries(source / "geo", geo_dir, gebieden)
    report.counts.update(geo_report.counts)
    report.notes.extend(geo_report.notes)

    _write_sources_md(out_dir / "SOURCES.md", feiten, report)
    for path in sorted([*cbs_dir.iterdir(), *geo_dir.iterdir()]):
        report.files[str(path.relative_to(out_dir))] = path.stat().st_size
    report.seconds = time.perf_counter() - started
    return report


def _read_kwb_2024(source: Path, topics: list[statline.Topic], report: BuildReport) -> pd.DataFrame:
    """The two raw StatLine exports of KWB 2024, joined by row position after checking they align."""
    with_codes = statline.parse_export(statline.read_export(source / RAW_KWB_WITH_CODES), topics).frame
    herkomst_raw = statline.read_export(source / RAW_KWB_HERKOMST)
    herkomst_raw.insert(1, "Regioaanduiding/Codering (code)", with_codes["code"].to_numpy())
    herkomst = statline.parse_export(herkomst_raw, topics).frame
    same = (herkomst["naam"] == with_codes["naam"]) & (
        herkomst["AantalInwoners"].fillna(-1) == with_codes["AantalInwoners"].fillna(-1)
    )
    if not same.all():
        raise ValueError(
            f"{RAW_KWB_HERKOMST}: {int((~same).sum())} rijen wijken af van {RAW_KWB_WITH_CODES}; "
            "de bestanden zijn niet in dezelfde volgorde"
        )
    report.notes.append(f"KWB 2024 herkomst joined by row position: {len(same)} rows, all names and inhabitants equal")
    extra = [c for c in herkomst.columns if c not in with_codes.columns]
    return pd.concat([with_codes, herkomst[extra]], axis=1)


def _gebieden(kwb: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "code": kwb["code"].astype(str),
            "naam": kwb["naam"].astype(str),
            "niveau": kwb["niveau"].astype(str),
            "gemeente_code": kwb["code"].map(statline.gemeente_code_of),
            "gemeente_naam": kwb["Gemeentenaam"].astype(str),
            "wijk_code": kwb["code"].map(statline.wijk_code_of),
        }
    )
    frame.loc[frame["niveau"] == "land", "gemeente_naam"] = None
    # StatLine prefixes wijk names with "Wijk NN "; the map and lists show CBS's plain name.
    is_wijk = frame["niveau"] == "wijk"
    frame.loc[is_wijk, "naam"] = frame.loc[is_wijk, "naam"].str.replace(r"^Wijk \d\d ", "", regex=True)
    return frame.reset_index(drop=True)


def _facts(rows: list[tuple[str, str, int, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["code", "indicator", "jaar", "waarde", "bron"])
    frame["waarde"] = pd.to_numeric(frame["waarde"], errors="coerce").astype(float)
    return frame


def _woonikveilig_facts(folder: Path) -> pd.DataFrame:
    rows: list[tuple] = []
    for path in sorted(folder.glob("GM*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for area in [record, *record.get("wijken", []), *record.get("buurten", [])]:
            code = area["code"]
            for key, indicator_id in _WOONIKVEILIG_KWB.items():
                rows.append((code, indicator_id, KWB_YEAR, area.get("demografie", {}).get(key), BRON_KWB_WOONIKVEILIG))
            veiligheid = area.get("veiligheid") or {}
            trend = veiligheid.get("trend") or {}
            if veiligheid.get("per1000") is not None and trend:
                rows.append((code, "misdrijven_per_1000", int(max(trend)), veiligheid["per1000"], BRON_POLITIE))
            gezondheid = area.get("gezondheid") or {}
            for year, value in (gezondheid.get("trend") or {}).items():
                rows.append((code, "goed_ervaren_gezondheid_pct", int(year), value, BRON_RIVM))
    return _facts(rows)


def _kwb_stripped_facts(path: Path) -> pd.DataFrame:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        (code.strip(), indicator_id, KWB_YEAR, values.get(key), f"{BRON_KWB}, via Wikipedia-Generator")
        for code, values in data.items()
        for key, indicator_id in _KWB_STRIPPED.items()
    ]
    return _facts(rows)


def _nlstat_facts(path: Path) -> pd.DataFrame:
    data = json.loads(path.read_text(encoding="utf-8"))
    areas = dict(data["Gemeente"])
    areas["NL00"] = data["Netherlands Total"]
    rows = [
        (code, indicator_id, 2021, (values.get(section) or {}).get(label), BRON_KWB_2021)
        for code, values in areas.items()
        for (section, label), indicator_id in _NLSTAT_2021.items()
    ]
    return _facts(rows)


def _geoinzicht_facts(path: Path) -> pd.DataFrame:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    rows: list[tuple] = []
    for feature in features:
        props = feature["properties"]
        code = props["gemeentecode"]
        for key, indicator_id in _GEOINZICHT_2022.items():
            rows.append((code, indicator_id, 2022, props.get(key), BRON_KWB_2022))
        counts = {key: props.get(key) for key in _GEOINZICHT_EDUCATION}
        if all(isinstance(v, (int, float)) for v in counts.values()) and sum(counts.values()) > 0:
            total = sum(counts.values())
            for key, indicator_id in _GEOINZICHT_EDUCATION.items():
                rows.append((code, indicator_id, 2022, 100.0 * counts[key] / total, BRON_KWB_2022))
    return _facts(rows)


def _keep_known_regions(feiten: pd.DataFrame, gebieden: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    known = feiten["code"].isin(gebieden["code"])
    dropped = sorted(feiten.loc[~known, "code"].unique())
    if dropped:
        report.notes.append(
            f"{len(dropped)} codes not in the KWB 2024 region list were left out "
            f"(former gemeenten, 'Buitenland'): {', '.join(dropped[:12])}{' …' if len(dropped) > 12 else ''}"
        )
    return feiten[known]


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    frame.to_parquet(tmp, index=False, compression="zstd")
    os.replace(tmp, path)


_FILES_DOC = [
    ("cbs/gebieden.parquet", "One row per region of KWB 2024 (85984NED): `code` (NL00, GMxxxx, WKxxxxxx, "
     "BUxxxxxxxx, padding stripped), `naam` (StatLine's 'Wijk NN ' prefix removed), `niveau`, "
     "`gemeente_code`, `gemeente_naam`, `wijk_code` (buurten; derived from the buurt code)."),
    ("cbs/feiten.parquet", "Facts in long format: `code`, `indicator` (catalogue id, below), `jaar`, "
     "`waarde` (float; CBS secret/unknown values are absent, never 0), `bron`."),
    (f"cbs/{TOPICS_FILE_NAME}", "The 85984NED topic tree (OData key, StatLine path, unit) from the recorded "
     "DataProperties; used to read StatLine CSV exports (also analysts' uploads)."),
    ("geo/gemeente_2024.geojson", "Gemeente boundaries 2024 (PDOK via geoinzicht), simplified."),
    ("geo/wijk_2024.geojson", "Wijk boundaries 2024 (PDOK wijk- en buurtkaart via geoinzicht), simplified; "
     "the 82 water wijken (WKxxxx99, not in KWB) left out."),
    ("geo/buurt_2024.geojson", "Buurt boundaries 2024 (CBS/PDOK buurt_gegeneraliseerd via cartomap), simplified."),
]
_SOURCE_DOC = {
    BRON_KWB: "raw StatLine CSV exports in `kwb/` (two files of the same table, joined by row position "
              "after checking names and inhabitants)",
    BRON_KWB_WOONIKVEILIG: "`kwb/woonikveilig_gemeente_2024/` (CBS values with renamed keys)",
    f"{BRON_KWB}, via Wikipedia-Generator": "`kwb/kwb2024_gemeente_wijk_stripped.json` (raw OData keys)",
    BRON_POLITIE: "`kwb/woonikveilig_gemeente_2024/` (police figures published by CBS)",
    BRON_RIVM: "`kwb/woonikveilig_gemeente_2024/` (RIVM Gezondheidsmonitor; trend years 2012-2024)",
    BRON_KWB_2021: "`kwb/nlstat_kwb2021_gemeente_indicators.json` (gemeente level, 2021 boundaries)",
    BRON_KWB_2022: "`geo/gemeenten_2022.geojson` attributes (gemeente level); education shares derived from "
                   "the counts opl_laag/opl_midden/opl_hoog; `pct_hh_laag_inkomen` left out (it is the "
                   "'40 % lowest incomes' variable, not 'laag inkomen')",
}


def _write_sources_md(path: Path, feiten: pd.DataFrame, report: BuildReport) -> None:
    """data/SOURCES.md, rendered from the catalogue and the facts actually written."""
    from gka_dash import indicators

    lines = [
        "# data/ — sources of the embedded snapshot",
        "",
        "Built by `python -m gka_dash snapshot build --source ../shared/cbs` (gka_dash/snapshot.py, "
        "gka_dash/geo.py); do not edit by hand. `agenda/` is transcribed from the GKA agendas "
        "(see agenda/README.md).",
        "",
        "Licence: CBS open data, **CC BY 4.0, source: CBS** (Centraal Bureau voor de Statistiek); "
        "boundaries CBS/PDOK, CC BY 4.0.",
        "",
        "## Files",
        "",
        *[f"- `{name}`: {text}" for name, text in _FILES_DOC],
        "",
        "## Sources of the facts",
        "",
        *[f"- **{bron}**: {text}" for bron, text in _SOURCE_DOC.items()],
        "",
        "## Indicators (catalogue: gka_dash/indicators.py)",
        "",
        "| id | label | unit | years, source | rows |",
        "|---|---|---|---|---|",
    ]
    grouped = feiten.groupby(["indicator", "jaar", "bron"], observed=True).size()
    for ind in indicators.CATALOGUE.values():
        if ind.is_derived:
            lines.append(f"| `{ind.id}` | {ind.label} | {ind.unit_label} | derived at read time: "
                         f"100 × `{ind.numerator}` / `{ind.denominator}`, hidden below "
                         f"{indicators.MIN_INWONERS_FOR_SHARE} inhabitants | — |")
            continue
        if ind.id not in grouped.index.get_level_values(0):
            lines.append(f"| `{ind.id}` | {ind.label} | {ind.unit_label} | geen gegevens in the snapshot | 0 |")
            continue
        parts = grouped.loc[ind.id]
        years = "; ".join(f"{jaar}: {bron}" for (jaar, bron) in parts.index)
        lines.append(f"| `{ind.id}` | {ind.label} | {ind.unit_label} | {years} | {int(parts.sum()):,} |")
    lines += ["", "## Build notes", "", *[f"- {note}" for note in report.notes], ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def format_report(report: BuildReport) -> str:
    lines = [f"Snapshot built in {report.seconds:.1f} s"]
    lines += [f"  {name}: {value:,}" for name, value in report.counts.items()]
    total = sum(report.files.values())
    lines.append(f"  files ({total / 1e6:.1f} MB in all):")
    lines += [f"    {name}: {size / 1e6:.2f} MB" for name, size in report.files.items()]
    lines += [f"  note: {note}" for note in report.notes]
    return "\n".join(lines)

