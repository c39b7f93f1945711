"""The conference: programme, quotas, registration types, budget with over-commitment protection."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.meetings import selectors, services
from civsam.meetings.models import BudgetCommitment, Registration
from civsam.meetings.tests import support

pytestmark = pytest.mark.django_db(transaction=True)


def register(conference, n, **kwargs):
    return support.register(conference.event_id, n, **kwargs)


def test_quota_sends_a_full_group_to_the_waitlist_and_promotes_within_quota(make_conference):
    conference = make_conference(capacity=10, quotas={"elected": 2})
    first, second = (register(conference, n, target_group="elected") for n in range(2))
    third = register(conference, 3, target_group="elected")
    officer = register(conference, 4, target_group="officer")
    assert [r.status for r in (first, second, third, officer)] == ["confirmed", "confirmed", "waitlisted", "confirmed"]
    # A cancelled officer seat cannot go to the waiting elected official: that quota is still full.
    services.registration_cancel(cancel_token=officer.cancel_token)
    third.refresh_from_db()
    assert third.status == "waitlisted"
    services.registration_cancel(cancel_token=first.cancel_token)
    third.refresh_from_db()
    assert third.status == "offered"


def test_conference_requires_target_group_and_registration_type(make_conference):
    conference = make_conference(capacity=10, quotas={"officer": 5})
    session = services.session_add(
        actor=None,
        conference=conference,
        title="Inledning",
        starts_at=conference.event.starts_at,
        ends_at=conference.event.starts_at + timedelta(hours=1),
        room="Stora salen",
    )
    day_one = services.registration_type_add(actor=None, conference=conference, name="Dag 1", sessions=[session])
    with pytest.raises(ValidationError, match="anmälningstyp"):
        register(conference, 1, target_group="officer")
    with pytest.raises(ValidationError, match="målgrupp"):
        register(conference, 1, registration_type_id=day_one.pk)
    registration = register(conference, 1, target_group="officer", registration_type_id=day_one.pk)
    assert registration.registration_type == day_one
    assert list(registration.registration_type.sessions.all()) == [session]
    assert Registration.objects.count() == 1


def test_session_must_lie_within_the_conference(make_conference):
    conference = make_conference()
    with pytest.raises(ValidationError, match="inom konferensens tid"):
        services.session_add(
            actor=None,
            conference=conference,
            title="För tidigt",
            starts_at=conference.event.starts_at - timedelta(days=1),
            ends_at=conference.event.starts_at,
        )


def test_quotas_may_not_exceed_capacity(make_conference):
    conference = make_conference(capacity=300, quotas={"elected": 100, "officer": 120})
    with pytest.raises(ValidationError, match="fler än konferensens 300"):
        services.quota_set(actor=None, conference=conference, target_group="civil_society", quota=81)
    services.quota_set(actor=None, conference=conference, target_group="civil_society", quota=80)
    services.quota_set(actor=None, conference=conference, target_group="elected", quota=90)  # changing one is fine
    assert sorted(conference.quotas.values_list("target_group", "quota")) == [
        ("civil_society", 80),
        ("elected", 90),
        ("officer", 120),
    ]


def test_budget_refuses_over_commitment_and_tracks_outcomes(make_conference, users):
    conference = make_conference(budget="100000", municipality=users["own_org"].municipality)
    venue = services.budget_line_add(actor=None, conference=conference, title="Lokal", planned=Decimal("60000"))
    services.commitment_add(actor=None, line=venue, description="Lokalbokning", amount=Decimal("60000"))
    speakers = services.budget_line_add(actor=None, conference=conference, title="Talare", planned=Decimal("40000"))
    fee = services.commitment_add(actor=None, line=speakers, description="Arvode", amount=Decimal("39000"))
    with pytest.raises(ValidationError, match=r"bara 1000[,.]00 kr återstår"):
        services.commitment_add(actor=None, line=speakers, description="Resa", amount=Decimal("1000.01"))
    # An outcome below the commitment frees money; above it must fit in what remains.
    services.commitment_record_outcome(actor=None, commitment=fee, outcome=Decimal("35000"))
    state = selectors.budget_state(conference)
    assert (state.spent, state.remaining) == (Decimal("95000"), Decimal("5000"))
    assert state.near_limit
    with pytest.raises(ValidationError):
        services.commitment_record_outcome(actor=None, commitment=fee, outcome=Decimal("40000.01"))
    with pytest.raises(PermissionDenied):
        services.commitment_add(actor=users["officer_kumla"], line=venue, description="X", amount=Decimal("1"))
    services.commitment_add(actor=users["officer"], line=venue, description="Fika", amount=Decimal("5000"))
    assert selectors.budget_state(conference).remaining == Decimal("0")
    assert BudgetCommitment.objects.count() == 3
