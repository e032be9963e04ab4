"""The read-only JSON API beside Streamlit: /api/v1/objectives, countries, cycles and reports.

Thin routes: parse the request, run a gcm/opendata/api.py function in a worker thread (the
database is never read on the event loop), answer JSON. Callers that are not signed in read
validated reports only (nothing, with 401, when GCM_PUBLIC_VIEW=off); a request carrying the
app's session cookie reads what that account may read. Every other path under /api/ answers a
JSON 404 here, so Streamlit's catch-all never answers it with its HTML page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from gcm import accounts
from gcm.bootstrap import ready_engine, reference_for, with_database_countries
from gcm.config import load_config
from gcm.db import read_session
from gcm.opendata import api
from gcm.permissions import PUBLIC, ReadScope, read_scope
from gcm.reference import Reference
from gcm.web.auth_routes import SESSION_COOKIE, public_scheme

API_PREFIX = api.API_PREFIX
JSON_TYPE = "application/json; charset=utf-8"
METHODS = ("GET", "HEAD")
log = logging.getLogger(__name__)

Work = Callable[[Session, Reference, ReadScope, Sequence[tuple[str, str]]], api.Page]


class _NotSignedIn(Exception):
    """The public view is off and the request carries no valid sign-in."""


def _json(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content, status_code=status, media_type=JSON_TYPE, headers=headers)


def _error(status: int, message: str, parameter: str | None = None, **headers: str) -> Response:
    body = {"error": {"parameter": parameter, "message": message}}
    return _json(body, status, {"Cache-Control": "no-store", **headers})


def _read(token: str | None, params: Sequence[tuple[str, str]], work: Work) -> tuple[bool, api.Page]:
    """In a worker thread: who is asking (the session cookie), then the answer for their scope."""
    config = load_config()
    with read_session(ready_engine(config)) as session:
        actor = accounts.actor_for_token(session, token) if token else None
        if actor is None and not config.public_view:
            raise _NotSignedIn
        scope = read_scope(actor or PUBLIC, config.public_view)
        ref = with_database_countries(session, reference_for(str(config.reference_dir)))
        return actor is not None, work(session, ref, scope, params)


def _next_url(request: Request, page: int) -> str:
    """The address of the answer's next page, as the caller reached this one: behind a proxy that ends TLS the
    app itself is spoken to over HTTP, and an http:// link would send the caller off the secure site."""
    return str(request.url.include_query_params(page=page).replace(scheme=public_scheme(request)))


def _endpoint(work: Work) -> Callable[[Request], Any]:
    async def handler(request: Request) -> Response:
        if request.method not in METHODS:
            return _error(405, f"method {request.method} not allowed", Allow=", ".join(METHODS))
        token = request.cookies.get(SESSION_COOKIE)
        try:
            signed_in, page = await run_in_threadpool(_read, token, request.query_params.multi_items(), work)
        except api.BadParameter as exc:
            return _error(400, exc.message, exc.parameter)
        except _NotSignedIn:
            return _error(401, "sign in first: this server does not publish data to visitors who are not signed in")
        except Exception:  # an answer in JSON even then; the details go to the server log only
            log.exception("API request failed: %s", request.url.path)
            return _error(500, "internal error")
        next_url = _next_url(request, page.next_page) if page.next_page else None
        headers = {"Cache-Control": "no-store"} if signed_in else None
        return _json({"data": page.data, "next": next_url}, headers=headers)

    return handler


async def _not_found(request: Request) -> Response:
    return _error(404, f"no such endpoint: {request.url.path}; see {API_PREFIX}/objectives, countries, cycles, reports")


class _EveryMethod:
    """A handler as a plain ASGI app: Starlette routes a function for GET only and would let any other
    method fall through to Streamlit's catch-all page; an ASGI app receives every method."""

    def __init__(self, handler: Callable[[Request], Any]) -> None:
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handler(Request(scope, receive))
        await response(scope, receive, send)


def api_routes() -> list[Route]:
    """The API's routes, each for every method (a wrong method is a JSON 405, not Streamlit's page)."""
    routes = [Route(f"{API_PREFIX}/{name}", _EveryMethod(_endpoint(work))) for name, work in api.ENDPOINTS.items()]
    not_found = _EveryMethod(_not_found)
    return [*routes, Route("/api", not_found), Route("/api/{rest:path}", not_found)]
