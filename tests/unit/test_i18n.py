"""Both catalogues hold the same keys and placeholders; language choice is per call."""

import pytest

from gcm.i18n import LANGUAGES, catalogue, has, normalize_language, placeholders, t
from gcm.services import TEXT_LIMITS, ReportInput


def test_catalogues_have_the_same_keys() -> None:
    es, en = catalogue("es"), catalogue("en")
    assert set(es) - set(en) == set()
    assert set(en) - set(es) == set()


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_placeholders_match(key: str) -> None:
    assert placeholders(catalogue("es")[key]) == placeholders(catalogue("en")[key])


def test_no_empty_or_untranslated_strings() -> None:
    es, en = catalogue("es"), catalogue("en")
    assert all(v.strip() for v in (*es.values(), *en.values()))
    same_in_both = {"chart.provisional"}  # the same word in Spanish and English
    same = {k for k in en if en[k] == es[k] and k not in same_in_both and placeholders(en[k]) != {en[k].strip("{}")}}
    assert same == set(), f"identical in both languages, probably untranslated: {same}"


def test_every_report_field_has_a_label() -> None:
    fields = set(ReportInput.__dataclass_fields__) | {"author", "country", "cycle", "objective"}
    for lang in LANGUAGES:
        assert fields <= {k.removeprefix("field.") for k in catalogue(lang) if k.startswith("field.")}
    assert set(TEXT_LIMITS) <= set(ReportInput.__dataclass_fields__)


def test_t_fills_placeholders_in_each_language() -> None:
    assert t("es", "common.objective_n", n=5) == "Objetivo 5"
    assert t("en", "common.objective_n", n=5) == "Objective 5"


@pytest.mark.parametrize(
    ("value", "expected"), [("es-MX", "es"), ("en-GB", "en"), ("EN", "en"), ("fr-FR", None), (None, None)]
)
def test_normalize_language(value: object, expected: str | None) -> None:
    assert normalize_language(value) == expected


def test_every_error_code_and_field_raised_in_gcm_is_translated() -> None:
    import re

    from gcm.config import ROOT

    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "gcm").rglob("*.py"))
    codes = set(re.findall(r'(?:DomainError|PermissionDenied)\("(\w+)"', source)) | {"conflict"}
    fields = set(re.findall(r'(?:DomainError|PermissionDenied)\("\w+", "(\w+)"', source))
    for lang in LANGUAGES:
        assert {c for c in codes if not has(lang, f"error.{c}")} == set(), lang
        assert {f for f in fields if f"field.{f}" not in catalogue(lang)} == set(), lang


def test_a_count_chooses_the_singular_or_the_plural() -> None:
    assert t("es", "flow.events", n=1) == "Historial del flujo de este informe (1 evento)"
    assert t("es", "flow.events", n=0) == "Historial del flujo de este informe (0 eventos)"
    assert t("en", "workbook.problems_title", count=1).startswith("The workbook cannot be imported: 1 problem.")
    assert t("en", "workbook.problems_title", count=3).startswith("The workbook cannot be imported: 3 problems.")
    assert t("es", "flow.flagged", objectives="5, 7", n=2).startswith("La secretaría señala los objetivos **5, 7**")


def test_a_plural_string_without_its_count_is_an_error_not_a_guess() -> None:
    with pytest.raises(KeyError, match="needs its count"):
        t("es", "flow.flagged", objectives="5")


def test_every_plural_string_has_both_forms_and_no_parenthesised_plural() -> None:
    for lang in LANGUAGES:
        strings = catalogue(lang)
        plural = {k.rsplit(".", 1)[0] for k in strings if k.endswith((".one", ".other"))}
        assert all(f"{k}.one" in strings and f"{k}.other" in strings for k in plural)
        assert not [k for k, v in strings.items() if "(s)" in v or "(es)" in v], "say it with {one: ..., other: ...}"
