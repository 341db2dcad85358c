"""Small dependencies the routers share."""

from __future__ import annotations

from fastapi import Request

from serviceqa.workspace import Workspace


def workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws
