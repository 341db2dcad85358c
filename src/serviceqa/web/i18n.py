"""UI strings from one JSON file per language (i18n/en.json, ru.json); adding a UI language
is adding a file. The language comes from ?lang=, then the cookie, then Accept-Language."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from fastapi import Request

I18N = Path(__file__).parent / "i18n"
LANG_COOKIE = "serviceqa_lang"
DEFAULT = "en"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """`i18n/<lang>.json`, plus `i18n/<part>/<lang>.json` of each part of the UI that keeps
    its strings apart (feedback/), so features add strings without editing one file."""
    strings = dict(json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8")))
    for part in sorted(I18N.glob(f"*/{lang}.json")):
        strings.update(json.loads(part.read_text(encoding="utf-8")))
    return strings


def languages() -> list[str]:
    return sorted(p.stem for p in I18N.glob("*.json"))


def choose(request: Request) -> str:
    """The first supported of: ?lang=, the cookie, Accept-Language (in order given)."""
    known = languages()
    for given in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if given and given.lower()[:2] in known:
            return given.lower()[:2]
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in known:
            return code
    return DEFAULT


class Translator:
    """`t("key")` in templates; a missing key falls back to English, then to what follows
    the first dot (`criterion.my_own` -> `my_own`: a custom criterion shows its id)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._strings = catalog(lang)
        self._fallback = catalog(DEFAULT)

    def __call__(self, key: str, **values: object) -> str:
        text = self._strings.get(key) or self._fallback.get(key) or key.split(".", 1)[-1]
        return text.format(**values) if values else text
