"""The data dictionary of the open-data export: every field of every table, described in both languages.

The descriptions are data (`data/data_dictionary.yaml`), validated on load; the allowed values
(statuses, categories, principles, country groups) and their labels come from the reference data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gcm.config import ROOT
from gcm.i18n import t
from gcm.permissions import STATES
from gcm.reference import LANGUAGES, Reference, ReferenceDataError, Text

DICTIONARY_FILE = ROOT / "data" / "data_dictionary.yaml"
TABLES = ("reports", "objectives", "countries", "cycles", "groupings", "principles")
TYPES = ("string", "integer", "boolean", "date", "datetime", "string_list", "integer_list", "object_list")
VALUE_SETS = ("statuses", "categories", "principles", "groups", "report_states")
COLUMNS = ("table", "field", "type", "description", "values")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: Text
    values: str | None  # one of VALUE_SETS, or "table.field" for a code defined in another table


@dataclass(frozen=True)
class Table:
    name: str
    description: Text
    fields: tuple[Field, ...]


def _fail(file: Path, entry: str, problem: str) -> ReferenceDataError:
    return ReferenceDataError(f"data/{file.name}", entry, problem)


def _text(file: Path, value: Any, entry: str, field: str) -> Text:
    if not isinstance(value, dict) or set(value) - set(LANGUAGES):
        raise _fail(file, entry, f"'{field}' must have an English (en) and a Spanish (es) text")
    for lang in LANGUAGES:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise _fail(file, entry, f"missing translation: '{field}' has no '{lang}' text")
    return Text(en=value["en"].strip(), es=value["es"].strip())


def _field(file: Path, table: str, name: Any, raw: Any) -> Field:
    entry = f"{table}.{name}"
    if not isinstance(raw, dict):
        raise _fail(file, entry, "expected a mapping with type and description")
    unknown = set(raw) - {"type", "description", "values"}
    if unknown:
        raise _fail(file, entry, f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    if raw.get("type") not in TYPES:
        raise _fail(file, entry, f"'type' must be one of: {', '.join(TYPES)}")
    values = raw.get("values")
    if isinstance(values, dict) and set(values) == {"ref"} and isinstance(values["ref"], str):
        values = values["ref"]
        if values.count(".") != 1:
            raise _fail(file, entry, "'values: {ref: ...}' must name a table and a field, e.g. countries.iso3")
    elif values is not None and values not in VALUE_SETS:
        raise _fail(file, entry, f"'values' must be one of {', '.join(VALUE_SETS)} or {{ref: table.field}}")
    return Field(str(name), raw["type"], _text(file, raw.get("description"), entry, "description"), values)


@lru_cache(maxsize=4)
def load_dictionary(path: Path = DICTIONARY_FILE) -> tuple[Table, ...]:
    """Read and validate the dictionary; a problem raises ReferenceDataError naming file, entry and field."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _fail(path, "(file)", f"cannot be read: {exc}") from exc
    if not isinstance(doc, dict) or set(doc) != {"tables"} or not isinstance(doc["tables"], dict):
        raise _fail(path, "(file)", "expected one key, 'tables', mapping table names to their fields")
    names = list(doc["tables"])
    if names != list(TABLES):
        raise _fail(path, "tables", f"expected the tables {', '.join(TABLES)} in that order, found {', '.join(names)}")
    tables = []
    for name, raw in doc["tables"].items():
        if not isinstance(raw, dict) or set(raw) != {"description", "fields"} or not isinstance(raw["fields"], dict):
            raise _fail(path, name, "expected 'description' and 'fields' (a mapping of field names)")
        fields = tuple(_field(path, name, field, value) for field, value in raw["fields"].items())
        tables.append(Table(name, _text(path, raw["description"], name, "description"), fields))
    known = {f"{table.name}.{field.name}" for table in tables for field in table.fields}
    for table in tables:
        for field in table.fields:
            if field.values and field.values not in VALUE_SETS and field.values not in known:
                raise _fail(path, f"{table.name}.{field.name}", f"'values' refers to an unknown field: {field.values}")
    return tuple(tables)


def value_list(ref: Reference, lang: str, values: str | None) -> list[str]:
    """A field's allowed values, one entry each ("key: label"), or the table it takes its codes from."""
    if values is None:
        return []
    labelled = {
        "statuses": [(s.key, s.label) for s in ref.statuses],
        "categories": [(c.key, c.label) for c in ref.categories],
        "principles": [(p.key, p.name) for p in ref.principles],
        "groups": [(g.key, g.name) for g in ref.groups],
    }
    if values == "report_states":
        return [f"{state}: {t(lang, f'state.{state}')}" for state in STATES]
    if values in labelled:
        return [f"{key}: {label.get(lang)}" for key, label in labelled[values]]
    table, field = values.split(".")
    return [t(lang, "opendata.dictionary.ref", table=table, field=field)]


def _values(ref: Reference, lang: str, values: str | None) -> str:
    return "; ".join(value_list(ref, lang, values))


def field_entry(ref: Reference, lang: str, table_name: str, field_name: str) -> dict:
    """One field of the dictionary in full: table, field, type, description and the list of allowed values."""
    table = next(table for table in load_dictionary() if table.name == table_name)
    field = next(field for field in table.fields if field.name == field_name)
    return {
        "table": table.name,
        "field": field.name,
        "type": t(lang, f"opendata.type.{field.type}"),
        "description": field.description.get(lang),
        "values": value_list(ref, lang, field.values),
    }


def table_descriptions(lang: str) -> pd.DataFrame:
    """One row per table of the export: its name and what one entry is."""
    return pd.DataFrame(
        [{"table": table.name, "description": table.description.get(lang)} for table in load_dictionary()],
        columns=["table", "description"],
    )


def data_dictionary(ref: Reference, lang: str) -> pd.DataFrame:
    """One row per field of every export table: table, field, type, description, allowed values (in `lang`)."""
    rows = [
        {
            "table": table.name,
            "field": field.name,
            "type": t(lang, f"opendata.type.{field.type}"),
            "description": field.description.get(lang),
            "values": _values(ref, lang, field.values),
        }
        for table in load_dictionary()
        for field in table.fields
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))
