"""benchmarks/geocoding.py end to end on three real ACLED events (acled-dev excerpts)."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["event_id_cnty", "event_date", "country", "location", "latitude", "longitude"]
COLUMNS += ["geo_precision", "notes"]
EVENTS = [
    # (id, date, country, location, latitude, longitude, precision, notes)
    (
        "BRA1",
        "27-April-20",
        "Brazil",
        "Coxilha",
        "-28.1253",
        "-52.2979",
        "1",
        "On 27 April 2020, in Coxilha, Rio Grande do Sul, federal police forces seized more "
        "than a ton of marijuana during a highway inspection in ERS-135.",
    ),
    (
        "BRA2",
        "05-May-20",
        "Brazil",
        "Foz do Iguacu",
        "-25.5478",
        "-54.5881",
        "1",
        "On 5 May 2020, in Foz do Iguacu, Parana, a man was shot to death in Porto Meira "
        "neighborhood by two armed men.",
    ),
    (
        "MLI1",
        "06-May-20",
        "Mali",
        "Bamba",
        "14.6439",
        "-3.0983",
        "1",
        "On 6 May 2020, suspected Fulani militiamen attacked the village of Bamba (Koro, "
        "Mopti), and seized livestock.",
    ),
]


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("geocoding", ROOT / "benchmarks" / "geocoding.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["geocoding"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules["geocoding"]


def test_benchmark_counts_found_placed_and_unplaced(
    benchmark, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "events.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for event in EVENTS:
            # ACLED writes "27-Apr-20"; the fixture spells months out for readability
            day, month, year = event[1].split("-")
            writer.writerow([event[0], f"{day}-{month[:3]}-{year}", *event[2:]])
    benchmark.main(["--data", str(data), "--misses"])
    out = capsys.readouterr().out
    (total,) = [line for line in out.splitlines() if line.startswith("| **all**")]
    cells = [cell.strip() for cell in total.strip("|").split("|")]
    # story, events, coded locations, found, placed, wrong, context-free, in gazetteer
    assert cells[1:4] == ["3", "3", "3"]
    assert re.match(r"2 \(67%\)", cells[4]), cells  # Coxilha and Foz do Iguacu
    assert cells[5] == "0"  # Bamba is listed, not placed 650 km away
    assert "Mali: Bamba (no coordinates)" in out
    assert benchmark.split_of("Brazil") in ("dev", "held")
    assert benchmark.distance_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.2, abs=0.1)
