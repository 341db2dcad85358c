"""Language codes are normalised at the edge: 'kk-KZ', 'KK', 'kaz' -> 'kk'."""

from __future__ import annotations

_ALIASES = {"kaz": "kk", "rus": "ru", "hun": "hu", "ces": "cs", "cze": "cs", "eng": "en",
            "cz": "cs"}


def normalise_code(code: str | None) -> str | None:
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return _ALIASES.get(base, base) or None
