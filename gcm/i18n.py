"""Translations: one YAML catalogue per language, looked up per call (never process-wide)."""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("es", "en")
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


def catalogue_files(lang: str) -> list[Path]:
    """The core catalogue `locales/<lang>.yaml`, then one file per area in `locales/<lang>/`."""
    return [LOCALES / f"{lang}.yaml", *sorted((LOCALES / lang).glob("*.yaml"))]


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, keyed by dotted name; a key defined in two files is an error."""
    merged: dict[str, str] = {}
    for path in catalogue_files(lang):
        strings = _flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        clash = sorted(set(strings) & set(merged))
        if clash:
            raise ValueError(f"{path.name}: keys already defined in another catalogue file: {', '.join(clash)}")
        merged.update(strings)
    return merged


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# The value that chooses between a string's singular and plural form (`key: {one: ..., other: ...}`).
COUNTS = ("n", "count")


def plural_form(values: dict[str, object]) -> str:
    """'one' where the count among `values` is 1, else 'other' (Spanish and English need no more forms)."""
    count = next((values[name] for name in COUNTS if name in values), None)
    return "one" if count == 1 else "other"


def has(lang: str, key: str) -> bool:
    """Whether `key` is a string of `lang`'s catalogue, in one form or in a singular and a plural."""
    strings = catalogue(lang if lang in LANGUAGES else "es")
    return key in strings or f"{key}.other" in strings


def t(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang`, with `{placeholders}` filled from `values`.

    A key written as `{one: ..., other: ...}` takes its form from the count `n` (or `count`) in `values`, and
    raises KeyError without one. A missing key raises KeyError: tests check both catalogues hold the same keys.
    """
    strings = catalogue(lang if lang in LANGUAGES else "es")
    if key in strings:
        text = strings[key]
    elif any(name in values for name in COUNTS):
        text = strings[f"{key}.{plural_form(values)}"]
    else:
        raise KeyError(f"{key}: a singular or plural string needs its count ({' or '.join(COUNTS)})")
    return text.format(**values) if values else text


def normalize_language(value: object) -> str | None:
    """'es', 'en' or None from a query parameter or a browser locale such as 'en-GB'."""
    if not isinstance(value, str) or not value:
        return None
    code = value.strip().lower()[:2]
    return code if code in LANGUAGES else None


def error_message(lang: str, error: object, escape: Callable[[str], str] = str) -> str:
    """A `DomainError` in `lang`: the field's label and the problem; `escape` is applied to echoed values."""
    field = t(lang, f"field.{error.field}") if error.field else ""
    params = {k: escape(v) if isinstance(v, str) else v for k, v in error.params.items()}
    return t(lang, f"error.{error.code}", field=field, **params)
