"""The review services of the request's workspace."""

from __future__ import annotations

from fastapi import Request

from serviceqa.review.service import ReviewDesk


async def desk(request: Request) -> ReviewDesk:
    return ReviewDesk(request.app.state.workspace)
