"""Rendering the web page: templates in the reader's language, and who is reading.

Pages are Jinja templates under ``api/templates/web/``, rendered on the server in the
dispatcher's language (their choice, kept in a cookie, else the browser's Accept-Language),
with ``<html lang>`` saying which. Every asset is served by aidroute (``/static/web/``: the
page's CSS and script, and htmx); nothing is loaded from elsewhere.

Changes go through htmx (``hx-post``), which sends the session's CSRF token in the
``X-CSRF-Token`` header (``hx-headers`` on ``<body>``), so the same check guards the web page
and the JSON API. A page asked for without a session redirects to the login page.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep, get_caller
from api.storage.accounts import Caller
from maps.i18n import Language, code_of, environment, language, negotiate

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "web"
STATIC = Path(__file__).resolve().parent.parent / "static" / "web"
#: The cookie that keeps the language a dispatcher chose on the page.
LANGUAGE_COOKIE = "aidroute_lang"


class LoginRequiredError(Exception):
    """Raised by :func:`page_caller` for a page asked for without a session: the app
    answers with a redirect to the login page, which comes back to ``next``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageNotFoundError(Exception):
    """Raised by a page's dependency for an object the caller's group does not have: the app
    answers with the 404 page, ``message`` saying what was not found."""

    def __init__(self, caller: Caller, message: str) -> None:
        super().__init__(message)
        self.caller = caller
        self.message = message


def login_url(next_path: str = "/app") -> str:
    return "/login" if next_path in ("", "/", "/app") else f"/login?next={quote(next_path)}"


def page_caller(request: Request, s: SessionDep) -> Caller:
    """The dispatcher reading a page: :func:`api.deps.get_caller` (session cookie or token,
    CSRF on changes), with the login page instead of a 401."""
    try:
        return get_caller(request, s, None, None)
    except HTTPException as e:
        if e.status_code == 401:
            raise LoginRequiredError(request.url.path) from None
        raise


PageCaller = Annotated[Caller, Depends(page_caller)]


def reader_language(request: Request) -> str:
    """The language the page is written in: the dispatcher's choice, else the browser's."""
    chosen = code_of(request.cookies.get(LANGUAGE_COOKIE))
    return chosen or negotiate(request.headers.get("accept-language"))


@functools.cache
def _environment(code: str) -> jinja2.Environment:
    env = environment(code, jinja2.FileSystemLoader(TEMPLATES), auto_reload=False)
    env.globals["languages"] = (("en", "English"), ("es", "Español"))
    return env


def lang_of(request: Request) -> Language:
    return language(reader_language(request))


def render(
    request: Request,
    template: str,
    caller: Caller | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """``template`` in the reader's language, with ``lang``, ``caller`` (None on the login
    page), ``csrf`` (the session's token, for ``hx-headers``) and ``path`` in its context."""
    code = reader_language(request)
    env = _environment(code)
    html = env.get_template(template).render(
        lang=language(code),
        caller=caller,
        csrf=caller.csrf_token if caller else "",
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def not_found(request: Request, caller: Caller | None, what: str) -> HTMLResponse:
    """A 404 page, in words: ``what`` names what was not found in the caller's group."""
    return render(request, "error.html", caller, status_code=404, message=what)
