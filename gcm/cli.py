"""Command line: `python -m gcm init|demo|export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from gcm import demo, export
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import load_config
from gcm.db import dispose_engines, write_session
from gcm.reference import ReferenceDataError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gcm", description="GCM objective tracker: database and data tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help="create or migrate the database and load the reference data")
    demo_cmd = commands.add_parser("demo", help="load illustrative demo reports (refused where real reports exist)")
    demo_cmd.add_argument("--remove", action="store_true", help="delete the demo reports, and only them")
    export_cmd = commands.add_parser("export", help="write the open-data export")
    export_cmd.add_argument("--format", required=True, choices=export.FORMATS, help="json, csv or xlsx")
    export_cmd.add_argument("-o", "--output", required=True, type=Path, help="file to write")
    return parser


def _init() -> int:
    prepare_database(load_config())
    print(f"Database ready: {load_config().database_url}")
    return 0


def _demo(remove: bool) -> int:
    config = load_config()
    engine = prepare_database(config)
    ref = reference_for(str(config.reference_dir))
    with write_session(engine) as session:
        if remove:
            print(f"Removed {demo.services.remove_demo_reports(session)} demo reports.")
            return 0
        try:
            count = demo.load_demo(session, ref)
        except demo.DemoRefused:
            print(
                "Refused: the database holds real reports. Demo data is only loaded where there are none.",
                file=sys.stderr,
            )
            return 1
    print(f"Loaded {count} illustrative demo reports. Remove them with: python -m gcm demo --remove")
    return 0


def _export(fmt: str, output: Path) -> int:
    config = load_config()
    engine = prepare_database(config)
    if not output.parent.exists():
        print(f"Cannot write {output}: folder {output.parent} does not exist.", file=sys.stderr)
        return 2
    with write_session(engine) as session:
        count = export.write_export(session, reference_for(str(config.reference_dir)), fmt, output)
    print(f"Wrote {count} reports to {output} ({fmt}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "init":
            return _init()
        if args.command == "demo":
            return _demo(args.remove)
        return _export(args.format, args.output)
    except ReferenceDataError as exc:
        print(f"Reference data error: {exc}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, OSError) as exc:
        print(f"Error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        dispose_engines()
