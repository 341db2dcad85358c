"""Shared fixtures; heavy analysers are built once per session."""

from __future__ import annotations

import pytest

from serviceqa.detect.registry import default_registry
from serviceqa.lang.registry import languages

LANGUAGES = ("ru", "kk", "hu", "cs", "en")


@pytest.fixture(scope="session")
def registry():
    return default_registry()


@pytest.fixture(scope="session")
def pack_languages():
    return languages()
