"""Which language packs exist: the bundled ones plus any in $SERVICEQA_LANG_PACKS."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .matcher import CompiledPack
from .pack import LanguagePack, load_pack

BUNDLED = Path(__file__).parent / "packs"


def pack_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("SERVICEQA_LANG_PACKS", "").split(os.pathsep) if p]
    return [BUNDLED, *extra]


@lru_cache(maxsize=1)
def pack_files() -> dict[str, Path]:
    """Language code -> pack file; a later directory overrides an earlier one."""
    found: dict[str, Path] = {}
    for folder in pack_dirs():
        for path in sorted(folder.glob("*.yaml")):
            found[path.stem] = path
    return found


def languages() -> tuple[str, ...]:
    return tuple(pack_files())


@lru_cache(maxsize=None)
def get_pack(code: str) -> LanguagePack:
    return load_pack(pack_files()[code])


@lru_cache(maxsize=None)
def get_compiled(code: str, sections: frozenset[str] | None = None) -> CompiledPack:
    """The pack compiled for matching; with `sections`, for those sections only."""
    return CompiledPack(get_pack(code), sections)
