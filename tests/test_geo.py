"""Simplification keeps topology: neighbouring areas still share their border."""

import geopandas as gpd
import shapely
from shapely.geometry import Polygon

from gka_dash import geo


def _two_neighbours() -> gpd.GeoDataFrame:
    # Two squares sharing a wiggly edge from (1, 0) to (1, 1).
    edge = [(1, 0), (1.002, 0.25), (0.998, 0.5), (1.002, 0.75), (1, 1)]
    left = Polygon([(0, 0), *edge, (0, 1)])
    right = Polygon([*edge, (2, 1), (2, 0)][::-1])
    return gpd.GeoDataFrame({"code": ["WK000101", "WK000102"]}, geometry=[left, right], crs=geo.CRS)


def test_simplify_keeps_shared_border_gap_free():
    simplified = geo.simplify(_two_neighbours(), tolerance=0.05)
    left, right = simplified.geometry
    assert shapely.get_num_coordinates(left) < shapely.get_num_coordinates(_two_neighbours().geometry[0])
    assert left.intersection(right).length > 0.99  # they still share the whole edge
    assert left.intersection(right).area < 1e-12  # and do not overlap
    union = shapely.union(left, right)
    assert abs(union.area - 2.0) < 1e-3  # no gap opened


def test_static_geojson_per_gemeente(tmp_path):
    path = geo.static_geojson("wijk", "GM0546", static_dir=tmp_path)
    collection = gpd.read_file(path)
    assert len(collection) == 10  # Leiden has 10 wijken in 2024
    assert geo.static_url(path, static_dir=tmp_path) == "app/static/geo/wijk/GM0546.geojson"
