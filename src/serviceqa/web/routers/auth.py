"""Browser login and logout (session cookie + CSRF token), and "who am I"."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from serviceqa.errors import Unauthorized
from serviceqa.web.auth import CSRF_COOKIE, SESSION_COOKIE, Principal, principal
from serviceqa.web.schemas import LoginIn, LoginOut
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginOut)
def login(body: LoginIn, request: Request, response: Response,
          ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Check the password and start a session. The CSRF token comes back in the body and
    in a cookie scripts can read; send it as X-CSRF-Token with every unsafe request."""
    user = ws.store.accounts.check_password(body.name, body.password)
    if user is None:
        raise Unauthorized("wrong name or password")
    cookie, csrf = ws.store.accounts.start_session(user)
    secure = request.app.state.secure_cookies
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, csrf, httponly=False, samesite="strict",
                        secure=secure, path="/")
    return {"user": user.to_dict(), "csrf_token": csrf}


@router.post("/logout", status_code=204)
def logout(response: Response, caller: Principal = Depends(principal),
           ws: Workspace = Depends(workspace)) -> None:
    if caller.session_cookie:
        ws.store.accounts.end_session(caller.session_cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.get("/me")
def me(caller: Principal = Depends(principal)) -> dict[str, Any]:
    return {"user": caller.user.to_dict(), "via": caller.via}
