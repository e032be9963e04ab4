"""Demo data, the open-data export and the command line."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from gcm import demo, queries
from gcm.config import ROOT
from gcm.db import read_session, write_session
from gcm.opendata import export
from gcm.reference import Reference
from gcm.services import Actor, ReportInput, remove_demo_reports, save_objective_report

KEY_COLUMNS = ["country", "cycle", "objective", "status", "progress"]


def test_demo_is_deterministic_flagged_and_removable(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        first = demo.load_demo(session, ref)
    with read_session(engine) as session:
        snapshot = export.reports_table(session, export.EVERYTHING)[
            ["country", "cycle", "objective", "status", "progress"]
        ]
    with write_session(engine) as session:
        assert demo.load_demo(session, ref) == first  # running it again replaces, it does not add
    with read_session(engine) as session:
        again = export.reports_table(session, export.EVERYTHING)[
            ["country", "cycle", "objective", "status", "progress"]
        ]
        counts = queries.report_counts(session)
    assert again.equals(snapshot)
    assert counts == {"demo": first, "real": 0}
    assert set(snapshot["cycle"]) == {"lac2021", "imrf2022"}
    assert set(snapshot["country"]) == {c.iso3 for c in ref.countries if "CRM" in c.groups}
    assert snapshot["status"].nunique() == len(ref.statuses)


def test_demo_refuses_where_real_reports_exist_and_remove_keeps_them(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        demo.load_demo(session, ref)
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            Actor(name="Ana", role="system"),
            country="CRI",
            cycle_id="imrf2026",
            objective=1,
            data=ReportInput(status="planning"),
            expected_version=None,
        )
    with pytest.raises(demo.DemoRefused), write_session(engine) as session:
        demo.load_demo(session, ref)
    with write_session(engine) as session:
        assert remove_demo_reports(session) > 0
    with read_session(engine) as session:
        assert queries.report_counts(session) == {"demo": 0, "real": 1}


@pytest.fixture
def filled(engine: Engine, ref: Reference) -> Engine:
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            Actor(name="Ana", role="system"),
            country="CRI",
            cycle_id="imrf2026",
            objective=7,
            data=ReportInput(
                status="initial",
                progress='=HYPERLINK("http://evil")',
                principles=("a", "g"),
                evidence_links=("https://a.org", "https://b.org"),
            ),
            expected_version=None,
        )
    return engine


def test_json_export_schema(filled: Engine, ref: Reference, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    with read_session(filled) as session:
        assert export.write_export(session, ref, "json", path, export.EVERYTHING) == 1
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc) == {"objectives", "principles", "groupings", "countries", "cycles", "reports"}
    objective = doc["objectives"][11]
    assert {"number", "title_en", "title_es", "short_en", "short_es", "round_table"} <= set(objective)
    assert (objective["number"], objective["round_table"]) == (12, 1)
    assert set(doc["principles"][0]) == {"key", "name_en", "name_es"}
    assert {"iso3", "name_en", "name_es", "groups"} <= set(doc["countries"][0])
    assert {"id", "name_en", "name_es", "start", "end", "grouping"} <= set(doc["cycles"][0])
    report = doc["reports"][0]
    assert (report["country"], report["cycle"], report["objective"], report["status"]) == (
        "CRI",
        "imrf2026",
        7,
        "initial",
    )
    assert report["principles"] == ["a", "g"] and report["evidence_links"] == ["https://a.org", "https://b.org"]
    assert report["progress"] == '=HYPERLINK("http://evil")'
    assert {g["id"]: g["provisional"] for g in doc["groupings"]} == {"imrf2022": False, "lac2021": True}


def test_csv_and_xlsx_carry_the_same_reports_table(filled: Engine, ref: Reference, tmp_path: Path) -> None:
    with read_session(filled) as session:
        export.write_export(session, ref, "csv", tmp_path / "r.csv", export.EVERYTHING)
        export.write_export(session, ref, "xlsx", tmp_path / "r.xlsx", export.EVERYTHING)
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    sheet = load_workbook(tmp_path / "r.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header == list(rows[0]) == list(export.REPORT_COLUMNS)
    values = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert rows[0]["principles"] == values["principles"].value == "a; g"
    # A text starting with "=" stays text in the spreadsheet, never a formula; in the CSV it is neutralised.
    assert values["progress"].data_type == "s" and "'" + values["progress"].value == rows[0]["progress"]


def _cli(*args: str, env_url: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "GCM_DATABASE_URL": env_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "gcm", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_cli_init_demo_export(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'cli.sqlite'}"
    assert _cli("init", env_url=url).returncode == 0
    assert (tmp_path / "sub" / "cli.sqlite").exists()
    result = _cli("demo", env_url=url)
    assert result.returncode == 0 and "demo" in result.stdout
    result = _cli("export", "--format", "csv", "-o", str(tmp_path / "out.csv"), env_url=url)
    assert result.returncode == 0 and (tmp_path / "out.csv").stat().st_size > 1000
    assert _cli("demo", "--remove", env_url=url).returncode == 0


@pytest.mark.parametrize(
    "args", [[], ["frobnicate"], ["export", "--format", "pdf", "-o", "x"], ["export", "--format", "csv"]]
)
def test_cli_bad_arguments_give_usage_not_traceback(tmp_path: Path, args: list[str]) -> None:
    result = _cli(*args, env_url=f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_cli_reports_broken_reference_data_without_traceback(tmp_path: Path) -> None:
    env_url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    data = tmp_path / "data"
    data.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "GCM_DATABASE_URL": env_url,
        "PYTHONPATH": str(ROOT),
        "GCM_REFERENCE_DIR": str(data),
    }
    result = subprocess.run(
        [sys.executable, "-m", "gcm", "init"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert result.returncode == 1
    assert "data/objectives.yaml: (file): file not found" in result.stderr and "Traceback" not in result.stderr


def _cli_in(stdin: str, *args: str, env_url: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "GCM_DATABASE_URL": env_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "gcm", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_user_management_reads_passwords_from_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    assert "No administrator account exists yet" in _cli("init", env_url=url).stdout
    assert _cli_in("a long admin secret\n", "user", "add", "sec", "--role", "admin", env_url=url).returncode == 0
    assert "No administrator" not in _cli("init", env_url=url).stdout
    result = _cli_in(
        "a long delegate secret\n",
        "user",
        "add",
        "ana",
        "--role",
        "delegate",
        "--country",
        "CRI",
        "--email",
        "ana@example.org",
        env_url=url,
    )
    assert result.returncode == 0
    short = _cli_in("short\n", "user", "add", "bob", "--role", "analyst", env_url=url)
    assert short.returncode == 1 and "at least 10 characters" in short.stderr and "Traceback" not in short.stderr
    assert _cli_in("another long secret\n", "user", "passwd", "ana", env_url=url).returncode == 0
    assert _cli("user", "disable", "ana", env_url=url).returncode == 0
    listing = _cli("user", "list", env_url=url).stdout.splitlines()
    assert listing == ["ana\tdelegate\tCRI\tana@example.org\tdisabled", "sec\tadmin\t-\t-\tactive"]
    # There is no way to pass a password as an argument.
    assert _cli("user", "add", "eve", "--role", "admin", "--password", "x" * 12, env_url=url).returncode == 2
