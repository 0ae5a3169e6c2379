"""Groups, dispatchers and their credentials: passwords (argon2), one-time invites, API
tokens and browser sessions (stored as SHA-256 of 256-bit random values), login throttling."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.storage.models import (
    ApiToken,
    Dispatcher,
    Group,
    Invite,
    LoginAttempt,
    WebSession,
    utcnow,
)
from routing.errors import InputError, InputProblem

_hasher = PasswordHasher()
#: Verified against when the email is unknown, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

INVITE_DAYS = 7
MIN_PASSWORD = 10
THROTTLE_WINDOW = timedelta(minutes=15)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str, field: str = "email") -> str:
    email = normal_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(c.isspace() for c in email):
        raise InputError(InputProblem(field, email, "expected an email address, name@example.org"))
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            InputProblem("password", "", f"must be at least {MIN_PASSWORD} characters")
        )
    if len(password) > 1024:
        raise InputError(InputProblem("password", "", "must be at most 1024 characters"))


@dataclass(frozen=True)
class Caller:
    """Who is asking: a dispatcher of a group (by token or by browser session)."""

    dispatcher_id: str
    email: str
    group_id: str
    group_name: str
    #: The session's CSRF token (None for API tokens, which need none).
    csrf_token: str | None = None


def create_group(s: Session, name: str, email: str, timezone: str = "UTC") -> tuple[Group, str]:
    """A new group and its first dispatcher; returns the group and a one-time invite token."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InputError(InputProblem("name", name, "a group needs a name (1-200 characters)"))
    try:  # drivers' links end by the group's clock: a name zoneinfo cannot read breaks them
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            InputProblem("timezone", timezone, "unknown time zone: write one like America/New_York")
        ) from None
    # Dispatchers and their pages know a group by its name: two of one name on a server
    # would be told apart by nobody.
    same = s.scalar(select(Group).where(func.lower(Group.name) == name.lower()).limit(1))
    if same is not None:
        raise InputError(
            InputProblem(
                "name",
                name,
                f"a group of this name exists (id {same.id}): choose another name, or add a "
                "dispatcher to it with aidroute admin invite EMAIL --by A_DISPATCHER_OF_IT",
            )
        )
    group = Group(name=name, timezone=timezone)
    s.add(group)
    s.flush()
    dispatcher = add_dispatcher(s, group.id, email, invited_by=None)
    return group, new_invite(s, dispatcher.id)


def add_dispatcher(s: Session, group_id: str, email: str, invited_by: str | None) -> Dispatcher:
    email = check_email(email)
    if s.scalar(select(Dispatcher).where(Dispatcher.email == email)) is not None:
        raise InputError(InputProblem("email", email, "a dispatcher with this email exists"))
    dispatcher = Dispatcher(group_id=group_id, email=email, invited_by=invited_by)
    s.add(dispatcher)
    s.flush()
    return dispatcher


def new_invite(s: Session, dispatcher_id: str) -> str:
    token = secrets.token_urlsafe(32)
    s.add(
        Invite(
            token_hash=digest(token),
            dispatcher_id=dispatcher_id,
            expires_at=utcnow() + timedelta(days=INVITE_DAYS),
        )
    )
    return token


def accept_invite(s: Session, token: str, password: str) -> Dispatcher:
    """Set the password of the invited dispatcher; the invite then stops working."""
    check_password(password)
    invite = s.get(Invite, digest(token))
    if invite is None or invite.used_at is not None or invite.expires_at < utcnow():
        raise InputError(InputProblem("token", "", "this invite link is not valid any more"))
    invite.used_at = utcnow()
    dispatcher = s.get(Dispatcher, invite.dispatcher_id)
    assert dispatcher is not None
    dispatcher.password_hash = _hasher.hash(password)
    return dispatcher


def dispatcher_by_email(s: Session, email: str) -> Dispatcher:
    found = s.scalar(select(Dispatcher).where(Dispatcher.email == normal_email(email)))
    if found is None:
        raise InputError(InputProblem("email", email, "no dispatcher with this email"))
    return found


def set_password(s: Session, email: str, password: str) -> None:
    check_password(password)
    dispatcher_by_email(s, email).password_hash = _hasher.hash(password)


def throttled(s: Session, keys: list[str], limit: int) -> bool:
    """Whether any of ``keys`` (an email, a client address) failed ``limit`` times lately."""
    since = utcnow() - THROTTLE_WINDOW
    for key in keys:
        count = s.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.at >= since)
        )
        if (count or 0) >= limit:
            return True
    return False


def count_failure(s: Session, keys: list[str]) -> None:
    for key in keys:
        s.add(LoginAttempt(key=key[:300]))


def verify_login(s: Session, email: str, password: str) -> Dispatcher | None:
    """The dispatcher whose email and password these are, or None."""
    found = s.scalar(select(Dispatcher).where(Dispatcher.email == normal_email(email)))
    stored = found.password_hash if found is not None and found.password_hash else _DUMMY_HASH
    try:
        ok = _hasher.verify(stored, password) and found is not None and bool(found.password_hash)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        return None
    assert found is not None
    if _hasher.check_needs_rehash(stored):
        found.password_hash = _hasher.hash(password)
    return found


def new_session(s: Session, dispatcher_id: str, days: int) -> tuple[str, str]:
    """A browser session: returns (cookie value, CSRF token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    s.add(
        WebSession(
            id_hash=digest(cookie),
            dispatcher_id=dispatcher_id,
            csrf_token=csrf,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    return cookie, csrf


def end_session(s: Session, cookie: str) -> None:
    s.execute(delete(WebSession).where(WebSession.id_hash == digest(cookie)))


def _caller(s: Session, dispatcher: Dispatcher, csrf: str | None = None) -> Caller:
    group = s.get(Group, dispatcher.group_id)
    assert group is not None
    return Caller(dispatcher.id, dispatcher.email, group.id, group.name, csrf)


def session_caller(s: Session, cookie: str) -> Caller | None:
    row = s.get(WebSession, digest(cookie))
    if row is None or row.expires_at < utcnow():
        return None
    dispatcher = s.get(Dispatcher, row.dispatcher_id)
    return None if dispatcher is None else _caller(s, dispatcher, row.csrf_token)


def new_api_token(s: Session, email: str, name: str = "") -> tuple[ApiToken, str]:
    dispatcher = dispatcher_by_email(s, email)
    token = "adr_" + secrets.token_urlsafe(32)
    record = ApiToken(
        dispatcher_id=dispatcher.id,
        name=name.strip()[:100],
        token_hash=digest(token),
        prefix=token[:10],
    )
    s.add(record)
    s.flush()
    return record, token


def token_caller(s: Session, token: str) -> Caller | None:
    record = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if record is None or record.revoked_at is not None:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        record.last_used_at = now
    dispatcher = s.get(Dispatcher, record.dispatcher_id)
    return None if dispatcher is None else _caller(s, dispatcher)


def tokens_of(s: Session, email: str | None = None, group_id: str | None = None) -> list[ApiToken]:
    q = select(ApiToken).join(Dispatcher, Dispatcher.id == ApiToken.dispatcher_id)
    if email is not None:
        q = q.where(Dispatcher.email == normal_email(email))
    if group_id is not None:
        q = q.where(Dispatcher.group_id == group_id)
    return list(s.scalars(q.order_by(ApiToken.created_at)))


def revoke_token(s: Session, token_id: str, group_id: str | None = None) -> bool:
    record = s.get(ApiToken, token_id)
    if record is None:
        return False
    if group_id is not None:
        dispatcher = s.get(Dispatcher, record.dispatcher_id)
        if dispatcher is None or dispatcher.group_id != group_id:
            return False
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    return True


def legacy_caller(s: Session) -> Caller:
    """The group ``default`` that aidroute 0.1's shared token acts for (created on demand)."""
    group = s.get(Group, "default")
    if group is None:
        group = Group(id="default", name="default")
        s.add(group)
        s.flush()
    return Caller("legacy-token", "(AIDROUTE_DISPATCHER_TOKEN)", group.id, group.name)


def dispatchers_of(s: Session, group_id: str) -> list[Dispatcher]:
    q = select(Dispatcher).where(Dispatcher.group_id == group_id)
    return list(s.scalars(q.order_by(Dispatcher.created_at)))


def group_of(s: Session, group_id: str) -> Group | None:
    return s.get(Group, group_id)


def expired_sessions(s: Session, now: datetime) -> int:
    return s.execute(delete(WebSession).where(WebSession.expires_at < now)).rowcount  # type: ignore[attr-defined, no-any-return]
