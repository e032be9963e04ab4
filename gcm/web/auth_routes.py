"""Sign-in and sign-out as plain HTTP routes beside Streamlit.

Streamlit has no API to set a cookie from a script, so the sign-in form posts here: on success
an `HttpOnly`, `SameSite=Lax` cookie carries a random session token (only its hash is stored),
which the Streamlit script reads with `st.context.cookies`. A double-submit token protects the
form against cross-site posts. Everything on these pages is fixed text or escaped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import secrets
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from gcm import accounts
from gcm.bootstrap import ready_engine
from gcm.config import load_config
from gcm.db import read_session, write_session
from gcm.i18n import LANGUAGES, normalize_language, t

SESSION_COOKIE = "gcm_session"
CSRF_COOKIE = "gcm_csrf"
LOGIN_PATH = "/auth/login"
LOGOUT_PATH = "/auth/logout"
FAILURE_DELAY = 1.0  # seconds added to every failed attempt

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f7f7f5; color: #222; margin: 0; }}
main {{ max-width: 26rem; margin: 8vh auto; background: #fff; padding: 2rem 2.2rem;
        border-radius: .6rem;
        box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.6rem; margin: 0 0 .4rem; }}
p {{ line-height: 1.45; }}
label {{ display: block; font-weight: 600; margin: 1rem 0 .3rem; }}
input {{ width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; border: 1px solid #999;
        border-radius: .3rem; }}
button {{ margin-top: 1.4rem; width: 100%; padding: .7rem; font-size: 1.05rem; background: #0b5ea8; color: #fff;
          border: 0; border-radius: .3rem; cursor: pointer; }}
.error {{ background: #fdecea; color: #8a1c12; padding: .7rem; border-radius: .3rem; }}
.note {{ background: #eef4fb; color: #0b3d6b; padding: .7rem; border-radius: .3rem; }}
nav {{ margin-top: 1.2rem; display: flex; justify-content: space-between; font-size: .95rem; }}
a {{ color: #0b5ea8; }}
</style></head>
<body><main>
<h1>{title}</h1>
<p>{intro}</p>
{messages}
{form}
<nav>{public_link}<a href="{other_lang_href}" lang="{other_lang}">{other_lang_name}</a></nav>
</main></body></html>
"""

_LOGIN_FORM = """<form method="post" action="{login_path}">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<input type="hidden" name="lang" value="{lang}">
<label for="username">{username_label}</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" autofocus>
<label for="password">{password_label}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit">{submit}</button>
</form>"""

_LOGOUT_FORM = """<form method="post" action="{logout_path}">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="lang" value="{lang}">
<button type="submit">{submit}</button>
</form>"""


def _safe_next(value: str | None) -> str:
    """Only paths on this site: never another host (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _lang(value: str | None) -> str:
    return normalize_language(value) or load_config().default_language


def login_url(lang: str, next_path: str = "/", **extra: str) -> str:
    """The sign-in form's address, in `lang`, returning to `next_path` after signing in."""
    return f"{LOGIN_PATH}?{urlencode({'lang': lang, 'next': next_path, **extra})}"


def client_address(request: Request, trusted: tuple = ()) -> str:
    """The client's address: the connection's, or, when the connection comes from a trusted proxy,
    the right-most address of X-Forwarded-For that is not itself a trusted proxy."""
    peer = request.client.host if request.client else ""
    if not trusted or not _in(peer, trusted):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted):
            return hop if _valid_address(hop) else peer
    return peer


def _valid_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _in(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _secure(request: Request) -> bool:
    """The cookie's Secure flag, as GCM_COOKIE_SECURE says (auto: HTTPS, directly or as a proxy reports it)."""
    setting = load_config().cookie_secure
    if setting != "auto":
        return setting == "always"
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def public_scheme(request: Request) -> str:
    """The scheme of the site's own links: https when the request came over HTTPS, when GCM_COOKIE_SECURE says
    TLS always ends in front of the app (`always`), or when a trusted proxy (GCM_TRUSTED_PROXIES) says so in
    `X-Forwarded-Proto` (its first value, for a chain of proxies). A client that reaches the app directly
    cannot choose it."""
    config = load_config()
    if request.url.scheme == "https" or config.cookie_secure == "always":
        return "https"
    peer = request.client.host if request.client else ""
    said = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return "https" if said == "https" and _in(peer, config.trusted_proxies) else request.url.scheme


def _page(lang: str, other_href: Callable[[str], str], title: str, intro: str, messages: list[str], form: str) -> str:
    """The small bilingual page around a form; `other_href(lang)` is this page's URL in the other language."""
    config = load_config()
    other = next(code for code in LANGUAGES if code != lang)
    public_link = (
        f'<a href="/?lang={lang}">{escape(t(lang, "signin.public_link"))}</a>'
        if config.public_view
        else "<span></span>"
    )
    return _PAGE.format(
        lang=lang,
        title=escape(title),
        intro=escape(intro),
        messages="\n".join(messages),
        form=form,
        public_link=public_link,
        other_lang_href=escape(other_href(other)),
        other_lang=other,
        other_lang_name=escape({"es": "Español", "en": "English"}[other]),
    )


def _with_csrf(request: Request, html: str, csrf: str) -> Response:
    response = HTMLResponse(html, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/auth", secure=_secure(request))
    return response


def _csrf_ok(request: Request, form: Any) -> bool:
    sent, expected = str(form.get("csrf", "")), request.cookies.get(CSRF_COOKIE, "")
    return bool(expected) and secrets.compare_digest(sent, expected)


async def login_form(request: Request) -> Response:
    lang = _lang(request.query_params.get("lang"))
    next_path = _safe_next(request.query_params.get("next"))
    config = load_config()
    messages = []
    if request.query_params.get("error"):
        messages.append(f'<p class="error" role="alert">{escape(t(lang, "signin.failed"))}</p>')
    if request.query_params.get("signed_out"):
        messages.append(f'<p class="note" role="status">{escape(t(lang, "signin.signed_out"))}</p>')
    with read_session(ready_engine(config)) as session:
        if not accounts.admin_exists(session):
            messages.append(f'<p class="note">{escape(t(lang, "signin.no_admin"))}</p>')
    csrf = secrets.token_urlsafe(24)
    form = _LOGIN_FORM.format(
        login_path=LOGIN_PATH,
        csrf=escape(csrf),
        next=escape(next_path),
        lang=lang,
        username_label=escape(t(lang, "field.username")),
        password_label=escape(t(lang, "field.password")),
        submit=escape(t(lang, "signin.submit")),
    )
    html = _page(
        lang,
        lambda other: login_url(other, next_path),
        t(lang, "signin.title"),
        t(lang, "signin.intro"),
        messages,
        form,
    )
    return _with_csrf(request, html, csrf)


async def login_submit(request: Request) -> Response:
    form = await request.form()
    lang = _lang(str(form.get("lang", "")))
    next_path = _safe_next(str(form.get("next", "")))
    if not _csrf_ok(request, form):
        return HTMLResponse(escape(t(lang, "signin.csrf")), status_code=403)
    config = load_config()
    with write_session(ready_engine(config)) as session:
        result = accounts.sign_in(
            session,
            username=str(form.get("username", "")),
            password=str(form.get("password", "")),
            address=client_address(request, config.trusted_proxies),
            lifetime=dt.timedelta(hours=config.session_hours),
            throttle=accounts.Throttle(free_failures=config.signin_max_failures),
        )
    if result.token is None:
        await asyncio.sleep(FAILURE_DELAY)
        return RedirectResponse(login_url(lang, next_path, error="1"), status_code=303)
    separator = "&" if "?" in next_path else "?"
    response = RedirectResponse(
        f"{next_path}{separator}lang={lang}" if "lang=" not in next_path else next_path, status_code=303
    )
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        max_age=int(config.session_hours * 3600),
        httponly=True,
        samesite="lax",
        path="/",
        secure=_secure(request),
    )
    response.delete_cookie(CSRF_COOKIE, path="/auth")
    return response


async def logout_form(request: Request) -> Response:
    """A GET never signs out (a link or an image on another site could): it shows a confirmation form."""
    lang = _lang(request.query_params.get("lang"))
    csrf = secrets.token_urlsafe(24)
    form = _LOGOUT_FORM.format(
        logout_path=LOGOUT_PATH, csrf=escape(csrf), lang=lang, submit=escape(t(lang, "nav.sign_out"))
    )
    html = _page(
        lang,
        lambda other: f"{LOGOUT_PATH}?{urlencode({'lang': other})}",
        t(lang, "nav.sign_out"),
        t(lang, "signin.sign_out_confirm"),
        [],
        form,
    )
    return _with_csrf(request, html, csrf)


async def logout(request: Request) -> Response:
    form = await request.form()
    lang = _lang(str(form.get("lang", "")))
    if not _csrf_ok(request, form):
        return HTMLResponse(escape(t(lang, "signin.csrf")), status_code=403)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        config = load_config()
        with write_session(ready_engine(config)) as session:
            accounts.sign_out(session, token, client_address(request, config.trusted_proxies))
    response = RedirectResponse(login_url(lang, "/", signed_out="1"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/auth")
    return response


def auth_routes() -> list[Route]:
    return [
        Route(LOGIN_PATH, login_form, methods=["GET"]),
        Route(LOGIN_PATH, login_submit, methods=["POST"]),
        Route(LOGOUT_PATH, logout_form, methods=["GET"]),
        Route(LOGOUT_PATH, logout, methods=["POST"]),
    ]
