"""What the template and its reader agree on: sheets, columns, the hidden sheet, value vocabularies.

One row per objective on the report sheet, one column per field of the form. Multi-value cells
(principles, challenge and priority categories) hold labels separated by `;` (or one per line);
evidence links are one per line, as in the form.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from gcm.i18n import LANGUAGES, t
from gcm.reference import Reference
from gcm.services import FORM_FIELDS, LIST_FIELDS, TEXT_LIMITS, clean_text, parse_links

KIND = "gcm-objective-report-template"
TEMPLATE_VERSION = 1
META_SHEET = "gcm_meta"
SEPARATOR = ";"
MAX_BYTES = 2 * 1024 * 1024
FIRST_ROW = 2  # row 1 holds the column headers

TEXT_FIELDS = tuple(TEXT_LIMITS)
# (field, whether the delegate types into it); the order is the order of the columns: the form's, after the
# objective it is about.
COLUMNS: tuple[tuple[str, bool], ...] = (
    ("objective", False),
    ("title", False),
    ("round_table", False),
    *((name, True) for name in FORM_FIELDS),
)
FIELDS = tuple(name for name, _ in COLUMNS)


def column_letter(field: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(FIELDS.index(field) + 1)


def header(lang: str, field: str) -> str:
    if field == "objective":
        return t(lang, "common.objective")
    if field == "title":
        return t(lang, "common.title")
    if field == "round_table":
        return t(lang, "common.section")
    return t(lang, f"field.{field}")


def sheet_names(lang: str) -> dict[str, str]:
    """The visible sheets of a template made in `lang` (the hidden sheet's name never changes)."""
    return {name: t(lang, f"workbook.sheet.{name}") for name in ("report", "values", "instructions")}


@dataclass(frozen=True)
class Vocabulary:
    """Allowed values of the choice columns: what the template offers, what the reader accepts."""

    lang: str
    status: dict[str, str]  # key -> label in lang
    principles: dict[str, str]
    categories: dict[str, str]
    yes: str
    no: str

    def options(self, field: str) -> dict[str, str]:
        if field == "status":
            return self.status
        if field == "principles":
            return self.principles
        return self.categories


def vocabulary(ref: Reference, lang: str) -> Vocabulary:
    return Vocabulary(
        lang=lang,
        status={s.key: s.label.get(lang) for s in ref.statuses},
        principles={p.key: p.name.get(lang) for p in ref.principles},
        categories={c.key: c.label.get(lang) for c in ref.categories},
        yes=answers(lang)[0],
        no=answers(lang)[1],
    )


def _fold(value: str) -> str:
    return " ".join(value.casefold().split())


def lookup(ref: Reference, field: str) -> dict[str, str]:
    """Folded label (either language) or key -> key, for a choice column."""
    if field == "status":
        pairs = [(s.key, s.label) for s in ref.statuses]
    elif field == "principles":
        pairs = [(p.key, p.name) for p in ref.principles]
    else:
        pairs = [(c.key, c.label) for c in ref.categories]
    table: dict[str, str] = {}
    for key, label in pairs:
        table[_fold(key)] = key
        for lang in LANGUAGES:
            table[_fold(label.get(lang))] = key
    return table


def match(table: dict[str, str], value: str) -> str:
    """The key a typed value names, or the value as typed (the form's validation then refuses it)."""
    return table.get(_fold(value), value.strip())


def split_multi(value: str) -> list[str]:
    """A multi-value cell: labels separated by `;` or line breaks."""
    parts = clean_text(value).replace("\n", SEPARATOR).split(SEPARATOR)
    return [part.strip() for part in parts if part.strip()]


def answers(lang: str) -> tuple[str, str]:
    """The words for yes and no in `lang`."""
    yes, no = t(lang, "workbook.answers").split(";")
    return yes, no


def yes_no_lookup() -> dict[str, bool]:
    table = {}
    for lang in LANGUAGES:
        yes, no = answers(lang)
        table[_fold(yes)], table[_fold(no)] = True, False
    table.update({"si": True, "true": True, "false": False, "verdadero": True, "falso": False})
    return table


def canonical(values: dict[str, Any]) -> dict[str, Any]:
    """One entry in a comparable form: cleaned texts, sorted tags, links in order without repeats."""
    links = values.get("evidence_links") or []
    if isinstance(links, str):
        links = list(parse_links(links))
    return {
        "status": values.get("status") or None,
        "national_priority": bool(values.get("national_priority")),
        **{name: clean_text(values.get(name)) for name in TEXT_FIELDS},
        **{name: sorted(dict.fromkeys(values.get(name) or ())) for name in LIST_FIELDS},
        "evidence_links": list(dict.fromkeys(clean_text(link) for link in links if clean_text(link))),
    }


EMPTY = canonical({})


def fingerprint(values: dict[str, Any]) -> str:
    """A short digest of an entry's canonical form: tells whether a row was edited since download."""
    text = json.dumps(canonical(values), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
