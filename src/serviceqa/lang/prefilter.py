"""Necessary literals of a regex: strings that every match must contain.

A pack has a hundred patterns or more and most of them cannot match a given message
('здра' is not in it, so `\\bздра\\w*вуй` cannot match). Looking for a few substrings is far
cheaper than running the regex, so the matcher runs only the patterns whose literals occur.
This is the idea of RE2's FilteredRE2, reduced to what our packs use.

The result is a conjunction of alternatives: `({'оператор', 'специалист'}, {','})` means a
match contains 'оператор' or 'специалист', and a comma. Literals and texts are compared
in `fold`ed form, where case is folded and every digit is '0', so `\\d{1,2}:\\d{2}` needs
'0:00'. A literal may carry BOUNDARY marks where the pattern has `\\b` next to it: the
matcher then looks for it at the start or end of a word only.

The pattern is read with the standard library's regex parser (`re._parser`, the one behind
`re.compile`). Syntax only the `regex` module knows (`\\p{..}`, POSIX classes, fuzzy
matching…) is not read at all: such a pattern gets no prefilter and always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # the parser behind re.compile; private, so its absence only turns prefiltering off
    from re import _constants as C
    from re import _parser as parser
except ImportError:  # pragma: no cover - other Pythons
    parser = C = None  # type: ignore[assignment]

MAX_EXACT = 64     # largest set of alternatives kept as exact strings
MAX_CLASS = 8      # largest character class read as a set of letters
MAX_COPIES = 3     # x{1,3} is read exactly; x{1,4} only as "at least one x"
# Unicode properties read as \w: a category, so no literal is taken from them (in a class too).
_PROPERTY = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])|\\.", re.DOTALL)
# Syntax `re` would read differently from `regex`, or not at all.
REGEX_ONLY = re.compile(r"\\[XmMLGK]|\[\[:|\(\?[Vrfbew|&R(]|\{e[<=]|\(\?\(DEFINE")
DIGIT = "0"
_DIGITS = re.compile(r"\d")  # the same characters as \d in `regex`: Unicode decimal digits

Literals = frozenset[str]
Info = tuple["Literals | None", "tuple[Literals, ...]"]  # (every string matched, or None;
ANYTHING: Info = (None, ())                               #  alternatives that must occur)
EMPTY: Info = (frozenset({""}), ())
BOUNDARY = "\x01"  # marks a \b next to a literal: '\x01не' is 'не' at the start of a word
AT_WORD_EDGE: Info = (frozenset({BOUNDARY}), ())


def bare(literal: str) -> str:
    """The literal without its word-boundary marks."""
    return literal.replace(BOUNDARY, "")


def fold(text: str) -> str:
    """The form literals and message texts are compared in. Case is folded ('I' and the
    dotless 'ı' are one letter for regex's IGNORECASE, not for casefold) and digits are 0."""
    folded = text.casefold().replace("ı", "i")
    return _DIGITS.sub(DIGIT, folded) if _DIGITS.search(folded) else folded


_ESCAPE = re.compile(r"\\.", re.DOTALL)
_CASE_ESCAPES = re.compile(r"\\[pPNLX]")       # \p{Lu} and friends depend on case
_INLINE_FLAGS = re.compile(r"\(\?[-a-zA-OQ-Z]")  # (?-i: ...), (?i) …; not (?P<name> …)


def lowercase_safe(pattern: str) -> bool:
    """Whether the pattern, case-insensitive on a text, finds the same as the pattern
    case-sensitive on the lower-cased text: no scoped or inline flags, no case-dependent
    escapes, and every letter written lower-case and equal to its case fold."""
    if _CASE_ESCAPES.search(pattern) or _INLINE_FLAGS.search(pattern):
        return False
    letters = _ESCAPE.sub("", pattern)
    return letters == letters.lower() == letters.casefold()


def parse(pattern: str, flags: int = re.UNICODE) -> Any | None:
    """`pattern` as re's parser reads it, Unicode properties read as \\w; None for syntax
    only `regex` knows, or where the parser is missing. Shared with backtracking.py."""
    pattern = _PROPERTY.sub(lambda m: r"\w" if m.group()[1] in "pP" else m.group(), pattern)
    if parser is None or REGEX_ONLY.search(pattern):
        return None
    try:
        return parser.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def required_literals(pattern: str) -> tuple[Literals, ...] | None:
    """Sets of folded strings: every match of `pattern` contains one string of each set. The
    most selective set comes first. None when nothing can be said: the pattern always runs."""
    parsed = parse(pattern, re.IGNORECASE | re.UNICODE)
    if parsed is None:
        return None
    required = _all_required(_sequence(parsed.data))
    return tuple(sorted(set(required), key=_strength, reverse=True)) or None


def _as_required(exact: Literals) -> Literals | None:
    return None if any(not bare(s) for s in exact) else _minimal(exact)


def _all_required(info: Info) -> list[Literals]:
    exact, required = info
    if exact is not None:
        single = _as_required(exact)
        return [single] if single else []
    return list(required)


def _strongest(info: Info) -> Literals | None:
    found = _all_required(info)
    return max(found, key=_strength) if found else None


def _minimal(strings: Iterable[str]) -> Literals:
    """Drop strings that contain another one of the set: the shorter one implies them."""
    kept: list[str] = []
    for s in sorted(set(strings), key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _strength(literals: Literals) -> tuple[int, int, tuple[str, ...]]:
    """Longer literals are rarer in text; fewer of them are cheaper to look for."""
    return (min(len(bare(s)) for s in literals), -len(literals), tuple(sorted(literals)))


def _product(a: Literals, b: Literals) -> Literals | None:
    if len(a) * len(b) > MAX_EXACT:
        return None
    return frozenset(x + y for x in a for y in b)


def _sequence(items: list[tuple[Any, Any]]) -> Info:
    current: Literals = frozenset({""})
    required: list[Literals] = []
    exact_all = True
    for op, av in items:
        exact, needed = _item(op, av)
        joined = _product(current, exact) if exact is not None else None
        if joined is not None:
            current = joined
            continue
        exact_all = False
        copies = _repeated(op, av) if exact is None else None
        if copies is not None:  # x+ begins and ends with an x: '[её][*.]+' needs 'е*' or 'е.'
            joined = _product(current, copies)
            required += _all_required((joined if joined is not None else current, ()))
            current = copies
            continue
        required += _all_required((current, ()))
        current = exact if exact is not None else frozenset({""})
        required += needed
    if exact_all:
        return current, ()
    return None, tuple(required + _all_required((current, ())))


def _repeated(op: Any, av: Any) -> Literals | None:
    """The strings one copy of a repeat matches, when it repeats at least once."""
    if op not in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) or av[0] < 1:
        return None
    exact = _sequence(av[2].data)[0]
    return exact if exact is not None and all(map(bare, exact)) else None


def _item(op: Any, av: Any) -> Info:
    if op is C.LITERAL:
        return frozenset({fold(chr(av))}), ()
    if op is C.IN:
        return _char_class(av)
    if op is C.AT:
        return AT_WORD_EDGE if av is C.AT_BOUNDARY else EMPTY
    if op in (C.ASSERT, C.ASSERT_NOT):
        return EMPTY
    if op is C.SUBPATTERN:
        return _sequence(av[-1].data)
    if op is C.ATOMIC_GROUP:
        return _sequence(av.data)
    if op is C.BRANCH:
        return _branch([_sequence(alt.data) for alt in av[1]])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return _repeat(*av)
    return ANYTHING  # any character, a category, a back-reference …


def _char_class(items: list[tuple[Any, Any]]) -> Info:
    letters = set()
    for op, av in items:
        if op is C.LITERAL:
            letters.add(fold(chr(av)))
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            letters.add(DIGIT)
        else:
            return ANYTHING
    return (frozenset(letters), ()) if len(letters) <= MAX_CLASS else ANYTHING


def _branch(alternatives: list[Info]) -> Info:
    exacts = [exact for exact, _ in alternatives]
    if all(e is not None for e in exacts):
        union = frozenset().union(*exacts)  # type: ignore[arg-type]
        if len(union) <= MAX_EXACT:
            return union, ()
    strongest = [_strongest(info) for info in alternatives]
    if any(s is None for s in strongest):
        return ANYTHING
    union = (s for literals in strongest for s in literals)  # type: ignore[union-attr]
    return None, (_minimal(union),)


def _repeat(low: int, high: int, sub: Any) -> Info:
    inner = _sequence(sub.data)
    exact = inner[0]
    if high == 0:
        return EMPTY
    if exact is not None and high <= MAX_COPIES:
        copies: Literals | None = frozenset({""})
        union: set[str] = set()
        for count in range(high + 1):
            if count >= low:
                union |= copies  # type: ignore[arg-type]
            if count < high:
                copies = _product(copies, exact)  # type: ignore[arg-type]
                if copies is None:
                    break
        else:
            if len(union) <= MAX_EXACT:
                return frozenset(union), ()
    if low == 0:
        return ANYTHING
    return None, tuple(_all_required(inner))
