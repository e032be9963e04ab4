"""Synthetic data: deterministic, realistic, flagged, refused beside real reports, removable."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, select

from gcm import demo, models, queries, synth
from gcm.config import ROOT
from gcm.db import read_session, write_session
from gcm.opendata import export
from gcm.reference import Reference
from gcm.services import Actor, ReportInput, save_objective_report

DATA = ROOT / "data"
# 26 countries and 5 cycles: two countries beyond countries.yaml and one cycle beyond cycles.yaml.
SMALL = {"countries": 26, "cycles": 5}
COLUMNS = ["country", "cycle", "objective", "status", "progress", "challenges", "priorities", "good_practice"]


def _load(engine: Engine, ref: Reference, seed: int = 1, **scale: int) -> synth.SynthResult:
    with write_session(engine) as session:
        return synth.load_synth(session, ref, DATA, seed=seed, **(scale or SMALL))


def _reports(engine: Engine):
    with read_session(engine) as session:
        return export.reports_table(session, export.EVERYTHING)


def test_member_list_is_the_193_un_members() -> None:
    members = synth.un_members(DATA)
    codes = {m.iso3 for m in members}
    assert len(members) == len(codes) == 193
    assert not codes & {"VAT", "PSE", "TWN", "XKX", "ESH"}
    names = {m.iso3: (m.name_en, m.name_es) for m in members}
    assert names["BOL"] == ("Bolivia (Plurinational State of)", "Bolivia (Estado Plurinacional de)")
    assert names["DEU"] == ("Germany", "Alemania")
    raw = yaml.safe_load((DATA / "un_member_states.yaml").read_text(encoding="utf-8"))
    assert len(raw["members"]) == 193


def test_synth_is_deterministic_realistic_and_flagged(sqlite_engine: Engine, ref: Reference) -> None:
    result = _load(sqlite_engine, ref)
    first = _reports(sqlite_engine)
    assert (result.countries_added, result.cycles_added) == (2, 1)
    assert result.reports == len(first) > 0
    again = _load(sqlite_engine, ref)  # loading again replaces the earlier load
    assert again == result
    assert _reports(sqlite_engine)[COLUMNS].equals(first[COLUMNS])
    _load(sqlite_engine, ref, seed=2)
    assert not _reports(sqlite_engine)[COLUMNS].equals(first[COLUMNS])
    _load(sqlite_engine, ref)
    frame = _reports(sqlite_engine)
    assert frame["is_demo"].all()
    assert frame["country"].nunique() == 26 and frame["cycle"].nunique() == 5
    words = frame["progress"] + " " + frame["challenges"] + " " + frame["priorities"] + " " + frame["good_practice"]
    counts = words.str.split().str.len()
    assert counts.between(150, 400).all()
    spanish = frame[frame["country"] == "MEX"]["progress"].iloc[0]
    english = frame[frame["country"] == "CAN"]["progress"].iloc[0]
    assert spanish.startswith("Objetivo") and english.startswith("Objective")
    # the status distribution moves from cycle to cycle: more advanced reports later
    levels = {s.key: s.level for s in ref.statuses}
    mean = frame.assign(level=frame["status"].map(levels)).groupby("cycle")["level"].mean()
    assert mean["lac2021"] < mean["lac2025"] < mean.filter(like="synth-").iloc[0]
    assert frame["principles"].map(len).min() >= 1 and frame["challenge_categories"].map(len).min() >= 1
    with read_session(sqlite_engine) as session:
        states = set(session.scalars(select(models.Submission.state)))
        added = session.get(models.Country, "AFG")  # the first member state beyond countries.yaml
        cycles = queries.cycles(session)
        revisions = session.scalar(select(func.count()).select_from(models.ReportRevision))
        banner = queries.report_counts(session)
    assert {"validated", "submitted"} <= states
    assert added is not None
    assert cycles["id"].str.startswith("synth-").sum() == 1
    assert revisions == len(frame)
    assert banner == {"demo": len(frame), "real": 0}


def test_synth_refuses_with_real_reports_and_remove_keeps_them(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        demo.load_demo(session, ref)
    result = _load(engine, ref, countries=25, cycles=5)
    assert result.demo_removed > 0  # synthetic data replaces demo data rather than mixing with it
    added = next(m.iso3 for m in synth.un_members(DATA) if m.iso3 not in {c.iso3 for c in ref.countries})
    with read_session(engine) as session:
        cycle = next(c for c in queries.cycles(session)["id"] if c.startswith("synth-"))
        taken = set(
            session.scalars(
                select(models.ObjectiveReport.objective).where(
                    models.ObjectiveReport.country_iso3 == added, models.ObjectiveReport.cycle_id == cycle
                )
            )
        )
    free = next(n for n in range(1, 24) if n not in taken)
    with write_session(engine) as session:  # a real report on a synthetic country in a synthetic cycle
        save_objective_report(
            session,
            ref,
            Actor(name="Ana", role="system"),
            country=added,
            cycle_id=cycle,
            objective=free,
            data=ReportInput(status="planning", progress="Real text."),
            expected_version=None,
        )
    with pytest.raises(synth.SynthRefused), write_session(engine) as session:
        synth.load_synth(session, ref, DATA, countries=25, cycles=5, seed=1)
    with write_session(engine) as session:
        assert synth.remove_synth(session) == result.reports
    with read_session(engine) as session:
        assert queries.report_counts(session) == {"demo": 0, "real": 1}
        countries = set(session.scalars(select(models.Country.iso3)))
        cycles = set(session.scalars(select(models.Cycle.id)))
        marks = set(session.scalars(select(models.AppSetting.key).where(models.AppSetting.key.startswith("synth."))))
        submissions = session.scalar(select(func.count()).select_from(models.Submission))
    # what the real report refers to stays (and stays marked); everything else synthetic is gone
    assert countries == {c.iso3 for c in ref.countries} | {added}
    assert cycles == {c.id for c in ref.cycles} | {cycle}
    assert marks == {f"synth.country.{added}", f"synth.cycle.{cycle}"}
    assert submissions == 0


def test_synth_command_line(tmp_path: Path) -> None:
    env = {"GCM_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}", "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "gcm", "synth", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    loaded = run("--countries", "5", "--cycles", "2", "--seed", "1")
    assert loaded.returncode == 0, loaded.stderr
    assert "synthetic reports" in loaded.stdout
    removed = run("--remove")
    assert removed.returncode == 0 and removed.stdout.startswith("Removed ")
