"""One small error tree; every error knows its HTTP status and where it came from."""

from __future__ import annotations


class ServiceQAError(Exception):
    """Base of every error ServiceQA raises on purpose."""

    http_status = 500


class InputError(ServiceQAError):
    """A record could not be read; names the file, line and field so a human can fix it."""

    http_status = 422

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        field = f" -> {self.field}" if self.field else ""
        prefix = f"{where}{field}: " if where or field else ""
        return f"{prefix}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class ScorecardError(ServiceQAError):
    """A scorecard (or language pack) is invalid; names the file and the dotted key."""

    http_status = 422

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None,
                 line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.key = key
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<scorecard>"
        key = f": {self.key}" if self.key else ""
        line = f" (line {self.line})" if self.line else ""
        return f"{where}{key}: {self.message}{line}"


class DatabaseError(ServiceQAError):
    """The database cannot be reached, or its schema is not one this version can use."""

    http_status = 503


class NotFound(ServiceQAError):
    http_status = 404


class Forbidden(ServiceQAError):
    http_status = 403


class Unauthorized(ServiceQAError):
    """No credentials, or ones that match no user (HTTP 401)."""

    http_status = 401


class Conflict(ServiceQAError):
    """The change clashes with what is stored, e.g. a name that is taken (HTTP 409)."""

    http_status = 409
