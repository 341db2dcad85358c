"""Plain-text transcripts: one `Speaker: text` line per turn, speaker labels in any of our
languages (`Agent:`, `Оператор:`, `Клиент:`, `Тұтынушы:`, `Ügyintéző:`, `Zákazník:` ...).

    id: call-0042            optional header lines before the first turn
    channel: phone           (id, channel, language, date, started_at, agent_id,
    date: 2026-11-02          agent_name, team, customer_id, metadata.<key>)
    [10:15:04] Оператор: Добрый день! Меня зовут Анна.
    Клиент: Здравствуйте...
    а ещё вот что          <- a line without a label continues the previous turn
    ---                    <- separates conversations in one file

Labels come from the language packs (`speaker_labels`), so a new language brings its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..lang.registry import get_pack, languages
from ..model import Conversation, Rejected
from .csv_format import PARTY_FIELDS, _number
from .encoding import EncodingError, decode
from .records import rejected, to_conversation

HEADER_KEYS = ("id", "channel", "language", "date", "started_at", *PARTY_FIELDS)
_TURN = re.compile(r"^\s*(?:\[?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\]?\s+)?"
                   r"(?P<label>[^\W\d][\w .'-]{0,38}?)\s*:\s?(?P<text>.*)$")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,})\s*$")


@lru_cache(maxsize=1)
def speaker_roles() -> dict[str, str]:
    """Lower-cased label -> role, from every language pack plus the role names."""
    roles = {"agent": "agent", "customer": "customer", "bot": "bot", "system": "system"}
    for code in languages():
        labels = get_pack(code).speaker_labels
        for role, names in (("agent", labels.agent), ("customer", labels.customer)):
            for name in names:
                roles.setdefault(name.lower(), role)
    return roles


class _Block:
    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.record: dict[str, Any] = {"messages": [], "metadata": {}}

    def header(self, key: str, value: str) -> None:
        if key in PARTY_FIELDS:
            party, attr = PARTY_FIELDS[key]
            self.record.setdefault(party, {})[attr] = value
        elif key.startswith("metadata."):
            self.record["metadata"][key.removeprefix("metadata.")] = _number(value)
        else:
            self.record[key] = value

    def turn(self, role: str, text: str, time: str | None) -> None:
        message: dict[str, Any] = {"role": role, "text": text}
        date = self.record.get("date")
        if time and date:
            message["at"] = f"{date}T{time if time.count(':') == 2 else time + ':00'}"
        self.record["messages"].append(message)

    def finish(self, default_id: str, path: Path) -> Conversation | Rejected:
        self.record.setdefault("id", default_id)
        self.record.pop("date", None)
        if not self.record["messages"]:
            return rejected(InputError("no speaker lines found", file=str(path),
                                       line=self.first_line, field="messages"))
        return to_conversation(self.record, str(path), self.first_line)


def _blocks(lines: list[str], path: Path) -> Iterator[_Block | InputError]:
    roles = speaker_roles()
    block = _Block(1)
    error: InputError | None = None
    for number, line in enumerate(lines, 1):
        if _SEPARATOR.match(line):
            yield error or block
            block, error = _Block(number + 1), None
            continue
        if error or not line.strip():
            continue
        match = _TURN.match(line)
        label = match.group("label").strip().lower() if match else ""
        if match and label in roles:
            block.turn(roles[label], match.group("text").strip(), match.group("time"))
        elif match and not block.record["messages"] and label in HEADER_KEYS + ("metadata",) \
                or match and label.startswith("metadata.") and not block.record["messages"]:
            block.header(label, match.group("text").strip())
        elif block.record["messages"]:
            block.record["messages"][-1]["text"] += "\n" + line.strip()
        else:
            known = ", ".join(sorted({k.title() for k in roles})[:8])
            error = InputError(f"line does not start with a known speaker label (e.g. {known})",
                               file=str(path), line=number, field="speaker")
    if error or block.record["messages"] or len(block.record) > 2:
        yield error or block


def read_transcript(path: Path) -> Iterator[Conversation | Rejected]:
    try:
        text = decode(path.read_bytes())[0].lstrip("\ufeff")
    except EncodingError as exc:
        yield rejected(InputError(str(exc), file=str(path)))
        return
    blocks = list(_blocks(text.splitlines(), path))
    for n, block in enumerate(blocks, 1):
        if isinstance(block, InputError):
            yield rejected(block)
            continue
        default_id = path.stem if len(blocks) == 1 else f"{path.stem}-{n}"
        yield block.finish(default_id, path)
