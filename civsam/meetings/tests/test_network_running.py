"""Running a network (issue #12, ADR 0101): who may create it, bind it to a coordinating
organisation, name its coordinator, take every membership step, appoint and end representatives
and close it; what closing keeps. Every matrix goes through the services, the place the pages and
the API share."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.core.models import AuditEntry
from civsam.meetings import permissions, services
from civsam.meetings.models import Network, NetworkMembership

M = NetworkMembership.Status
ROLES = ["admin", "officer", "officer_kumla", "rep", "rep_other", "reviewer", "plain", "anonymous"]
DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def people(users):
    """The shared users, plus rep_other: the representative of other_org (Kumla). The anonymous
    visitor is a request's AnonymousUser (None would be the system, which checks no right)."""
    from django.contrib.auth.models import AnonymousUser

    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign

    rep_other = User.objects.create_user(username="rep_other", password="secret-pass-123")
    role_assign(user=rep_other, role=Role.ORGANISATION_REP, organisation=users["other_org"])
    return {**users, "rep_other": rep_other, "anonymous": AnonymousUser()}


@pytest.fixture
def forum(people):
    """A civil-society forum created by own_org's representative, coordinated by own_org (Örebro)."""
    return services.network_create(
        actor=people["rep"],
        name="Föreningsforum Örebro",
        kind=Network.Kind.DIALOGUE_FORUM,
        organisation=people["own_org"],
        coordinator=people["rep"],
    )


def _run(call):
    try:
        call()
    except PermissionDenied:
        return False
    return True


# Creating: the coordinating organisation binds the network to it (ADR 0093) -------------------

MAY_CREATE = {
    "own_org": {"admin", "officer", "rep"},
    "other_org": {"admin", "officer_kumla", "rep_other"},
    None: {"admin", "officer", "officer_kumla"},  # run by staff, without an organisation
}


@pytest.mark.parametrize("organisation", ["own_org", "other_org", None])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_create_a_network_coordinated_by_whom(people, role, organisation):
    body = people[organisation] if organisation else None
    allowed = _run(
        lambda: services.network_create(
            actor=people[role], name="Nytt forum", kind=Network.Kind.DIALOGUE_FORUM, organisation=body
        )
    )
    assert allowed is (role in MAY_CREATE[organisation])
    assert Network.objects.filter(name="Nytt forum").count() == int(allowed)
    assert permissions.can_create_network(people[role], organisation=body) is allowed


def test_an_associations_forum_is_run_by_its_representative_without_the_region(people, forum):
    assert forum.slug == "foreningsforum-orebro"
    assert forum.organisation == people["own_org"] and forum.coordinator == people["rep"]
    entry = AuditEntry.objects.get(
        object_id=str(forum.pk), action=AuditEntry.Action.CREATE, content_type__model="network"
    )
    assert entry.actor == people["rep"] and entry.changes["organisation"] == [None, "Egna föreningen"]
    managers = {role for role in ROLES if permissions.can_manage_network(people[role], forum)}
    # Those who act for the coordinating organisation, and region administrators.
    assert managers == {"admin", "officer", "rep"}


def test_a_second_network_of_the_same_name_gets_its_own_short_name(people, forum):
    again = services.network_create(
        actor=people["rep"], name="Föreningsforum Örebro", kind="thematic", organisation=people["own_org"]
    )
    assert again.slug == "foreningsforum-orebro-2"
    assert services.network_create(actor=None, name="Nytt", kind="thematic").slug == "nytt-2"  # "nytt" is a page


# Changing the coordinating organisation needs acting for the old one and the new one --------------

MAY_MOVE = {
    "other_org": {"admin"},  # officer acts for own_org only, officer_kumla cannot manage the forum
    None: {"admin", "officer"},  # staff who act for own_org
}


@pytest.mark.parametrize("target", ["other_org", None])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_the_coordinating_organisation(people, forum, role, target):
    body = people[target] if target else None
    changes = services.NetworkChanges(organisation=body, coordinator=None)
    allowed = _run(lambda: services.network_update(actor=people[role], network=forum, changes=changes))
    forum.refresh_from_db()
    assert allowed is (role in MAY_MOVE[target])
    assert (forum.organisation == body) is allowed


def test_anyone_who_manages_edits_the_rest_without_touching_the_binding(people, forum):
    services.network_update(
        actor=people["rep"], network=forum, changes=services.NetworkChanges(purpose="Vi samlar föreningarna.")
    )
    forum.refresh_from_db()
    assert forum.purpose == "Vi samlar föreningarna." and forum.organisation == people["own_org"]
    with pytest.raises(PermissionDenied):
        services.network_update(
            actor=people["rep_other"], network=forum, changes=services.NetworkChanges(purpose="Kapat")
        )


# The named coordinator must act for the coordinating organisation ----------------------------

COORDINATOR_OK = {"rep": True, "officer": True, "admin": True, "rep_other": False, "plain": False, "reviewer": False}


@pytest.mark.parametrize(("person", "ok"), sorted(COORDINATOR_OK.items()))
def test_the_coordinator_acts_for_the_coordinating_organisation(people, forum, person, ok):
    changes = services.NetworkChanges(coordinator=people[person])
    if ok:
        services.network_update(actor=people["rep"], network=forum, changes=changes)
        forum.refresh_from_db()
        assert forum.coordinator == people[person]
    else:
        with pytest.raises(ValidationError) as caught:
            services.network_update(actor=people["rep"], network=forum, changes=changes)
        assert "coordinator" in caught.value.message_dict
        forum.refresh_from_db()
        assert forum.coordinator == people["rep"]


def test_a_named_coordinator_manages_and_the_offer_lists_only_who_may_be_named(people, forum):
    candidates = set(permissions.coordinators_for(forum, forum.organisation).values_list("username", flat=True))
    assert candidates == {"rep", "officer", "admin"}


def test_a_network_cannot_be_placed_under_its_own_sub_network(people, forum):
    child = services.network_create(
        actor=people["rep"], name="Arbetsgrupp", kind="thematic", organisation=people["own_org"], parent=forum
    )
    with pytest.raises(ValidationError):
        services.network_update(actor=people["rep"], network=forum, changes=services.NetworkChanges(parent=child))


# Every membership step × role -------------------------------------------------------------------


def _invited(people, forum):
    return services.membership_invite(actor=people["rep"], network=forum, organisation=people["other_org"])


def _requested(people, forum):
    return services.membership_request(actor=people["rep_other"], network=forum, organisation=people["other_org"])


def _active(people, forum):
    membership = _invited(people, forum)
    return services.membership_answer(actor=people["rep_other"], membership=membership, accept=True, today=DAY)


STEPS = {
    # step: (the membership before, the call, who may)
    "invite": (
        None,
        lambda p, f, m, u: services.membership_invite(actor=u, network=f, organisation=p["other_org"]),
        {"admin", "officer", "rep"},
    ),
    "request": (
        None,
        lambda p, f, m, u: services.membership_request(actor=u, network=f, organisation=p["other_org"]),
        {"admin", "officer_kumla", "rep_other"},
    ),
    "answer": (
        _invited,
        lambda p, f, m, u: services.membership_answer(actor=u, membership=m, accept=True),
        {"admin", "officer_kumla", "rep_other"},
    ),
    "decide": (
        _requested,
        lambda p, f, m, u: services.membership_decide(actor=u, membership=m, approve=True),
        {"admin", "officer", "rep"},
    ),
    "end": (
        _active,
        lambda p, f, m, u: services.membership_end(actor=u, membership=m),
        {"admin", "officer", "rep", "officer_kumla", "rep_other"},
    ),
    "appoint_representative": (
        _active,
        lambda p, f, m, u: services.representative_add(
            actor=u, membership=m, name="Kim Kassör", position="member", starts_on=DAY
        ),
        {"admin", "officer", "rep", "officer_kumla", "rep_other"},
    ),
    "close": (
        None,
        lambda p, f, m, u: services.network_close(actor=u, network=f, on=DAY),
        {"admin", "officer", "rep"},
    ),
}


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_take_each_step(people, forum, step, role):
    before, call, allowed_roles = STEPS[step]
    membership = before(people, forum) if before else None
    entries = AuditEntry.objects.count()
    allowed = _run(lambda: call(people, forum, membership, people[role]))
    assert allowed is (role in allowed_roles)
    assert (AuditEntry.objects.count() > entries) is allowed  # every step taken is in the audit log


def test_an_invitation_needs_the_members_answer_unless_the_coordinator_acts_for_it(people, forum):
    invited = _invited(people, forum)
    assert invited.status == M.INVITED and invited.joined_on is None
    refused = services.membership_answer(actor=people["rep_other"], membership=invited, accept=False)
    assert refused.status == M.DECLINED
    # The region administrator acts for other_org too: the organisation is a member at once.
    direct = services.membership_invite(actor=people["admin"], network=forum, organisation=people["other_org"])
    assert direct.status == M.ACTIVE and direct.joined_on is not None


def test_a_public_body_joins_like_any_other_member(people, forum, make_org):
    region = make_org(name="Region Örebro län", municipality="1880", orgnr="2321000164")
    membership = services.membership_invite(actor=people["rep"], network=forum, organisation=region)
    # The officer of Örebro acts for bodies based there and answers for it.
    services.membership_answer(actor=people["officer"], membership=membership, accept=True)
    assert membership.status == M.ACTIVE


def test_one_open_membership_per_organisation(people, forum):
    _invited(people, forum)
    with pytest.raises(ValidationError):
        _requested(people, forum)
    with pytest.raises(ValidationError):
        _invited(people, forum)


def test_ended_memberships_keep_their_dates_and_a_new_one_can_start(people, forum):
    membership = _active(people, forum)
    services.representative_add(
        actor=people["rep_other"], membership=membership, name="Kim", position="chair", starts_on=DAY
    )
    services.membership_end(actor=people["rep_other"], membership=membership, today=datetime.date(2026, 6, 30))
    membership.refresh_from_db()
    assert (membership.status, membership.joined_on, membership.ended_on) == (M.ENDED, DAY, datetime.date(2026, 6, 30))
    assert membership.representatives.get().ends_on == datetime.date(2026, 6, 30)
    again = _invited(people, forum)
    assert again.pk != membership.pk
    assert NetworkMembership.objects.filter(network=forum, organisation=people["other_org"]).count() == 2


# Representatives with dates ---------------------------------------------------------------------


def test_representatives_are_appointed_and_ended_with_dates(people, forum):
    membership = _active(people, forum)
    rep = services.representative_add(
        actor=people["rep"], membership=membership, name="Kim Kassör", position="secretary", starts_on=DAY
    )
    with pytest.raises(ValidationError):
        services.representative_end(actor=people["rep"], representative=rep, on=DAY - datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.representative_end(actor=people["plain"], representative=rep, on=DAY)
    services.representative_end(actor=people["rep_other"], representative=rep, on=datetime.date(2026, 5, 1))
    rep.refresh_from_db()
    assert rep.ends_on == datetime.date(2026, 5, 1)
    with pytest.raises(ValidationError):
        services.representative_end(actor=people["rep_other"], representative=rep, on=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.representative_add(
            actor=people["rep"],
            membership=membership,
            name="X",
            position="member",
            starts_on=DAY,
            ends_on=DAY - datetime.timedelta(days=1),
        )


# Closing ----------------------------------------------------------------------------------------


def test_closing_ends_everything_with_the_date_and_keeps_it_readable(people, forum, make_org):
    member = _active(people, forum)
    services.representative_add(actor=people["rep"], membership=member, name="Kim", position="chair", starts_on=DAY)
    third = make_org(name="Tredje föreningen", municipality="1880")
    invited = services.membership_invite(actor=people["rep"], network=forum, organisation=third)
    services.network_close(actor=people["rep"], network=forum, on=datetime.date(2026, 12, 31))
    forum.refresh_from_db()
    assert (forum.status, forum.closed_on) == (Network.Status.CLOSED, datetime.date(2026, 12, 31))
    member.refresh_from_db()
    invited.refresh_from_db()
    assert (member.status, member.ended_on) == (M.ENDED, datetime.date(2026, 12, 31))
    assert member.representatives.get().ends_on == datetime.date(2026, 12, 31)
    assert invited.status == M.ENDED
    # Still seen by everyone who saw it before.
    assert permissions.networks_visible_to(people["anonymous"]).filter(pk=forum.pk).exists()
    # Nothing changes any more, for anyone.
    refused = [
        lambda: services.network_close(actor=people["admin"], network=forum),
        lambda: services.membership_invite(actor=people["admin"], network=forum, organisation=people["other_org"]),
        lambda: services.membership_request(actor=people["admin"], network=forum, organisation=people["other_org"]),
        lambda: services.network_update(
            actor=people["admin"], network=forum, changes=services.NetworkChanges(name="X")
        ),
        lambda: services.membership_invite(actor=None, network=forum, organisation=people["other_org"]),
    ]
    for call in refused:
        with pytest.raises((PermissionDenied, ValidationError)):
            call()


def test_the_network_workflow_has_one_step():
    assert Network.WORKFLOW.allows(Network.Status.ACTIVE, Network.Status.CLOSED)
    assert not Network.WORKFLOW.allows(Network.Status.CLOSED, Network.Status.ACTIVE)


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (M.INVITED, M.ACTIVE, True),
        (M.INVITED, M.DECLINED, True),
        (M.INVITED, M.ENDED, True),
        (M.DECLINED, M.INVITED, False),
        (M.ACTIVE, M.INVITED, False),
        (M.ENDED, M.INVITED, False),
    ],
)
def test_invitation_steps(source, target, allowed):
    assert NetworkMembership.WORKFLOW.allows(source, target) is allowed


def test_a_representative_of_a_pending_or_declined_request_does_nothing_for_the_network(people, forum):
    requested = _requested(people, forum)
    with pytest.raises(PermissionDenied):
        services.membership_decide(actor=people["rep_other"], membership=requested, approve=True)
    with pytest.raises(ValidationError):
        services.representative_add(
            actor=people["rep_other"], membership=requested, name="X", position="member", starts_on=DAY
        )
    assert not permissions.can_manage_network(people["rep_other"], forum)


def test_an_invited_organisation_sees_a_members_only_network_to_answer(people):
    closed_circle = services.network_create(
        actor=people["rep"],
        name="Slutna rådet",
        kind=Network.Kind.USER_COUNCIL,
        visibility=Network.Visibility.MEMBERS,
        organisation=people["own_org"],
    )
    assert not permissions.networks_visible_to(people["rep_other"]).filter(pk=closed_circle.pk).exists()
    membership = services.membership_invite(
        actor=people["rep"], network=closed_circle, organisation=people["other_org"]
    )
    assert permissions.networks_visible_to(people["rep_other"]).filter(pk=closed_circle.pk).exists()
    services.membership_answer(actor=people["rep_other"], membership=membership, accept=False)
    assert not permissions.networks_visible_to(people["rep_other"]).filter(pk=closed_circle.pk).exists()
