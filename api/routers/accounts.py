"""Who may act: log in and out (cookie sessions for the web page), invites, the group, tokens.

``POST /auth/login`` answers the CSRF token the page must send back with every change, and
sets an HttpOnly, SameSite=Lax session cookie (Secure when the public address is https).
Failed logins are throttled per email and per client address.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from api.deps import (
    SESSION_COOKIE,
    CallerDep,
    SessionDep,
    SettingsDep,
    absolute,
    get_db,
    same_origin,
)
from api.resources import (
    DispatcherOut,
    GroupOut,
    GroupReport,
    InviteIn,
    InviteOut,
    Listing,
    Login,
    NewToken,
    Session,
    SetPassword,
    TokenIn,
    TokenOut,
)
from api.storage import accounts
from api.storage.models import ApiToken

router = APIRouter(tags=["accounts"])
public_router = APIRouter(tags=["accounts"])


def iso(value: object) -> str | None:
    return None if value is None else value.isoformat()  # type: ignore[attr-defined]


@public_router.post(
    "/auth/login",
    response_model=Session,
    responses={401: {"description": "wrong email or password"}, 429: {"description": "throttled"}},
)
def login(
    body: Login, request: Request, response: Response, s: SessionDep, settings: SettingsDep
) -> Session:
    """Log in with email and password: sets the session cookie, answers the CSRF token."""
    if not same_origin(request):  # another site must not log a browser into its account
        raise HTTPException(403, "log in from this site's own page")
    client = request.client.host if request.client else "unknown"
    keys = [f"email:{accounts.normal_email(body.email)}", f"ip:{client}"]
    if accounts.throttled(s, keys, settings.login_attempts):
        raise HTTPException(
            429, "too many failed logins: wait 15 minutes", headers={"Retry-After": "900"}
        )
    dispatcher = accounts.verify_login(s, body.email, body.password)
    if dispatcher is None:
        with get_db(request).session() as counted:  # kept although this request fails
            accounts.count_failure(counted, keys)
        raise HTTPException(401, "wrong email or password")
    cookie, csrf = accounts.new_session(s, dispatcher.id, settings.session_days)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=settings.session_days * 86400,
        httponly=True,
        # Lax: a link from an email opens the page logged in; changes still need the CSRF
        # token and an Origin of this site.
        samesite="lax",
        secure=settings.secure_cookies(),
        path="/",
    )
    group = accounts.group_of(s, dispatcher.group_id)
    return Session(email=dispatcher.email, group=group.name if group else "", csrf_token=csrf)


@public_router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, s: SessionDep) -> Response:
    """End this browser's session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and len(cookie) < 200:
        accounts.end_session(s, cookie)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@public_router.post("/auth/invite/{token}", status_code=204)
def accept_invite(token: str, body: SetPassword, s: SessionDep) -> Response:
    """Set the password of an invited dispatcher (the invite link's token), once."""
    accounts.accept_invite(s, token, body.password)
    return Response(status_code=204)


@router.get("/groups/me", response_model=GroupOut)
def my_group(caller: CallerDep, s: SessionDep) -> GroupOut:
    """The caller's group and its dispatchers."""
    group = accounts.group_of(s, caller.group_id)
    assert group is not None
    return GroupOut(
        id=group.id,
        name=group.name,
        timezone=group.timezone,
        dispatchers=[
            DispatcherOut(
                email=d.email,
                created_at=d.created_at.isoformat(),
                has_password=bool(d.password_hash),
            )
            for d in accounts.dispatchers_of(s, group.id)
        ],
    )


@router.get("/groups/me/report", response_model=GroupReport)
def my_report(caller: CallerDep, s: SessionDep) -> GroupReport:
    """Counts over all the group's plans (stops, boxes, what drivers reported), including
    plans whose personal data was purged."""
    from api.storage.retention import group_counts

    return GroupReport.model_validate(group_counts(s, caller.group_id))


@router.post("/groups/me/invites", response_model=InviteOut, status_code=201)
def invite(body: InviteIn, request: Request, caller: CallerDep, s: SessionDep) -> InviteOut:
    """Invite another dispatcher to the caller's group: answers their one-time link."""
    dispatcher = accounts.add_dispatcher(s, caller.group_id, body.email, caller.dispatcher_id)
    token = accounts.new_invite(s, dispatcher.id)
    return InviteOut(
        email=dispatcher.email, invite_url=absolute(request, "invite_page", token=token)
    )


def _token_out(record: ApiToken, email: str) -> TokenOut:
    return TokenOut(
        id=record.id,
        name=record.name,
        prefix=record.prefix,
        email=email,
        created_at=record.created_at.isoformat(),
        last_used_at=iso(record.last_used_at),
        revoked=record.revoked_at is not None,
    )


@router.get("/tokens", response_model=Listing[TokenOut])
def list_tokens(caller: CallerDep, s: SessionDep) -> Listing[TokenOut]:
    """The API tokens of the caller's group (never the tokens themselves)."""
    emails = {d.id: d.email for d in accounts.dispatchers_of(s, caller.group_id)}
    data = [
        _token_out(t, emails.get(t.dispatcher_id, ""))
        for t in accounts.tokens_of(s, group_id=caller.group_id)
    ]
    return Listing[TokenOut](data=data, count=len(data))


@router.post("/tokens", response_model=NewToken, status_code=201)
def create_token(body: TokenIn, caller: CallerDep, s: SessionDep) -> NewToken:
    """A new API token for the caller; shown this once."""
    if caller.dispatcher_id == "legacy-token":
        raise HTTPException(403, "the shared AIDROUTE_DISPATCHER_TOKEN cannot make tokens")
    record, token = accounts.new_api_token(s, caller.email, body.name)
    return NewToken(**_token_out(record, caller.email).model_dump(), token=token)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, caller: CallerDep, s: SessionDep) -> Response:
    """Revoke an API token of the caller's group."""
    if len(token_id) > 32 or not accounts.revoke_token(s, token_id, caller.group_id):
        raise HTTPException(404, f"no token {token_id!r}")
    return Response(status_code=204)
