"""The indicator status rule, table-driven (see indicator_status.RULE_TEXT)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from civsam.plan.indicator_status import (
    AT_RISK,
    NO_TARGET,
    NO_VALUE,
    OFF_TRACK,
    ON_TRACK,
    RULE_TEXT,
    covered_share,
    indicator_status,
)

HIGHER, LOWER = True, False

CASES = [
    # higher is better, baseline 100, target 200
    (HIGHER, D(100), D(200), D(200), ON_TRACK),  # met
    (HIGHER, D(100), D(200), D(250), ON_TRACK),  # beyond
    (HIGHER, D(100), D(200), D(190), ON_TRACK),  # exactly 90 %
    (HIGHER, D(100), D(200), D(189), AT_RISK),
    (HIGHER, D(100), D(200), D(150), AT_RISK),  # exactly 50 %
    (HIGHER, D(100), D(200), D(149), OFF_TRACK),
    (HIGHER, D(100), D(200), D(90), OFF_TRACK),  # moved away
    # lower is better, baseline 50, target 30
    (LOWER, D(50), D(30), D(30), ON_TRACK),
    (LOWER, D(50), D(30), D(32), ON_TRACK),  # 90 %
    (LOWER, D(50), D(30), D(40), AT_RISK),  # 50 %
    (LOWER, D(50), D(30), D(45), OFF_TRACK),
    (LOWER, D(50), D(30), D(55), OFF_TRACK),
    # no baseline: measured from zero
    (HIGHER, None, D(10), D(9), ON_TRACK),
    (HIGHER, None, D(10), D(6), AT_RISK),
    (HIGHER, None, D(10), D(4), OFF_TRACK),
    # baseline already meets the target: only meeting it again is on track
    (HIGHER, D(200), D(150), D(160), ON_TRACK),
    (HIGHER, D(200), D(150), D(140), OFF_TRACK),
    (LOWER, D(10), D(20), D(25), OFF_TRACK),
    # missing pieces
    (HIGHER, D(1), None, D(5), NO_TARGET),
    (HIGHER, D(1), D(5), None, NO_VALUE),
]


@pytest.mark.parametrize(("higher", "baseline", "target", "actual", "expected"), CASES)
def test_status_rule(higher, baseline, target, actual, expected):
    assert indicator_status(higher_is_better=higher, baseline=baseline, target=target, actual=actual) == expected


def test_covered_share_is_a_fraction_of_the_distance():
    assert covered_share(higher_is_better=True, baseline=D(0), target=D(8), actual=D(2)) == D("0.25")
    assert covered_share(higher_is_better=False, baseline=D(8), target=D(0), actual=D(2)) == D("0.75")


def test_the_rule_in_words_names_the_thresholds():
    text = str(RULE_TEXT)
    assert "90 procent" in text and "50 procent" in text
