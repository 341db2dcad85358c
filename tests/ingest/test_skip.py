"""A resumed read leaves out the records already done: the same records as reading all and
dropping the first ones, across files and formats, bad records counted like good ones;
JSONL lines left out are not parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from serviceqa.ingest import jsonl, read_paths
from serviceqa.model import Conversation


def _record(cid: str, text: str) -> str:
    return json.dumps({"id": cid, "channel": "chat", "messages": [
        {"role": "customer", "text": text}, {"role": "agent", "text": "Dobrý den, pomohu."}]},
        ensure_ascii=False)


@pytest.fixture()
def files(tmp_path: Path) -> list[Path]:
    first = tmp_path / "a.jsonl"
    first.write_text("\n".join([
        "\ufeff" + _record("a-1", "Здравствуйте, заказ не пришёл"),
        "", "   ",
        "{not json",
        _record("a-2", "Сәлеметсіз бе, тапсырысым қайда?"),
        json.dumps({"id": "a-3", "messages": []}),  # no messages: rejected
        _record("a-4", "Jó napot, hol a csomagom?"),
    ]) + "\n", encoding="utf-8")
    second = tmp_path / "b.json"
    second.write_text("[" + _record("b-1", "Hello, where is my order?") + "," +
                      _record("b-2", "Dobrý den, kde je objednávka?") + "]", encoding="utf-8")
    third = tmp_path / "c.jsonl"
    third.write_text(_record("c-1", "Привет") + "\n" + _record("c-2", "Сәлем") + "\n",
                     encoding="utf-8")
    return [first, second, third]


def _seen(items: list[object]) -> list[str]:
    return [i.id if isinstance(i, Conversation) else f"rejected:{i.line}"  # type: ignore[attr-defined]
            for i in items]


def test_skipping_gives_the_rest_of_a_full_read(files: list[Path]) -> None:
    everything = _seen(list(read_paths(files)))
    assert everything == ["a-1", "rejected:4", "a-2", "rejected:6", "a-4", "b-1", "b-2",
                          "c-1", "c-2"]
    for skip in range(len(everything) + 2):
        assert _seen(list(read_paths(files, skip=skip))) == everything[skip:], skip


def test_skipped_jsonl_lines_are_not_parsed(files: list[Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = json.loads
    monkeypatch.setattr(jsonl.json, "loads", lambda text, *a, **k: parsed.append(text) or
                        real(text, *a, **k))
    assert _seen(list(read_paths([files[0]], skip=4))) == ["a-4"]
    assert len(parsed) == 1
