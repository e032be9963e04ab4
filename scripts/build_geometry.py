"""Build `data/geo/countries.geojson` from npm's `world-atlas` package (Natural Earth, public domain).

Run once, by a maintainer, when the geometry should change; the app only reads the output file and
needs neither npm nor this script's dependencies:

    pip install pycountry          # for this script only, not a dependency of the app
    python scripts/build_geometry.py                      # runs `npm pack world-atlas@2.0.2` in a temp folder
    python scripts/build_geometry.py --package DIR        # or use an unpacked package folder

What it does:
- decodes the TopoJSON itself (quantized, delta-encoded arcs; the transform; polygons, multipolygons
  and holes) from `countries-110m.json`;
- keys every country by ISO 3166-1 alpha-3 (the file's ids are ISO numeric codes; pycountry maps them);
- merges the pieces Natural Earth draws apart but the United Nations counts as part of a member state
  (N. Cyprus into Cyprus, Somaliland into Somalia), dissolving the shared border;
- adds, from `countries-50m.json` (else `countries-10m.json`: Tuvalu), the UN member states too small
  for the 1:110m scale (island states, microstates), so every state of data/un_member_states.yaml is
  drawn;
- rounds coordinates to 3 decimals (about 100 m) and writes compact JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "geo" / "countries.geojson"
PACKAGE = "world-atlas@2.0.2"
DECIMALS = 3

UN_MEMBERS_FILE = ROOT / "data" / "un_member_states.yaml"  # the 193 UN member states (ISO alpha-3)
# Natural Earth features with no ISO code: merged into the member state (UN practice), or given the
# code commonly used for them. Any other feature without a code stops the build.
UNCODED = {"N. Cyprus": "CYP", "Somaliland": "SOM", "Kosovo": "XKX"}

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]


def un_members(path: Path = UN_MEMBERS_FILE) -> frozenset[str]:
    """The ISO3 codes of the UN member states, from the list shipped in data/."""
    return frozenset(member["iso3"] for member in yaml.safe_load(path.read_text(encoding="utf-8"))["members"])


def iso3_for(numeric: str) -> str:
    """ISO alpha-3 for an ISO numeric code, through pycountry (imported here: a build-time tool only)."""
    import pycountry

    country = pycountry.countries.get(numeric=numeric)
    if country is None:
        raise SystemExit(f"no ISO 3166-1 country with numeric code {numeric}")
    return country.alpha_3


class Topology:
    """A decoded TopoJSON topology: absolute arcs in degrees, and geometries as lists of polygons."""

    def __init__(self, doc: dict) -> None:
        scale, translate = doc["transform"]["scale"], doc["transform"]["translate"]
        self.arcs: list[Ring] = []
        for arc in doc["arcs"]:
            x = y = 0
            points = []
            for dx, dy in arc:  # delta-encoded quantized positions
                x, y = x + dx, y + dy
                points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
            self.arcs.append(points)
        self.geometries = doc["objects"]["countries"]["geometries"]

    def arc(self, index: int) -> Ring:
        """Arc `index`; a negative index ~i is arc i reversed."""
        return list(reversed(self.arcs[~index])) if index < 0 else self.arcs[index]

    def ring(self, indexes: list[int]) -> Ring:
        points: Ring = []
        for n, index in enumerate(indexes):
            arc = self.arc(index)
            points.extend(arc if n == 0 else arc[1:])  # consecutive arcs share their end point
        return points

    @staticmethod
    def polygons_of(geometry: dict) -> list[list[list[int]]]:
        """The geometry's polygons as lists of rings of arc indexes (first ring exterior, then holes)."""
        if geometry["type"] == "Polygon":
            return [geometry["arcs"]]
        if geometry["type"] == "MultiPolygon":
            return geometry["arcs"]
        raise SystemExit(f"unexpected geometry type {geometry['type']}")

    def polygons(self, geometry: dict) -> list[Polygon]:
        return [[self.ring(r) for r in polygon] for polygon in self.polygons_of(geometry)]

    def dissolve(self, geometries: list[dict]) -> list[Polygon]:
        """The union of polygons without holes that share borders: arcs used twice are dropped and the
        remaining arcs are stitched into rings (what topojson's merge does)."""
        rings = [ring for g in geometries for polygon in self.polygons_of(g) for ring in polygon]
        if any(len(polygon) > 1 for g in geometries for polygon in self.polygons_of(g)):
            raise SystemExit("dissolve handles polygons without holes only")
        used: dict[int, int] = {}
        for ring in rings:
            for index in ring:
                used[index if index >= 0 else ~index] = used.get(index if index >= 0 else ~index, 0) + 1
        outer = [self.arc(i) for ring in rings for i in ring if used[i if i >= 0 else ~i] == 1]
        polygons: list[Polygon] = []
        while outer:
            chain = outer.pop(0)
            while chain[-1] != chain[0]:
                following = next(n for n, arc in enumerate(outer) if arc[0] == chain[-1])
                chain = chain + outer.pop(following)[1:]
            polygons.append([chain])
        return polygons


def rounded(polygons: list[Polygon]) -> list[list[list[list[float]]]]:
    """Coordinates rounded to DECIMALS; repeated points dropped; rings too small to matter dropped."""
    result = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            points: list[list[float]] = []
            for x, y in ring:
                point = [round(x, DECIMALS), round(y, DECIMALS)]
                if not points or point != points[-1]:
                    points.append(point)
            if points[0] != points[-1]:
                points.append(points[0])
            if len(points) >= 4:
                rings.append(points)
        if rings and len(rings[0]) >= 4:
            result.append(rings)
    return result


def features(topology: Topology, *detailed: Topology) -> list[dict]:
    """One feature per ISO3 code: the 1:110m shapes, plus the shapes of UN members missing there from
    the more detailed topologies, in the order given."""
    members = un_members()
    by_code: dict[str, list[dict]] = {}
    names: dict[str, str] = {}
    numerics: dict[str, str] = {}
    for geometry in topology.geometries:
        name = geometry["properties"]["name"]
        if "id" in geometry:
            code = iso3_for(geometry["id"])
            names[code], numerics[code] = name, geometry["id"]
        elif name in UNCODED:
            code = UNCODED[name]
            names.setdefault(code, name)
        else:
            raise SystemExit(f"feature without an ISO code: {name}")
        by_code.setdefault(code, []).append(geometry)
    shapes = {
        code: topology.dissolve(parts) if len(parts) > 1 else topology.polygons(parts[0])
        for code, parts in by_code.items()
    }
    for finer in detailed:
        for geometry in finer.geometries:
            if "id" not in geometry:
                continue
            code = iso3_for(geometry["id"])
            if code in members and code not in shapes:
                shapes[code] = finer.polygons(geometry)
                names[code], numerics[code] = geometry["properties"]["name"], geometry["id"]
    missing = sorted(members - set(shapes))
    if missing:
        raise SystemExit(f"UN member states without geometry: {', '.join(missing)}")
    result = []
    for code in sorted(shapes):
        coordinates = rounded(shapes[code])
        geometry = (
            {"type": "Polygon", "coordinates": coordinates[0]}
            if len(coordinates) == 1
            else {"type": "MultiPolygon", "coordinates": coordinates}
        )
        properties = {"iso3": code, "iso_n3": numerics.get(code, ""), "name": names[code]}
        result.append({"type": "Feature", "id": code, "properties": properties, "geometry": geometry})
    return result


def unpacked_package(work: Path) -> Path:
    """Fetch the package tarball with npm into `work` and unpack it."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=work, check=True, capture_output=True)
    tarball = next(work.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(work, filter="data")
    return work / "package"


def build(package: Path, output: Path) -> int:
    """Write the GeoJSON; returns its size in bytes."""
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    low, medium, high = (
        Topology(json.loads((package / f"countries-{scale}.json").read_text(encoding="utf-8")))
        for scale in ("110m", "50m", "10m")
    )
    collection = {
        "type": "FeatureCollection",
        "source": f"{meta['name']} {meta['version']} (Natural Earth 1:110m; small states 1:50m or 1:10m)",
        "features": features(low, medium, high),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    output.write_text(text + "\n", encoding="utf-8")
    return output.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked world-atlas package folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        package = args.package or unpacked_package(Path(work))
        size = build(package, args.output)
    count = len(json.loads(args.output.read_text(encoding="utf-8"))["features"])
    print(f"{args.output}: {count} countries, {size / 1024:.0f} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()
