"""The shipped country geometry: it loads, covers every country, holds valid polygons; the build decodes TopoJSON."""

import importlib.util
import json
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from gcm.config import ROOT
from gcm.explore import geometry
from gcm.reference import Reference


def _build_script():
    spec = importlib.util.spec_from_file_location("build_geometry", ROOT / "scripts" / "build_geometry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rings(geometry_: dict) -> list[list[list[float]]]:
    polygons = [geometry_["coordinates"]] if geometry_["type"] == "Polygon" else geometry_["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def _area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def test_file_loads_small_and_keyed_by_iso3() -> None:
    features = geometry.all_features()
    assert len(features) >= 193
    assert all(len(code) == 3 and code.isupper() for code in features)
    assert all(f["id"] == f["properties"]["iso3"] == code for code, f in features.items())
    assert geometry.GEOMETRY_FILE.stat().st_size < 300_000


def test_every_country_of_the_reference_data_has_a_shape(ref: Reference) -> None:
    assert geometry.missing(c.iso3 for c in ref.countries) == []


def test_every_un_member_state_has_a_shape() -> None:
    members = yaml.safe_load((ROOT / "data" / "un_member_states.yaml").read_text(encoding="utf-8"))["members"]
    assert len(members) == 193
    assert geometry.missing(m["iso3"] for m in members) == []


def test_features_are_valid_polygons() -> None:
    for code, feature in geometry.all_features().items():
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon"), code
        for ring in _rings(feature["geometry"]):
            assert len(ring) >= 4, code
            assert ring[0] == ring[-1], code
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring), code
            assert all(round(x, 3) == x and round(y, 3) == y for x, y in ring), code
        exterior = _rings(feature["geometry"])[0]
        assert abs(_area(exterior)) > 0, code


def test_features_for_returns_the_chosen_countries_in_order() -> None:
    collection = geometry.features_for(["MEX", "GTM", "ZZZ", "MEX"])
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == ["MEX", "GTM"]
    assert geometry.features_for([])["features"] == []
    assert geometry.missing(["MEX", "ZZZ"]) == ["ZZZ"]


def test_missing_or_broken_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(geometry.GeometryError, match="not found"):
        geometry.features_for(["MEX"], path=tmp_path / "absent.geojson")
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(geometry.GeometryError, match="cannot read"):
        geometry.features_for(["MEX"], path=broken)
    wrong = tmp_path / "wrong.geojson"
    wrong.write_text(json.dumps({"type": "FeatureCollection", "features": [{"id": "MEX", "geometry": None}]}))
    with pytest.raises(geometry.GeometryError, match="no polygon"):
        geometry.features_for(["MEX"], path=wrong)


def _doc(arcs: list, scale: list[float], translate: list[float]) -> dict:
    return {
        "transform": {"scale": scale, "translate": translate},
        "arcs": arcs,
        "objects": {"countries": {"geometries": []}},
    }


def test_topojson_decoding_delta_transform_reversed_arcs_and_holes() -> None:
    build = _build_script()
    square = [[0, 0], [0, 10], [10, 0], [0, -10], [-10, 0]]  # delta-encoded: (0,0) (0,10) (10,10) (10,0) (0,0)
    hole = [[2, 2], [0, 2], [2, 0], [0, -2], [-2, 0]]  # (2,2) (2,4) (4,4) (4,2) (2,2)
    topology = build.Topology(_doc([square, hole], [0.5, 0.25], [-2, 1]))
    assert topology.arc(0) == [(-2.0, 1.0), (-2.0, 3.5), (3.0, 3.5), (3.0, 1.0), (-2.0, 1.0)]
    assert topology.arc(~1)[:2] == [(-1.0, 1.5), (0.0, 1.5)]  # ~1: arc 1 reversed
    polygons = topology.polygons({"type": "Polygon", "arcs": [[0], [1]]})
    assert len(polygons) == 1 and len(polygons[0]) == 2  # exterior and hole
    assert polygons[0][1] == [(-1.0, 1.5), (-1.0, 2.0), (0.0, 2.0), (0.0, 1.5), (-1.0, 1.5)]
    assert len(topology.polygons({"type": "MultiPolygon", "arcs": [[[0]], [[1]]]})) == 2


def test_dissolve_drops_the_shared_border() -> None:
    build = _build_script()
    border = [[1, 0], [0, 1]]  # (1,0) to (1,1)
    right = [[1, 1], [1, 0], [0, -1], [-1, 0]]  # (1,1) (2,1) (2,0) (1,0)
    left = [[1, 0], [-1, 0], [0, 1], [1, 0]]  # (1,0) (0,0) (0,1) (1,1)
    topology = build.Topology(_doc([border, right, left], [1, 1], [0, 0]))
    shapes = [{"type": "Polygon", "arcs": [[0, 1]]}, {"type": "Polygon", "arcs": [[~0, 2]]}]
    assert [len(p[0]) for p in topology.polygons(shapes[0]) + topology.polygons(shapes[1])] == [5, 5]
    assert topology.dissolve(shapes) == [[[(1, 1), (2, 1), (2, 0), (1, 0), (0, 0), (0, 1), (1, 1)]]]


def test_rounding_drops_repeated_points_and_degenerate_rings() -> None:
    build = _build_script()
    ring = [(0.00001, 0.0), (0.00002, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    tiny = [(0.0001, 0.0001), (0.0002, 0.0002), (0.0001, 0.0001)]
    assert build.rounded([[ring, tiny]]) == [[[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]]
