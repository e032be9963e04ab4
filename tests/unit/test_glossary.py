"""The glossary file parses, and a bad entry is refused with its file, entry and field named."""

from pathlib import Path

import pytest

from gcm.config import ROOT
from gcm.explore.glossary import GlossaryError, glossary_for, load_glossary, parse_glossary
from gcm.explore.tokens import words


def test_shipped_glossary_is_valid_and_bilingual() -> None:
    glossary = glossary_for(str(ROOT / "data"))
    assert len(glossary.terms) >= 30
    pairs = {(t.en, t.es) for t in glossary.terms}
    assert ("trafficking in persons", "trata de personas") in pairs
    assert ("smuggling of migrants", "tráfico ilícito de migrantes") in pairs
    assert ("remittances", "remesas") in pairs
    assert {t.objective for t in glossary.terms} >= set(range(1, 24)) - {3}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "glossary.yaml: terms: the file must hold a list named 'terms'"),
        ({"terms": "x"}, "list named 'terms'"),
        ({"terms": ["x"]}, "entry 1: must be a mapping"),
        ({"terms": [{"en": "a", "es": "b", "objective": 1, "fr": "c"}]}, "entry 1: unknown field(s): fr"),
        ({"terms": [{"es": "b", "objective": 1}]}, "entry 1: field 'en' must be a non-empty text"),
        (
            {"terms": [{"en": "data", "es": "  ", "objective": 1}]},
            "entry 1 (data): field 'es' must be a non-empty text",
        ),
        ({"terms": [{"en": "data", "es": 5, "objective": 1}]}, "field 'es' must be a non-empty text"),
        ({"terms": [{"en": "data", "es": "¿?", "objective": 1}]}, "field 'es' has no letters or digits"),
        (
            {"terms": [{"en": "data", "es": "datos", "objective": 24}]},
            "field 'objective' must be a number from 1 to 23",
        ),
        ({"terms": [{"en": "data", "es": "datos", "objective": True}]}, "field 'objective'"),
        ({"terms": [{"en": "data", "es": "datos"}]}, "field 'objective'"),
        (
            {"terms": [{"en": "data", "es": "datos", "objective": 1}, {"en": "Data", "es": "DATOS", "objective": 1}]},
            "entry 2 (Data): the same pair of terms is listed twice",
        ),
    ],
)
def test_bad_entries_are_named(data: object, message: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(data)
    assert message in str(caught.value)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "glossary.yaml"
    broken.write_text("terms: [unclosed", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"glossary.yaml: file: is not valid YAML"):
        load_glossary(broken)
    with pytest.raises(GlossaryError, match=r"missing.yaml: file: cannot be read"):
        load_glossary(tmp_path / "missing.yaml")


def test_find_prefers_the_longest_term_and_both_languages() -> None:
    glossary = glossary_for(str(ROOT / "data"))
    found = glossary.find(words("alternativas a la detención migratoria"))
    assert [(e.start, e.end, e.added) for e in found] == [(0, 4, "alternatives to detention")]
    assert [e.added for e in glossary.find(words("Detention"))] == ["detención"]
    assert [e.added for e in glossary.find(words("remesas y retorno"))] == ["remittances", "return"]
    assert glossary.find(words("diaspora")) == ()  # diáspora folds to the same word: nothing to add
    assert glossary.find(words("persons in trafficking")) == ()
