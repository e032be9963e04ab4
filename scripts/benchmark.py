"""Benchmark the overview's queries and charts at global scale; prints figures, asserts nothing.

    python scripts/benchmark.py [DATABASE_URL]

Builds 193 countries × 23 objectives × 8 cycles with ~2.6 KB of narrative per report in a
temporary SQLite file (or the given database, which must be empty), then times each query.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from gcm import charts, models, queries
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import load_config
from gcm.db import read_session, write_session

COUNTRIES, CYCLES, NARRATIVE = 193, 8, 650


def _populate(engine) -> int:
    rng = random.Random(1)
    statuses = ["no_action", "planning", "initial", "advanced", "full"]
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing. " * (NARRATIVE // 52 + 1)
    now = dt.datetime.now(dt.UTC)
    with write_session(engine) as session:
        session.execute(insert(models.CountryGroup), [{"key": "BENCH", "name_en": "Bench", "name_es": "Bench"}])
        codes = [f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}Q" for i in range(COUNTRIES)]
        session.execute(insert(models.Country), [{"iso3": c, "name_en": c, "name_es": c} for c in codes])
        session.execute(insert(models.CountryMembership), [{"group_key": "BENCH", "country_iso3": c} for c in codes])
        cycles = [f"bench{i}" for i in range(CYCLES)]
        session.execute(
            insert(models.Cycle),
            [
                {
                    "id": c,
                    "name_en": c,
                    "name_es": c,
                    "start": dt.date(2030 + i, 1, 1),
                    "end": dt.date(2030 + i, 1, 2),
                    "grouping_id": "imrf2022",
                    "grouping_confirmed": True,
                    "is_open": True,
                }
                for i, c in enumerate(cycles)
            ],
        )
        rows = [
            {
                "country_iso3": c,
                "cycle_id": cy,
                "objective": o,
                "status": rng.choice(statuses),
                "progress": text[:NARRATIVE],
                "challenges": text[:NARRATIVE],
                "priorities": text[:NARRATIVE],
                "good_practice": text[:NARRATIVE],
                "national_priority": rng.random() < 0.3,
                "evidence_links": [],
                "is_demo": False,
                "updated_by": "bench",
                "updated_at": now,
                "version": 1,
            }
            for cy in cycles
            for c in codes
            for o in range(1, 24)
            if rng.random() < 0.85
        ]
        for start in range(0, len(rows), 5000):
            session.execute(insert(models.ObjectiveReport), rows[start : start + 5000])
    return len(rows)


def _time(label: str, fn, repeat: int = 20) -> None:
    fn()
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    print(f"{label:<42} {(time.perf_counter() - started) / repeat * 1000:8.2f} ms")


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    os.environ["GCM_DATABASE_URL"] = url
    config = load_config()
    engine = prepare_database(config)
    ref = reference_for(str(config.reference_dir))
    started = time.perf_counter()
    count = _populate(engine)
    print(f"database: {engine.dialect.name}; {count} reports inserted in {time.perf_counter() - started:.1f} s")
    with engine.connect() as conn:  # fresh statistics, as autovacuum / a running server would have
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    with read_session(engine) as s:
        ALL = queries.EVERYTHING  # the secretariat's scope: every report
        _time("data_revision (every page run)", lambda: queries.data_revision(s))
        _time(
            "status_by_section (1 cycle, 193 countries)", lambda: queries.status_by_section(s, "bench3", "BENCH", ALL)
        )
        _time("status_matrix (1 cycle)", lambda: queries.status_matrix(s, "bench3", "BENCH", ALL))
        _time("objective_coverage (1 cycle)", lambda: queries.objective_coverage(s, "bench3", "BENCH", ALL))
        _time("headline (1 cycle)", lambda: queries.headline(s, "bench3", "BENCH", ALL))
        matrix = queries.status_matrix(s, "bench3", "BENCH", ALL)
        counts = queries.status_by_section(s, "bench3", "BENCH", ALL)
        coverage = queries.objective_coverage(s, "bench3", "BENCH", ALL)
        members = queries.member_countries(s, "BENCH")
    names = {c: c for c in members}
    ref_plus = ref.with_countries(  # its cached lookups (by code, by name) start empty
        type(ref.countries[0])(c, type(ref.countries[0].name)(names[c], names[c]), ("BENCH",)) for c in members
    )
    _time("stacked bars figure", lambda: charts.status_by_section_figure(ref_plus, "es", counts, False), 5)
    _time("heatmap figure (193 × 23)", lambda: charts.status_heatmap_figure(ref_plus, "es", matrix, members), 5)
    _time("coverage figure", lambda: charts.coverage_figure(ref_plus, "es", coverage), 5)


if __name__ == "__main__":
    main()
