"""Read YAML while remembering the line of every key, so errors can say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _walk(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, f"{path}[{index}]", lines)


def load_yaml_with_lines(text: str) -> tuple[Any, dict[str, int]]:
    """Parse `text`; return the data and a map from dotted key path to 1-based line."""
    data = yaml.safe_load(text)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}
    if node is not None:
        _walk(node, "", lines)
    return data, lines


def read_yaml_with_lines(path: Path) -> tuple[Any, dict[str, int]]:
    return load_yaml_with_lines(path.read_text(encoding="utf-8"))


def dotted(loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into the dotted path `criteria[3].weight`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def line_for(lines: dict[str, int], key: str) -> int | None:
    """The line of `key`, or of its nearest parent that has one."""
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return None
