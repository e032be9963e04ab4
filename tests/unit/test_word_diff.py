"""The word diff behind "what changed since last cycle": exact, readable, and inert when drawn."""

import itertools

import pytest

from gcm.explore.compare import word_diff
from gcm.ui.profile_view import diff_markdown

PAIRS = [
    ("", ""),
    ("", "Texto nuevo."),
    ("Texto antiguo.", ""),
    ("Se capacitó a personal consular.", "Se capacitó a  personal migratorio y consular."),
    ("  sangría inicial", "sangría inicial  "),
    ("Línea uno.\n\nLínea dos.", "Línea uno.\nLínea dos y tres."),
    ("Recursos insuficientes y alta rotación de personal.", "Efectos persistentes de la pandemia de COVID-19."),
    ("migración, trata; tráfico", "migración — trata; tráfico ilícito"),
]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_the_segments_rebuild_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert {op for op, _ in segments} <= {"equal", "insert", "delete"}
    assert "".join(text for op, text in segments if op != "insert") == old
    assert "".join(text for op, text in segments if op != "delete") == new
    assert all(text for _, text in segments)
    assert all(a[0] != b[0] for a, b in itertools.pairwise(segments))  # runs are merged


def test_identical_texts_are_one_equal_segment() -> None:
    assert word_diff("Sin cambios aquí.", "Sin cambios aquí.") == [("equal", "Sin cambios aquí.")]


def test_an_added_word_is_one_insertion_between_equal_text() -> None:
    assert word_diff("Plan nacional aprobado.", "Plan nacional de integración aprobado.") == [
        ("equal", "Plan nacional "),
        ("insert", "de integración "),
        ("equal", "aprobado."),
    ]


def test_a_rewritten_sentence_reads_as_removed_then_added() -> None:
    """Short shared words ("de", "la") between changes do not chop a rewrite into word-by-word noise."""
    segments = word_diff("Falta de datos de la región.", "Mejora de la coordinación de la red.")
    assert segments == [("delete", "Falta de datos de la región."), ("insert", "Mejora de la coordinación de la red.")]


def test_whitespace_is_kept() -> None:
    segments = word_diff("a b", "a  b")
    assert segments == [("equal", "a"), ("delete", " "), ("insert", "  "), ("equal", "b")]


PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "**negrita** _cursiva_ `code` ~~tachado~~",
    ":red[color] $x^2$ <script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_drawn_diff_escapes_every_markup_character(payload: str) -> None:
    drawn = diff_markdown(word_diff("Texto previo " + payload, payload + " texto nuevo"))
    for character in "<>[]()*_`~$:":
        # every markup character of the user's text is escaped (the marks we add are not user text)
        stripped = drawn.replace(":blue-background[**", "").replace("**]", "")
        stripped = stripped.replace(":orange-background[~~", "").replace("~~]", "")
        for i, c in enumerate(stripped):
            if c == character:
                assert stripped[i - 1] == "\\", (payload, stripped)


def test_insertions_and_deletions_are_marked_by_more_than_colour() -> None:
    drawn = diff_markdown(word_diff("uno dos", "uno tres"))
    assert ":orange-background[~~dos~~]" in drawn  # struck through
    assert ":blue-background[**tres**]" in drawn  # bold
    assert drawn.startswith("uno ")
