"""The read-only JSON API, through the real ASGI app that `streamlit run app.py` serves (st.App with our routes)."""

import datetime as dt
import importlib
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from gcm import accounts, demo, models
from gcm.db import read_session, write_session
from gcm.explore.search import search_reports
from gcm.opendata import export
from gcm.permissions import PUBLIC, SYSTEM, read_scope
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report
from gcm.web.auth_routes import SESSION_COOKIE

JSON = "application/json; charset=utf-8"
DRAFT = ("CRI", "imrf2026", 3)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app module's own `app` (st.App): Streamlit's routes and catch-all page are all there."""
    with TestClient(importlib.import_module("app").app) as test_client:
        yield test_client


def _load(engine: Engine, ref: Reference) -> Engine:
    with write_session(engine) as session:
        demo.load_demo(session, ref)
        save_objective_report(
            session,
            ref,
            SYSTEM,
            country="CRI",
            cycle_id="imrf2026",
            objective=3,
            data=ReportInput(status="planning", progress="Coordinación interinstitucional en borrador"),
            expected_version=None,
        )
    return engine


@pytest.fixture
def loaded(engine: Engine, ref: Reference) -> Engine:
    return _load(engine, ref)


@pytest.fixture
def loaded_sqlite(sqlite_engine: Engine, ref: Reference) -> Engine:
    return _load(sqlite_engine, ref)


def _token(engine: Engine, role: str, country: str | None = None) -> str:
    """A signed-in browser's cookie value for a new account of `role`."""
    token, now = secrets.token_urlsafe(32), dt.datetime.now(dt.UTC)
    with write_session(engine) as session:
        user = accounts.add_user(
            session,
            SYSTEM,
            username=f"api{role}",
            role=role,
            country=country,
            password=None,
            email=f"api{role}@example.org",
        )
        session.add(
            models.AuthSession(
                token_hash=accounts.token_hash(token),
                user_id=user.id,
                created_at=now,
                expires_at=now + dt.timedelta(hours=1),
            )
        )
    return token


def _records(engine: Engine, scope, **filters) -> list[dict]:
    with read_session(engine) as session:
        return export.report_records(session, scope, **filters)


def _follow(client: TestClient, url: str, **headers: str) -> tuple[list[dict], int]:
    """Every record of a paged answer, following `next`; and how many pages it took."""
    data, pages = [], 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"data", "next"}
        data += body["data"]
        pages += 1
        url = body["next"]
        assert url is None or url.startswith("http://testserver/api/v1/reports?")
    return data, pages


def test_reference_endpoints_answer_the_export_tables(client: TestClient, loaded: Engine, ref: Reference) -> None:
    with read_session(loaded) as session:
        expected = {
            "objectives": export.objective_records(ref),
            "countries": export.country_records(session, ref),
            "cycles": export.cycle_records(session),
        }
    for name, records in expected.items():
        response = client.get(f"/api/v1/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == JSON
        assert "cache-control" not in response.headers  # anonymous: nothing private in it
        assert response.json() == {"data": records, "next": None}
    assert len(expected["objectives"]) == 23


def test_reports_are_paged_with_next_links_and_default_to_100(client: TestClient, loaded: Engine) -> None:
    public = _records(loaded, read_scope(PUBLIC))
    first = client.get("/api/v1/reports").json()
    assert first["data"] == public[:100]
    assert first["next"] == "http://testserver/api/v1/reports?page=2"
    data, pages = _follow(client, "/api/v1/reports?limit=40")
    assert data == public and pages == -(-len(public) // 40)
    everything, _ = _follow(client, "/api/v1/reports?limit=1000")
    assert everything == public and tuple(everything[0]) == export.REPORT_COLUMNS
    assert client.get("/api/v1/reports?page=99").json() == {"data": [], "next": None}


def test_next_links_stay_on_https_behind_a_proxy_that_ends_tls(client: TestClient, loaded: Engine, monkeypatch) -> None:
    """nginx ends TLS and speaks HTTP to the app (deploy/nginx.conf.example): the next page is still HTTPS when the
    proxy is trusted (GCM_TRUSTED_PROXIES) and says so, or when GCM_COOKIE_SECURE=always; a client that reaches
    the app directly cannot choose the scheme of the links it is given."""

    def client_at(address: str) -> TestClient:  # the module's client (its app already started), from `address`
        return TestClient(client.app, client=(address, 50000))

    path, https = "/api/v1/reports?limit=40", {"X-Forwarded-Proto": "https"}
    expected = "{}://testserver/api/v1/reports?limit=40&page=2"
    monkeypatch.setenv("GCM_TRUSTED_PROXIES", "127.0.0.1")
    proxy = client_at("127.0.0.1")
    assert proxy.get(path, headers=https).json()["next"] == expected.format("https")
    assert proxy.get(path, headers={"X-Forwarded-Proto": "https, http"}).json()["next"] == expected.format("https")
    assert proxy.get(path).json()["next"] == expected.format("http")
    direct = client_at("10.1.2.3")
    assert direct.get(path, headers=https).json()["next"] == expected.format("http")
    monkeypatch.setenv("GCM_COOKIE_SECURE", "always")
    assert direct.get(path).json()["next"] == expected.format("https")


@pytest.mark.parametrize(
    "query",
    [
        "cycle=lac2021",
        "country=MEX",
        "country=mex",
        "status=Full",
        "cycle=IMRF2022",
        "objective=7",
        "status=full",
        "cycle=imrf2022&objective=5&limit=3",
    ],
)
def test_report_filters(client: TestClient, loaded_sqlite: Engine, query: str) -> None:
    filters = dict(part.split("=") for part in query.split("&"))
    filters.pop("limit", None)
    codes = {"objective": int, "country": str.upper, "cycle": str.lower, "status": str.lower}  # any case
    filters = {k: codes[k](v) for k, v in filters.items()}
    expected = _records(loaded_sqlite, read_scope(PUBLIC), **filters)
    data, _ = _follow(client, f"/api/v1/reports?{query}")
    assert data == expected and expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=2.5", "page"),
        ("objective=24", "objective"),
        ("objective=0", "objective"),
        ("objective=abc", "objective"),
        ("cycle=imrf2099", "cycle"),
        ("country=XXX", "country"),
        ("country=Costa%20Rica", "country"),
        ("status=done", "status"),
        ("q=" + "a" * 201, "q"),
        ("colour=red", "colour"),
        ("country=CRI&country=MEX", "country"),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(client: TestClient, loaded_sqlite: Engine, query, parameter) -> None:
    response = client.get(f"/api/v1/reports?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON
    error = response.json()["error"]
    assert error["parameter"] == parameter and error["message"]


def test_lists_take_no_parameters(client: TestClient, loaded_sqlite: Engine) -> None:
    response = client.get("/api/v1/cycles?limit=5")
    assert response.status_code == 400 and response.json()["error"]["parameter"] == "limit"


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api", "/api/", "/api/v2/reports", "/api/v1/reports/1"])
def test_unknown_paths_answer_json_404_not_streamlit_html(client: TestClient, loaded_sqlite: Engine, path) -> None:
    for method in ("GET", "POST"):
        response = client.request(method, path)
        assert response.status_code == 404, (method, path)
        assert response.headers["content-type"] == JSON
        assert response.json()["error"]["message"].startswith("no such endpoint")
    assert client.get("/sin-pagina").headers["content-type"].startswith("text/html")  # Streamlit's own catch-all


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_a_wrong_method_answers_json_405_with_allow(client: TestClient, loaded_sqlite: Engine, method: str) -> None:
    for name in ("objectives", "countries", "cycles", "reports"):
        response = client.request(method, f"/api/v1/{name}")
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, HEAD"
        assert response.headers["content-type"] == JSON
        assert response.json()["error"]["message"] == f"method {method} not allowed"
    assert client.head("/api/v1/cycles").status_code == 200


def test_signed_in_callers_read_their_scope_and_answers_are_not_cached(client: TestClient, loaded: Engine) -> None:
    cookies = {"Cookie": f"{SESSION_COOKIE}={_token(loaded, 'admin')}"}
    response = client.get("/api/v1/reports?limit=1000", headers=cookies)
    assert response.headers["cache-control"] == "no-store"
    admin, _ = _follow(client, "/api/v1/reports?limit=1000", **cookies)
    assert admin == _records(loaded, export.EVERYTHING)
    assert DRAFT in {(r["country"], r["cycle"], r["objective"]) for r in admin}
    delegate = {"Cookie": f"{SESSION_COOKIE}={_token(loaded, 'delegate', 'MEX')}"}
    mine, _ = _follow(client, "/api/v1/reports?cycle=imrf2026&limit=1000", **delegate)
    assert DRAFT not in {(r["country"], r["cycle"], r["objective"]) for r in mine}
    anonymous, _ = _follow(client, "/api/v1/reports?limit=1000")
    assert anonymous == _records(loaded, read_scope(PUBLIC)) and len(anonymous) < len(admin)
    forged, _ = _follow(client, "/api/v1/reports?limit=1000", Cookie=f"{SESSION_COOKIE}=forged")
    assert forged == anonymous


def test_with_public_view_off_anonymous_callers_get_401(client, loaded_sqlite: Engine, monkeypatch) -> None:
    monkeypatch.setenv("GCM_PUBLIC_VIEW", "off")
    for name in ("objectives", "reports"):
        response = client.get(f"/api/v1/{name}")
        assert response.status_code == 401 and response.headers["content-type"] == JSON
        assert response.json()["error"]["message"].startswith("sign in first")
    analyst = {"Cookie": f"{SESSION_COOKIE}={_token(loaded_sqlite, 'analyst')}"}
    assert client.get("/api/v1/reports", headers=analyst).status_code == 200


def test_q_runs_the_search_and_keeps_its_rank_order(client: TestClient, loaded: Engine) -> None:
    scope = read_scope(PUBLIC)
    with read_session(loaded) as session:
        hits = search_reports(session, scope, "coordinación", limit=10_000).rows
    ranked = list(dict.fromkeys(zip(hits["cycle"], hits["country"], hits["objective"].astype(int), strict=True)))
    assert ranked
    data, pages = _follow(client, "/api/v1/reports?q=coordinaci%C3%B3n&limit=7")
    assert [(r["cycle"], r["country"], r["objective"]) for r in data] == ranked
    assert pages == -(-len(ranked) // 7) and tuple(data[0]) == export.REPORT_COLUMNS
    costa_rica, _ = _follow(client, "/api/v1/reports?q=coordinacion&country=CRI&status=advanced")
    assert [(r["cycle"], r["country"], r["objective"]) for r in costa_rica] == [
        key for key, r in zip(ranked, data, strict=True) if key[1] == "CRI" and r["status"] == "advanced"
    ]
    assert DRAFT not in {(r["country"], r["cycle"], r["objective"]) for r in data}  # the draft matches, unseen
    assert client.get("/api/v1/reports?q=zzzxq").json() == {"data": [], "next": None}
