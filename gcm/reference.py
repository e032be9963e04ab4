"""Reference data: load `data/*.yaml`, validate it, and expose it as frozen dataclasses.

Any problem stops start-up with a `ReferenceDataError` naming the file, the entry and the
problem, so a broken edit to the YAML never reaches users half-applied.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from gcm.text import fold

LANGUAGES = ("en", "es")
OBJECTIVE_COUNT = 23
FILES = ("objectives", "principles", "groupings", "countries", "cycles", "scales")


class ReferenceDataError(ValueError):
    """Reference data is missing or inconsistent; the message names file, entry and problem."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}")


@dataclass(frozen=True)
class Text:
    """A string in both languages."""

    en: str
    es: str

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True)
class Objective:
    number: int
    hub_id: int
    title: Text
    short: Text


@dataclass(frozen=True)
class Principle:
    key: str
    name: Text


@dataclass(frozen=True)
class Section:
    number: int
    title: Text
    theme: Text | None
    objectives: tuple[int, ...]


@dataclass(frozen=True)
class Grouping:
    id: str
    name: Text
    provisional: bool
    note: Text | None
    sections: tuple[Section, ...]

    def section_of(self, objective: int) -> Section | None:
        return next((s for s in self.sections if objective in s.objectives), None)


@dataclass(frozen=True)
class CountryGroup:
    key: str
    name: Text


@dataclass(frozen=True)
class Country:
    iso3: str
    name: Text
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Cycle:
    id: str
    name: Text
    short: Text
    start: dt.date
    end: dt.date
    grouping: str
    grouping_confirmed: bool
    is_open: bool


@dataclass(frozen=True)
class Status:
    key: str
    level: int
    color: str
    label: Text
    short: Text  # the label in a word or two, for a grid of many objectives side by side


@dataclass(frozen=True)
class Category:
    key: str
    label: Text


@dataclass(frozen=True)
class Reference:
    """All reference data, validated and cross-checked."""

    objectives: tuple[Objective, ...]
    principles: tuple[Principle, ...]
    groupings: tuple[Grouping, ...]
    groups: tuple[CountryGroup, ...]
    countries: tuple[Country, ...]
    cycles: tuple[Cycle, ...]
    statuses: tuple[Status, ...]
    categories: tuple[Category, ...]

    def objective(self, number: int) -> Objective:
        return next(o for o in self.objectives if o.number == number)

    def grouping(self, grouping_id: str) -> Grouping:
        return next(g for g in self.groupings if g.id == grouping_id)

    @cached_property
    def _countries_by_code(self) -> dict[str, Country]:
        return {c.iso3: c for c in self.countries}

    def country(self, iso3: str) -> Country:
        """The country with this ISO3 code (KeyError when neither the YAML nor the database has it)."""
        return self._countries_by_code[iso3]

    def country_name(self, iso3: str, lang: str) -> str:
        """The country's name in `lang`; a code that neither the YAML nor the database knows (in an audit entry, a
        workbook, a map's data), as it is."""
        try:
            return self.country(iso3).name.get(lang)
        except KeyError:
            return iso3

    @cached_property
    def _sort_names(self) -> dict[str, dict[str, str]]:
        return {}

    def sort_name(self, iso3: str, lang: str) -> str:
        """What lists of countries are ordered by: the country's name in `lang` with accents and case folded (its
        code where it has no name), worked out once per language."""
        names = self._sort_names.get(lang)
        if names is None:
            names = self._sort_names[lang] = {c.iso3: fold(c.name.get(lang)) for c in self.countries}
        return names.get(iso3) or fold(iso3)

    def by_name(self, codes: Iterable[str], lang: str) -> list[str]:
        """`codes` in the order every list of countries takes: by name in `lang`, accents and case ignored."""
        return sorted(codes, key=lambda iso3: self.sort_name(iso3, lang))

    def with_countries(self, extra: Iterable[Country]) -> Reference:
        """This reference data plus countries it does not list (those only the database knows, e.g. synthetic)."""
        added = tuple(c for c in extra if c.iso3 not in self._countries_by_code)
        return replace(self, countries=self.countries + added) if added else self

    def cycle(self, cycle_id: str) -> Cycle:
        return next(c for c in self.cycles if c.id == cycle_id)

    def cycle_name(self, cycle_id: str, lang: str) -> str:
        """The cycle's name in `lang`; an id the YAML does not list (a cycle made on the Cycles page), as it is."""
        return next((c.name.get(lang) for c in self.cycles if c.id == cycle_id), cycle_id)

    @cached_property
    def _statuses_by_key(self) -> dict[str, Status]:
        return {s.key: s for s in self.statuses}

    def status(self, key: str) -> Status:
        """The status with this key (KeyError for an unknown one); charts look one up per cell."""
        return self._statuses_by_key[key]

    def round_table_of(self, objective: int) -> int:
        """The objective's IMRF 2022 round table number."""
        section = self.grouping("imrf2022").section_of(objective)
        assert section is not None  # guaranteed by validation
        return section.number


class _Entries:
    """Helpers that read one YAML mapping and report problems with file and entry named."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str, problem: str) -> ReferenceDataError:
        return ReferenceDataError(self.file, entry, problem)

    def mapping(self, value: Any, entry: str, required: set[str], optional: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(entry, "expected a mapping of keys to values")
        unknown = set(value) - required - set(optional)
        if unknown:
            raise self.fail(entry, f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
        missing = required - set(value)
        if missing:
            raise self.fail(entry, f"missing key(s): {', '.join(sorted(missing))}")
        return value

    def list_of(self, doc: dict, key: str) -> list:
        value = doc.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, "expected a non-empty list")
        return value

    def text(self, value: Any, entry: str, field: str) -> Text:
        if not isinstance(value, dict):
            raise self.fail(entry, f"'{field}' must have an English (en) and a Spanish (es) text")
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            raise self.fail(entry, f"'{field}' has unknown language(s): {', '.join(sorted(map(str, unknown)))}")
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(entry, f"missing translation: '{field}' has no '{lang}' text")
        return Text(en=value["en"].strip(), es=value["es"].strip())

    def unique(self, keys: list, entry_name: str) -> None:
        seen: set = set()
        for key in keys:
            if key in seen:
                raise self.fail(f"{entry_name} {key}", "duplicate id")
            seen.add(key)

    def boolean(self, value: Any, entry: str, field: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(entry, f"'{field}' must be true or false")
        return value

    def date(self, value: Any, entry: str, field: str) -> dt.date:
        if isinstance(value, dt.date):
            return value
        raise self.fail(entry, f"'{field}' must be a date (YYYY-MM-DD)")


def _entry_name(kind: str, raw: Any, id_key: str, position: int) -> str:
    """How an error names an entry: by its id when it has one, else by its position."""
    ident = raw.get(id_key) if isinstance(raw, dict) else None
    return f"{kind} {ident if ident is not None else f'#{position}'}"


def read_yaml(directory: Path, name: str) -> dict:
    """The top-level mapping of `data/<name>.yaml`; any problem reading it is a ReferenceDataError."""
    path = directory / f"{name}.yaml"
    file = f"data/{name}.yaml"
    if not path.is_file():
        raise ReferenceDataError(file, "(file)", "file not found")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(file, "(file)", f"not UTF-8 text (byte {exc.start} cannot be decoded)") from exc
    except yaml.YAMLError as exc:
        raise ReferenceDataError(file, "(file)", f"not valid YAML: {exc}") from exc
    except OSError as exc:
        raise ReferenceDataError(file, "(file)", f"cannot be read: {exc.strerror}") from exc
    if not isinstance(doc, dict):
        raise ReferenceDataError(file, "(file)", "expected a mapping at the top level")
    return doc


def _objectives(doc: dict) -> tuple[Objective, ...]:
    e = _Entries("data/objectives.yaml")
    e.mapping(doc, "(file)", {"objectives"})
    items = e.list_of(doc, "objectives")
    result = []
    for i, raw in enumerate(items, start=1):
        number = raw.get("number") if isinstance(raw, dict) else None
        entry = f"objective {number if number is not None else f'#{i}'}"
        e.mapping(raw, entry, {"number", "hub_id", "title", "short"})
        if not isinstance(number, int) or not 1 <= number <= OBJECTIVE_COUNT:
            raise e.fail(entry, f"unknown objective number (expected 1 to {OBJECTIVE_COUNT})")
        if raw["hub_id"] != 278 + number:
            raise e.fail(entry, f"hub_id must be {278 + number} (278 + objective number)")
        result.append(
            Objective(number, raw["hub_id"], e.text(raw["title"], entry, "title"), e.text(raw["short"], entry, "short"))
        )
    e.unique([o.number for o in result], "objective")
    missing = sorted(set(range(1, OBJECTIVE_COUNT + 1)) - {o.number for o in result})
    if missing:
        raise e.fail("objectives", f"missing objective(s): {', '.join(map(str, missing))}")
    return tuple(sorted(result, key=lambda o: o.number))


def _principles(doc: dict) -> tuple[Principle, ...]:
    e = _Entries("data/principles.yaml")
    e.mapping(doc, "(file)", {"principles"})
    result = []
    for i, raw in enumerate(e.list_of(doc, "principles"), start=1):
        entry = _entry_name("principle", raw, "key", i)
        e.mapping(raw, entry, {"key", "name"})
        result.append(Principle(str(raw["key"]), e.text(raw["name"], entry, "name")))
    e.unique([p.key for p in result], "principle")
    return tuple(result)


def _groupings(doc: dict) -> tuple[Grouping, ...]:
    e = _Entries("data/groupings.yaml")
    e.mapping(doc, "(file)", {"groupings"})
    result = []
    for i, raw in enumerate(e.list_of(doc, "groupings"), start=1):
        entry = _entry_name("grouping", raw, "id", i)
        e.mapping(raw, entry, {"id", "name", "provisional", "sections"}, {"note"})
        sections = []
        for j, sraw in enumerate(raw["sections"] or [], start=1):
            sentry = f"{entry}, {_entry_name('section', sraw, 'number', j)}"
            e.mapping(sraw, sentry, {"number", "title", "objectives"}, {"theme"})
            objectives = sraw["objectives"]
            if not isinstance(objectives, list) or not objectives:
                raise e.fail(sentry, "'objectives' must be a non-empty list of objective numbers")
            for number in objectives:
                if not isinstance(number, int) or not 1 <= number <= OBJECTIVE_COUNT:
                    raise e.fail(sentry, f"unknown objective number: {number}")
            theme = e.text(sraw["theme"], sentry, "theme") if "theme" in sraw else None
            sections.append(Section(sraw["number"], e.text(sraw["title"], sentry, "title"), theme, tuple(objectives)))
        if not sections:
            raise e.fail(entry, "a grouping needs at least one section")
        e.unique([s.number for s in sections], f"{entry}, section")
        placed = [n for s in sections for n in s.objectives]
        for number in placed:
            if placed.count(number) > 1:
                raise e.fail(entry, f"objective {number} is in more than one section")
        note = e.text(raw["note"], entry, "note") if "note" in raw else None
        result.append(
            Grouping(
                str(raw["id"]),
                e.text(raw["name"], entry, "name"),
                e.boolean(raw["provisional"], entry, "provisional"),
                note,
                tuple(sections),
            )
        )
    e.unique([g.id for g in result], "grouping")
    imrf = next((g for g in result if g.id == "imrf2022"), None)
    if imrf is None:
        raise e.fail("grouping imrf2022", "the IMRF 2022 round tables are required")
    unplaced = sorted(set(range(1, OBJECTIVE_COUNT + 1)) - {n for s in imrf.sections for n in s.objectives})
    if unplaced:
        raise e.fail("grouping imrf2022", f"objective(s) in no round table: {', '.join(map(str, unplaced))}")
    return tuple(result)


_ISO3 = re.compile(r"^[A-Z]{3}$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MOST_SHORT = 14  # characters of a status's short label: a grid column stays narrow


def _countries(doc: dict) -> tuple[tuple[CountryGroup, ...], tuple[Country, ...]]:
    e = _Entries("data/countries.yaml")
    e.mapping(doc, "(file)", {"groups", "countries"})
    groups = []
    for i, raw in enumerate(e.list_of(doc, "groups"), start=1):
        entry = _entry_name("group", raw, "key", i)
        e.mapping(raw, entry, {"key", "name"})
        groups.append(CountryGroup(str(raw["key"]), e.text(raw["name"], entry, "name")))
    e.unique([g.key for g in groups], "group")
    known_groups = {g.key for g in groups}
    countries = []
    for i, raw in enumerate(e.list_of(doc, "countries"), start=1):
        entry = _entry_name("country", raw, "iso3", i)
        e.mapping(raw, entry, {"iso3", "name", "groups"})
        if not isinstance(raw["iso3"], str) or not _ISO3.match(raw["iso3"]):
            raise e.fail(entry, "'iso3' must be three capital letters (ISO 3166-1 alpha-3)")
        member_of = raw["groups"] or []
        for key in member_of:
            if key not in known_groups:
                raise e.fail(entry, f"unknown group: {key}")
        countries.append(Country(raw["iso3"], e.text(raw["name"], entry, "name"), tuple(member_of)))
    e.unique([c.iso3 for c in countries], "country")
    return tuple(groups), tuple(countries)


SHORT_NAME_LIMIT = 80  # the database's column


def _short(e: _Entries, raw: Any, entry: str) -> Text:
    """A cycle's short name: where room is tight, so it must fit its column."""
    text = e.text(raw, entry, "short")
    if max(len(text.en), len(text.es)) > SHORT_NAME_LIMIT:
        raise e.fail(entry, f"'short' is longer than {SHORT_NAME_LIMIT} characters")
    return text


def _cycles(doc: dict, groupings: tuple[Grouping, ...]) -> tuple[Cycle, ...]:
    e = _Entries("data/cycles.yaml")
    e.mapping(doc, "(file)", {"cycles"})
    known = {g.id for g in groupings}
    result = []
    for i, raw in enumerate(e.list_of(doc, "cycles"), start=1):
        entry = _entry_name("cycle", raw, "id", i)
        e.mapping(raw, entry, {"id", "name", "short", "start", "end", "grouping", "grouping_confirmed", "state"})
        if raw["grouping"] not in known:
            raise e.fail(entry, f"unknown grouping: {raw['grouping']}")
        if raw["state"] not in ("open", "closed"):
            raise e.fail(entry, "'state' must be open or closed")
        start, end = e.date(raw["start"], entry, "start"), e.date(raw["end"], entry, "end")
        if end < start:
            raise e.fail(entry, "'end' is before 'start'")
        result.append(
            Cycle(
                str(raw["id"]),
                e.text(raw["name"], entry, "name"),
                _short(e, raw["short"], entry),
                start,
                end,
                raw["grouping"],
                e.boolean(raw["grouping_confirmed"], entry, "grouping_confirmed"),
                raw["state"] == "open",
            )
        )
    e.unique([c.id for c in result], "cycle")
    return tuple(result)


def _scales(doc: dict) -> tuple[tuple[Status, ...], tuple[Category, ...]]:
    e = _Entries("data/scales.yaml")
    e.mapping(doc, "(file)", {"statuses", "categories"})
    statuses = []
    for i, raw in enumerate(e.list_of(doc, "statuses"), start=1):
        entry = _entry_name("status", raw, "key", i)
        e.mapping(raw, entry, {"key", "level", "color", "label", "short"})
        if raw["key"] == "not_reported":
            raise e.fail(entry, "'not reported' is the absence of a report, not a level of the scale")
        if not isinstance(raw["level"], int) or isinstance(raw["level"], bool):
            raise e.fail(entry, "'level' must be a whole number")
        if not isinstance(raw["color"], str) or not _COLOUR.match(raw["color"]):
            raise e.fail(entry, "'color' must be a colour written #RRGGBB (six hexadecimal digits)")
        label, short = e.text(raw["label"], entry, "label"), e.text(raw["short"], entry, "short")
        if any(len(short.get(lang)) > MOST_SHORT for lang in LANGUAGES):
            raise e.fail(entry, f"'short' must be at most {MOST_SHORT} characters in each language")
        statuses.append(Status(str(raw["key"]), raw["level"], str(raw["color"]), label, short))
    e.unique([s.key for s in statuses], "status")
    e.unique([s.level for s in statuses], "status level")
    categories = []
    for i, raw in enumerate(e.list_of(doc, "categories"), start=1):
        entry = _entry_name("category", raw, "key", i)
        e.mapping(raw, entry, {"key", "label"})
        categories.append(Category(str(raw["key"]), e.text(raw["label"], entry, "label")))
    e.unique([c.key for c in categories], "category")
    return tuple(sorted(statuses, key=lambda s: s.level)), tuple(categories)


def load_reference(directory: Path) -> Reference:
    """Read and validate every reference file in `directory`."""
    docs = {name: read_yaml(directory, name) for name in FILES}
    groupings = _groupings(docs["groupings"])
    groups, countries = _countries(docs["countries"])
    statuses, categories = _scales(docs["scales"])
    return Reference(
        objectives=_objectives(docs["objectives"]),
        principles=_principles(docs["principles"]),
        groupings=groupings,
        groups=groups,
        countries=countries,
        cycles=_cycles(docs["cycles"], groupings),
        statuses=statuses,
        categories=categories,
    )
