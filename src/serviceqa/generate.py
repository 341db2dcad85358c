"""Synthetic corpus for benchmarks and load tests: N realistic conversations, streamed to
JSONL (or Parquet, one conversation a row).

Each conversation is built from the bundled demo corpus of one language (the five
languages take turns): a real demo conversation is the skeleton (channel, metadata,
customer, opening and closing), and its middle is refilled with agent and customer
messages drawn from other demo conversations of the same language, to 16-24 messages
(mean 20). Ids are fresh (`bench-000001`), timestamps increase from `started_at`, the agent
is one of the language's agents, phone calls get 1-6 rings. Same seed, same bytes.

    serviceqa generate --count 10000 --out /tmp/corpus.jsonl --seed 1

Only the demo corpus (77 conversations) is held in memory; the output is written one
line at a time, so N can be as large as the disk allows.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

LANGUAGES = ("ru", "kk", "hu", "cs", "en")
DEMO_CORPUS = Path(__file__).resolve().parent / "demo" / "corpus"
MIN_MESSAGES, MAX_MESSAGES, MEAN_MESSAGES = 16, 24, 20
HEAD_MAX = 4          # skeleton messages kept up to (and with) the first agent message
TAIL = 2              # skeleton messages kept at the end (the closing exchange)
DEFAULT_START = "2026-11-02T09:00:00Z"
GAP_SECONDS = {"email": (900, 14_400), "in_person": (10, 90), "phone": (5, 45)}
DEFAULT_GAP = (5, 120)  # chat, messenger, social
TALKING = ("agent", "customer")


@dataclass(frozen=True)
class LanguagePool:
    """One language's demo data: skeletons, agents, and middle messages by role."""

    skeletons: tuple[dict[str, Any], ...]
    agents: tuple[dict[str, Any], ...]
    middle: dict[str, tuple[str, ...]]


def load_pool(code: str, corpus: Path = DEMO_CORPUS) -> LanguagePool:
    with (corpus / f"{code}.jsonl").open(encoding="utf-8") as handle:
        skeletons = tuple(json.loads(line) for line in handle if line.strip())
    agents = {json.dumps(c["agent"], sort_keys=True): c["agent"]
              for c in skeletons if c.get("agent")}
    middle: dict[str, list[str]] = {role: [] for role in TALKING}
    for conversation in skeletons:
        messages = conversation["messages"]
        for message in messages[HEAD_MAX:len(messages) - TAIL]:
            if message["role"] in middle:
                middle[message["role"]].append(message["text"])
    return LanguagePool(skeletons, tuple(agents[k] for k in sorted(agents)),
                        {role: tuple(texts) for role, texts in middle.items()})


def _split(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The opening (through the first agent message, at most HEAD_MAX) and the closing."""
    head_end = next((i + 1 for i, m in enumerate(messages[:HEAD_MAX]) if m["role"] == "agent"),
                    min(HEAD_MAX, len(messages)))
    tail_start = max(head_end, len(messages) - TAIL)
    return messages[:head_end], messages[tail_start:]


def _middle_roles(after: str, before: str | None, count: int, shorter: bool) -> list[str]:
    """Alternating agent/customer roles that follow `after` and precede `before`; when the
    last would repeat `before`, one message fewer (`shorter`) or one more."""
    first = "customer" if after in ("agent", "bot") else "agent"
    if count and before in TALKING and TALKING[(TALKING.index(first) + count - 1) % 2] == before:
        count += -1 if shorter else 1
    return [TALKING[(TALKING.index(first) + i) % 2] for i in range(count)]


def _texts(rng: random.Random, pool: LanguagePool, head: list, tail: list,
           agent: dict[str, Any], old_agent: dict[str, Any] | None) -> list[tuple[str, str]]:
    target = rng.randint(MIN_MESSAGES, MAX_MESSAGES)
    roles = _middle_roles(head[-1]["role"], tail[0]["role"] if tail else None,
                          max(0, target - len(head) - len(tail)), target > MEAN_MESSAGES)
    middle = [(role, rng.choice(pool.middle[role])) for role in roles]
    kept = [(m["role"], m["text"]) for m in head] + middle + [(m["role"], m["text"]) for m in tail]
    old_name, new_name = (old_agent or {}).get("name"), agent.get("name")
    if not old_name or not new_name or old_name == new_name:
        return kept
    return [(role, text.replace(old_name, new_name) if role in ("agent", "system") else text)
            for role, text in kept]


def _parse_time(value: str | None) -> datetime:
    return datetime.fromisoformat((value or DEFAULT_START).replace("Z", "+00:00"))


def _stamp(moment: datetime) -> str:
    """`moment` in UTC (see `build`) as `2026-11-03T10:00:00Z`; isoformat, unlike strftime
    and astimezone, costs next to nothing, and a bulk-load benchmark makes 20 a record."""
    return moment.isoformat(timespec="seconds").removesuffix("+00:00") + "Z"


def _timeline(rng: random.Random, start: datetime, channel: str | None,
              count: int) -> list[datetime]:
    low, high = GAP_SECONDS.get(channel or "", DEFAULT_GAP)
    moments, now = [], start
    for _ in range(count):
        now += timedelta(seconds=rng.randint(low, high))
        moments.append(now)
    return moments


def _metadata(rng: random.Random, skeleton: dict[str, Any], elapsed: float) -> dict[str, Any]:
    metadata = dict(skeleton.get("metadata") or {})
    if skeleton.get("channel") == "phone":
        metadata["rings_before_answer"] = rng.randint(1, 6)
        metadata["duration_s"] = int(elapsed) + rng.randint(5, 60)
    elif "duration_s" in metadata:
        metadata["duration_s"] = max(1, int(metadata["duration_s"] * rng.uniform(0.8, 1.2)))
    return metadata


def build(rng: random.Random, pool: LanguagePool, number: int) -> dict[str, Any]:
    """One synthetic conversation from a random skeleton of the pool."""
    skeleton = rng.choice(pool.skeletons)
    agent = dict(rng.choice(pool.agents)) if pool.agents else skeleton.get("agent")
    head, tail = _split(skeleton["messages"])
    texts = _texts(rng, pool, head, tail, agent or {}, skeleton.get("agent"))
    start = _parse_time(skeleton.get("started_at")) + timedelta(days=rng.randint(0, 60),
                                                                 minutes=rng.randint(-120, 120))
    start = start.astimezone(timezone.utc)
    moments = _timeline(rng, start, skeleton.get("channel"), len(texts))
    conversation = {key: value for key, value in skeleton.items() if key != "messages"}
    customer = dict(skeleton.get("customer") or {})
    customer["id"] = f"u-bench-{number:06d}"
    conversation.update(id=f"bench-{number:06d}", started_at=_stamp(start), agent=agent,
                        customer=customer,
                        metadata=_metadata(rng, skeleton, (moments[-1] - start).total_seconds()),
                        messages=[{"role": role, "text": text, "at": _stamp(at)}
                                  for (role, text), at in zip(texts, moments)])
    return conversation


def generate(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """`count` conversations, languages round-robin; deterministic for a seed."""
    rng = random.Random(seed)
    pools = [load_pool(code) for code in LANGUAGES]
    for number in range(1, count + 1):
        yield build(rng, pools[(number - 1) % len(pools)], number)


def write(count: int, out: Path, seed: int = 1) -> Path:
    """Stream the corpus to `out` (via a .part file, renamed when complete); a `.parquet`
    suffix writes Parquet (one conversation a row), anything else JSONL."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    if out.suffix.lower() == ".parquet":
        from .ingest.parquet_format import write_conversations

        write_conversations(generate(count, seed), partial)
    else:
        with partial.open("w", encoding="utf-8") as handle:
            for conversation in generate(count, seed):
                handle.write(json.dumps(conversation, ensure_ascii=False) + "\n")
    partial.replace(out)
    return out
