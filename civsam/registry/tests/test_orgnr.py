import pytest
from hypothesis import given
from hypothesis import strategies as st

from civsam.registry import orgnr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("556036-0793", "5560360793"),
        ("5560360793", "5560360793"),
        ("16 556036-0793", "5560360793"),
        (" 556036 0793 ", "5560360793"),
        ("802002-4389", "8020024389"),
    ],
)
def test_normalise_accepts_valid_forms(raw, expected):
    assert orgnr.normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("", "saknas"),
        ("556036-079", "tio siffror"),
        ("556036-0794", "kontrollsiffra"),
        ("551036-0793", "minst 20"),  # digits 3-4 = 10: a personnummer shape
        ("55603A-0793", "bara innehålla siffror"),
        ("175560360793", "börjar inte med 16"),
    ],
)
def test_normalise_rejects_with_swedish_message(raw, message_part):
    with pytest.raises(orgnr.OrgnrError) as info:
        orgnr.normalise(raw)
    assert message_part in str(info.value)


@pytest.mark.parametrize(("nine", "check"), [("556036079", 3), ("802002438", 9), ("212000014", 2)])
def test_luhn_check_digit_table(nine, check):
    assert orgnr.luhn_check_digit(nine) == check


@given(st.from_regex(r"[0-9]{2}[2-9][0-9]{6}", fullmatch=True))
def test_completed_numbers_always_validate_and_any_other_check_digit_fails(nine):
    number = orgnr.complete(nine)
    assert orgnr.normalise(number) == number
    assert orgnr.normalise(orgnr.format_display(number)) == number
    wrong = nine + str((int(number[-1]) + 1) % 10)
    assert not orgnr.is_valid(wrong)


@given(st.text(max_size=20))
def test_normalise_never_crashes_on_arbitrary_text(text):
    try:
        result = orgnr.normalise(text)
    except orgnr.OrgnrError as exc:
        assert str(exc)
    else:
        assert len(result) == 10 and result.isdigit()
