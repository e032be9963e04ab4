"""The bilingual glossary of GCM terms (data/glossary.yaml): a search for a term also finds its translation.

Loaded once with yaml.safe_load and validated into frozen dataclasses; a bad entry stops with a
`GlossaryError` naming the file, the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from gcm.explore.tokens import words

FILE_NAME = "glossary.yaml"
LANGUAGES = ("en", "es")
_KEYS = {"en", "es", "objective"}


class GlossaryError(ValueError):
    """The glossary file is missing or malformed; the message names file, entry and field."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}")


@dataclass(frozen=True)
class Term:
    """One pair: the English and Spanish terms and the objective they come from."""

    en: str
    es: str
    objective: int

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True)
class Expansion:
    """A glossary term found in a query: where (word positions), and the other language's term to add."""

    start: int
    end: int
    added: str


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    def find(self, query_words: tuple[str, ...], lang: str = "es") -> tuple[Expansion, ...]:
        """Glossary terms in `query_words` (already folded), longest first and not overlapping.

        A span that is a term in both languages is read in `lang` first. A translation that folds
        to the typed words (diaspora / diáspora) adds nothing.
        """
        order = (lang, *(other for other in LANGUAGES if other != lang))
        candidates: list[tuple[int, int, int, str]] = []  # (start, length, language rank, added term)
        for term in self.terms:
            for rank, source in enumerate(order):
                target = "es" if source == "en" else "en"
                pattern = words(term.get(source))
                if not pattern or words(term.get(target)) == pattern:
                    continue
                size = len(pattern)
                for start in range(len(query_words) - size + 1):
                    if query_words[start : start + size] == pattern:
                        candidates.append((start, size, rank, term.get(target)))
        candidates.sort(key=lambda c: (-c[1], c[0], c[2]))
        taken: set[int] = set()
        chosen: dict[tuple[int, int], tuple[int, list[str]]] = {}  # span: (language rank, added terms)
        for start, size, rank, added in candidates:
            key = (start, start + size)
            if key in chosen:
                # one span, several translations (trata de personas: trafficking in persons, human trafficking)
                if chosen[key][0] == rank and added not in chosen[key][1]:
                    chosen[key][1].append(added)
                continue
            positions = set(range(start, start + size))
            if positions & taken:
                continue
            taken |= positions
            chosen[key] = (rank, [added])
        spans = sorted(chosen.items())
        return tuple(Expansion(start, end, added) for (start, end), (_, terms) in spans for added in terms)


def _text(file: str, entry: str, raw: dict, field: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise GlossaryError(file, entry, f"field '{field}' must be a non-empty text")
    if not words(value):
        raise GlossaryError(file, entry, f"field '{field}' has no letters or digits")
    return " ".join(value.split())


def parse_glossary(data: object, file: str = FILE_NAME) -> Glossary:
    """Validate the parsed YAML of a glossary file."""
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise GlossaryError(file, "terms", "the file must hold a list named 'terms'")
    terms: list[Term] = []
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for index, raw in enumerate(data["terms"], start=1):
        entry = f"entry {index}"
        if not isinstance(raw, dict):
            raise GlossaryError(file, entry, "must be a mapping with 'en', 'es' and 'objective'")
        unknown = sorted(set(map(str, raw)) - _KEYS)
        if unknown:
            raise GlossaryError(file, entry, f"unknown field(s): {', '.join(unknown)}")
        en = _text(file, entry, raw, "en")
        entry = f"entry {index} ({en})"
        es = _text(file, entry, raw, "es")
        objective = raw.get("objective")
        if isinstance(objective, bool) or not isinstance(objective, int) or not 1 <= objective <= 23:
            raise GlossaryError(file, entry, "field 'objective' must be a number from 1 to 23")
        pair = (words(en), words(es))
        if pair in seen:
            raise GlossaryError(file, entry, "the same pair of terms is listed twice")
        seen.add(pair)
        terms.append(Term(en=en, es=es, objective=objective))
    return Glossary(terms=tuple(terms))


def load_glossary(path: Path) -> Glossary:
    """Read and validate a glossary file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GlossaryError(path.name, "file", f"cannot be read ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GlossaryError(path.name, "file", f"is not valid YAML ({exc})") from None
    return parse_glossary(data, path.name)


@lru_cache(maxsize=4)
def glossary_for(directory: str) -> Glossary:
    """The glossary of a reference data folder, loaded and validated once per process."""
    return load_glossary(Path(directory) / FILE_NAME)
