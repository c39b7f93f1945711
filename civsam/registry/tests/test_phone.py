"""Telephone numbers as people write them, to E.164 and back to a readable form (registry.phone)."""

from __future__ import annotations

import pytest

from civsam.registry import phone

VALID = [
    # Swedish, as written at home
    ("070-123 45 67", "+46701234567", "+46 70 123 45 67"),
    ("0701234567", "+46701234567", "+46 70 123 45 67"),
    ("019-12 34 56", "+4619123456", "+46 19 12 34 56"),
    ("019–123 45 67", "+46191234567", "+46 19 123 45 67"),  # an en dash from a word processor
    ("08-123 456 78", "+46812345678", "+46 8 12 34 56 78"),
    ("08 12 34 56", "+468123456", "+46 8 12 34 56"),
    ("0581-123 45", "+4658112345", "+46 581 123 45"),
    ("(0581) 12 34 56", "+46581123456", "+46 581 12 34 56"),
    ("010-123 45 67", "+46101234567", "+46 10 123 45 67"),
    ("020-12 34 56", "+4620123456", "+46 20 12 34 56"),
    # Swedish, written internationally
    ("+46 70 123 45 67", "+46701234567", "+46 70 123 45 67"),
    ("+46 (0)70 123 45 67", "+46701234567", "+46 70 123 45 67"),
    ("+46070-1234567", "+46701234567", "+46 70 123 45 67"),
    ("0046 19 12 34 56", "+4619123456", "+46 19 12 34 56"),
    ("+46.19.12.34.56", "+4619123456", "+46 19 12 34 56"),
    # Other countries keep their country code
    ("+44 20 7946 0958", "+442079460958", "+44 2079460958"),
    ("0044 20 7946 0958", "+442079460958", "+44 2079460958"),
    ("+47 22 12 34 56", "+4722123456", "+47 22123456"),
    ("+1 (202) 555-0123", "+12025550123", "+1 2025550123"),
    ("+358 9 1234 5678", "+358912345678", "+358 912345678"),
    # Empty stays empty
    ("", "", ""),
    ("   ", "", ""),
]


@pytest.mark.parametrize(("text", "stored", "shown"), VALID, ids=[v[0] or "empty" for v in VALID])
def test_numbers_are_stored_as_e164_and_shown_grouped(text, stored, shown):
    assert phone.normalise(text) == stored
    assert phone.display(stored) == shown
    if stored:
        assert phone.is_normalised(stored)
        assert phone.normalise(stored) == stored  # idempotent


INVALID = [
    ("070-1", "swedish_length"),
    ("070-123 45 6", "swedish_length"),  # a mobile number has nine digits after the 0
    ("070-123 45 678", "swedish_length"),
    ("019-12", "swedish_length"),
    ("08-123 456 789 0", "swedish_length"),
    ("123 45 67", "prefix"),  # no area code, no country code
    ("ring växeln", "characters"),
    ("070-123 45 67 ankn. 12", "characters"),
    ("070+1234567", "characters"),
    ("+0 123 456 789", "country"),
    ("+28 123 456 789", "country"),  # no country has 28x
    ("+44 12", "length"),
    ("+44 1234 5678 9012 345", "length"),
    ("+46 0", "swedish"),
    ("=HYPERLINK(1)", "characters"),
]


@pytest.mark.parametrize(("text", "code"), INVALID, ids=[v[0] for v in INVALID])
def test_what_is_not_a_number_is_refused_with_its_reason(text, code):
    with pytest.raises(phone.PhoneError) as info:
        phone.normalise(text)
    assert info.value.code == code


def test_text_that_is_not_e164_is_shown_as_it_is():
    # Old data kept by the migration until someone corrects it.
    assert phone.display("ring växeln") == "ring växeln"
    assert not phone.is_normalised("070-123 45 67")


@pytest.mark.parametrize(
    ("digits", "code"),
    [("46701234567", "46"), ("12025550123", "1"), ("79161234567", "7"), ("358912345678", "358"), ("0123", "")],
)
def test_country_codes(digits, code):
    assert phone.country_code(digits) == code
