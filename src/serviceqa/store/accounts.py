"""Users, API tokens, browser sessions and webhook sources of the QA workspace.

Passwords are hashed with argon2id; API tokens and session ids are 256-bit random values
of which only the sha256 is stored, so reading the table grants nothing. Secrets are
returned once, by the call that creates them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from serviceqa.errors import Conflict, InputError, NotFound
from serviceqa.store.schema import (ROLES, ApiTokenRow, SessionRow, UserRow,
                                    WebhookSourceRow)

TOKEN_BYTES = 32
SESSION_TTL = timedelta(hours=12)
_hasher = PasswordHasher()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def token_hash(token: str) -> str:
    """sha256 is enough for a 256-bit random token: there is nothing to brute-force."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    agent_id: str | None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role": self.role, "agent_id": self.agent_id}


def _user(row: UserRow) -> User:
    return User(row.id, row.name, row.role, row.agent_id)


@dataclass(frozen=True)
class BrowserSession:
    user: User
    csrf_token: str
    expires_at: datetime


class Accounts:
    """Who may use the workspace; shares the Store's engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_user(self, name: str, role: str, agent_id: str | None = None,
                 password: str | None = None) -> tuple[User, str]:
        """Create a user; returns it with its first API token (shown once, never stored)."""
        _check_user(name, role, agent_id)
        hashed = _hasher.hash(password) if password else None
        try:
            with Session(self.engine) as session, session.begin():
                row = UserRow(name=name, role=role, agent_id=agent_id, password_hash=hashed,
                              created_at=_now())
                session.add(row)
                session.flush()
                user = _user(row)
        except IntegrityError as exc:
            raise Conflict(f"user {name!r} exists") from exc
        return user, self.new_token(user.id)

    def new_token(self, user_id: int) -> str:
        token = new_secret()
        with Session(self.engine) as session, session.begin():
            session.add(ApiTokenRow(user_id=user_id, token_hash=token_hash(token),
                                    created_at=_now()))
        return token

    def users(self) -> list[User]:
        with Session(self.engine) as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]

    def get_user(self, name: str) -> User:
        with Session(self.engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                raise NotFound(f"no user {name!r}")
            return _user(row)

    def delete_user(self, name: str) -> None:
        """Its tokens and sessions go with it (ON DELETE CASCADE)."""
        with self.engine.begin() as connection:
            deleted = connection.execute(delete(UserRow).where(UserRow.name == name))
        if not deleted.rowcount:
            raise NotFound(f"no user {name!r}")

    def user_for_token(self, token: str) -> User | None:
        query = (select(UserRow).join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
                 .where(ApiTokenRow.token_hash == token_hash(token)))
        with Session(self.engine) as session:
            row = session.scalar(query)
            return _user(row) if row is not None else None

    def check_password(self, name: str, password: str) -> User | None:
        """The user if the password matches; a missing user costs a hash too (no timing
        oracle for which names exist)."""
        with Session(self.engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            stored = row.password_hash if row is not None else None
            user = _user(row) if row is not None else None
        try:
            _hasher.verify(stored or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return user if stored else None

    def start_session(self, user: User, ttl: timedelta = SESSION_TTL) -> tuple[str, str]:
        """A new browser session: (cookie value, CSRF token). Expired sessions are deleted
        here, so the table holds only live ones."""
        cookie, csrf = new_secret(), new_secret()
        now = _now()
        with Session(self.engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))  # tidy up
            session.add(SessionRow(id=token_hash(cookie), user_id=user.id, csrf_token=csrf,
                                   created_at=now, expires_at=now + ttl))
        return cookie, csrf

    def session_for(self, cookie: str) -> BrowserSession | None:
        query = (select(UserRow, SessionRow).join(SessionRow, SessionRow.user_id == UserRow.id)
                 .where(SessionRow.id == token_hash(cookie)))
        with Session(self.engine) as session:
            found = session.execute(query).first()
            if found is None or found[1].expires_at <= _now():
                return None
            return BrowserSession(_user(found[0]), found[1].csrf_token, found[1].expires_at)

    def end_session(self, cookie: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(SessionRow).where(SessionRow.id == token_hash(cookie)))

    def add_webhook_source(self, name: str) -> str:
        """Create a source; returns its shared secret (shown once)."""
        if not name or not name.replace("-", "").replace("_", "").isalnum():
            raise InputError("letters, digits, - and _ only", field="name")
        secret = new_secret()
        try:
            with Session(self.engine) as session, session.begin():
                session.add(WebhookSourceRow(name=name, secret=secret, created_at=_now()))
        except IntegrityError as exc:
            raise Conflict(f"webhook source {name!r} exists") from exc
        return secret

    def webhook_secret(self, name: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.scalar(select(WebhookSourceRow.secret)
                                     .where(WebhookSourceRow.name == name))

    def webhook_sources(self) -> list[dict[str, object]]:
        query = select(WebhookSourceRow.name, WebhookSourceRow.created_at)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(WebhookSourceRow.name)).all()
        return [{"name": name, "created_at": created} for name, created in rows]


_DUMMY_HASH = _hasher.hash("not a password of anyone")


def _check_user(name: str, role: str, agent_id: str | None) -> None:
    if not name.strip():
        raise InputError("must not be empty", field="name")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; one of {', '.join(ROLES)}", field="role")
    if role == "agent" and not agent_id:
        raise InputError("an agent user needs the agent id it stands for", field="agent_id")
