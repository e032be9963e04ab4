"""The data dictionary describes every field of the export, and nothing else; a broken entry is named."""

from pathlib import Path

import pytest

from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.i18n import t
from gcm.opendata import export
from gcm.opendata.dictionary import DICTIONARY_FILE, TABLES, data_dictionary, field_entry, load_dictionary
from gcm.reference import ReferenceDataError

REF = reference_for(str(ROOT / "data"))


def _fields(records: list[dict], prefix: str = "") -> set[str]:
    """Every field name of a list of records, nested lists of objects as `parent.child`."""
    names: set[str] = set()
    for record in records:
        for name, value in record.items():
            names.add(prefix + name)
            if isinstance(value, list) and value and isinstance(value[0], dict):
                names |= _fields(value, f"{prefix}{name}.")
    return names


def test_every_export_field_is_described_and_nothing_else(sqlite_engine) -> None:
    from gcm.db import read_session

    with read_session(sqlite_engine) as session:
        document = export.export_document(session, REF, export.EVERYTHING)
    exported = {table: _fields(records) for table, records in document.items()}
    exported["reports"] = set(export.REPORT_COLUMNS)  # no reports in a fresh database: the contract's columns
    described = {table.name: {f.name for f in table.fields} for table in load_dictionary()}
    assert set(described) == set(exported) == set(TABLES)
    for table in TABLES:
        assert described[table] == exported[table], table
    assert [f.name for f in load_dictionary()[0].fields] == list(export.REPORT_COLUMNS)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_dictionary_rows_carry_types_descriptions_and_labelled_values(lang: str) -> None:
    frame = data_dictionary(REF, lang)
    assert list(frame.columns) == ["table", "field", "type", "description", "values"]
    assert frame["description"].str.len().min() > 5
    status = frame[(frame["table"] == "reports") & (frame["field"] == "status")].iloc[0]
    assert all(f"{s.key}: {s.label.get(lang)}" in status["values"] for s in REF.statuses)
    groups = frame[(frame["table"] == "countries") & (frame["field"] == "groups")].iloc[0]["values"]
    assert all(f"{g.key}: {g.name.get(lang)}" in groups for g in REF.groups)
    country = frame[(frame["table"] == "reports") & (frame["field"] == "country")].iloc[0]
    assert country["values"] == t(lang, "opendata.dictionary.ref", table="countries", field="iso3")
    assert country["type"] == t(lang, "opendata.type.string")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_chosen_field_lists_each_allowed_value_as_the_table_joins_them(lang: str) -> None:
    frame = data_dictionary(REF, lang)
    for row in frame.itertuples():
        entry = field_entry(REF, lang, row.table, row.field)
        assert (entry["type"], entry["description"]) == (row.type, row.description)
        assert "; ".join(entry["values"]) == row.values
    status = field_entry(REF, lang, "reports", "status")
    assert status["values"] == [f"{s.key}: {s.label.get(lang)}" for s in REF.statuses]
    assert field_entry(REF, lang, "reports", "progress")["values"] == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('es: "Código ISO 3166-1 alfa-3 del país que informa."', "fr: x"), "reports.country: 'description' must"),
        (("type: datetime", "type: timestamp"), "reports.updated_at: 'type' must be one of"),
        (
            ("values: {ref: countries.iso3}", "values: {ref: countries.code}"),
            "reports.country: 'values' refers to an unknown field",
        ),
        (("values: statuses", "values: colours"), "reports.status: 'values' must be one of"),
        (("  principles:\n    description:", "  rules:\n    description:"), "tables: expected the tables"),
    ],
)
def test_a_broken_dictionary_names_file_entry_and_field(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    text = DICTIONARY_FILE.read_text(encoding="utf-8")
    assert edit[0] in text
    broken = tmp_path / "data_dictionary.yaml"
    broken.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"data/data_dictionary\.yaml") as error:
        load_dictionary(broken)
    assert message in str(error.value)
