"""Country shapes shipped with the app (data/geo/countries.geojson), so maps draw with no internet.

The file is built once by scripts/build_geometry.py from Natural Earth (public domain) through npm's
world-atlas package; see data/geo/SOURCE.md. Features are keyed by ISO 3166-1 alpha-3 (`id`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from gcm.config import ROOT

GEOMETRY_FILE = ROOT / "data" / "geo" / "countries.geojson"


class GeometryError(RuntimeError):
    """The geometry file is missing or not the FeatureCollection the build script writes."""


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, dict[str, Any]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GeometryError(f"{path}: country geometry file not found; run scripts/build_geometry.py") from exc
    except (OSError, ValueError) as exc:
        raise GeometryError(f"{path}: cannot read the country geometry ({exc}); rebuild it") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise GeometryError(f"{path}: not a GeoJSON FeatureCollection; rebuild it with scripts/build_geometry.py")
    features: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(doc["features"]):
        code = feature.get("id") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if (
            not isinstance(code, str)
            or not isinstance(geometry, dict)
            or geometry.get("type") not in ("Polygon", "MultiPolygon")
        ):
            raise GeometryError(f"{path}: feature {number} has no ISO3 id or no polygon geometry")
        features[code] = feature
    return features


def all_features(path: Path = GEOMETRY_FILE) -> dict[str, dict[str, Any]]:
    """Every country's GeoJSON feature by ISO3 code (read once per process)."""
    return _load(path)


def features_for(iso3_codes: Iterable[str], path: Path = GEOMETRY_FILE) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the given countries (in the order given; unknown codes left out)."""
    features = _load(path)
    seen: set[str] = set()
    chosen = []
    for code in iso3_codes:
        if code in features and code not in seen:
            seen.add(code)
            chosen.append(features[code])
    return {"type": "FeatureCollection", "features": chosen}


def missing(iso3_codes: Iterable[str], path: Path = GEOMETRY_FILE) -> list[str]:
    """The codes that have no shape in the geometry file."""
    features = _load(path)
    return sorted({code for code in iso3_codes if code not in features})
