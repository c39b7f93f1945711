"""CPV codes as people write them ("85300000-2", "85300000", "853"). Pure Python, no database."""

from __future__ import annotations

import re

_CODE = re.compile(r"([0-9]{8})(?:-([0-9]))?")


class CpvError(ValueError):
    pass


def parse(text: str) -> tuple[str, str | None]:
    """(eight digits, check digit or None) of a written CPV code; CpvError otherwise."""
    match = _CODE.fullmatch((text or "").strip().replace(" ", ""))
    if match is None:
        raise CpvError(text)
    return match.group(1), match.group(2)


def division(code: str) -> str:
    """The division (first two digits, padded) a code belongs to: "85311000" → "85000000"."""
    return code[:2] + "000000"
