"""Saves under load through the real save service: 35 delegates, and a storm of back-to-back writers."""

from __future__ import annotations

import multiprocessing
import os
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, bindparam, event, select

from benchmarks.common import Results
from gcm import models, services
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import load_config
from gcm.db import dispose_engines, read_session, write_session
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.ui.server_process import settle_garbage_collector

try:
    import resource
except ImportError:  # not on this platform: the scenarios' cost per save is not given
    resource = None  # type: ignore[assignment]

CYCLE = "imrf2026"  # the open cycle in data/cycles.yaml


@dataclass
class Writer:
    country: str
    objective: int
    committed: int = 0
    errors: int = 0
    last_text: str = ""
    latencies: list[float] = field(default_factory=list)


def _full_sync(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _full(dbapi_connection, _record) -> None:  # after the app's own tuning, which sets NORMAL
            dbapi_connection.execute("PRAGMA synchronous=FULL")


_REPORT = models.ObjectiveReport.__table__
# The version of the report a delegate's form was drawn from, read with one compiled statement (an ORM query built
# for every save had been a third of the one-process storm's CPU: BENCHMARKS.md, section 3, gives it both ways).
_VERSION = select(_REPORT.c.version).where(
    _REPORT.c.country_iso3 == bindparam("country"),
    _REPORT.c.cycle_id == CYCLE,
    _REPORT.c.objective == bindparam("objective"),
)


def _form_version(engine: Engine, writer: Writer) -> int | None:
    """The version the delegate's form holds when Save is pressed: the page read it when it drew the form, after
    the previous save (the save itself reads the stored version again, in its transaction), so it is read before
    the moment of the save and not timed with it."""
    with engine.connect() as connection:
        return connection.execute(_VERSION, {"country": writer.country, "objective": writer.objective}).scalar()


def _save(engine: Engine, ref: Reference, writer: Writer, number: int, version: int | None) -> None:
    """One save as the app makes it when Save is pressed, timed from the press to its commit."""
    actor = Actor(name=f"delegate-{writer.country}", role="delegate", country=writer.country)
    text = f"Save {number} by {writer.country}: progress on objective {writer.objective}."
    started = time.perf_counter()
    try:
        with write_session(engine) as session:
            services.save_objective_report(
                session,
                ref,
                actor,
                country=writer.country,
                cycle_id=CYCLE,
                objective=writer.objective,
                data=services.ReportInput(status="planning", progress=text),
                expected_version=version,
            )
        writer.latencies.append(time.perf_counter() - started)
        writer.committed += 1
        writer.last_text = text
    except Exception:  # counted; the figure is how many failed
        writer.errors += 1


def _lost_updates(engine: Engine, writers: list[Writer]) -> int:
    """Committed saves not reflected in the stored row (version count or last text)."""
    lost = 0
    with read_session(engine) as session:
        for w in writers:
            row = session.scalars(
                select(models.ObjectiveReport).where(
                    models.ObjectiveReport.country_iso3 == w.country,
                    models.ObjectiveReport.cycle_id == CYCLE,
                    models.ObjectiveReport.objective == w.objective,
                )
            ).one_or_none()
            stored = row.version if row else 0
            lost += max(0, w.committed - stored)
            if row is not None and w.committed and row.progress != w.last_text:
                lost += 1
    return lost


def _writers(countries: list[str]) -> list[Writer]:
    # Two writers of one country write different objectives, so each owns one row.
    return [Writer(country, 1 + i % 23) for i, country in enumerate(countries)]


def _run_writers(
    engine: Engine, ref: Reference, writers: list[Writer], mode: str, duration: float, storm_saves: int, start: float
) -> None:
    """Each writer in its own thread, from `start` (a `time.perf_counter()` moment): `storm_saves` saves back to
    back ("storm"), or one save a second for `duration` seconds, at a random moment of each second
    ("random") or at its first instant ("same")."""
    rng = random.Random(7)
    offsets = {(w.country, w.objective): [rng.random() for _ in range(int(duration) + 1)] for w in writers}

    def work(w: Writer) -> None:
        if mode == "storm":
            time.sleep(max(0.0, start - time.perf_counter()))
            for n in range(storm_saves):
                _save(engine, ref, w, n, _form_version(engine, w))
            return
        for second in range(int(duration)):
            version = _form_version(engine, w)  # the form drawn after the previous save
            moment = start + second + (offsets[(w.country, w.objective)][second] if mode == "random" else 0.0)
            delay = moment - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            _save(engine, ref, w, second, version)

    threads = [threading.Thread(target=work, args=(w,)) for w in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


Outcome = tuple[list[Writer], int, list[float], float]  # writers, saves attempted, latencies (s), seconds


def _outcome(writers: list[Writer], mode: str, duration: float, storm_saves: int, elapsed: float) -> Outcome:
    """A scenario's writers, the saves it attempted, every save's latency in order, and the seconds its rate is
    counted over: the storm's time from start to its last save, a paced scenario's duration (its last second's
    saves end before the duration does)."""
    attempted = (storm_saves if mode == "storm" else int(duration)) * len(writers)
    latencies = sorted(x for w in writers for x in w.latencies)
    return writers, attempted, latencies, elapsed if mode == "storm" else max(elapsed, duration)


def _scenario(
    engine: Engine, ref: Reference, countries: list[str], mode: str, duration: float, storm_saves: int
) -> Outcome:
    """The scenario's writers as threads of this process."""
    writers = _writers(countries)
    start = time.perf_counter() + 0.5  # every thread has started by then
    _run_writers(engine, ref, writers, mode, duration, storm_saves, start)
    return _outcome(writers, mode, duration, storm_saves, time.perf_counter() - start)


def _usage() -> Any:
    """This process's resource usage so far (None where the platform does not say)."""
    return None if resource is None else resource.getrusage(resource.RUSAGE_SELF)


def _process_cost(before: Any, after: Any, saves: int) -> str:
    """CPU (user and kernel) and context switches per committed save, the harness's read of the form included.
    Threads of one process take turns on one interpreter: each call to the database lets another thread run, and
    every such handover is a context switch and kernel time, which one writer alone does not pay."""
    if before is None or not saves:
        return ""
    user = (after.ru_utime - before.ru_utime) / saves * 1e6
    kernel = (after.ru_stime - before.ru_stime) / saves * 1e6
    switches = (after.ru_nvcsw - before.ru_nvcsw + after.ru_nivcsw - before.ru_nivcsw) / saves
    return f", CPU {user + kernel:.0f} us/save ({kernel:.0f} in the kernel), {switches:.1f} context switches/save"


def _ready(url: str) -> tuple[Engine, Reference]:
    """The migrated engine at `url` (SQLite with synchronous=FULL) and the reference data, in a process whose
    garbage collector is set as an app server's is (delegates save through the app server's process)."""
    os.environ["GCM_DATABASE_URL"] = url
    settle_garbage_collector()
    config = load_config()
    engine = prepare_database(config)
    if engine.dialect.name == "sqlite":
        engine.dispose()
        _full_sync(engine)
    return engine, reference_for(str(config.reference_dir))


def _share_in_process(
    url: str, writers: list[Writer], mode: str, duration: float, storm_saves: int, ready: Any
) -> tuple[list[Writer], float, float]:
    """One process's share of a scenario (run with multiprocessing): its writers' results, and when (wall clock)
    it started and ended. Every process starts half a second after the last of them is ready (`ready`, a
    barrier), so that the same instant is the same for all."""
    engine, ref = _ready(url)
    ready.wait()
    started = time.time() + 0.5
    _run_writers(engine, ref, writers, mode, duration, storm_saves, time.perf_counter() + 0.5)
    return writers, started, time.time()


def _in_processes(
    url: str, countries: list[str], mode: str, duration: float, storm_saves: int, processes: int
) -> Outcome:
    """The scenario with its writers spread over `processes` processes (as N app servers share one database)."""
    writers = _writers(countries)
    shares = [writers[k::processes] for k in range(processes)]
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(processes) as pool:
        ready = manager.Barrier(processes)
        done = pool.starmap(_share_in_process, [(url, share, mode, duration, storm_saves, ready) for share in shares])
    merged = [w for share, _, _ in done for w in share]
    elapsed = max(end for *_, end in done) - min(start for _, start, _ in done)
    return _outcome(merged, mode, duration, storm_saves, elapsed)


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, round(share * (len(values) - 1)))] * 1000


def run(
    results: Results, url: str, backend: str, delegates: int, duration: float, storm_saves: int, processes: int = 2
) -> None:
    """Run the scenarios against the (empty) database at `url` in one process; then the same-instant scenario and
    the storm with their writers spread over `processes` processes, as that many app servers would share them."""
    dispose_engines()
    engine, ref = _ready(url)
    with read_session(engine) as session:
        countries = list(session.scalars(select(models.Country.iso3).order_by(models.Country.iso3)))
    countries = (countries * (delegates // len(countries) + 1))[:delegates]
    # (mode, processes, writers' countries, saves each in a storm). The storm of one writer alone makes as many
    # saves as the storm of all: what a save costs where no other thread of the process waits to run.
    scenarios = [("random", 1, countries, 0), ("same", 1, countries, 0)]
    scenarios += [("storm", 1, countries[:1], storm_saves * len(countries)), ("storm", 1, countries, storm_saves)]
    if processes > 1:
        scenarios += [("same", processes, countries, 0), ("storm", processes, countries, storm_saves)]
    for mode, spread, who, saves in scenarios:
        before = _usage()
        if spread == 1:
            writers, attempted, latencies, elapsed = _scenario(engine, ref, who, mode, duration, saves)
        else:
            writers, attempted, latencies, elapsed = _in_processes(url, who, mode, duration, saves, spread)
        committed = sum(w.committed for w in writers)
        cost = _process_cost(before, _usage(), committed) if spread == 1 else ""  # others ran in other processes
        errors = sum(w.errors for w in writers)
        lost = _lost_updates(engine, writers)
        p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
        note = (
            f"committed {committed}/{attempted}, errors {errors}, lost updates {lost}, "
            f"p99 {p99 or 0:.1f} ms, max {(latencies[-1] * 1000) if latencies else 0:.1f} ms, "
            f"{committed / elapsed:.0f} saves/s{cost}"
        )
        label = {
            "random": f"{len(writers)} delegates, 1 save/s each at random moments",
            "same": f"{len(writers)} delegates, 1 save/s each at the same instant",
            "storm": f"storm: {len(writers)} writer{'s' if len(writers) > 1 else ''} x {saves} saves",
        }[mode] + (f" in {spread} processes" if spread > 1 else "")
        results.add("load", backend, label, p50, None, note)
        with write_session(engine) as session:  # next scenario starts from empty rows again
            session.execute(models.ReportTag.__table__.delete())
            session.execute(models.ReportRevision.__table__.delete())
            session.execute(models.ObjectiveReport.__table__.delete())
    dispose_engines()
