"""Who is calling: a Bearer API token, or a browser session cookie with a CSRF token.

- `Authorization: Bearer <token>`: scripts and integrations; no CSRF check (a browser
  never adds this header by itself).
- Session cookie (HttpOnly, SameSite=Strict, Secure unless turned off for plain-http
  localhost), set by POST /api/v1/auth/login. Unsafe methods sent with it must carry
  `X-CSRF-Token` equal to the session's token (double submit: the login response and the
  readable `serviceqa_csrf` cookie carry it), else 403.

Roles: admin > lead > reviewer > agent; an agent sees only its own agent id's data.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Literal

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from serviceqa.errors import Forbidden, Unauthorized
from serviceqa.store import Filters
from serviceqa.store.accounts import User

SESSION_COOKIE = "serviceqa_session"
CSRF_COOKIE = "serviceqa_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ALL = ("admin", "lead", "reviewer", "agent")
REVIEW = ("admin", "lead", "reviewer")  # read everything, re-score, acknowledge alerts
MANAGE = ("admin", "lead")  # ingest, scorecards
ADMIN = ("admin",)  # users, webhook sources

_bearer = HTTPBearer(auto_error=False, description="An API token from `serviceqa users add`")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="Browser session from POST /api/v1/auth/login")


@dataclass(frozen=True)
class Principal:
    user: User
    via: Literal["token", "session"]
    session_cookie: str | None = None

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def own_agent_id(self) -> str | None:
        """The agent id this caller is limited to, or None for every other role."""
        return self.user.agent_id if self.user.role == "agent" else None

    def scope(self, filters: Filters) -> Filters:
        """Limit an agent to its own conversations; asking for another agent's is 403."""
        own = self.own_agent_id
        if own is None:
            return filters
        if filters.agent_id not in (None, own):
            raise Forbidden("an agent sees only their own conversations")
        return replace(filters, agent_id=own)


def principal(request: Request,
              bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
              cookie: str | None = Depends(_cookie)) -> Principal:
    accounts = request.app.state.workspace.store.accounts
    if request.headers.get("authorization"):
        if bearer is None or not bearer.credentials:
            raise Unauthorized("use Authorization: Bearer <token>")
        user = accounts.user_for_token(bearer.credentials)
        if user is None:
            raise Unauthorized("unknown or revoked API token")
        return Principal(user, "token")
    if cookie:
        session = accounts.session_for(cookie)
        if session is None:
            raise Unauthorized("the session has expired; log in again")
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
                raise Forbidden(f"missing or wrong {CSRF_HEADER} header")
        return Principal(session.user, "session", cookie)
    raise Unauthorized("authentication required: a Bearer token or a session cookie")


def allow(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller, if their role is one of `roles`; else 403."""

    async def check(caller: Principal = Depends(principal)) -> Principal:
        if caller.role not in roles:
            raise Forbidden(f"role {caller.role!r} may not do this; needs {' or '.join(roles)}")
        return caller

    return check
