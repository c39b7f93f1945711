"""A proxy's derivation written as text: "276 timmar × 98 kr per timme" is the product of the
numbers before each ×, in Swedish or English notation (space or comma for thousands is read as
Swedish: space for thousands, comma for decimals)."""

from __future__ import annotations

import re

from .model import Derivation, Factor

_SPLIT = re.compile(r"\s*[×*]\s*|\s+x\s+")
_NUMBER = re.compile(r"^\s*(-?\d[\d\u00a0 ]*(?:[.,]\d+)?)\s*(.*)$")


def parse_derivation(text: str) -> Derivation | None:
    """The factors of a formula, or None when a part does not start with a number."""
    parts = [part for part in _SPLIT.split(text.strip()) if part.strip()]
    if len(parts) < 2:
        return None
    factors = []
    for part in parts:
        match = _NUMBER.match(part)
        if match is None:
            return None
        number = match.group(1).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        factors.append(Factor(float(number), match.group(2).strip()))
    return Derivation(tuple(factors), text.strip())


def mismatch(stated: float, derivation: Derivation, tolerance: float = 0.005) -> bool:
    """Does the stated value differ from the derivation by more than rounding (0.5 %, half a krona)?"""
    derived = derivation.value
    return abs(stated - derived) > max(tolerance * abs(derived), 0.5)
