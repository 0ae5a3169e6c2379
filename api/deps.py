"""FastAPI dependencies: settings, the database, the job queue, and who is calling.

Routers import from here, never from :mod:`api.app` (which imports the routers).

A dispatcher is recognised by ``Authorization: Bearer TOKEN`` (an API token from
``aidroute admin token``, or aidroute 0.1's ``AIDROUTE_DISPATCHER_TOKEN``) or by the session
cookie of the web page. A request that changes something with the cookie must also carry
the session's CSRF token in ``X-CSRF-Token`` and, when the browser sends one, an ``Origin``
of this service: another site's page cannot make a logged-in browser write.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.planning import get_area, get_geocoder
from api.queue import JobQueue
from api.settings import Settings
from api.storage import accounts
from api.storage.accounts import Caller
from api.storage.engine import Database

__all__ = ["get_area", "get_geocoder"]

SESSION_COOKIE = "aidroute_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

UNAUTHORIZED = HTTPException(
    401,
    "log in, or send Authorization: Bearer TOKEN (aidroute admin token EMAIL makes one)",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def app_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_queue(request: Request) -> JobQueue:
    return request.app.state.queue  # type: ignore[no-any-return]


def db_session(request: Request) -> Iterator[Session]:
    """A session committed when the handler returns without an error (a handler may commit
    earlier itself, e.g. before it sends a job to the workers)."""
    with get_db(request).plain() as s:
        try:
            yield s
        except BaseException:
            s.rollback()
            raise
        s.commit()


def same_origin(request: Request) -> bool:
    """Whether the browser says the request comes from a page of this service.

    ``Sec-Fetch-Site`` first (browsers set it, scripts cannot): the pages' ``no-referrer``
    policy makes Chromium send ``Origin: null`` with a same-site form or htmx POST."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return True  # not a browser's cross-site request (those carry Origin)
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}".lower() == (
        f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    )


#: One session per request, committed when the handler returns (before the response is sent).
SessionDep = Annotated[Session, Depends(db_session, scope="function")]


#: How a dispatcher proves who they are (declared for the OpenAPI document and /docs).
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token: `aidroute admin token EMAIL`, or `POST /tokens`.",
)
COOKIE = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session",
    description="The web page's session (`POST /auth/login`); changes also need X-CSRF-Token.",
)


def get_caller(
    request: Request,
    s: SessionDep,
    _token: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    _session: Annotated[str | None, Depends(COOKIE)],
) -> Caller:
    """The dispatcher making the request; 401 when nobody is logged in, 403 for a cookie
    write without its CSRF token or from another site."""
    settings = app_settings(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, given = header.partition(" ")
        given = given.strip()
        if scheme.lower() != "bearer" or not given or len(given) > 200:
            raise UNAUTHORIZED
        legacy = settings.dispatcher_token
        if legacy is not None and secrets.compare_digest(
            given.encode(), legacy.get_secret_value().encode()
        ):
            return accounts.legacy_caller(s)
        caller = accounts.token_caller(s, given)
        if caller is None:
            raise UNAUTHORIZED
        s.commit()  # last use noted; the connection goes back to the pool meanwhile
        return caller
    cookie = request.cookies.get(SESSION_COOKIE)
    caller = accounts.session_caller(s, cookie) if cookie and len(cookie) < 200 else None
    if caller is None:
        raise UNAUTHORIZED
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not same_origin(request) or not secrets.compare_digest(
            sent.encode(), (caller.csrf_token or "").encode()
        ):
            raise HTTPException(
                403, "this change needs the page's CSRF token (X-CSRF-Token) from this site"
            )
    return caller


def public_base(request: Request) -> str:
    """The address people reach the service at: ``AIDROUTE_PUBLIC_URL``, else the request's."""
    configured = app_settings(request).public_url
    return configured if configured else str(request.base_url).rstrip("/")


def absolute(request: Request, name: str, **params: str) -> str:
    """A URL of this service for people elsewhere (drivers' phones): public address first."""
    path = request.app.url_path_for(name, **params)
    return public_base(request) + str(path)


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(app_settings)]
CallerDep = Annotated[Caller, Depends(get_caller)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]
