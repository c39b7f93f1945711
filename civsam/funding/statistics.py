"""Ratios read off the stored grant figures: per inhabitant, shares. Pure Python, no database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def per_inhabitant(amount: Decimal, population: int | None) -> Decimal | None:
    """Kronor per inhabitant, to two decimals; None without a population."""
    if not population:
        return None
    return (Decimal(amount) / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """Per cent to one decimal; None when the whole is nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def number(value: Decimal | int | float | None, decimals: int = 0, *, english: bool = False) -> str:
    """A number grouped in thousands as the language writes it: "12 500,50" (a no-break space and a
    decimal comma) in Swedish, "12,500.50" in English; a dash for no value. Plain string work:
    tables of figures format hundreds of numbers per page, and Django's localised number_format
    costs a tenth of a millisecond each."""
    if value is None:
        return "–"
    text = f"{Decimal(value):,.{decimals}f}"
    if english:
        return text
    return text.replace(",", "\u00a0").replace(".", ",")
