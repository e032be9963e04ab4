"""The JSON API and the Open data page on a real `streamlit run app.py`: the README's curl examples, in JSON."""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gcm.config import ROOT
from gcm.i18n import t
from tests.e2e.conftest import settle

pytestmark = pytest.mark.e2e

# The addresses of the README's curl examples (API section), in the same order.
README_EXAMPLES = [
    "/api/v1/objectives",
    "/api/v1/countries",
    "/api/v1/cycles",
    "/api/v1/reports?cycle=imrf2022&country=MEX",
    "/api/v1/reports?objective=7&status=advanced&limit=10",
    "/api/v1/reports?q=coordinaci%C3%B3n&limit=5",
    "/api/v1/reports?limit=100&page=2",
]
JSON = "application/json; charset=utf-8"


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], dict]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, json.loads(error.read())


def test_readme_curl_examples_answer_json(server) -> None:
    for path in README_EXAMPLES:
        status, headers, body = _get(f"{server.url}{path}")
        assert status == 200, path
        assert headers["content-type"] == JSON, path
        assert set(body) == {"data", "next"} and body["data"], path
    _, _, objectives = _get(f"{server.url}/api/v1/objectives")
    assert [o["number"] for o in objectives["data"]] == list(range(1, 24))
    _, _, mexico = _get(f"{server.url}/api/v1/reports?cycle=imrf2022&country=MEX")
    assert {(r["country"], r["cycle"]) for r in mexico["data"]} == {("MEX", "imrf2022")}
    _, _, first = _get(f"{server.url}/api/v1/reports")
    assert first["next"] == f"{server.url}/api/v1/reports?page=2"
    _, _, second = _get(first["next"])
    _, _, example = _get(f"{server.url}/api/v1/reports?limit=100&page=2")
    assert second["data"] == example["data"] and second["data"][0] != first["data"][0]


def test_errors_are_json_not_the_streamlit_page(server) -> None:
    status, headers, body = _get(f"{server.url}/api/v1/reports?limit=5000")
    assert (status, headers["content-type"], body["error"]["parameter"]) == (400, JSON, "limit")
    status, headers, body = _get(f"{server.url}/api/v1/nothing")
    assert (status, headers["content-type"]) == (404, JSON) and body["error"]["message"]
    status, headers, body = _get(f"{server.url}/api/v1/reports", method="POST")
    assert (status, headers["content-type"], headers["allow"]) == (405, JSON, "GET, HEAD")


def test_page_download_is_the_cli_file(new_page, server, tmp_path: Path) -> None:
    page = new_page("es-ES")
    page.goto(f"{server.url}/open_data?lang=es")
    settle(page)
    page.get_by_text(t("es", "opendata.dictionary.title")).first.wait_for()
    files = {}
    for fmt in ("json", "csv", "xlsx"):
        with page.expect_download() as download:
            page.get_by_role("button", name=t("es", f"opendata.download_{fmt}")).click()
        files[fmt] = Path(download.value.path()).read_bytes()
    env = {"PATH": "/usr/bin:/bin", "GCM_DATABASE_URL": server.database_url, "PYTHONPATH": str(ROOT)}
    for fmt, content in files.items():
        target = tmp_path / f"export.{fmt}"
        subprocess.run(
            [sys.executable, "-m", "gcm", "export", "--format", fmt, "-o", str(target), "--validated-only"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert content == target.read_bytes(), fmt


def test_choosing_a_field_of_the_dictionary_shows_every_allowed_value(new_page, server) -> None:
    """The dictionary's table cuts long cells; choosing a row shows that field in full below it."""
    page = new_page("en-GB")
    page.goto(f"{server.url}/open_data?lang=en")
    settle(page)
    page.get_by_text(t("en", "opendata.dictionary.pick")).wait_for()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 35 * 3 + 17)  # the row selector of the 4th row: status
    settle(page)
    page.get_by_text("reports.status").wait_for()
    for line in ("no_action: No action yet", "full: Fully implemented"):
        page.get_by_role("listitem").filter(has_text=line).wait_for()
