"""Command line: `python -m gcm init|demo|export`."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from gcm import accounts, backup, briefing, demo, findings, queries, synth
from gcm.bootstrap import prepare_database, reference_for, with_database_countries
from gcm.config import load_config
from gcm.db import dispose_engines, read_session, write_session
from gcm.errors import DomainError, ValidationError
from gcm.i18n import error_message
from gcm.opendata import export
from gcm.permissions import ROLES, SYSTEM
from gcm.reference import ReferenceDataError
from gcm.workbook import cli as workbook_cli


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gcm", description="GCM objective tracker: database and data tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help="create or migrate the database and load the reference data")
    demo_cmd = commands.add_parser("demo", help="load illustrative demo reports (refused where real reports exist)")
    demo_cmd.add_argument("--remove", action="store_true", help="delete the demo reports, and only them")
    synth_cmd = commands.add_parser(
        "synth", help="load synthetic reports for UN member states at global scale (refused where real reports exist)"
    )
    synth_cmd.add_argument("--countries", type=int, default=193, help="how many UN member states (at most 193)")
    synth_cmd.add_argument("--cycles", type=int, default=8, help="how many cycles (beyond cycles.yaml: synthetic)")
    synth_cmd.add_argument("--seed", type=int, default=1, help="the same seed always writes the same data")
    synth_cmd.add_argument("--remove", action="store_true", help="delete the synthetic data, and only it")
    export_cmd = commands.add_parser("export", help="write the open-data export")
    export_cmd.add_argument("--format", required=True, choices=export.FORMATS, help="json, csv or xlsx")
    export_cmd.add_argument("-o", "--output", required=True, type=Path, help="file to write")
    scope = export_cmd.add_mutually_exclusive_group()
    scope.add_argument(
        "--all",
        action="store_true",
        help="every report, drafts included (for the secretariat; each row's report_state says which)",
    )
    scope.add_argument(
        "--validated-only", action="store_true", help="only validated country reports (the default, kept for scripts)"
    )
    _user_parser(commands)
    workbook_cli.add_commands(commands)
    backup_cmd = commands.add_parser("backup", help="write a consistent snapshot of the database (safe while running)")
    backup_cmd.add_argument("-o", "--output", required=True, type=Path, help="new file to write")
    restore_cmd = commands.add_parser("restore", help="replace the database's content with a backup and migrate it")
    restore_cmd.add_argument("file", type=Path, help="a file written by python -m gcm backup")
    restore_cmd.add_argument("--force", action="store_true", help="overwrite a database that holds data")
    brief = commands.add_parser("briefing", help="write the briefing pack of a cycle (self-contained HTML)")
    brief.add_argument("--cycle", required=True, help="cycle id, e.g. imrf2022")
    brief.add_argument("--lang", choices=("es", "en"), default="es")
    brief.add_argument(
        "--format",
        choices=("html", "pptx", "pdf"),
        default="html",
        help="html (self-contained), pptx or pdf (these two need Debian's chromium)",
    )
    brief.add_argument("--group", default="CRM", help="country group (default CRM; ALL for every country)")
    brief.add_argument("-o", "--output", required=True, type=Path)
    return parser


def _briefing(args: argparse.Namespace) -> int:
    config = load_config()
    engine = prepare_database(config)
    ref = reference_for(str(config.reference_dir))
    group = None if args.group == "ALL" else args.group
    with read_session(engine) as session:
        if args.cycle not in set(queries.cycles(session)["id"]):
            print(f"Unknown cycle: {args.cycle}", file=sys.stderr)
            return 2
        scope = findings.findings_scope(SYSTEM, findings.rehearsal_on(session))
        content = briefing.build_pack(
            session,
            with_database_countries(session, ref),
            args.lang,
            args.cycle,
            group,
            scope,
            args.format,
            progress=lambda share, text: print(f"{share:4.0%} {text}", file=sys.stderr),
        )
    args.output.write_bytes(content)
    print(f"Wrote the briefing pack to {args.output}.")
    return 0


def _user_parser(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser("user", help="manage accounts (passwords are read from a prompt or standard input)")
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--country", help="ISO3 code of the delegate's country (delegates only)")
    add.add_argument("--email", help="e-mail address, used to match single sign-on identities")
    add.add_argument("--sso-only", action="store_true", help="no local password: sign in through single sign-on only")
    actions.add_parser("passwd", help="set a new password").add_argument("name")
    actions.add_parser("disable", help="disable an account and end its sessions").add_argument("name")
    actions.add_parser("list", help="list the accounts")


NO_ADMIN_HINT = "No administrator account exists yet. Create one with: python -m gcm user add NAME --role admin"


def _init() -> int:
    engine = prepare_database(load_config())
    print(f"Database ready: {load_config().database_url}")
    with read_session(engine) as session:
        if not accounts.admin_exists(session):
            print(NO_ADMIN_HINT)
    return 0


def _read_password(stdin: TextIO) -> str:
    """From a prompt (asked twice) on a terminal, else the first line of standard input."""
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != first:
            raise DomainError("passwords_differ", "password")
        return first
    return stdin.readline().rstrip("\r\n")


def _user(args: argparse.Namespace, stdin: TextIO) -> int:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        if args.action == "list":
            for user in accounts.list_users(session, SYSTEM):
                state = "active" if user.is_active else "disabled"
                print(f"{user.username}\t{user.role}\t{user.country or '-'}\t{user.email or '-'}\t{state}")
            return 0
        if args.action == "add":
            password = None if args.sso_only else _read_password(stdin)
            accounts.add_user(
                session,
                SYSTEM,
                username=args.name,
                role=args.role,
                country=args.country,
                password=password,
                email=args.email,
            )
            print(f"Account {args.name} ({args.role}) created.")
        elif args.action == "passwd":
            accounts.set_password(session, SYSTEM, username=args.name, password=_read_password(stdin))
            print(f"Password of {args.name} changed; its sessions were signed out.")
        else:
            accounts.disable_user(session, SYSTEM, username=args.name)
            print(f"Account {args.name} disabled; its sessions were signed out.")
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


def _synth(args: argparse.Namespace) -> int:
    config = load_config()
    engine = prepare_database(config)
    ref = reference_for(str(config.reference_dir))
    started = time.perf_counter()
    with write_session(engine) as session:
        if args.remove:
            print(f"Removed {synth.remove_synth(session)} synthetic reports with their countries and cycles.")
            return 0
        try:
            result = synth.load_synth(
                session, ref, config.reference_dir, countries=args.countries, cycles=args.cycles, seed=args.seed
            )
        except synth.SynthRefused:
            print(
                "Refused: the database holds real reports. Synthetic data is only loaded where there are none.",
                file=sys.stderr,
            )
            return 1
    print(
        f"Loaded {result.reports} synthetic reports ({result.countries_added} countries and {result.cycles_added}"
        f" cycles added, {result.demo_removed} demo reports replaced) in {time.perf_counter() - started:.1f} s."
        " Remove them with: python -m gcm synth --remove"
    )
    return 0


def _export(fmt: str, output: Path, everything: bool) -> int:
    config = load_config()
    engine = prepare_database(config)
    if not output.parent.exists():
        print(f"Cannot write {output}: folder {output.parent} does not exist.", file=sys.stderr)
        return 2
    with write_session(engine) as session:
        scope = export.EVERYTHING if everything else export.VALIDATED_ONLY
        count = export.write_export(
            session, with_database_countries(session, reference_for(str(config.reference_dir))), fmt, output, scope
        )
    kind = "reports in every state, drafts included" if everything else "validated reports"
    print(f"Wrote {count} {kind} to {output} ({fmt}).")
    return 0


def _backup(args: argparse.Namespace) -> int:
    engine = prepare_database(load_config())
    try:
        if args.command == "backup":
            held = backup.backup(engine, args.output)
            print(f"Wrote a backup of {held.reports} reports and {held.accounts} accounts to {args.output}.")
        else:
            held = backup.restore(engine, args.file, force=args.force)
            print(f"Restored {held.reports} reports and {held.accounts} accounts from {args.file}.")
    except backup.BackupError as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    return 0


def _message(error: DomainError) -> str:
    errors = error.errors if isinstance(error, ValidationError) else [error]
    return "; ".join(error_message("en", e) for e in errors)


def main(argv: list[str] | None = None, stdin: TextIO = sys.stdin) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "init":
            return _init()
        if args.command == "demo":
            return _demo(args.remove)
        if args.command == "synth":
            return _synth(args)
        if args.command == "user":
            return _user(args, stdin)
        if args.command in ("backup", "restore"):
            return _backup(args)
        if args.command == "briefing":
            return _briefing(args)
        if args.command in workbook_cli.COMMANDS:
            return workbook_cli.run(args)
        return _export(args.format, args.output, args.all)
    except DomainError as exc:
        print(f"Error: {_message(exc)}", file=sys.stderr)
        return 1
    except ReferenceDataError as exc:
        print(f"Reference data error: {exc}", file=sys.stderr)
        return 1
    except briefing.ChromiumMissing as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, OSError) as exc:
        print(f"Error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        dispose_engines()
