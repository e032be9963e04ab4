"""Words as the search indexes see them: accents and case folded, split on anything but letters and digits.

SQLite's FTS5 `unicode61 remove_diacritics 2` tokenizer and PostgreSQL's `to_tsvector('simple',
unaccent(...))` both read "Migración" as `migracion`; this module does the same in Python, to
build queries (never from raw user syntax) and to highlight hits where the database does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gcm.text import fold

__all__ = ["fold", "spans", "words"]  # `fold` lives in gcm.text, which the reference data's ordering uses too

# A word: letters and digits (and combining accents, for decomposed text); "_" and punctuation split words.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def words(text: str) -> tuple[str, ...]:
    """The folded words of `text`."""
    return tuple(w for w in (fold(m.group()) for m in _WORD.finditer(text)) if w)


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word of `text` as (start, end, folded word), positions in `text` itself."""
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if folded:
            yield match.start(), match.end(), folded
