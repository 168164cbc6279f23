"""Boundaries: read the raw CBS/PDOK geometry, simplify it with topology kept, write browser GeoJSON.

The snapshot keeps one GeoJSON per level for all of the Netherlands (``data/geo``); the app
writes one small file per gemeente and level into ``static/geo`` on first use and hands plotly
its URL, so the geometry travels to the browser once and a rerun only sends values (DESIGN §6).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from gka_dash import paths

CRS = "EPSG:4326"
DECIMALS = 5
# Tolerances in degrees (1e-4° ≈ 7-11 m). Buurten are already generalised at the source.
TOLERANCE = {"gemeente": 0.0008, "wijk": 0.0004, "buurt": 0.0002}
COORDINATE_BUDGET_BUURT = 350_000

RAW_FILES = {
    "gemeente": "gemeenten_2024.geojson",
    "wijk": "wijken_2024.geojson",
    "buurt": "buurt_2024_cartomap.topojson",
}
RAW_CODE_COLUMN = {"gemeente": "gemeentecode", "wijk": "wijkcode", "buurt": "statcode"}
GEO_YEAR = 2024
BRON_GEO = f"CBS/PDOK wijk- en buurtkaart {GEO_YEAR}"


def boundary_file(level: str, geo_dir: Path | None = None) -> Path:
    return (geo_dir or paths.GEO_DIR) / f"{level}_{GEO_YEAR}.geojson"


@dataclass
class GeoReport:
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def build_boundaries(raw_dir: Path, out_dir: Path, gebieden: pd.DataFrame) -> GeoReport:
    """Simplify the raw boundaries of every level and write them with ``id`` = CBS code."""
    report = GeoReport()
    for level, file_name in RAW_FILES.items():
        raw = _read_raw(raw_dir / file_name, RAW_CODE_COLUMN[level])
        known = gebieden.loc[gebieden["niveau"] == level, ["code", "naam", "gemeente_code"]]
        frame = raw.merge(known, on="code", how="inner")
        left_out = sorted(set(raw["code"]) - set(known["code"]))
        if left_out:
            report.notes.append(
                f"{level}: {len(left_out)} raw features without a KWB {GEO_YEAR} region left out "
                f"(e.g. {', '.join(left_out[:5])})"
            )
        missing = len(known) - frame["code"].nunique()
        if missing:
            report.notes.append(f"{level}: {missing} KWB {GEO_YEAR} regions have no usable geometry")
        simplified = simplify(frame, TOLERANCE[level])
        write_geojson(simplified[["code", "naam", "gemeente_code", "geometry"]], boundary_file(level, out_dir))
        report.counts[f"geo_{level}_features"] = len(simplified)
        report.counts[f"geo_{level}_coordinates"] = int(shapely.get_num_coordinates(simplified.geometry.values).sum())
    return report


def _read_raw(path: Path, code_column: str) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path)
    if frame.crs is None:  # the cartomap TopoJSON is lon/lat but declares no CRS
        frame = frame.set_crs(CRS)
    frame = frame.to_crs(CRS)
    frame["code"] = frame[code_column].astype(str).str.strip()
    frame = frame[frame.geometry.apply(lambda g: g is not None and not g.is_empty)].copy()
    frame["geometry"] = frame.geometry.make_valid()
    frame["geometry"] = frame.geometry.apply(_polygonal_part)
    frame = frame[~frame.geometry.is_empty]
    # One feature per code: a code split over several records becomes one multipolygon.
    return frame[["code", "geometry"]].dissolve(by="code", as_index=False)


def _polygonal_part(geom):
    """make_valid may return a GeometryCollection with stray lines; keep the polygons."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polygons = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else shapely.Polygon()


def simplify(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify as a coverage (shared edges stay shared, so neighbours stay gap-free), then round."""
    out = frame.copy()
    out["geometry"] = out.geometry.simplify_coverage(tolerance)
    out["geometry"] = shapely.set_precision(out.geometry.values, 10 ** -DECIMALS, mode="pointwise")
    return out[~out.geometry.is_empty]


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Compact RFC 7946 GeoJSON with the CBS code as feature ``id`` (atomic write)."""
    collection = json.loads(frame.to_json(drop_id=True, to_wgs84=True))
    for feature, code in zip(collection["features"], frame["code"], strict=True):
        feature["id"] = code
        feature["geometry"] = _round(feature["geometry"])
    collection.pop("crs", None)
    _atomic_write_text(path, json.dumps(collection, separators=(",", ":"), ensure_ascii=False))


def _round(geometry: dict) -> dict:
    def _walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            return [round(c, DECIMALS) for c in coords]
        return [_walk(c) for c in coords]

    return {"type": geometry["type"], "coordinates": _walk(geometry["coordinates"])}


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


@lru_cache(maxsize=4)
def load_boundaries(level: str) -> gpd.GeoDataFrame:
    """All boundaries of a level from the snapshot (cached per process)."""
    path = boundary_file(level)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: geen grenzen voor niveau '{level}'; bouw de snapshot met "
            "python -m gka_dash snapshot build --source ../shared/cbs"
        )
    frame = gpd.read_file(path)
    if "code" not in frame:
        frame["code"] = frame["id"]
    return frame


def has_geometry(level: str, gemeente_code: str) -> bool:
    try:
        frame = load_boundaries(level)
    except FileNotFoundError:
        return False
    return bool((frame["gemeente_code"] == gemeente_code).any())


def static_geojson(level: str, gemeente_code: str | None, static_dir: Path | None = None) -> Path:
    """Write (once) the GeoJSON of one gemeente and level into the static folder; return its path.

    ``gemeente_code=None`` means all of the Netherlands at that level.
    """
    static_dir = static_dir or paths.STATIC_DIR
    name = gemeente_code or "NL"
    path = static_dir / "geo" / level / f"{name}.geojson"
    if path.exists():
        return path
    frame = load_boundaries(level)
    if gemeente_code is not None:
        frame = frame[frame["gemeente_code"] == gemeente_code]
    write_geojson(frame[["code", "naam", "gemeente_code", "geometry"]], path)
    return path


def static_url(path: Path, static_dir: Path | None = None) -> str:
    """URL under which Streamlit's static serving exposes ``path`` (``/app/static/...``)."""
    relative = path.relative_to(static_dir or paths.STATIC_DIR)
    return f"app/static/{relative.as_posix()}"
