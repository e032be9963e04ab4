"""What every benchmark shares: a database at a given scale, a results table, timing helpers."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from gcm import accounts, demo, models, synth
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import dispose_engines, write_session
from gcm.permissions import SYSTEM

# scale: (countries, cycles) of synthetic data; "crm" is the demo data set instead.
# tiny: 30 countries, six of them beyond data/countries.yaml, as at global scale (the smoke test runs it).
SCALES = {"tiny": (30, 2), "crm": None, "global": (193, 8)}
ADMIN = ("bench-admin", "bench-admin@example.org")
ANALYST = ("bench-analyst", "bench-analyst@example.org")
PASSWORD = "benchmark-password-1"
CHROMIUM = "/usr/bin/chromium"


@dataclass
class Row:
    section: str
    scale: str
    item: str
    median_ms: float | None
    ratio: float | None = None
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)

    def add(self, *args, **kwargs) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        print(format_row(row), flush=True)
        return row


def format_row(row: Row) -> str:
    median = "" if row.median_ms is None else f"{row.median_ms:10.1f}"
    ratio = "" if row.ratio is None else f"{row.ratio:7.2f}x"
    return f"{row.section:9} {row.scale:7} {row.item:52} {median:>10} {ratio:>8}  {row.note}"


def table(results: Results) -> str:
    header = f"{'section':9} {'scale':7} {'item':52} {'median ms':>10} {'ratio':>8}  note"
    return "\n".join([header, "-" * len(header)] + [format_row(r) for r in results.rows])


def markdown(results: Results) -> str:
    lines = ["| section | scale | item | median ms | ratio | note |", "|---|---|---|---:|---:|---|"]
    for r in results.rows:
        median = "" if r.median_ms is None else f"{r.median_ms:.1f}"
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        lines.append(f"| {r.section} | {r.scale} | {r.item} | {median} | {ratio} | {r.note} |")
    return "\n".join(lines)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def ratio(value: float | None, baseline: float | None) -> float | None:
    return None if value is None or not baseline else value / baseline


@contextmanager
def timer() -> Iterator[list[float]]:
    out: list[float] = []
    started = time.perf_counter()
    yield out
    out.append(time.perf_counter() - started)


def load_scale(url: str, scale: str) -> dict:
    """Migrate the database at `url`, load the scale's data and an admin account; describe what was loaded."""
    os.environ["GCM_DATABASE_URL"] = url
    dispose_engines()
    config = load_config()
    engine = prepare_database(config)
    ref = reference_for(str(config.reference_dir))
    started = time.perf_counter()
    with write_session(engine) as session:
        if SCALES[scale] is None:
            reports = demo.load_demo(session, ref)
        else:
            countries, cycles = SCALES[scale]
            reports = synth.load_synth(
                session, ref, config.reference_dir, countries=countries, cycles=cycles, seed=1
            ).reports
        _ensure_accounts(session)
    return {"reports": reports, "load_s": time.perf_counter() - started}


def _ensure_accounts(session) -> None:
    """The benchmarks' secretariat and analyst accounts."""
    existing = {u.username for u in accounts.list_users(session, SYSTEM)}
    for (username, email), role in ((ADMIN, "admin"), (ANALYST, "analyst")):
        if username not in existing:
            accounts.add_user(
                session, SYSTEM, username=username, role=role, country=None, password=PASSWORD, email=email
            )


def delegate_of(country: str) -> tuple[str, str]:
    """The benchmarks' delegate account of `country` (username, e-mail), created if missing: the delegate whose
    own report the page benchmark's saver writes."""
    username, email = f"bench-delegate-{country.lower()}", f"bench-delegate-{country.lower()}@example.org"
    with write_session(prepare_database(load_config())) as session:
        if username not in {u.username for u in accounts.list_users(session, SYSTEM)}:
            accounts.add_user(
                session, SYSTEM, username=username, role="delegate", country=country, password=PASSWORD, email=email
            )
    return username, email


def reuse_scale(url: str) -> dict:
    """Point the app at a database loaded by an earlier run (`--reuse`); describe what it holds."""
    os.environ["GCM_DATABASE_URL"] = url
    dispose_engines()
    with write_session(prepare_database(load_config())) as session:
        reports = session.scalar(select(func.count()).select_from(models.ObjectiveReport))
        _ensure_accounts(session)
    return {"reports": reports, "load_s": 0.0}


def sqlite_url(folder: Path, scale: str) -> str:
    return f"sqlite:///{folder / f'{scale}.sqlite'}"


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database from GCM_TEST_DATABASE_URL (None when it is not set), dropped afterwards."""
    base = os.environ.get("GCM_TEST_DATABASE_URL")
    if not base:
        yield None
        return
    name = f"gcm_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0


@contextmanager
def streamlit_server(script: str, database_url: str, log: Path) -> Iterator[Server]:
    """`streamlit run script` on a free loopback port, until the block ends."""
    port = free_port()
    env = {**os.environ, "GCM_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    command += ["--browser.gatherUsageStats", "false"]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.3)
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
