"""`python -m gcm template` and `python -m gcm import-template`: the workbook round trip on the command line.

The command line acts as the system (the server operator, who holds the database anyway), as
every other command does, unless `--as USERNAME` names an account: then that account's
permissions apply exactly as in the app (a delegate only for its country, while the cycle is
open, never over a submitted report).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from gcm import models
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import load_config
from gcm.db import read_session
from gcm.errors import DomainError
from gcm.i18n import t
from gcm.permissions import SYSTEM, Actor
from gcm.unit import perform
from gcm.workbook import plan, reader, template
from gcm.workbook.layout import MAX_BYTES

COMMANDS = ("template", "import-template")
LANG = "en"  # the command line speaks English, like every other command


def _objectives(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("a comma-separated list of objective numbers, e.g. 3,7") from None


def add_commands(commands: argparse._SubParsersAction) -> None:
    make = commands.add_parser("template", help="write the offline workbook (XLSX) of a country and cycle")
    make.add_argument("--country", required=True, help="ISO3 code, e.g. MEX")
    make.add_argument("--cycle", required=True, help="cycle id, e.g. imrf2022")
    make.add_argument("--lang", choices=("es", "en"), default="es")
    make.add_argument("--as", dest="username", help="pre-fill only what this account may read (default: everything)")
    make.add_argument("-o", "--output", required=True, type=Path)
    load = commands.add_parser(
        "import-template", help="check a filled-in workbook and show the preview; --apply writes it"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--as", dest="username", help="act as this account, with its permissions (default: system)")
    load.add_argument("--apply", action="store_true", help="write the new and changed entries (all or none)")
    load.add_argument(
        "--overwrite-conflicts",
        type=_objectives,
        default=(),
        metavar="OBJ,...",
        help="objectives whose entry saved since the template was made is overwritten",
    )


def _actor(engine: object, username: str | None) -> Actor:
    if username is None:
        print(
            "Acting as the system (server operator): the delegate's permission checks do not apply."
            " Use --as USERNAME to act as an account.",
            file=sys.stderr,
        )
        return SYSTEM
    with read_session(engine) as session:
        user = session.scalars(select(models.UserAccount).where(models.UserAccount.username == username)).one_or_none()
    if user is None or not user.is_active:
        raise DomainError("unknown_value", "username", value=username)
    return Actor(name=user.username, role=user.role, country=user.country_iso3, user_id=user.id)


def _template(args: argparse.Namespace) -> int:
    config = load_config()
    engine = prepare_database(config)
    actor = SYSTEM if args.username is None else _actor(engine, args.username)
    if not args.output.parent.exists():
        print(f"Cannot write {args.output}: folder {args.output.parent} does not exist.", file=sys.stderr)
        return 2
    with read_session(engine) as session:
        content = template.build_template(
            session, reference_for(str(config.reference_dir)), actor, args.country, args.cycle, args.lang
        )
    args.output.write_bytes(content)
    print(f"Wrote the template of {args.country} for {args.cycle} ({args.lang}) to {args.output}.")
    return 0


def _problem_line(problem: reader.Problem) -> str:
    where = ", ".join(
        part
        for part in (
            f"row {problem.row}" if problem.row else "",
            f"column {problem.column}" if problem.column else "",
            f"value {problem.value!r}" if problem.value else "",
        )
        if part
    )
    return f"{where}: {problem.why}" if where else problem.why


def _change_line(row: plan.PreviewRow) -> str:
    fields = ", ".join(change.field for change in row.changes)
    line = f"objective {row.objective}: {row.kind}"
    if row.kind == "conflict":
        line += f" (saved version {row.saved_version}, template made from {row.template_version or 'nothing'})"
    return f"{line}: {fields}" if fields else line


def _import(args: argparse.Namespace) -> int:
    config = load_config()
    engine = prepare_database(config)
    ref = reference_for(str(config.reference_dir))
    size = args.file.stat().st_size
    if size > MAX_BYTES:
        print(f"Error: {_problem_line(reader.too_big(size, LANG))}", file=sys.stderr)
        return 1
    upload = reader.read_upload(args.file.read_bytes(), ref, LANG)
    if not upload.ok:
        for problem in upload.problems:
            print(f"Error: {_problem_line(problem)}", file=sys.stderr)
        return 1
    actor = _actor(engine, args.username)
    with read_session(engine) as session:
        shown = plan.preview(session, actor, upload)
    for row in shown.rows:
        if row.kind not in ("empty", "unchanged"):
            print(_change_line(row))
    print(f"{upload.country} {upload.cycle_id}: {plan.summary_text(LANG, plan.summary(shown))}")
    if not args.apply:
        print("Nothing was written (preview only). Run again with --apply to import.")
        return 0
    result = perform(
        engine,
        actor,
        lambda session: plan.apply_import(session, ref, actor, upload, shown, args.overwrite_conflicts),
        what=f"import workbook {upload.country}/{upload.cycle_id}",
        address="cli",
    )
    written = ", ".join(str(objective) for objective, _ in result.written)
    count = len(result.written)
    print(t(LANG, "workbook.applied", count=count, objectives=written) if count else t(LANG, "workbook.applied_none"))
    if result.skipped_conflicts:
        kept = ", ".join(map(str, result.skipped_conflicts))
        skipped = t(LANG, "workbook.skipped", objectives=kept, n=len(result.skipped_conflicts))
        print(f"{skipped} Use --overwrite-conflicts {kept.replace(' ', '')} to overwrite.")
    return 0


def run(args: argparse.Namespace) -> int:
    return _template(args) if args.command == "template" else _import(args)
