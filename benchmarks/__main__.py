"""`python -m benchmarks --scale crm,global [--only pages,browser,load,memory,briefing] [--quick]`.

Prints one table; every figure is an absolute median plus, where one applies, its ratio to a
baseline measured in the same run (this machine is shared and noisy). Asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path
from unittest import mock

from benchmarks import briefing, browser, common, load, pages
from gcm.config import ROOT

SECTIONS = ("pages", "browser", "load", "memory", "briefing")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="crm,global", help="comma-separated: tiny, crm, global")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {', '.join(SECTIONS)}")
    parser.add_argument("--repeats", type=int, default=5, help="runs per page (median taken)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of the 35-delegate load scenarios")
    parser.add_argument("--delegates", type=int, default=35)
    parser.add_argument("--storm-saves", type=int, default=100, help="saves per writer in the storm")
    parser.add_argument(
        "--processes",
        type=int,
        default=2,
        help="processes the same-instant and storm scenarios also run in (N app servers); 1: not",
    )
    parser.add_argument("--sessions", default="50,200", help="browser sessions before the two RSS readings")
    parser.add_argument("--pages", default="", help="comma-separated pages (default: all for AppTest)")
    parser.add_argument(
        "--roles",
        default="admin,analyst",
        help="comma-separated roles the AppTest pages are opened as: admin, analyst, delegate",
    )
    parser.add_argument("--folder", type=Path, help="where the databases and logs go (default: a temporary folder)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database already in --folder instead of loading it again"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    parser.add_argument(
        "--group",
        default="",
        help="the group the pages show by default (a group's key, or ALL for every country); default: CRM at crm "
        "scale, ALL at tiny and global scale",
    )
    parser.add_argument(
        "--cycle",
        choices=("default", "open"),
        default="default",
        help="the cycle the pages show: each page's default (the latest with reports handed in, for most), or the "
        "open cycle, the one every save of the harness writes",
    )
    return parser


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit {commit.strip() or '?'}, {os.cpu_count()} CPUs "
        f"({cpu}), {int(memory) / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the harness. The variables it sets on the way (each scale's database and default group) are
    restored when it returns, so a caller in the same process (the smoke test) keeps its own."""
    with mock.patch.dict(os.environ):
        return _main(_parser().parse_args(argv))


def _main(args: argparse.Namespace) -> int:
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    scales = [s.strip() for s in args.scale.split(",") if s.strip()]
    sessions = tuple(int(n) for n in args.sessions.split(","))
    results = common.Results()
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="gcm-bench-") as temp:
        folder = args.folder or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        for scale in scales:
            if not only & {"pages", "browser", "memory", "briefing"}:
                break
            url = common.sqlite_url(folder, scale)
            path = Path(url.removeprefix("sqlite:///"))
            if args.reuse and path.exists():
                loaded = common.reuse_scale(url)
            else:
                path.unlink(missing_ok=True)
                loaded = common.load_scale(url, scale)
            size = Path(url.removeprefix("sqlite:///")).stat().st_size / 1e6
            results.add(
                "data",
                scale,
                "load (SQLite)",
                loaded["load_s"] * 1000,
                None,
                f"{loaded['reports']} reports, {size:.0f} MB",
            )
            shown = args.group or ("CRM" if scale == "crm" else "ALL")  # synthetic data: every country in one group
            group = None if shown == "ALL" else shown
            os.environ["GCM_DEFAULT_GROUP"] = shown
            if "pages" in only:
                chosen = tuple(p for p in args.pages.split(",") if p) or pages.PAGES
                roles = tuple(r.strip() for r in args.roles.split(",") if r.strip())
                pages.run(results, scale, args.repeats, chosen, roles, open_cycle=args.cycle == "open")
            if "browser" in only:
                chosen = tuple(p for p in args.pages.split(",") if p) or browser.HEAVY_PAGES
                browser.run_pages(results, scale, url, folder, max(1, args.repeats // 2), chosen)
            if "memory" in only:
                browser.run_memory(results, scale, url, folder, sessions)
            if "briefing" in only:
                briefing.run(results, scale, group)
        if "load" in only:
            started = time.perf_counter()
            url = common.sqlite_url(folder, "load")
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            load.run(results, url, "sqlite", args.delegates, args.duration, args.storm_saves, args.processes)
            with common.postgres_database() as pg_url:
                if pg_url is None:
                    results.add("load", "postgres", "not measured", None, None, "GCM_TEST_DATABASE_URL is not set")
                else:
                    load.run(
                        results, pg_url, "postgres", args.delegates, args.duration, args.storm_saves, args.processes
                    )
            print(f"(load took {time.perf_counter() - started:.0f} s)", flush=True)
    print()
    print(common.table(results))
    if args.markdown:
        args.markdown.write_text(machine() + "\n\n" + common.markdown(results) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
