"""Which pack patterns may backtrack without bound, so that they need a timeout.

A timeout costs `regex` about 5 µs a call, more than many short-message matches take, and
the matcher runs a pattern group for nearly every message. The runaway case is a repetition
nested in another one (`(\\w+\\s?)+`): its work can grow exponentially with the text. Without
such nesting it grows polynomially, and on a short message stays small, so the matcher
drops the timeout there and keeps it for long messages and for every pattern this module
cannot read (syntax only `regex` knows) or finds nested.
"""

from __future__ import annotations

from typing import Any

from .prefilter import C, parse

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
UNBOUNDED_FROM = 10  # x{0,10} is read as bounded: ten copies cannot run away


def needs_timeout(pattern: str) -> bool:
    """True unless `pattern` surely has no unbounded repetition inside another."""
    parsed = parse(pattern)
    return parsed is None or _nested(list(parsed), inside=False)


def _nested(items: list[tuple[Any, Any]], inside: bool) -> bool:
    """Whether, in `items`, a repetition of variable count sits inside an unbounded one:
    the ways to split a text between their rounds then multiply."""
    for op, av in items:
        name = str(op)
        if name in _REPEATS:
            low, high, sub = av
            if inside and low != high:  # a count of its own to choose, in every round
                return True
            unbounded = high == C.MAXREPEAT or high > UNBOUNDED_FROM
            if _nested(list(sub), inside or unbounded):
                return True
        elif name == "SUBPATTERN":     # (group, add flags, del flags, items)
            if _nested(list(av[-1]), inside):
                return True
        elif name == "ATOMIC_GROUP":   # the items themselves
            if _nested(list(av), inside):
                return True
        elif name == "BRANCH":         # (a|aa)+: rounds of either length, as many splits
            if inside and len({branch.getwidth() for branch in av[1]}) > 1:
                return True
            if any(_nested(list(branch), inside) for branch in av[1]):
                return True
        elif name in ("ASSERT", "ASSERT_NOT"):
            if _nested(list(av[1]), inside):
                return True
        elif name == "GROUPREF_EXISTS":
            if any(part is not None and _nested(list(part), inside) for part in av[1:]):
                return True
    return False
