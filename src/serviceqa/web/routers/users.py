"""Users and their API tokens (admin only). A token is shown once, when it is made."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from serviceqa.web.auth import ADMIN, Principal, allow
from serviceqa.web.schemas import CreatedUser, UserIn, UserOut
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=list[UserOut])
def list_users(caller: Principal = Depends(allow(*ADMIN)),
               ws: Workspace = Depends(workspace)) -> list[dict[str, Any]]:
    return [u.to_dict() for u in ws.store.accounts.users()]


@router.post("", status_code=201, response_model=CreatedUser)
def create_user(body: UserIn, caller: Principal = Depends(allow(*ADMIN)),
                ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    user, token = ws.store.accounts.add_user(body.name, body.role, body.agent_id,
                                             body.password)
    return {"user": user.to_dict(), "token": token}


@router.post("/{name}/tokens", status_code=201)
def new_token(name: str, caller: Principal = Depends(allow(*ADMIN)),
              ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    user = ws.store.accounts.get_user(name)
    return {"user": user.to_dict(), "token": ws.store.accounts.new_token(user.id)}


@router.delete("/{name}", status_code=204)
def delete_user(name: str, caller: Principal = Depends(allow(*ADMIN)),
                ws: Workspace = Depends(workspace)) -> None:
    ws.store.accounts.delete_user(name)
