"""Streamlit's and Plotly's English words and their Spanish (gcm.ui.chrome), as the page's script takes them."""

import pytest

from gcm.i18n import catalogue
from gcm.ui.chrome import chrome_words
from gcm.ui.style import language_frame


def test_every_word_is_an_exact_text_or_a_pattern_around_one_label() -> None:
    words = chrome_words()
    keys = [k for k in catalogue("en") if k.startswith("chrome.")]
    assert len(words["exact"]) + len(words["patterns"]) == len(keys)
    assert words["exact"]["Skip to main content"] == "Saltar al contenido principal"
    # A label that may be user text is kept as typed; a date field's label and its words are translated in turn.
    assert ["Help for ", "", "Ayuda sobre ", "", False] in words["patterns"]
    assert ["Remove ", "", "Quitar ", "", False] in words["patterns"]
    assert ["", " start date", "", ": fecha de inicio", True] in words["patterns"]
    assert all("{label}" not in part for pattern in words["patterns"] for part in pattern[:4])


def test_the_language_frame_holds_one_script_and_only_a_known_language() -> None:
    frame = language_frame("es")
    assert frame.count("</") == 1 and frame.endswith("</script>")  # the words cannot end the script early
    assert "lang = 'es'" in frame
    with pytest.raises(ValueError, match="unknown language"):
        language_frame("fr'; alert(1); '")
