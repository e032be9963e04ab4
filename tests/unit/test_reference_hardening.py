"""Every reference-data problem is a message naming file, entry and field; never a traceback."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gcm.config import ROOT
from gcm.reference import ReferenceDataError, load_reference
from gcm.review_process import load_events


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_file_that_is_not_utf8_is_named(data_dir: Path) -> None:
    path = data_dir / "countries.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    with pytest.raises(ReferenceDataError, match="not UTF-8") as info:
        load_reference(data_dir)
    assert info.value.file == "data/countries.yaml"


@pytest.mark.parametrize("colour", ["red", "#fff", "</style><script>alert(1)</script>", "#12345g", 7])
def test_a_status_colour_must_be_rrggbb(data_dir: Path, colour: object) -> None:
    _edit(data_dir / "scales.yaml", 'color: "#fde725"', f"color: {colour!r}" if isinstance(colour, str) else "color: 7")
    with pytest.raises(ReferenceDataError, match="#RRGGBB") as info:
        load_reference(data_dir)
    assert (info.value.file, info.value.entry) == ("data/scales.yaml", "status no_action")


@pytest.mark.parametrize(
    ("old", "new", "entry", "problem"),
    [
        ("events:", "events: [", "(file)", "not valid YAML"),
        ("value: 750,", "value: many,", "event lac2021, figure webinars", "whole number"),
        ("value: 750,", "value: 750, colour: red,", "event lac2021, figure webinars", "unknown key(s): colour"),
        ("start: 2021-04-26\n", "start: yesterday\n", "event lac2021", "'start' must be a date"),
        ("- id: lac2021", "- idx: lac2021", "event #1", "unknown key(s): idx"),
    ],
)
def test_a_broken_review_process_file_is_named(data_dir: Path, old: str, new: str, entry: str, problem: str) -> None:
    _edit(data_dir / "review_process.yaml", old, new)
    with pytest.raises(ReferenceDataError) as info:
        load_events(data_dir)
    assert info.value.file == "data/review_process.yaml" and info.value.entry == entry
    assert problem in str(info.value)


def test_gcm_init_prints_the_problem_not_a_traceback(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "review_process.yaml").write_bytes(b"\xff\xfe not utf-8")
    env = {"GCM_REFERENCE_DIR": str(data_dir), "GCM_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    result = subprocess.run(
        [sys.executable, "-m", "gcm", "init"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data/review_process.yaml: (file): not UTF-8" in result.stderr
