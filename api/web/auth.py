"""The web page's front door: log in and out, the invite page, the language switch.

Logging in is a plain form (``POST /login``): the same checks as ``POST /auth/login`` (same
site, throttled failures), then the session cookie and a redirect to the week page, or the
form again with the email kept and the reason next to the fields.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SESSION_COOKIE, SessionDep, SettingsDep, get_db, same_origin
from api.storage import accounts
from api.web.render import LANGUAGE_COOKIE, lang_of, render
from maps.i18n import code_of
from routing.errors import InputError

router = APIRouter(include_in_schema=False)


def _safe_next(next_path: str | None) -> str:
    """Only a path of this site (``/app...``) is a place to go back to after login."""
    if next_path and next_path.startswith("/app") and "//" not in next_path:
        return next_path
    return "/app"


@router.get("/", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/app", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), email="", error="")


@router.post("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    s: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "/app",
) -> Response:
    lang = lang_of(request)

    def again(error: str, status: int) -> HTMLResponse:
        return render(
            request,
            "login.html",
            status_code=status,
            next=_safe_next(next),
            email=email,
            error=error,
        )

    if not same_origin(request):
        return again(lang.gettext("Log in from this site's own page."), 403)
    if not email.strip() or not password:
        return again(lang.gettext("Type your email and your password."), 422)
    client = request.client.host if request.client else "unknown"
    keys = [f"email:{accounts.normal_email(email)}", f"ip:{client}"]
    if accounts.throttled(s, keys, settings.login_attempts):
        return again(lang.gettext("Too many failed logins: wait 15 minutes and try again."), 429)
    dispatcher = accounts.verify_login(s, email, password)
    if dispatcher is None:
        with get_db(request).session() as counted:  # kept although this request fails
            accounts.count_failure(counted, keys)
        return again(lang.gettext("Wrong email or password."), 401)
    cookie, _csrf = accounts.new_session(s, dispatcher.id, settings.session_days)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies(),
        path="/",
    )
    return response


@router.post("/logout")
def logout_form(request: Request, s: SessionDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if same_origin(request) and cookie and len(cookie) < 200:
        accounts.end_session(s, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def choose_language(
    request: Request,
    code: Annotated[str, Form(max_length=20)],
    back: Annotated[str, Form(max_length=500)] = "/app",
) -> Response:
    """The dispatcher's language for the web page (a cookie; the browser's until chosen)."""
    target = back if back == "/login" else _safe_next(back)
    response = RedirectResponse(target, status_code=303)
    chosen = code_of(code)
    if chosen and same_origin(request):
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/invite/{token}", response_class=HTMLResponse, name="invite_page")
def invite_page(token: str, request: Request) -> HTMLResponse:
    """The page an invite link opens: choose a password (in the reader's language)."""
    return _invite(request, token)


def _invite(request: Request, token: str, error: str = "", status: int = 200) -> HTMLResponse:
    return render(
        request,
        "invite.html",
        status_code=status,
        action=f"/invite/{quote(token, safe='')}",
        min_length=accounts.MIN_PASSWORD,
        error=error,
        done="",
    )


@router.post(
    "/invite/{token}",
    response_class=HTMLResponse,
)
def accept_invite_form(
    token: str,
    request: Request,
    password: Annotated[str, Form(max_length=1024)],
    s: SessionDep,
) -> HTMLResponse:
    """The invite page's form: set the password, once."""
    lang = lang_of(request)
    if len(password) < accounts.MIN_PASSWORD:
        reason = lang.gettext(
            "The password is too short: at least %(n)s characters.", n=accounts.MIN_PASSWORD
        )
        return _invite(request, token, reason, 422)
    try:
        dispatcher = accounts.accept_invite(s, token, password)
    except InputError as e:
        reason = lang.gettext(
            "This invite link was used already or has expired: ask for a new one."
        )
        return _invite(request, token, reason if e.problems[0].field == "token" else str(e), 422)
    return render(request, "invite.html", done=dispatcher.email)
