"""Three-way comparison of reference data: the file, the database and what the last load wrote.

Pure: values are plain dicts keyed by a path ("plan.title_sv", "2.title_en", "2.3.title_sv"). A value
the database still holds as the last load wrote it follows the file; a value someone has changed
since is kept, and if the file has changed it too, the two disagree and the load reports it rather
than choose (ADR 0108). A key the last load did not record (data loaded before loads were
recorded) counts as untouched."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Merge:
    apply: dict[str, Any] = field(default_factory=dict)  # key → the file's value, to write
    disagree: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key → (database, file)
    recorded: dict[str, Any] = field(default_factory=dict)  # what to keep as "last loaded" afterwards


_MISSING = object()


def merge(current: Mapping[str, Any], last: Mapping[str, Any], wanted: Mapping[str, Any]) -> Merge:
    """What a load does with each key of `wanted`, given the database's `current` values."""
    result = Merge()
    for key, value in wanted.items():
        now = current.get(key, _MISSING)
        before = last.get(key, _MISSING)
        if now is _MISSING or now == value:
            # Not in the database yet (to be created) or already the file's.
            if now is _MISSING:
                result.apply[key] = value
            result.recorded[key] = value
        elif before is _MISSING or now == before:
            result.apply[key] = value
            result.recorded[key] = value
        else:
            result.disagree[key] = (now, value)
            if before is not _MISSING:
                result.recorded[key] = before
    return result
