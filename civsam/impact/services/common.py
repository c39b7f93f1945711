"""What the impact services share: UNCHANGED, the marker of an update argument left out."""

from __future__ import annotations

from typing import Any

# An update argument left out: the field keeps its value. (None is a value: "no owner of this kind".)
UNCHANGED: Any = object()


def _given(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not UNCHANGED}
