"""Small dependencies the routers share (async: no thread-pool hop, see params.py)."""

from __future__ import annotations

from fastapi import Request

from serviceqa.workspace import Workspace


async def workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws
