"""The pure rules: when a call is open, and who may apply."""

from __future__ import annotations

import datetime

import pytest

from civsam.funding import eligibility, schedule

D = datetime.date


@pytest.mark.parametrize(
    "kind, fields, today, expected",
    [
        (
            "dated",
            {"opens_on": D(2026, 3, 1), "deadline": D(2026, 3, 31)},
            D(2026, 3, 15),
            (D(2026, 3, 1), D(2026, 3, 31)),
        ),
        ("dated", {"deadline": D(2026, 3, 31)}, D(2026, 1, 1), (None, D(2026, 3, 31))),
        ("continuous", {}, D(2026, 6, 1), (None, None)),
        # Yearly: this year's window until its deadline, then next year's.
        (
            "yearly",
            {"yearly_opens": "09-01", "yearly_deadline": "10-31"},
            D(2026, 5, 1),
            (D(2026, 9, 1), D(2026, 10, 31)),
        ),
        (
            "yearly",
            {"yearly_opens": "09-01", "yearly_deadline": "10-31"},
            D(2026, 10, 31),
            (D(2026, 9, 1), D(2026, 10, 31)),
        ),
        (
            "yearly",
            {"yearly_opens": "09-01", "yearly_deadline": "10-31"},
            D(2026, 11, 1),
            (D(2027, 9, 1), D(2027, 10, 31)),
        ),
        # Over the new year: opens in November, closes in February.
        (
            "yearly",
            {"yearly_opens": "11-01", "yearly_deadline": "02-15"},
            D(2026, 1, 10),
            (D(2025, 11, 1), D(2026, 2, 15)),
        ),
        (
            "yearly",
            {"yearly_opens": "11-01", "yearly_deadline": "02-15"},
            D(2026, 3, 1),
            (D(2026, 11, 1), D(2027, 2, 15)),
        ),
        # 29 February in a year without it is the 28th.
        (
            "yearly",
            {"yearly_opens": "01-01", "yearly_deadline": "02-29"},
            D(2027, 1, 5),
            (D(2027, 1, 1), D(2027, 2, 28)),
        ),
    ],
)
def test_window(kind, fields, today, expected):
    window = schedule.window(kind, today=today, **fields)
    assert (window.opens, window.deadline) == expected


@pytest.mark.parametrize(
    "status, opens, deadline, today, expected",
    [
        ("published", D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 1), True),
        ("published", D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 31), True),
        ("published", D(2026, 3, 1), D(2026, 3, 31), D(2026, 2, 28), False),
        ("published", D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1), False),
        ("draft", D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 15), False),
        ("closed", None, None, D(2026, 3, 15), False),
        ("published", None, None, D(2026, 3, 15), True),
    ],
)
def test_is_open(status, opens, deadline, today, expected):
    assert schedule.is_open(status, schedule.Window(opens, deadline), today) is expected


@pytest.mark.parametrize(
    "value, valid", [("03-15", True), ("02-29", True), ("13-01", False), ("3-15", False), ("", False)]
)
def test_valid_month_day(value, valid):
    assert schedule.valid_month_day(value) is valid


ASSOCIATION = eligibility.Applicant(
    legal_form="61", municipalities=frozenset({"1880", "1881"}), activity_classes=frozenset({"1", "4"})
)
COMPANY = eligibility.Applicant(
    legal_form="49", municipalities=frozenset({"1880"}), civil_society=True, social_enterprise=True
)


@pytest.mark.parametrize(
    "applicant, rules, reasons",
    [
        (ASSOCIATION, eligibility.Rules(), 0),
        (ASSOCIATION, eligibility.Rules(legal_forms=frozenset({"61"})), 0),
        (ASSOCIATION, eligibility.Rules(legal_forms=frozenset({"51"})), 1),
        (ASSOCIATION, eligibility.Rules(municipalities=frozenset({"1881"})), 0),  # active there too
        (ASSOCIATION, eligibility.Rules(municipalities=frozenset({"1814"})), 1),
        (ASSOCIATION, eligibility.Rules(activity_classes=frozenset({"4", "5"})), 0),
        (ASSOCIATION, eligibility.Rules(activity_classes=frozenset({"9"})), 1),
        (ASSOCIATION, eligibility.Rules(sector="social_enterprise"), 1),
        (COMPANY, eligibility.Rules(sector="social_enterprise"), 0),
        (COMPANY, eligibility.Rules(sector="work_integrating"), 1),
        (
            eligibility.Applicant("82", frozenset({"1880"}), civil_society=False),
            eligibility.Rules(sector="civil_society"),
            1,
        ),
        (
            ASSOCIATION,
            eligibility.Rules(
                legal_forms=frozenset({"51"}), municipalities=frozenset({"1814"}), sector="work_integrating"
            ),
            3,
        ),
    ],
)
def test_eligibility(applicant, rules, reasons):
    found = eligibility.reasons_not_eligible(applicant, rules)
    assert len(found) == reasons
    assert eligibility.is_eligible(applicant, rules) is (reasons == 0)


def test_reasons_name_the_rule_in_swedish():
    rules = eligibility.Rules(municipalities=frozenset({"1814"}), labels={"1814": "Lekeberg"})
    assert eligibility.reasons_not_eligible(ASSOCIATION, rules) == [
        "Organisationen ska vara verksam i någon av kommunerna Lekeberg."
    ]
