"""Criterion expressions: a tiny, safe subset of Python (and/or/not, comparisons, numbers,
names). Parsed and checked once when a scorecard loads; evaluated per conversation."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from types import CodeType
from typing import Any

_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
            ast.Compare, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq, ast.Name,
            ast.Load, ast.Constant, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div)


class ExpressionError(ValueError):
    pass


@dataclass(frozen=True)
class Expression:
    source: str
    names: frozenset[str]
    _code: CodeType

    def evaluate(self, namespace: dict[str, Any]) -> Any:
        return eval(self._code, {"__builtins__": {}}, namespace)  # noqa: S307 - checked AST


def compile_expression(source: str, known: set[str] | frozenset[str]) -> Expression:
    """Check `source` against the allowed syntax and `known` names, then compile it."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"invalid expression '{source}': {exc.msg}") from exc
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"'{type(node).__name__}' is not allowed in '{source}'")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, bool)):
            raise ExpressionError(f"only numbers and true/false are allowed in '{source}'")
        if isinstance(node, ast.Name):
            names.add(node.id)
    unknown = names - set(known)
    if unknown:
        raise ExpressionError(f"unknown name(s) {', '.join(sorted(unknown))} in '{source}'")
    return Expression(source, frozenset(names), compile(tree, "<criterion>", "eval"))
