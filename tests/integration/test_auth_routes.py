"""Sign-in and sign-out routes: the client's address behind a proxy, the cookie's Secure flag, sign-out by POST."""

import ipaddress
import re

import pytest
from sqlalchemy import Engine, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.testclient import TestClient

from gcm import accounts, models
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM
from gcm.web.auth_routes import CSRF_COOKIE, SESSION_COOKIE, auth_routes, client_address

PASSWORD = "una clave larga de prueba"
PROXY = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32"))


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 1234), "headers": headers, "method": "GET", "path": "/"})


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", None, PROXY, "203.0.113.9"),  # no proxy in between
        ("203.0.113.9", "198.51.100.1", PROXY, "203.0.113.9"),  # a visitor cannot choose its own address
        ("10.1.2.3", "198.51.100.1", PROXY, "198.51.100.1"),  # from the trusted proxy
        ("10.1.2.3", "6.6.6.6, 198.51.100.1", PROXY, "198.51.100.1"),  # the right-most hop, not the spoofed one
        ("10.1.2.3", "198.51.100.1, 10.9.9.9", PROXY, "198.51.100.1"),  # a chain of trusted proxies
        ("10.1.2.3", "not-an-address", PROXY, "10.1.2.3"),
        ("10.1.2.3", "198.51.100.1", (), "10.1.2.3"),  # GCM_TRUSTED_PROXIES empty: the header is ignored
    ],
)
def test_the_client_address_comes_from_a_trusted_proxy_only(
    peer: str, forwarded: str | None, trusted: tuple, expected: str
) -> None:
    assert client_address(_request(peer, forwarded), trusted) == expected


@pytest.fixture
def client(engine: Engine) -> TestClient:
    with write_session(engine) as session:
        accounts.add_user(session, SYSTEM, username="ana", role="analyst", country=None, password=PASSWORD)
    return TestClient(Starlette(routes=auth_routes()), base_url="http://tracker.example")


def _sign_in(client: TestClient) -> str:
    form = client.get("/auth/login?lang=es")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    # Sent by hand: a Secure cookie is not returned over the plain HTTP between a TLS proxy and the app.
    client.cookies.clear()
    answer = client.post(
        "/auth/login",
        data={"csrf": csrf, "next": "/", "lang": "es", "username": "Ana", "password": PASSWORD},
        headers={"Cookie": f"{CSRF_COOKIE}={csrf}"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return answer.headers["set-cookie"]


@pytest.mark.parametrize(("setting", "secure"), [("auto", False), ("always", True), ("never", False)])
def test_the_cookie_secure_flag_follows_the_setting(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, setting: str, secure: bool
) -> None:
    monkeypatch.setenv("GCM_COOKIE_SECURE", setting)
    cookie = _sign_in(client)
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "httponly" in cookie.lower()
    assert ("secure" in cookie.lower()) is secure


def test_auto_marks_the_cookie_secure_when_the_proxy_says_https(client: TestClient) -> None:
    client.headers["X-Forwarded-Proto"] = "https"
    assert "secure" in _sign_in(client).lower()


def test_a_get_never_signs_out_and_a_post_needs_the_token(client: TestClient, engine: Engine) -> None:
    _sign_in(client)
    page = client.get("/auth/logout?lang=en")
    assert page.status_code == 200 and 'method="post"' in page.text
    with read_session(engine) as session:
        assert session.scalars(select(models.AuthSession.revoked_at)).one() is None
    forged = client.post("/auth/logout", data={"csrf": "guess", "lang": "en"}, follow_redirects=False)
    assert forged.status_code == 403
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.cookies.get(CSRF_COOKIE) == csrf
    done = client.post("/auth/logout", data={"csrf": csrf, "lang": "en"}, follow_redirects=False)
    assert done.status_code == 303
    with read_session(engine) as session:
        assert session.scalars(select(models.AuthSession.revoked_at)).one() is not None
