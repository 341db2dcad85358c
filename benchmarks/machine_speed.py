"""How fast this machine runs one fixed pure-Python workload right now.

This VM's CPU time per unit of work moves by up to 2x within a day, with the same code:
a stored conversation cost 1.34 ms of CPU one morning and 0.59 ms that evening; the
sequential scorer did 138 and 243 conversations per CPU-second. A benchmark's figure
alone then cannot say whether a change helped. So the benchmarks record this before and
after their run, and `benchmarks/README.md` compares runs by their rate divided by
`rounds_per_cpu_s`. The workload imports nothing of serviceqa: it measures the machine,
not our code. It is what our hot paths do: JSON, regex over Unicode text, dicts, strings.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from typing import Any

TEXT = ("Dobrý den, objednávku jsme odeslali včera. Здравствуйте, ваш заказ уже в пути! "
        "Сәлеметсіз бе, тапсырысыңыз жолда. Jó napot, a rendelését tegnap feladtuk. "
        "Hello, your order left yesterday; sorry for the wait.")
DOCUMENT = {"id": "c-1", "channel": "chat", "messages": [
    {"role": "agent" if i % 2 else "customer", "text": TEXT, "at": f"2026-12-01T10:{i:02d}:00Z"}
    for i in range(12)]}
WORD = re.compile(r"\w+", re.UNICODE)
ROUNDS = 200          # one sample: ~20-40 ms on this machine
SAMPLES = 7


def one_round() -> int:
    """A fixed piece of work; returns a checksum so nothing is optimised away."""
    decoded = json.loads(json.dumps(DOCUMENT, ensure_ascii=False))
    counts: dict[str, int] = {}
    for message in decoded["messages"]:
        for word in WORD.findall(message["text"].lower()):
            counts[word] = counts.get(word, 0) + 1
    return sum(len(word) * n for word, n in counts.items())


def measure(rounds: int = ROUNDS, samples: int = SAMPLES) -> dict[str, Any]:
    """Rounds per CPU-second and per wall second, each the median of `samples` runs."""
    per_cpu, per_wall = [], []
    for _ in range(samples):
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(rounds):
            one_round()
        per_cpu.append(rounds / max(time.process_time() - cpu, 1e-9))
        per_wall.append(rounds / max(time.perf_counter() - wall, 1e-9))
    return {"rounds_per_cpu_s": round(statistics.median(per_cpu), 1),
            "rounds_per_s": round(statistics.median(per_wall), 1)}


if __name__ == "__main__":
    print(json.dumps(measure()))
