"""A broken reference file stops start-up with a message naming file, entry and problem."""

import shutil
from pathlib import Path

import pytest

from gcm.config import ROOT
from gcm.reference import ReferenceDataError, load_reference


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(data_dir: Path) -> ReferenceDataError:
    with pytest.raises(ReferenceDataError) as info:
        load_reference(data_dir)
    return info.value


def test_shipped_data_is_valid() -> None:
    ref = load_reference(ROOT / "data")
    assert len(ref.objectives) == 23


def test_bad_key(data_dir: Path) -> None:
    _edit(data_dir / "objectives.yaml", "    hub_id: 283\n", "    hub_id: 283\n    colour: red\n")
    error = _error(data_dir)
    assert (error.file, error.entry) == ("data/objectives.yaml", "objective 5")
    assert "unknown key(s): colour" in str(error)


def test_unknown_objective_number(data_dir: Path) -> None:
    _edit(data_dir / "groupings.yaml", "objectives: [2, 5, 6, 12, 18]", "objectives: [2, 5, 6, 12, 18, 24]")
    error = _error(data_dir)
    assert error.file == "data/groupings.yaml"
    assert error.entry == "grouping imrf2022, section 1"
    assert "unknown objective number: 24" in error.problem


def test_duplicate_id(data_dir: Path) -> None:
    _edit(data_dir / "countries.yaml", "{iso3: CAN, name: {en: Canada", "{iso3: BLZ, name: {en: Canada")
    error = _error(data_dir)
    assert (error.file, error.entry, error.problem) == ("data/countries.yaml", "country BLZ", "duplicate id")


def test_missing_translation(data_dir: Path) -> None:
    _edit(data_dir / "principles.yaml", "{en: Human rights, es: Derechos humanos}", "{en: Human rights}")
    error = _error(data_dir)
    assert (error.file, error.entry) == ("data/principles.yaml", "principle f")
    assert "missing translation" in error.problem and "'es'" in error.problem


def test_objective_in_two_round_tables(data_dir: Path) -> None:
    _edit(data_dir / "groupings.yaml", "objectives: [1, 3, 7, 17, 23]", "objectives: [1, 3, 7, 17, 23, 2]")
    error = _error(data_dir)
    assert error.entry == "grouping imrf2022" and "objective 2 is in more than one section" in error.problem


def test_cycle_with_unknown_grouping(data_dir: Path) -> None:
    _edit(
        data_dir / "cycles.yaml",
        "grouping: lac2021\n    grouping_confirmed: false\n    state: closed\n  - id: imrf2022",
        "grouping: nowhere\n    grouping_confirmed: false\n    state: closed\n  - id: imrf2022",
    )
    error = _error(data_dir)
    assert (error.file, error.entry, error.problem) == (
        "data/cycles.yaml",
        "cycle lac2021",
        "unknown grouping: nowhere",
    )


def test_a_cycle_short_name_must_fit_its_column(data_dir: Path) -> None:
    _edit(data_dir / "cycles.yaml", "      es: FEMI 2022\n", f"      es: {'FEMI ' * 20}2022\n")
    error = _error(data_dir)
    assert (error.entry, error.problem) == ("cycle imrf2022", "'short' is longer than 80 characters")


def test_not_reported_is_not_a_level(data_dir: Path) -> None:
    _edit(data_dir / "scales.yaml", "  - key: no_action", "  - key: not_reported")
    assert "absence of a report" in _error(data_dir).problem


def test_invalid_yaml_syntax(data_dir: Path) -> None:
    (data_dir / "cycles.yaml").write_text("cycles: [\n", encoding="utf-8")
    error = _error(data_dir)
    assert error.file == "data/cycles.yaml" and "not valid YAML" in error.problem


def test_missing_file(data_dir: Path) -> None:
    (data_dir / "scales.yaml").unlink()
    assert _error(data_dir).problem == "file not found"


def test_countries_only_the_database_knows_are_added_once() -> None:
    from gcm.reference import Country, Text

    ref = load_reference(ROOT / "data")
    extra = Country("DEU", Text("Germany", "Alemania"), ())
    merged = ref.with_countries([extra, ref.country("MEX")])
    assert merged.country("DEU").name.es == "Alemania"
    assert [c.iso3 for c in merged.countries].count("MEX") == 1
    assert len(merged.countries) == len(ref.countries) + 1
    assert ref.with_countries([]) is ref
    with pytest.raises(KeyError):
        ref.country("DEU")


def test_a_status_needs_a_short_label_of_a_word_or_two(data_dir: Path) -> None:
    scales = data_dir / "scales.yaml"
    _edit(scales, "    short: {en: Initial, es: Inicial}\n", "")
    error = _error(data_dir)
    assert (error.file, error.entry) == ("data/scales.yaml", "status initial")
    assert "missing key(s): short" in str(error)
    _edit(
        scales,
        "    label: {en: Initial implementation, es: Implementación inicial}\n",
        (
            "    label: {en: Initial implementation, es: Implementación inicial}\n"
            "    short: {en: Initial, es: Implementación inicial}\n"
        ),
    )
    assert "'short' must be at most 14 characters" in str(_error(data_dir))
