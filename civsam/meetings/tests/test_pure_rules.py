"""Table-driven tests of the pure modules: budget arithmetic, survey statistics, answers (seating: test_seating)."""

from decimal import Decimal

import pytest

from civsam.meetings import budget, questions, survey_stats

D = Decimal


@pytest.mark.parametrize(
    ("allocated", "spent", "change", "remaining_after"),
    [(D("100000"), D("0"), D("100000"), D("0")), (D("100000"), D("60000"), D("39999.99"), D("0.01"))],
)
def test_budget_check_allows_up_to_the_allocation(allocated, spent, change, remaining_after):
    assert budget.check(allocated=allocated, spent=spent, change=change) == remaining_after


@pytest.mark.parametrize(
    ("allocated", "spent", "change"), [(D("100000"), D("60000"), D("40000.01")), (D("0"), D("0"), D("1"))]
)
def test_budget_check_refuses_over_commitment(allocated, spent, change):
    with pytest.raises(budget.OverCommitment) as info:
        budget.check(allocated=allocated, spent=spent, change=change)
    assert info.value.remaining == allocated - spent


def test_budget_state_counts_outcomes_where_known():
    state = budget.state(
        allocated=D("100000"),
        planned=[D("55000"), D("50000")],
        commitments=[(D("40000"), None), (D("12000"), D("11500")), (D("40000"), D("41000"))],
    )
    assert state.committed == D("92000")
    assert state.outcome == D("52500")
    assert state.spent == D("92500")
    assert state.remaining == D("7500")
    assert state.near_limit and state.planned_exceeds


@pytest.mark.parametrize(
    ("answers", "expected"),
    [({"1": 2, "2": 4}, 3.0), ({"1": 5}, 5.0), ({"1": 9, "2": True}, None), ({}, None), ({"1": "3"}, None)],
)
def test_response_score(answers, expected):
    assert survey_stats.response_score(answers, ["1", "2"]) == expected


def test_knowledge_change_per_group_with_suppression():
    rows = [("officer", "before", 2.0)] * 5 + [("officer", "after", 4.0)] * 6
    rows += [("elected", "before", 1.0)] * 4 + [("elected", "after", 3.0)] * 5
    result = {r.group: r for r in survey_stats.knowledge_change(rows)}
    assert (result["officer"].mean_before, result["officer"].mean_after, result["officer"].change) == (2.0, 4.0, 2.0)
    # Four answers before: suppressed, so no change is shown for the group.
    assert result["elected"].mean_before is None and result["elected"].change is None
    assert result["all"].n_before == 9 and result["all"].n_after == 11
    assert list(result)[-1] == "all"


Q = questions.QuestionSpec


@pytest.mark.parametrize(
    ("spec", "raw", "cleaned", "error"),
    [
        (Q(1, "Kost", "text"), {"1": " vegan "}, {"1": "vegan"}, None),
        (Q(1, "Kost", "text", required=True), {}, {}, "Svara på frågan"),
        (Q(1, "Pass", "choice", choices=("A", "B")), {"1": "B"}, {"1": "B"}, None),
        (Q(1, "Pass", "choice", choices=("A", "B")), {"1": "C"}, {}, "Välj ett av alternativen"),
        (Q(1, "Foto", "yes_no"), {"1": "Nej"}, {"1": "nej"}, None),
        (Q(1, "Foto", "yes_no"), {"1": "kanske"}, {}, "Svara ja eller nej"),
        (Q(1, "Kost", "text"), {"1": "x", "7": "y"}, {"1": "x"}, "Okänd fråga: 7"),
        (Q(1, "Kost", "text"), {"1": "x" * 1001}, {}, "för långt"),
    ],
)
def test_clean_answers(spec, raw, cleaned, error):
    result, errors = questions.clean_answers([spec], raw)
    assert result == cleaned
    if error:
        assert any(error in e for e in errors), errors
    else:
        assert errors == []


def test_knowledge_chart_is_greyscale_svg_with_text_alternative():
    import xml.etree.ElementTree as ET

    from civsam.meetings import charts

    rows = [
        survey_stats.GroupChange("officer", 6, 6, 2.0, 4.0),
        survey_stats.GroupChange("elected", 3, 5, None, 3.5),
        survey_stats.GroupChange("other", 2, 1, None, None),  # suppressed: not drawn
    ]
    chart = charts.knowledge_chart(rows, {"officer": "Tjänsteperson", "elected": "Förtroendevald"})
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - markup made by the code under test
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Tjänsteperson" in texts and "Förtroendevald" in texts and "other" not in texts
    assert root.find(f"{ns}desc").text == chart.description
    assert "Tjänsteperson: före 2,00, efter 4,00" in chart.description
    bars = [r for r in root.iter(f"{ns}rect") if r.get("height") == str(charts.BAR_H - 2)]
    assert len(bars) == 3  # before+after for officers, after only for elected officials
    assert {b.get("fill") for b in bars} == {"url(#knowledge-hatch)", charts.INK}  # pattern vs solid, no colour
    assert charts.knowledge_chart([rows[2]], {}) is None
