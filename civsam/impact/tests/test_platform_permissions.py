"""The permission matrix: who may view, edit, submit and review an analysis in each status, per owner.

The reviewer (the `reviewer` role) acts for no owner: they see and review analyses in review,
whoever owns them, and nothing else that is not published."""

from __future__ import annotations

import pytest

from civsam.impact import permissions
from civsam.impact.models import SocialValueAnalysis

ROLES = ["author", "officer2", "officer_kumla", "rep", "rep2", "admin", "reviewer", "plain", "anonymous"]

# owner "orebro" (the municipality), written by officer; owner "own_org", written by rep.
# Each row: owner, status, {role: "view, edit, submit, review" as a string of 0/1}.
MATRIX = [
    (
        "orebro",
        "draft",
        {
            "author": "1110",
            "officer2": "1110",
            "officer_kumla": "0000",
            "rep": "0000",
            "rep2": "0000",
            "admin": "1110",
            "reviewer": "0000",
            "plain": "0000",
            "anonymous": "0000",
        },
    ),
    (
        "orebro",
        "in_review",
        {
            "author": "1000",
            "officer2": "1001",
            "officer_kumla": "0000",
            "rep": "0000",
            "rep2": "0000",
            "admin": "1001",
            "reviewer": "1001",
            "plain": "0000",
            "anonymous": "0000",
        },
    ),
    (
        "orebro",
        "published",
        dict.fromkeys(ROLES, "1000"),
    ),
    (
        "own_org",
        "draft",
        {
            "author": "1110",
            "officer2": "1110",  # an officer of the organisation's home municipality
            "officer_kumla": "0000",
            "rep": "1110",
            "rep2": "1110",
            "admin": "1110",
            "reviewer": "0000",
            "plain": "0000",
            "anonymous": "0000",
        },
    ),
    (
        "own_org",
        "in_review",
        {
            "author": "1000",
            "officer2": "1001",
            "officer_kumla": "0000",
            "rep": "1000",  # rep is the author here
            "rep2": "1001",
            "admin": "1001",
            "reviewer": "1001",
            "plain": "0000",
            "anonymous": "0000",
        },
    ),
]


def _author(people, owner):
    return people["officer"] if owner == "orebro" else people["rep"]


@pytest.mark.parametrize(("owner", "status", "expected"), MATRIX, ids=[f"{o}-{s}" for o, s, _e in MATRIX])
def test_matrix(people, make_analysis, owner, status, expected):
    author = _author(people, owner)
    fields = (
        {"owner_municipality": people["orebro"]} if owner == "orebro" else {"owner_organisation": people["own_org"]}
    )
    analysis = make_analysis(actor=author, status=status, **fields)
    problems = []
    for role, flags in expected.items():
        user = author if role == "author" else people[role]
        actual = "".join(
            str(int(check(user, analysis)))
            for check in (
                permissions.can_view_analysis,
                permissions.can_edit_analysis,
                permissions.can_submit_analysis,
                permissions.can_review_analysis,
            )
        )
        if actual != flags:
            problems.append((role, flags, actual))
        listed = permissions.analyses_visible_to(user).filter(pk=analysis.pk).exists()
        if listed != (flags[0] == "1"):
            problems.append((role, "listed", listed))
        workable = permissions.analyses_workable_by(user).filter(pk=analysis.pk).exists()
        if workable != (flags[0] == "1" and status != "published"):
            problems.append((role, "workable", workable))
        reviewable = permissions.analyses_reviewable_by(user).filter(pk=analysis.pk).exists()
        if reviewable != (flags[3] == "1"):
            problems.append((role, "reviewable", reviewable))
        people_shown = permissions.can_view_analysis_people(user, analysis)
        if status != "published" and people_shown != (flags[0] == "1"):
            problems.append((role, "people", people_shown))
    assert problems == []


def test_people_names_are_for_those_who_work_on_it(people, make_analysis):
    analysis = make_analysis(status="published")
    assert permissions.can_view_analysis_people(people["officer2"], analysis)
    assert not permissions.can_view_analysis_people(people["plain"], analysis)
    assert not permissions.can_view_analysis_people(None, analysis)
    # A reviewer works on an analysis while it is in review; once published it is the owner's.
    assert not permissions.can_view_analysis_people(people["reviewer"], analysis)


@pytest.mark.parametrize(
    ("role", "create", "proxies"),
    [
        ("admin", True, True),
        ("officer", True, True),
        ("rep", True, False),
        ("reviewer", False, False),
        ("plain", False, False),
        ("anonymous", False, False),
    ],
)
def test_who_may_create(people, role, create, proxies):
    user = people[role]
    assert permissions.can_create_analysis(user) is create
    assert permissions.can_create_proxy(user) is proxies


def test_a_draft_without_map_cannot_be_submitted(people):
    analysis = SocialValueAnalysis(owner_municipality=people["orebro"], status="draft", author=people["officer"])
    assert permissions.can_edit_analysis(people["officer"], analysis)
    assert not permissions.can_submit_analysis(people["officer"], analysis)


def test_a_reviewer_who_also_acts_for_the_owner_never_reviews_their_own_work(people, make_analysis):
    from civsam.accounts.models import Role
    from civsam.accounts.services import role_assign

    role_assign(user=people["rep"], role=Role.REVIEWER)
    own = make_analysis(actor=people["rep"], owner_organisation=people["own_org"], status="in_review")
    other = make_analysis(actor=people["officer"], status="in_review")
    assert not permissions.can_review_analysis(people["rep"], own)
    assert permissions.can_review_analysis(people["rep"], other)
    assert list(permissions.analyses_reviewable_by(people["rep"])) == [other]


def test_reviewers_may_not_edit_or_create_for_owners_they_do_not_act_for(people, make_analysis):
    reviewer = people["reviewer"]
    returned = make_analysis(status="draft")
    assert not permissions.can_edit_analysis(reviewer, returned)
    assert not permissions.can_view_analysis(reviewer, returned)
    assert not permissions.can_make_analyses_for(reviewer, municipality=people["orebro"])
    assert not permissions.can_make_analyses_for(reviewer, organisation=people["own_org"])
    assert not permissions.can_make_analyses_for(reviewer, region=True)
    owners = permissions.analysis_owners_for(reviewer)
    assert (owners.region, list(owners.municipalities), list(owners.organisations)) == (False, [], [])


@pytest.mark.parametrize(
    ("role", "region", "municipalities", "organisations"),
    [
        ("admin", True, 12, 0),
        ("officer", False, 1, 0),
        ("rep", False, 0, 1),
        ("plain", False, 0, 0),
        ("anonymous", False, 0, 0),
    ],
)
def test_the_owners_offered_on_the_form(people, role, region, municipalities, organisations):
    owners = permissions.analysis_owners_for(people[role])
    assert owners.region is region
    assert owners.municipalities.count() == municipalities
    assert owners.organisations.count() == organisations
