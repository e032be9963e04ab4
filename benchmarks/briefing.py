"""Briefing pack build time (HTML, PPTX, PDF) for the latest reported cycle."""

from __future__ import annotations

import time

from benchmarks.common import Results
from gcm import briefing, findings, queries
from gcm.bootstrap import ready_engine, reference_for, with_database_countries
from gcm.config import load_config
from gcm.db import read_session
from gcm.permissions import SYSTEM

FORMATS = ("html", "pptx", "pdf")


def run(results: Results, scale: str, group: str | None) -> None:
    config = load_config()
    engine = ready_engine(config)
    with read_session(engine) as session:
        ref = with_database_countries(session, reference_for(str(config.reference_dir)))
        scope = findings.findings_scope(SYSTEM, findings.rehearsal_on(session))
        cycle = queries.latest_reported_cycle_id(session, group, scope)
        for fmt in FORMATS:
            started = time.perf_counter()
            try:
                content = briefing.build_pack(session, ref, "es", cycle, group, scope, fmt)
            except briefing.ChromiumMissing as exc:
                results.add("briefing", scale, fmt, None, None, f"not measured: {exc}")
                continue
            took = time.perf_counter() - started
            note = f"cycle {cycle}, group {group or 'ALL'}, {len(content) / 1e6:.1f} MB"
            results.add("briefing", scale, f"{fmt} pack", took * 1000, None, note)
