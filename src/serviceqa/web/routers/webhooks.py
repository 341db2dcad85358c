"""Webhooks: a helpdesk pushes conversations, signed with its source's shared secret.

Signature: header `X-ServiceQA-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
compared in constant time. A missing or wrong signature, or an unknown source, is 401
(the answer does not tell which). Body: one conversation, an array of them, or
{"conversations": [...]}.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from serviceqa.errors import InputError, Unauthorized
from serviceqa.web.auth import ADMIN, Principal, allow
from serviceqa.web.schemas import CreatedSource, IngestOut, SourceIn
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(tags=["webhooks"])
SIGNATURE_HEADER = "X-ServiceQA-Signature"
PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The header value a sender puts on `body`."""
    return PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _records(body: bytes) -> list[Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"not JSON: {exc}", field="body") from exc
    if isinstance(data, dict) and "conversations" in data:
        data = data["conversations"]
    return data if isinstance(data, list) else [data]


@router.get("/webhook-sources")
def list_sources(caller: Principal = Depends(allow(*ADMIN)),
                 ws: Workspace = Depends(workspace)) -> list[dict[str, Any]]:
    return ws.store.accounts.webhook_sources()


@router.post("/webhook-sources", status_code=201, response_model=CreatedSource)
def create_source(body: SourceIn, caller: Principal = Depends(allow(*ADMIN)),
                  ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    return {"name": body.name, "secret": ws.store.accounts.add_webhook_source(body.name)}


@router.post("/webhooks/{source}", response_model=IngestOut)
async def push(source: str, request: Request,
               ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Store and score what a helpdesk sends, as POST /conversations/batch does."""
    body = await request.body()
    secret = await run_in_threadpool(ws.store.accounts.webhook_secret, source)
    sent = request.headers.get(SIGNATURE_HEADER, "")
    expected = sign(secret or "no such source", body)
    if not hmac.compare_digest(sent.encode(), expected.encode()) or secret is None:
        raise Unauthorized(f"missing or bad {SIGNATURE_HEADER}")
    result = await run_in_threadpool(ws.ingest, _records(body))
    return result.to_dict()
