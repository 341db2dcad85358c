"""The detector registry refuses duplicate or malformed names."""

from __future__ import annotations

import pytest

from serviceqa.detect.base import PhraseDetector, Registry
from serviceqa.detect.registry import default_registry
from serviceqa.lang.sections import SECTIONS


class _Good(PhraseDetector):
    """x"""
    name = "good_one"
    section = "greeting"


class _Bad(PhraseDetector):
    """x"""
    name = "Bad-Name"


def test_duplicate_names_are_refused():
    with pytest.raises(ValueError, match="twice"):
        Registry([_Good(), _Good()])


def test_malformed_names_are_refused():
    with pytest.raises(ValueError, match="malformed"):
        Registry([_Bad()])


def test_phrase_detectors_read_known_sections():
    for detector in default_registry():
        if isinstance(detector, PhraseDetector):
            assert detector.section_name() in SECTIONS, detector.name
