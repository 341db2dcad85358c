"""Turn one parsed record into a Conversation, or a Rejected that says file, line and field."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..model import Conversation, Rejected
from ..yamlfile import dotted

MAX_MESSAGE_CHARS = 100_000
MAX_MESSAGES = 5_000


def rejected(error: InputError, conversation_id: str | None = None) -> Rejected:
    return Rejected(file=error.file, line=error.line, field=error.field, message=error.message,
                    conversation_id=conversation_id)


def _check_sizes(record: dict[str, Any], file: str | None, line: int | None) -> None:
    messages = record.get("messages")
    if not isinstance(messages, list):
        return
    if len(messages) > MAX_MESSAGES:
        raise InputError(f"{len(messages)} messages; at most {MAX_MESSAGES} per conversation",
                         file=file, line=line, field="messages")
    for n, message in enumerate(messages):
        text = message.get("text") if isinstance(message, dict) else None
        if isinstance(text, str) and len(text) > MAX_MESSAGE_CHARS:
            raise InputError(f"message of {len(text)} characters; at most {MAX_MESSAGE_CHARS}",
                             file=file, line=line, field=f"messages[{n}].text")


def to_conversation(record: Any, file: str | None, line: int | None) -> Conversation | Rejected:
    record_id = record.get("id") if isinstance(record, dict) else None
    conversation_id = str(record_id) if record_id is not None else None
    try:
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object, got {type(record).__name__}",
                             file=file, line=line)
        _check_sizes(record, file, line)
        return Conversation.model_validate(record)
    except InputError as exc:
        return rejected(exc, conversation_id)
    except ValidationError as exc:
        first = exc.errors()[0]
        error = InputError(first["msg"], file=file, line=line, field=dotted(first["loc"]) or None)
        return rejected(error, conversation_id)
