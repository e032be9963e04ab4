"""Reading an uploaded workbook: the package checked first, then the template, then every row.

Nothing here trusts the file: its name plays no part; the zip is checked (size, compression
ratio, macros, DTDs) before openpyxl opens it; openpyxl reads it in read-only mode with formulas
as written (never evaluated); every row is validated with the form's own rules
(`gcm.services.validate_report`). Every problem is listed at once, row by row, in the user's
language.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gcm import services
from gcm.errors import DomainError, ValidationError
from gcm.i18n import error_message, t
from gcm.reference import OBJECTIVE_COUNT, Reference
from gcm.services import ReportInput
from gcm.workbook import layout
from gcm.workbook.layout import COLUMNS, FIELDS, FIRST_ROW, LIST_FIELDS, MAX_BYTES, META_SHEET, TEXT_FIELDS

MAX_UNCOMPRESSED = 25 * 1024 * 1024  # all members together, as declared in the zip directory
MAX_RATIO = 100  # uncompressed / compressed, per member (Apache POI's default limit)
MAX_MEMBERS = 200
SHOWN_VALUE = 80  # characters of a refused value echoed back


@dataclass(frozen=True)
class Problem:
    """One reason the upload cannot be applied: where (row, column), the value found, and why."""

    code: str
    why: str
    row: int | None = None
    column: str = ""
    value: str = ""


@dataclass(frozen=True)
class UploadRow:
    """One objective's row: what the delegate typed (as the form's input) and what the template held."""

    objective: int
    row: int
    data: ReportInput
    values: dict[str, Any]  # layout.canonical form of what was typed
    edited: bool  # differs from what the template was pre-filled with
    template_version: int | None


@dataclass(frozen=True)
class Upload:
    """A checked workbook: its template facts and rows, or the problems that stop it."""

    problems: tuple[Problem, ...]
    country: str = ""
    cycle_id: str = ""
    lang: str = ""
    rows: tuple[UploadRow, ...] = ()
    template_versions: dict[int, int | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(lang: str, code: str, row: int | None = None, column: str = "", value: Any = "", **params: Any) -> Problem:
    shown = "" if value is None else str(value)[:SHOWN_VALUE]
    return Problem(code, t(lang, f"workbook.problem.{code}", **params), row, column, shown)


def too_big(size: int, lang: str) -> Problem:
    return _problem(lang, "too_big", size=round(size / 1024 / 1024, 1), limit=MAX_BYTES // 1024 // 1024)


def inspect_package(data: bytes, lang: str) -> list[Problem]:
    """Refuse what is not a plain XLSX before any XML parser sees it: size, zip bomb, macros, DTDs."""
    if len(data) > MAX_BYTES:
        return [too_big(len(data), lang)]
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        return [_problem(lang, "not_workbook")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if len(members) > MAX_MEMBERS:
                return [_problem(lang, "zip_bomb")]
            total = sum(m.file_size for m in members)
            # CPython's zipfile never inflates a member beyond its declared size, so these bounds hold.
            if total > MAX_UNCOMPRESSED or any(
                m.file_size > MAX_RATIO * max(m.compress_size, 1) and m.file_size > 64 * 1024 for m in members
            ):
                return [_problem(lang, "zip_bomb")]
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return [_problem(lang, "macros")]
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return [_problem(lang, "not_workbook")]
            types = archive.read("[Content_Types].xml").lower()
            if b"macroenabled" in types or b"vbaproject" in types:
                return [_problem(lang, "macros")]
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")) and b"<!doctype" in archive.read(member).lower():
                    return [_problem(lang, "not_workbook")]
    # zipfile raises NotImplementedError for a compression method it cannot read: not a workbook either.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        return [_problem(lang, "not_workbook")]
    return []


def _meta(sheet: Any) -> tuple[dict[str, Any], dict[int, tuple[int | None, str]]]:
    facts: dict[str, Any] = {}
    entries: dict[int, tuple[int | None, str]] = {}
    in_entries = False
    for row in sheet.iter_rows(min_row=1, max_col=3, max_row=8 + OBJECTIVE_COUNT, values_only=True):
        key, value, extra = (*row, None, None, None)[:3]
        if key == "objective":
            in_entries = True
        elif in_entries and isinstance(key, int):
            entries[key] = (value if isinstance(value, int) else None, str(extra or ""))
        elif isinstance(key, str):
            facts[key] = value
    return facts, entries


def _string(value: Any) -> str:
    """A cell's value as the text a person typed: a whole number without ".0", and a date (a spreadsheet stores
    "1/3/2025" typed in a text cell as one) as 2025-03-01, its time only where it has one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _is_formula(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return getattr(cell, "data_type", None) == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula")


class _RowReader:
    """Turns one row's cells into the form's input, collecting problems."""

    def __init__(self, ref: Reference, lang: str) -> None:
        self.ref, self.lang = ref, lang
        self.tables = {name: layout.lookup(ref, name) for name in ("status", *LIST_FIELDS)}
        self.yes_no = layout.yes_no_lookup()

    def column(self, name: str) -> str:
        return f"{layout.column_letter(name)} · {layout.header(self.lang, name)}"

    def read(self, number: int, cells: dict[str, Any], problems: list[Problem]) -> tuple[ReportInput, dict[str, Any]]:
        text = {name: _string(cells.get(name)) for name in FIELDS}
        status = text["status"].strip()
        flag = cells.get("national_priority")
        if isinstance(flag, bool):
            national = flag
        elif not text["national_priority"].strip():
            national = False
        else:
            found = self.yes_no.get(" ".join(text["national_priority"].casefold().split()))
            if found is None:
                problems.append(
                    _problem(
                        self.lang,
                        "yes_no",
                        number,
                        self.column("national_priority"),
                        text["national_priority"],
                        yes=layout.answers(self.lang)[0],
                        no=layout.answers(self.lang)[1],
                    )
                )
            national = bool(found)
        lists = {
            name: tuple(layout.match(self.tables[name], part) for part in layout.split_multi(text[name]))
            for name in LIST_FIELDS
        }
        data = ReportInput(
            status=layout.match(self.tables["status"], status) if status else None,
            national_priority=national,
            **{name: text[name] for name in TEXT_FIELDS},
            **lists,
            evidence_links=services.parse_links(text["evidence_links"]),
        )
        return data, layout.canonical(
            {
                "status": data.status,
                "national_priority": national,
                **{name: text[name] for name in TEXT_FIELDS},
                **lists,
                "evidence_links": list(data.evidence_links),
            }
        )

    def validate(self, number: int, data: ReportInput, problems: list[Problem]) -> None:
        """The form's rules, row by row: each error names its column and the value refused."""
        try:
            services.validate_report(self.ref, data)
        except ValidationError as exc:
            for error in exc.errors:
                problems.append(self._from_error(number, data, error))

    def _from_error(self, number: int, data: ReportInput, error: DomainError) -> Problem:
        name = error.field or ""
        value = error.params.get("value")
        if value is None and name in FIELDS:
            value = getattr(data, name, "")
        shown = "" if value is None else str(value)[:SHOWN_VALUE]
        column = self.column(name) if name in FIELDS else ""
        return Problem(error.code, error_message(self.lang, error), number, column, shown)


def _check_template(
    facts: dict[str, Any], expected_country: str | None, expected_cycle: str | None, lang: str, ref: Reference
) -> list[Problem]:
    if facts.get("kind") != layout.KIND:
        return [_problem(lang, "not_template")]
    if facts.get("template_version") != layout.TEMPLATE_VERSION:
        return [
            _problem(
                lang,
                "wrong_version",
                value=facts.get("template_version"),
                found=facts.get("template_version"),
                version=layout.TEMPLATE_VERSION,
            )
        ]
    problems = []
    if facts.get("lang") not in ("es", "en"):
        problems.append(_problem(lang, "not_template"))
    for fact, expected, name in (
        ("country", expected_country, ref.country_name),
        ("cycle", expected_cycle, ref.cycle_name),
    ):
        found = facts.get(fact)
        if expected and found != expected:  # each named, in the reader's language
            problems.append(
                _problem(
                    lang,
                    f"wrong_{fact}",
                    value=found,
                    found=name(str(found), lang),
                    expected=name(expected, lang),
                )
            )
    return problems


def read_upload(
    data: bytes,
    ref: Reference,
    lang: str,
    expected_country: str | None = None,
    expected_cycle: str | None = None,
) -> Upload:
    """Check an uploaded workbook completely; `Upload.problems` lists everything wrong with it."""
    problems = inspect_package(data, lang)
    if problems:
        return Upload(tuple(problems))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_vba=False)
    except Exception:  # (any parser failure means: not a workbook we can read)
        return Upload((_problem(lang, "not_workbook"),))
    try:
        return _read(workbook, ref, lang, expected_country, expected_cycle)
    except Exception:  # (a malformed part found while reading the sheets)
        return Upload((_problem(lang, "not_workbook"),))
    finally:
        workbook.close()


def _read(workbook: Any, ref: Reference, lang: str, expected_country: str | None, expected_cycle: str | None) -> Upload:
    if META_SHEET not in workbook.sheetnames:
        return Upload((_problem(lang, "not_template"),))
    facts, entries = _meta(workbook[META_SHEET])
    problems = _check_template(facts, expected_country, expected_cycle, lang, ref)
    if problems:
        return Upload(tuple(problems))
    names = layout.sheet_names(facts["lang"])
    missing = [name for name in names.values() if name not in workbook.sheetnames]
    if missing:
        return Upload(tuple(_problem(lang, "missing_sheet", value=name, name=name) for name in missing))
    if facts.get("country") not in {c.iso3 for c in ref.countries} or facts.get("cycle") not in {
        c.id for c in ref.cycles
    }:
        return Upload((_problem(lang, "not_template"),))
    sheet = workbook[names["report"]]
    reader = _RowReader(ref, lang)
    problems = []
    width = len(COLUMNS)
    rows = sheet.iter_rows(min_row=1, max_col=width)
    header = next(rows, ())
    for index, (name, _) in enumerate(COLUMNS):
        found = _string(header[index].value if index < len(header) else None).strip()
        if found != layout.header(facts["lang"], name):
            letter = get_column_letter(index + 1)
            expected = layout.header(facts["lang"], name)
            problems.append(_problem(lang, "moved_column", 1, letter, found, expected=expected))
    if problems:
        return Upload(tuple(problems))
    parsed: list[UploadRow] = []
    seen: dict[int, int] = {}
    filled = 0
    for number, cells in enumerate(rows, start=FIRST_ROW):
        values = [getattr(cell, "value", None) for cell in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        filled += 1
        if filled > OBJECTIVE_COUNT:
            problems.append(_problem(lang, "too_many_rows", number, count=OBJECTIVE_COUNT))
            break
        for index, cell in enumerate(cells):
            if _is_formula(cell):
                where = f"{get_column_letter(index + 1)}{number}"
                problems.append(
                    _problem(lang, "formula", number, reader.column(FIELDS[index]), _string(cell.value), cell=where)
                )
        by_name = dict(zip(FIELDS, values, strict=False))
        objective = by_name.get("objective")
        if isinstance(objective, float) and objective.is_integer():
            objective = int(objective)
        if not isinstance(objective, int) or isinstance(objective, bool) or not 1 <= objective <= OBJECTIVE_COUNT:
            problems.append(_problem(lang, "bad_objective", number, reader.column("objective"), objective))
            continue
        if objective in seen:
            problems.append(
                _problem(
                    lang, "duplicate_objective", number, reader.column("objective"), objective, first=seen[objective]
                )
            )
            continue
        seen[objective] = number
        row_problems: list[Problem] = []
        data, canonical = reader.read(number, by_name, row_problems)
        version, print_ = entries.get(objective, (None, layout.fingerprint(layout.EMPTY)))
        edited = layout.fingerprint(canonical) != print_
        if canonical == layout.EMPTY:
            if edited:
                row_problems.append(_problem(lang, "cleared", number, reader.column("status"), objective=objective))
        elif edited:
            reader.validate(number, data, row_problems)
        problems += row_problems
        parsed.append(UploadRow(objective, number, data, canonical, edited, version))
    return Upload(
        tuple(problems),
        country=str(facts["country"]),
        cycle_id=str(facts["cycle"]),
        lang=str(facts["lang"]),
        rows=tuple(parsed),
        template_versions={o: v for o, (v, _) in entries.items()},
    )
