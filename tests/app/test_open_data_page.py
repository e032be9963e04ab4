"""The Open data page: downloads for the reader's scope, the data dictionary, the API's addresses, in both languages."""

import pytest

from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import read_session, write_session
from gcm.demo import load_demo
from gcm.i18n import t
from gcm.opendata import export
from gcm.opendata.dictionary import data_dictionary, load_dictionary
from gcm.permissions import PUBLIC, read_scope
from tests.app.conftest import ADMIN


def _demo() -> dict[str, int]:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        load_demo(session, reference_for(str(ROOT / "data")))
    with read_session(engine) as session:
        return {
            "public": export.report_count(session, read_scope(PUBLIC)),
            "admin": export.report_count(session, export.EVERYTHING),
        }


@pytest.mark.parametrize("lang", ["es", "en"])
def test_open_data_page_for_the_public(open_page, lang: str) -> None:
    counts = _demo()
    at = open_page("open_data", lang)
    assert not at.exception
    assert at.title[0].value == t(lang, "opendata.title")
    assert [s.value for s in at.subheader] == [
        t(lang, "opendata.downloads"),
        t(lang, "opendata.dictionary.title"),
        t(lang, "opendata.api.title"),
    ]
    assert at.info[0].value == t(lang, "scope.validated")
    assert any(m.value == t(lang, "opendata.count", count=counts["public"]) for m in at.markdown)
    labels = {b.proto.label for b in at.get("download_button")}
    expected = {t(lang, f"opendata.download_{fmt}") for fmt in export.FORMATS}
    assert expected | {t(lang, "download.csv"), t(lang, "download.xlsx")} <= labels
    tables = at.table[0].value
    assert list(tables.index) == [table.name for table in load_dictionary()]
    shown = at.dataframe[0].value
    dictionary = data_dictionary(reference_for(str(ROOT / "data")), lang)
    assert len(shown) == len(dictionary) and list(shown.columns) == [
        t(lang, f"opendata.column.{c}") for c in ("table", "field", "type", "description", "values")
    ]
    assert "/api/v1/reports" in at.code[0].value


def test_open_data_page_counts_what_the_secretariat_may_read(open_page) -> None:
    counts = _demo()
    at = open_page("open_data", "en", user=ADMIN)
    assert not at.exception
    assert at.info[0].value == t("en", "scope.all")
    assert any(m.value == t("en", "opendata.count", count=counts["admin"]) for m in at.markdown)
    assert counts["admin"] > counts["public"]
