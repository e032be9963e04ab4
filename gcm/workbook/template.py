"""The offline workbook: one country and cycle, one row per objective, in the user's language.

The report sheet has the key columns (objective, official title, round table) locked and the
input columns open, dropdowns (data validation) of the allowed values, and the saved entries
the user may read pre-filled. A very hidden sheet records what the template was made from: its
version, country, cycle, language, and per objective the version and a fingerprint of the
entry as it was written, so the upload can tell edited rows from untouched ones and spot
entries someone else saved since.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from gcm import models, permissions, queries
from gcm.errors import DomainError, ValidationError
from gcm.i18n import t
from gcm.permissions import Actor, ReadScope
from gcm.reference import OBJECTIVE_COUNT, Reference
from gcm.services import TEXT_LIMITS
from gcm.workbook import layout
from gcm.workbook.layout import COLUMNS, FIELDS, FIRST_ROW, LIST_FIELDS, META_SHEET, SEPARATOR, TEXT_FIELDS

LAST_ROW = FIRST_ROW + OBJECTIVE_COUNT - 1
WIDTHS = {"objective": 10, "title": 48, "round_table": 30, "status": 24, "national_priority": 14}
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")


def saved_entries(session: Session, country: str, cycle_id: str, scope: ReadScope) -> dict[int, dict[str, Any]]:
    """The saved entries of a country's report in a cycle that `scope` may read: objective -> values and version."""
    r, tag = models.ObjectiveReport, models.ReportTag
    rows = session.execute(
        select(
            r.id,
            r.objective,
            r.version,
            r.status,
            r.national_priority,
            r.progress,
            r.challenges,
            r.priorities,
            r.good_practice,
            r.evidence_links,
        ).where(r.country_iso3 == country, r.cycle_id == cycle_id, queries.readable(scope, cycle_id))
    ).all()
    ids = {row.id: row.objective for row in rows}
    tags: dict[int, dict[str, list[str]]] = {o: {f: [] for f in LIST_FIELDS} for o in ids.values()}
    if ids:
        for report_id, kind, key in session.execute(
            select(tag.report_id, tag.kind, tag.key).where(tag.report_id.in_(list(ids)))
        ):
            tags[ids[report_id]][models.TAG_FIELDS[kind]].append(key)
    entries = {}
    for row in rows:
        values = {
            "status": row.status,
            "national_priority": row.national_priority,
            **{name: getattr(row, name) for name in TEXT_FIELDS},
            "evidence_links": list(row.evidence_links or []),
            **tags[row.objective],
        }
        entries[row.objective] = {"version": row.version, "values": layout.canonical(values)}
    return entries


def _sections(session: Session, cycle: models.Cycle, lang: str) -> dict[int, str]:
    frame = queries.sections(session, cycle.grouping_id)
    return {
        int(row["objective"]): str(row[f"title_{lang}"])
        for _, row in frame.iterrows()  # 23 rows at most
    }


def _text(cell: Any, value: Any) -> None:
    """Write `value` as text: a value starting with "=" stays text, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _cell_values(entry: dict[str, Any] | None, vocab: layout.Vocabulary) -> dict[str, Any]:
    if entry is None:
        return {}
    values = entry["values"]
    cells: dict[str, Any] = {
        "status": vocab.status.get(values["status"], values["status"]),
        "national_priority": vocab.yes if values["national_priority"] else vocab.no,
        **{name: values[name] or None for name in TEXT_FIELDS},
        "evidence_links": "\n".join(values["evidence_links"]) or None,
    }
    for name in LIST_FIELDS:
        options = vocab.options(name)
        cells[name] = f"{SEPARATOR} ".join(options.get(k, k) for k in values[name]) or None
    return cells


def _values_sheet(workbook: Workbook, name: str, lang: str, vocab: layout.Vocabulary) -> dict[str, str]:
    """The allowed values, one column per list; returns each dropdown's range formula."""
    sheet = workbook.create_sheet(name)
    lists = {
        "status": list(vocab.status.values()),
        "national_priority": [vocab.yes, vocab.no],
        "principles": list(vocab.principles.values()),
        "challenge_categories": list(vocab.categories.values()),
    }
    ranges = {}
    for index, (field, values) in enumerate(lists.items(), start=1):
        letter = chr(ord("A") + index - 1)
        head = sheet.cell(row=1, column=index, value=layout.header(lang, field))
        head.font, head.fill = Font(bold=True), HEADER_FILL
        for row, value in enumerate(values, start=2):
            _text(sheet.cell(row=row, column=index), value)
        sheet.column_dimensions[letter].width = 44
        ranges[field] = f"'{name}'!${letter}$2:${letter}${len(values) + 1}"
    ranges["priority_categories"] = ranges["challenge_categories"]
    sheet.protection.sheet = True
    return ranges


def _validations(sheet: Worksheet, lang: str, ranges: dict[str, str]) -> None:
    """Dropdowns for the choice columns, length limits for the texts (the upload checks again)."""
    for field, _ in COLUMNS:
        letter = layout.column_letter(field)
        area = f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}"
        label = layout.header(lang, field)
        if field in ("status", "national_priority"):
            rule = DataValidation(type="list", formula1=f"={ranges[field]}", allow_blank=True)
            rule.error = t(lang, "workbook.template.pick_one")
        elif field in LIST_FIELDS:
            # One value can be picked; several are typed with the separator, so the check only informs.
            rule = DataValidation(type="list", formula1=f"={ranges[field]}", allow_blank=True, errorStyle="information")
            rule.error = t(lang, "workbook.template.several", separator=SEPARATOR)
        elif field in TEXT_FIELDS:
            rule = DataValidation(
                type="textLength", operator="lessThanOrEqual", formula1=str(TEXT_LIMITS[field]), allow_blank=True
            )
            rule.error = t(lang, "workbook.template.too_long", limit=TEXT_LIMITS[field])
        else:
            continue
        rule.errorTitle = label[:32]
        rule.promptTitle = label[:32]
        rule.prompt = t(lang, f"workbook.prompt.{field}", separator=SEPARATOR, field=label)[:255]
        rule.showErrorMessage = rule.showInputMessage = True
        sheet.add_data_validation(rule)
        rule.add(area)


def _report_sheet(
    sheet: Worksheet,
    ref: Reference,
    lang: str,
    sections: dict[int, str],
    entries: dict[int, dict[str, Any]],
    vocab: layout.Vocabulary,
) -> None:
    for index, (field, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=layout.header(lang, field))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = WIDTHS.get(field, 40 if field in TEXT_FIELDS else 30)
        sheet.column_dimensions[layout.column_letter(field)].width = width
    for objective in range(1, OBJECTIVE_COUNT + 1):
        row = FIRST_ROW + objective - 1
        keys = {
            "objective": objective,
            "title": ref.objective(objective).title.get(lang),
            "round_table": sections.get(objective, "—"),
        }
        values = keys | _cell_values(entries.get(objective), vocab)
        for index, (field, editable) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row, column=index)
            _text(cell, values.get(field))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if editable:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = LOCKED_FILL
    sheet.freeze_panes = "D2"
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = False  # resizing stays possible
    protection.autoFilter = protection.sort = True


def _instructions_sheet(workbook: Workbook, name: str, lang: str, country: str, cycle: str) -> None:
    sheet = workbook.create_sheet(name)
    sheet.column_dimensions["A"].width = 120
    lines = [t(lang, "workbook.instructions.title", country=country, cycle=cycle)]
    # The columns are named with the form's labels, so a delegate finds the same words in both places.
    labels = {field: layout.header(lang, field) for field in FIELDS}
    lines += [t(lang, f"workbook.instructions.line{n}", separator=SEPARATOR, **labels) for n in range(1, 9)]
    for row, line in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        _text(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.protection.sheet = True


def _meta_sheet(
    workbook: Workbook, actor: Actor, country: str, cycle_id: str, lang: str, entries: dict[int, dict[str, Any]]
) -> None:
    sheet = workbook.create_sheet(META_SHEET)
    rows: list[list[Any]] = [
        ["kind", layout.KIND],
        ["template_version", layout.TEMPLATE_VERSION],
        ["country", country],
        ["cycle", cycle_id],
        ["lang", lang],
        ["made_at", dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")],
        ["made_by", actor.name or actor.role],
        ["objective", "version", "fingerprint"],
    ]
    for objective in range(1, OBJECTIVE_COUNT + 1):
        entry = entries.get(objective)
        values = entry["values"] if entry else layout.EMPTY
        rows.append([objective, entry["version"] if entry else None, layout.fingerprint(values)])
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            _text(cell, cell.value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def build_template(session: Session, ref: Reference, actor: Actor, country: str, cycle_id: str, lang: str) -> bytes:
    """The XLSX template for `country` and `cycle_id` in `lang`, pre-filled with what `actor` may read."""
    cycle = session.get(models.Cycle, cycle_id)
    if cycle is None:
        raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
    if session.get(models.Country, country) is None:
        raise ValidationError([DomainError("unknown_value", "country", value=country)])
    entries = saved_entries(session, country, cycle_id, permissions.read_scope(actor))
    vocab = layout.vocabulary(ref, lang)
    names = layout.sheet_names(lang)
    workbook = Workbook()
    report = workbook.active
    report.title = names["report"]
    ranges = _values_sheet(workbook, names["values"], lang, vocab)
    _report_sheet(report, ref, lang, _sections(session, cycle, lang), entries, vocab)
    _validations(report, lang, ranges)
    country_name = ref.country(country).name.get(lang) if any(c.iso3 == country for c in ref.countries) else country
    cycle_name = cycle.name_es if lang == "es" else cycle.name_en
    _instructions_sheet(workbook, names["instructions"], lang, country_name, cycle_name)
    _meta_sheet(workbook, actor, country, cycle_id, lang, entries)
    workbook.move_sheet(names["instructions"], offset=-1)
    workbook.active = 0
    workbook.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
