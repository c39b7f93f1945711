"""The committee's conference, finished (ADR 0124): a budget per year, the status report (HTML and
PDF), public bodies as a participant's employer, and planning-group members who edit the programme."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from civsam.meetings import budget, permissions, selectors, services
from civsam.meetings.models import BudgetYear, Registration, Session

D = Decimal


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: the structure tree is in a compressed object stream."""
    import re
    import zlib

    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            out += match.group(1)
    return out + pdf


# (allocations, lines (id, year, planned), commitments (line, amount, outcome)) → per year:
# (year, allocated, planned, spent, remaining)
BY_YEAR_CASES = [
    # Planning money one year, the conference the next (Kulturnämnden 2024-06-11, Dnr 24RS4154).
    (
        [(2024, D(100000)), (2025, D(250000))],
        [(1, 2024, D(80000)), (2, 2025, D(200000))],
        [(1, D(30000), D(28000)), (2, D(90000), None)],
        [(2024, D(100000), D(80000), D(28000), D(72000)), (2025, D(250000), D(200000), D(90000), D(160000))],
    ),
    # A year with lines but no allocation is over budget from the first krona.
    (
        [(2024, D(100))],
        [(1, 2025, D(10))],
        [(1, D(5), None)],
        [(2024, D(100), D(0), D(0), D(100)), (2025, D(0), D(10), D(5), D(-5))],
    ),
    # Nothing at all.
    ([], [], [], []),
]  # fmt: skip


@pytest.mark.parametrize(("allocations", "lines", "commitments", "expected"), BY_YEAR_CASES)
def test_budget_by_year(allocations, lines, commitments, expected):
    years = budget.by_year(allocations=allocations, lines=lines, commitments=commitments)
    assert [(y.year, y.state.allocated, y.state.planned, y.state.spent, y.state.remaining) for y in years] == expected


amounts = st.decimals(min_value=0, max_value=10**6, places=2)


@settings(max_examples=100, deadline=None)
@given(
    allocations=st.lists(st.tuples(st.integers(2020, 2030), amounts), max_size=5),
    planned=st.lists(st.tuples(st.integers(2020, 2030), amounts), max_size=5),
    spent=st.lists(st.tuples(amounts, st.none() | amounts), max_size=8),
)
def test_the_years_add_up_to_the_whole(allocations, planned, spent):
    lines = [(n, year, amount) for n, (year, amount) in enumerate(planned)]
    commitments = [(n % len(lines), a, o) for n, (a, o) in enumerate(spent)] if lines else []
    years = budget.by_year(allocations=allocations, lines=lines, commitments=commitments)
    whole = budget.state(
        allocated=sum((a for _y, a in allocations), D(0)),
        planned=[p for _n, _y, p in lines],
        commitments=[(a, o) for _l, a, o in commitments],
    )
    assert budget.total(years) == whole
    assert len({y.year for y in years}) == len(years)


@pytest.fixture
def conference(make_conference, users):
    start = (timezone.localtime() + timedelta(days=40)).replace(hour=9, minute=0, second=0, microsecond=0)
    return make_conference(
        budget="0",
        capacity=200,
        municipality=users["own_org"].municipality,
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        quotas={"elected": 50, "officer": 100},
    )


def _year(conference) -> int:
    return timezone.localtime(conference.event.starts_at).year


def test_each_year_has_its_allocation_and_commitments_must_fit_their_year(conference, users):
    year = _year(conference)
    services.budget_year_set(
        actor=users["admin"], conference=conference, year=year - 1, allocated=D(100000), decision_reference="24RS4154"
    )
    services.budget_year_set(actor=users["admin"], conference=conference, year=year, allocated=D(50000))
    conference.refresh_from_db()
    assert conference.budget_amount == D(150000)
    planning = services.budget_line_add(
        actor=None, conference=conference, title="Planering", planned=D(90000), year=year - 1
    )
    venue = services.budget_line_add(actor=None, conference=conference, title="Lokal", planned=D(50000))
    assert venue.year == year
    services.commitment_add(actor=None, line=planning, description="Arbetsgrupp", amount=D(90000))
    with pytest.raises(ValidationError) as refused:
        services.commitment_add(actor=None, line=venue, description="Konserthuset", amount=D(60000))
    assert str(year) in refused.value.messages[0] and "50000" in refused.value.messages[0]
    # The other year's unused money does not help, and an allocation may not drop below what is spent.
    with pytest.raises(ValidationError) as lowered:
        services.budget_year_set(actor=None, conference=conference, year=year - 1, allocated=D(80000))
    assert "allocated" in lowered.value.error_dict
    assert BudgetYear.objects.get(conference=conference, year=year - 1).allocated == D(100000)


def test_only_those_who_manage_the_event_set_a_budget_year(conference, users):
    with pytest.raises(PermissionDenied):
        services.budget_year_set(actor=users["rep"], conference=conference, year=2025, allocated=D(1))
    assert not BudgetYear.objects.filter(conference=conference).exists()


@pytest.mark.django_db
def test_the_first_allocation_belongs_to_the_year_of_its_decision(make_event):
    import datetime

    event = make_event(title="Konferens")
    conference = services.conference_create(
        actor=None,
        event=event,
        budget_amount=D(100000),
        budget_decision_reference="24RS4154",
        budget_decided_on=datetime.date(2024, 6, 11),
    )
    assert list(conference.budget_years.values_list("year", "allocated", "decision_reference")) == [
        (2024, D(100000), "24RS4154")
    ]


def _register(conference, n, group, *, checked_in=False):
    from civsam.meetings.services import registration_create

    for i in range(n):
        registration = registration_create(
            event_id=conference.event_id,
            name=f"{group} {i}",
            email=f"{group}{i}@example.se",
            target_group=group,
            user=None,
        )
        Registration.objects.filter(pk=registration.pk).update(
            status=Registration.Status.CONFIRMED,
            confirm_token=None,
            confirm_by=None,
            checked_in_at=timezone.now() if checked_in else None,
        )


def test_registrations_per_target_group_against_the_quota(conference):
    _register(conference, 3, "elected", checked_in=True)
    _register(conference, 2, "civil_society")
    rows = {row.key: row for row in selectors.registrations_by_target_group(conference)}
    assert (rows["elected"].quota, rows["elected"].registered, rows["elected"].checked_in) == (50, 3, 3)
    assert (rows["officer"].quota, rows["officer"].registered) == (100, 0)
    assert (rows["civil_society"].quota, rows["civil_society"].registered) == (None, 2)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("officer", True), ("officer_kumla", False), ("rep", False), ("plain", False)],
)
def test_who_reads_the_status_report(client, conference, users, role, allowed):
    client.force_login(users[role])
    response = client.get(f"/evenemang/{conference.event_id}/lagesrapport/")
    assert response.status_code == (200 if allowed else 403)


def test_the_status_report_shows_budget_registrations_and_surveys(client, conference, users):
    year = _year(conference)
    services.budget_year_set(actor=None, conference=conference, year=year - 1, allocated=D(100000))
    line = services.budget_line_add(
        actor=None, conference=conference, title="Planering", planned=D(40000), year=year - 1
    )
    commitment = services.commitment_add(actor=None, line=line, description="Möten", amount=D(40000))
    services.commitment_record_outcome(actor=None, commitment=commitment, outcome=D(38500))
    _register(conference, 6, "officer", checked_in=True)
    client.force_login(users["admin"])
    page = client.get(f"/evenemang/{conference.event_id}/lagesrapport/").content.decode()
    assert "Budget och utfall per år" in page and f'<th scope="row">{year - 1}</th>' in page
    assert "38\xa0500" in page and "38,5\xa0%" in page  # Swedish numbers: outcome and share of the allocation
    assert "Tjänsteperson" in page and "Ingen kunskapsenkät har besvarats ännu." in page


@pytest.mark.slow
def test_the_status_report_as_a_tagged_pdf(client, conference, users):
    client.force_login(users["admin"])
    response = client.get(f"/evenemang/{conference.event_id}/lagesrapport.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert b"StructTreeRoot" in text and b"/Lang (sv)" in text


def test_planning_group_members_with_an_account_edit_the_programme(client, conference, users):
    from civsam.accounts.models import User

    member = User.objects.create_user(username="planner", email="planerare@example.se", password="secret-pass-123")
    url = f"/evenemang/{conference.event_id}/hantera/konferens/"
    client.force_login(users["officer"])
    response = client.post(
        url,
        {
            "action": "planning",
            "planning-name": "Pia Planerare",
            "planning-sector": "civil_society",
            "planning-role": "member",
            "planning-email": "PLANERARE@example.se",
        },
    )
    assert response.status_code == 302
    assert conference.planning_group.get().user == member
    assert permissions.can_edit_programme(member, conference)
    assert permissions.conferences_programme_editable_by(member).filter(pk=conference.pk).exists()
    assert not permissions.can_manage_event(member, conference.event)

    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Ny programpunkt" in page and "Kvoter per målgrupp" not in page
    start = timezone.localtime(conference.event.starts_at)
    session = {
        "action": "session",
        "session-title": "Samverkan i praktiken",
        "session-kind": "workshop",
        "session-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "session-ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(url, session).status_code == 302
    assert Session.objects.filter(conference=conference, title="Samverkan i praktiken").exists()
    # The rest of the conference stays the organisers'.
    client.post(url, {"action": "quota", "quota-target_group": "other", "quota-quota": "5"})
    assert not conference.quotas.filter(target_group="other").exists()
    assert client.get(f"/evenemang/{conference.event_id}/hantera/budget/").status_code == 403
    assert client.get(f"/evenemang/{conference.event_id}/lagesrapport/").status_code == 200


@pytest.mark.parametrize("role", ["rep", "plain", "officer_kumla"])
def test_others_may_not_edit_the_programme(client, conference, users, role):
    user = users[role]
    assert not permissions.can_edit_programme(user, conference)
    assert not permissions.conferences_programme_editable_by(user).filter(pk=conference.pk).exists()
    with pytest.raises(PermissionDenied):
        services.session_add(
            actor=user,
            conference=conference,
            title="Smygpass",
            starts_at=conference.event.starts_at,
            ends_at=conference.event.starts_at + timedelta(hours=1),
        )
    client.force_login(user)
    assert client.get(f"/evenemang/{conference.event_id}/hantera/konferens/").status_code in (403, 404)


def test_a_member_added_by_an_unknown_address_is_refused(client, conference, users):
    client.force_login(users["officer"])
    response = client.post(
        f"/evenemang/{conference.event_id}/hantera/konferens/",
        {"action": "planning", "planning-name": "X", "planning-sector": "public", "planning-role": "member",
         "planning-email": "ingen@example.se"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Det finns inget aktivt konto med den e-postadressen." in response.content.decode()
    assert not conference.planning_group.exists()


def test_a_public_body_can_be_chosen_as_employer(client, conference, users):
    from civsam.registry.models import Organisation
    from civsam.registry.services import public_bodies_load_reference

    public_bodies_load_reference()
    region = Organisation.objects.get(name="Region Örebro län")
    page = client.get(f"/evenemang/{conference.event_id}/").content.decode()
    assert "Arbetsgivare i offentlig sektor" in page and "Region Örebro län" in page
    assert users["own_org"].name not in page.split('name="employer"', 1)[1].split("</select>", 1)[0]
    response = client.post(
        f"/evenemang/{conference.event_id}/",
        {"name": "Anna Andersson", "email": "anna@example.se", "target_group": "officer", "employer": region.pk},
    )
    assert response.status_code == 201
    assert Registration.objects.get(email="anna@example.se").organisation == region
    # Through the API the same rule: a civil-society organisation is not an employer to choose here.
    refused = client.post(
        f"/api/v1/events/{conference.event_id}/registrations",
        {"name": "Bo", "email": "bo@example.se", "targetGroup": "officer", "employer": users["own_org"].pk},
        content_type="application/json",
    )
    assert refused.status_code == 400
    accepted = client.post(
        f"/api/v1/events/{conference.event_id}/registrations",
        {"name": "Bo", "email": "bo@example.se", "targetGroup": "officer", "employer": region.pk},
        content_type="application/json",
    )
    assert accepted.status_code == 201, accepted.content
    assert Registration.objects.get(email="bo@example.se").organisation == region
