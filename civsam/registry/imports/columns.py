"""Checking one column of a chunk of rows: the cache that parses each distinct cell once.

The parsers are pure functions of the cell text, so each distinct key (a cell, or the pair of
cells of a code/name column pair) is parsed once and a row's value is a dict lookup, done for a
whole chunk in C. Errors stand in for values (Bad) and are reported by position in the chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import filterfalse
from typing import Any

from django.utils.translation import gettext as _

from .. import orgnr as orgnr_mod
from .cells import CellError, clean_text, fast_orgnrs, shorten

CACHE_LIMIT = 20_000  # distinct keys a column remembers between chunks


class OrgnrColumn:
    """The organisation numbers of a file: normalised, and each allowed once (the first line keeps it)."""

    def __init__(self, label: str):
        self.label = label
        self.seen: dict[str, int] = {}

    def check(self, raws: list[str], lines: list[int]) -> tuple[list[str], list[tuple[int, str, str]]]:
        numbers = fast_orgnrs(raws)
        problems = []
        if None in numbers:
            for position, number in enumerate(numbers):
                if number is None:
                    try:
                        numbers[position] = orgnr_mod.normalise(clean_text(raws[position]))
                    except orgnr_mod.OrgnrError as exc:
                        problems.append((position, self.label, str(exc)))
                        numbers[position] = ""
        seen = self.seen
        distinct = set(numbers)
        if not problems and len(distinct) == len(numbers) and seen.keys().isdisjoint(distinct):
            seen.update(zip(numbers, lines, strict=True))  # the common case: no number seen before
            return numbers, problems
        for position, number in enumerate(numbers):
            if number:
                first_line = seen.get(number)
                if first_line is not None:
                    problems.append(
                        (
                            position,
                            self.label,
                            _("Organisationsnumret %(orgnr)s finns redan på rad %(line)s.")
                            % {"orgnr": orgnr_mod.format_display(number), "line": first_line},
                        )
                    )
                else:
                    seen[number] = lines[position]
        return numbers, problems


class FieldColumn:
    """One present field, from one column or a code/name pair of columns.

    The parsers are pure functions of the cell text, so each distinct key (the cell, or the pair
    of cells) is parsed once: a row's value is a dict lookup, done for a whole chunk in C.
    """

    def __init__(
        self,
        parser: Callable[[str], Any],
        slots: list[tuple[int, str]],
        required: bool,
        missing: str,
        many: Callable[[Iterable[str]], dict[str, Any]] | None = None,
    ):
        self.many = many if len(slots) == 1 else None
        self.indexes = tuple(index for index, _label in slots)
        if len(slots) == 1:
            parse_key = parser
        else:
            (_index_a, label_a), (_index_b, label_b) = slots
            cells: dict[str, tuple[bool, Any]] = {}

            def parse_key(pair: tuple[str, str]) -> Any:
                return _pair(parser, cells, pair, label_a, label_b)

        self.cache = _Outcomes(parse_key, slots[0][1], missing if required else None)

    def check(self, cells_by_column: list[tuple[str, ...]]) -> tuple[list[Any], list[tuple[int, str, str]]]:
        """The chunk's values of this field, and its problems as (position, column, message)."""
        cache = self.cache
        cache.failures = 0
        if len(self.indexes) == 1:
            keys = cells_by_column[self.indexes[0]]
            if self.many is not None:
                unknown = filterfalse(cache.__contains__, set(keys))
                if cache.bad:
                    unknown = filterfalse(cache.bad.__contains__, unknown)
                cache.update(self.many(unknown))
        else:
            keys = zip(*map(cells_by_column.__getitem__, self.indexes), strict=True)
        values = list(map(cache.__getitem__, keys))
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        if not cache.failures:
            return values, []
        if len(cache.bad) > CACHE_LIMIT:
            cache.bad.clear()
        return values, [(position, v.column, v.message) for position, v in enumerate(values) if type(v) is _Bad]


class _Bad:
    """A key's error, standing in for its value."""

    __slots__ = ("column", "message")

    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message


class _Outcomes(dict):
    """Key -> parsed value, filled on first lookup; invalid keys are kept aside and counted per lookup."""

    __slots__ = ("bad", "column", "failures", "missing", "parse_key")

    def __init__(self, parse_key: Callable[[Any], Any], column: str, missing: str | None):
        super().__init__()
        self.parse_key = parse_key
        self.column = column
        self.missing = missing  # the message for an empty required field, else None
        self.bad: dict[Any, _Bad] = {}
        self.failures = 0

    def __missing__(self, key: Any) -> Any:
        bad = self.bad.get(key)
        if bad is None:
            try:
                value = self.parse_key(key)
            except _PairCellError as exc:
                bad = _Bad(exc.column, str(exc))
            except CellError as exc:
                bad = _Bad(self.column, str(exc))
            else:
                if value is not None or self.missing is None:
                    self[key] = value
                    return value
                bad = _Bad(self.column, self.missing)
            self.bad[key] = bad
        self.failures += 1
        return bad


class _PairCellError(CellError):
    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def _pair(
    parser: Callable[[str], Any], cells: dict[str, tuple[bool, Any]], pair: tuple[str, str], label_a: str, label_b: str
) -> Any:
    """A field given by two columns (code and name): either may be empty; if both are given they must agree."""
    raw_a, raw_b = pair
    a = _cell(parser, cells, raw_a, label_a)
    b = _cell(parser, cells, raw_b, label_b)
    if a is not None and b is not None and a != b:
        raise _PairCellError(
            _("”%(a)s” och ”%(b)s” stämmer inte överens.") % {"a": shorten(raw_a, 40), "b": shorten(raw_b, 40)},
            f"{label_a} / {label_b}",
        )
    return a if a is not None else b


def _cell(parser: Callable[[str], Any], cells: dict[str, tuple[bool, Any]], raw: str, label: str) -> Any:
    """One cell of a pair, parsed once per distinct text (the same codes come in many pairs)."""
    hit = cells.get(raw)
    if hit is None:
        try:
            hit = (True, parser(raw))
        except CellError as exc:
            hit = (False, str(exc))
        if len(cells) < CACHE_LIMIT:
            cells[raw] = hit
    if hit[0]:
        return hit[1]
    raise _PairCellError(hit[1], label)
