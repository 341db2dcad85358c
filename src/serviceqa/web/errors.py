"""One JSON error shape for every route: {"error": {"status", "type", "message", ...}}.

ServiceQA errors keep what locates them (field, key, line); FastAPI's own validation
errors are turned into the same shape, naming the first bad field.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from serviceqa.errors import InputError, ScorecardError, ServiceQAError, Unauthorized
from serviceqa.yamlfile import dotted

_WHERE_FROM = ("body", "query", "path", "header", "cookie")


def error_response(status: int, kind: str, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    body = {"status": status, "type": kind, "message": message,
            **{k: v for k, v in extra.items() if v is not None}}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _serviceqa_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceQAError)
    extra: dict[str, Any] = {}
    message = str(exc)
    if isinstance(exc, InputError):
        extra = {"field": exc.field, "line": exc.line}
        message = exc.message
    elif isinstance(exc, ScorecardError):
        extra = {"key": exc.key, "line": exc.line}
    return error_response(exc.http_status, type(exc).__name__, message, **extra)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0]
    loc = list(first.get("loc", ()))
    where = loc.pop(0) if loc and loc[0] in _WHERE_FROM else None
    return error_response(422, "InputError", first.get("msg", "invalid request"),
                          field=dotted(tuple(loc)) or None, location=where)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, "HTTPError", str(exc.detail))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceQAError, _serviceqa_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


__all__ = ["Unauthorized", "error_response", "install"]
