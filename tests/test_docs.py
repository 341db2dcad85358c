"""Docs are tested against the code: every detector, criterion and command is documented."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from serviceqa.cli import app
from serviceqa.detect.registry import default_registry
from serviceqa.score.scorecard import load_scorecard

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", default_registry().names())
def test_detector_is_documented(name):
    detector = default_registry().get(name)
    assert f"`{name}`" in README, f"README does not mention detector {name}"
    assert inspect.getdoc(type(detector)), f"{type(detector).__name__} has no docstring"


@pytest.mark.parametrize("criterion", sorted({c.id for n in ("phone", "chat")
                                              for c in load_scorecard(n).criteria}))
def test_criterion_is_documented(criterion):
    assert f"| `{criterion}` |" in README


def _commands():
    yield from (c.name or c.callback.__name__ for c in app.registered_commands)
    for group in app.registered_groups:  # `serviceqa db upgrade`, ...
        for c in group.typer_instance.registered_commands:
            yield f"{group.name} {c.name or c.callback.__name__}"


@pytest.mark.parametrize("command", list(_commands()))
def test_cli_command_is_documented(command):
    assert f"serviceqa {command}" in README


def test_readme_quick_start_matches_ci():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(line for line in ci.splitlines() if "pytest" in line)
    assert test_command.strip() in README
