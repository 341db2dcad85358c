"""Each input format, each encoding of our languages, and localized speaker labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from serviceqa.ingest import read_paths
from serviceqa.model import Conversation, Rejected

TRANSCRIPTS = {
    "ru": "Оператор: Добрый день! Меня зовут Ольга, служба поддержки.\n"
          "Клиент: здравствуйте, у меня заказ не пришёл, жду уже неделю\n"
          "Оператор: Подскажите, пожалуйста, номер заказа.\n",
    "kk": "Оператор: Сәлеметсіз бе! Менің атым Айгерім, қолдау қызметі.\n"
          "Тұтынушы: сәлем, тапсырысым әлі келмеді ғой\n"
          "Оператор: Тапсырыс нөмірін айтыңызшы.\n",
    "hu": "Ügyintéző: Jó napot kívánok, Kiss Réka vagyok, miben segíthetek?\n"
          "Ügyfél: A csomagom még mindig nem érkezett meg, őszintén szólva elegem van.\n"
          "Ügyintéző: Megadná a rendelésszámot?\n",
    "cs": "Operátor: Dobrý den, tady Petra ze zákaznické linky, jak Vám mohu pomoci?\n"
          "Zákazník: Dobrý den, objednávka mi nedorazila, čekám už týden. Ať se ozve šéf.\n"
          "Operátor: Můžete mi prosím říct číslo objednávky?\n",
    "en": "Agent: Hi, you're through to Parcelwise, Sarah speaking.\n"
          "Customer: hiya my parcel never turned up\n"
          "Agent: Sorry to hear that! Could I have your order number?\n",
}
ENCODINGS = {
    "ru": ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251"],
    "kk": ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "kz1048"],
    "hu": ["utf-8", "utf-8-sig", "utf-16", "cp1250", "iso8859_2"],
    "cs": ["utf-8", "utf-8-sig", "utf-16", "cp1250", "iso8859_2"],
    "en": ["utf-8", "utf-8-sig", "utf-16", "cp1251", "cp1250"],
}
CASES = [(lang, enc) for lang, encodings in ENCODINGS.items() for enc in encodings]


def _only(items) -> Conversation:
    items = list(items)
    assert len(items) == 1, items
    assert isinstance(items[0], Conversation), items[0]
    return items[0]


@pytest.mark.parametrize("lang,encoding", CASES, ids=[f"{l}-{e}" for l, e in CASES])
def test_transcript_in_any_encoding(tmp_path: Path, lang: str, encoding: str) -> None:
    path = tmp_path / f"call-{lang}.txt"
    path.write_bytes(TRANSCRIPTS[lang].encode(encoding))
    conversation = _only(read_paths([path]))
    expected = [line.split(": ", 1) for line in TRANSCRIPTS[lang].splitlines()]
    assert [m.text for m in conversation.messages] == [text for _, text in expected]
    assert [m.role for m in conversation.messages] == ["agent", "customer", "agent"]
    assert conversation.id == f"call-{lang}"


def test_transcript_headers_times_continuations_and_blocks(tmp_path: Path) -> None:
    path = tmp_path / "calls.txt"
    path.write_text(
        "id: call-7\nchannel: phone\ndate: 2026-11-02\nagent_id: a-17\nmetadata.rings_before_answer: 2\n"
        "[10:15:04] Оператор: Добрый день!\n[10:15:20] Клиент: Здравствуйте, у меня вопрос\n"
        "по счёту за октябрь\n---\nAgent: Hello\nCustomer: hi\n", encoding="utf-8")
    first, second = list(read_paths([path]))
    assert first.id == "call-7" and first.channel == "phone" and first.agent.id == "a-17"
    assert first.metadata == {"rings_before_answer": 2}
    assert first.messages[1].text == "Здравствуйте, у меня вопрос\nпо счёту за октябрь"
    assert first.messages[0].at.isoformat() == "2026-11-02T10:15:04"
    assert second.id == "calls-2" and len(second.messages) == 2


def test_transcript_unknown_label_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("Hello there\nAgent: hi\n", encoding="utf-8")
    (item,) = list(read_paths([path]))
    assert isinstance(item, Rejected) and item.line == 1 and item.field == "speaker"


def test_csv_rows_become_conversations(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        ("conversation_id;role;text;at;channel;agent_id;team;metadata.rings_before_answer\n"
         "c-1;agent;Dobrý den, jak Vám mohu pomoci?;2026-11-02T10:00:00Z;phone;a-1;Prague;2\n"
         'c-1;customer;"Dobrý den; objednávka nedorazila";2026-11-02T10:00:09Z;;;;\n'
         "c-2;customer;Сәлеметсіз бе;;chat;;;\n").encode("utf-8"))
    first, second = list(read_paths([path]))
    assert first.id == "c-1" and first.channel == "phone" and first.agent.team == "Prague"
    assert first.metadata["rings_before_answer"] == 2
    assert first.messages[1].text == "Dobrý den; objednávka nedorazila"
    assert second.id == "c-2" and second.messages[0].text == "Сәлеметсіз бе"


def test_csv_bad_row_rejects_its_conversation_only(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,role,text\nc-1,agent,Hello\nc-1,robot,beep\nc-2,customer,hi\n",
                    encoding="utf-8")
    items = list(read_paths([path]))
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [i.id for i in items if isinstance(i, Conversation)] == ["c-2"]
    assert rejected[0].line == 3 and rejected[0].field == "role"
    assert rejected[0].conversation_id == "c-1"


def test_csv_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,speaker,text\nc-1,agent,Hello\n", encoding="utf-8")
    (item,) = list(read_paths([path]))
    assert isinstance(item, Rejected) and "role" in item.message and item.line == 1


def test_jsonl_bad_lines_do_not_stop_the_batch(tmp_path: Path) -> None:
    good = {"id": "ok", "messages": [{"role": "customer", "text": "Jó napot!"}]}
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([
        json.dumps(good, ensure_ascii=False),
        '{"id": "x", "messages": [{"role": "agent"}]}',
        '{"id": "y"',
        "",
        '["not", "an", "object"]',
        json.dumps({**good, "id": "ok2"}),
    ]) + "\n", encoding="utf-8")
    items = list(read_paths([path]))
    assert [i.id for i in items if isinstance(i, Conversation)] == ["ok", "ok2"]
    problems = [(i.line, i.field) for i in items if isinstance(i, Rejected)]
    assert problems == [(2, "messages[0].text"), (3, None), (5, None)]


def test_json_array_gives_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text('[\n {"id": "a", "messages": [{"role": "agent", "text": "Ahoj"}]},\n'
                    ' {"id": "b", "messages": []}\n]\n', encoding="utf-8")
    first, second = list(read_paths([path]))
    assert isinstance(first, Conversation)
    assert isinstance(second, Rejected) and second.line == 3 and second.field == "messages"


def test_missing_file_is_reported(tmp_path: Path) -> None:
    (item,) = list(read_paths([tmp_path / "nope.jsonl"]))
    assert isinstance(item, Rejected) and "no such file" in item.message


def test_folders_are_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Agent: hi\n", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text('{"id": "2", "messages": [{"role": "agent", "text": "x"}]}\n',
                                        encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert sorted(i.id for i in read_paths([tmp_path])) == ["2", "one"]
