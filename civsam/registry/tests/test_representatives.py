"""Co-representatives, removal and hand-over (ADR 0099).

The policy is one table, role × step, each cell checked through the permission and the service
(and, for the steps with a page, through the page). Organisation A ("Egna föreningen", Örebro)
has two representatives, "rep" and "co_rep"; "removed" was one and was removed; "invitee" has an
invitation to A waiting (not yet accepted); "requester" has a request for A waiting. Neither of
the last three may do anything for A.
"""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.accounts.permissions import acts_for_organisation
from civsam.accounts.services import role_assign
from civsam.core.models import AuditEntry
from civsam.registry import permissions, services
from civsam.registry.models import RepresentationInvitation, RepresentationRequest

from .support import is_login_redirect

Invitation = RepresentationInvitation
ROLES = ("anonymous", "requester", "invitee", "removed", "rep_A", "officer_A", "officer_other", "admin")

POLICY = """
step          anonymous requester invitee removed rep_A officer_A officer_other admin
manage            .         .        .       .      Y       Y          .         Y
invite            .         .        .       .      Y       Y          .         Y
hand_over         .         .        .       .      Y       .          .         .
remove_co_rep     .         .        .       .      Y       Y          .         Y
revoke            .         .        .       .      Y       Y          .         Y
act               .         .        .       .      Y       Y          .         Y
"""


def _policy() -> list[tuple[str, str, bool]]:
    lines = [line.split() for line in POLICY.strip().splitlines()]
    assert tuple(lines[0][1:]) == ROLES
    return [(row[0], role, cell == "Y") for row in lines[1:] for role, cell in zip(lines[0][1:], row[1:], strict=True)]


def person(name: str, *, verified: bool = True) -> User:
    user = User.objects.create_user(username=name, password="secret-pass-123", email=f"{name}@example.se")
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


@pytest.fixture
def world(users):
    org = users["own_org"]
    rep = users["rep"]
    co_rep = person("co_rep")
    role_assign(user=co_rep, role=Role.ORGANISATION_REP, organisation=org, mandate="signatory")
    removed = person("removed")
    removed_role = role_assign(user=removed, role=Role.ORGANISATION_REP, organisation=org)
    services.representative_remove(actor=users["officer"], assignment=removed_role)
    invitee = person("invitee")
    waiting = services.representative_invite(actor=rep, organisation=org, email=invitee.email, mandate="board_member")
    requester = person("requester")
    services.representation_request_create(actor=requester, organisation=org, mandate="employee")
    by_role = {
        "anonymous": None,
        "requester": requester,
        "invitee": invitee,
        "removed": removed,
        "rep_A": rep,
        "officer_A": users["officer"],
        "officer_other": users["officer_kumla"],
        "admin": users["admin"],
    }
    return {"org": org, "users": by_role, "co_rep": co_rep, "invitation": waiting, "invitee": invitee}


def _fresh(user):
    return None if user is None else User.objects.get(pk=user.pk)


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _service_allows(call) -> bool:
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError):
        return False
    return True


@pytest.mark.django_db
@pytest.mark.parametrize(("step", "role", "allowed"), _policy())
def test_policy(world, step, role, allowed):
    user = _fresh(world["users"][role])
    org = world["org"]
    client = _client(user)
    page = reverse("registry:representatives", args=[org.orgnr])
    if step == "manage":
        assert permissions.can_manage_representatives(user, org) == allowed
        response = client.get(page)
        assert response.status_code == 200 if allowed else (response.status_code == 403 or is_login_redirect(response))
    elif step == "invite":
        assert permissions.can_manage_representatives(user, org) == allowed
        assert (
            _service_allows(
                lambda: services.representative_invite(
                    actor=user, organisation=org, email="ny@example.se", mandate="employee"
                )
            )
            == allowed
        )
        before = Invitation.objects.count()
        client.post(page, {"kind": "invite", "invite-email": "ny2@example.se", "invite-mandate": "employee"})
        assert (Invitation.objects.count() == before + 1) == allowed
    elif step == "hand_over":
        assert permissions.can_hand_over(user, org) == allowed
        assert (
            _service_allows(
                lambda: services.representative_invite(
                    actor=user, organisation=org, email="over@example.se", mandate="board_member", handover=True
                )
            )
            == allowed
        )
    elif step == "remove_co_rep":
        assignment = RoleAssignment.objects.get(user=world["co_rep"], organisation=org)
        assert _service_allows(lambda: services.representative_remove(actor=user, assignment=assignment)) == allowed
        client.post(reverse("registry:representative-remove", args=[org.orgnr, assignment.pk]))
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists() != allowed
    elif step == "revoke":
        invitation = world["invitation"]
        assert permissions.can_revoke_invitation(user, invitation) == allowed
        assert (
            _service_allows(
                lambda: services.representation_invitation_answer(
                    actor=user, invitation=invitation, status=Invitation.Status.REVOKED
                )
            )
            == allowed
        )
    elif step == "act":
        assert acts_for_organisation(user, org) == allowed
        response = client.get(reverse("registry:organisation-edit", args=[org.orgnr]))
        assert response.status_code == 200 if allowed else (response.status_code == 403 or is_login_redirect(response))


@pytest.mark.django_db
def test_the_invitee_accepts_and_gets_the_role_with_the_mandate(world, django_capture_on_commit_callbacks):
    invitee, org = world["invitee"], world["org"]
    invitation = world["invitation"]
    client = _client(invitee)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 200
    assert "Tacka ja" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invitation.get_absolute_url(), {"step": "accept"})
    assert response.status_code == 302
    role = RoleAssignment.objects.get(user=invitee, organisation=org, role=Role.ORGANISATION_REP)
    assert role.mandate == "board_member"
    assert timezone.now() - role.since < datetime.timedelta(minutes=1)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.answered_by == invitee
    assert AuditEntry.objects.filter(object_id=str(invitation.pk), note="accept").exists()
    assert AuditEntry.objects.filter(object_id=str(role.pk), action=AuditEntry.Action.CREATE).exists()
    # Min sida shows the organisation with its mandate and since when.
    page = client.get(reverse("site:dashboard")).content.decode()
    assert "Styrelseledamot" in page and "sedan" in page


@pytest.mark.django_db
def test_only_the_holder_of_the_verified_address_may_answer(world):
    invitation = world["invitation"]
    unverified = person("unverified", verified=False)
    EmailAddress.objects.create(user=unverified, email="invitee@example.se", verified=False)
    for user in (unverified, world["co_rep"], world["users"]["requester"]):
        assert not permissions.can_answer_invitation(user, invitation)
        with pytest.raises(PermissionDenied):
            services.representation_invitation_answer(
                actor=user, invitation=invitation, status=Invitation.Status.ACCEPTED
            )
    # The link itself tells another account what to do, and gives nothing away.
    invitation_link = services.representative_invite(
        actor=world["users"]["rep_A"], organisation=world["org"], email="third@example.se", mandate="employee"
    )
    response = _client(unverified).get(reverse("registry:representation-invitation-open", args=[invitation_link.token]))
    assert response.status_code == 403
    assert "bekräftad adress" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=unverified).exists()


@pytest.mark.django_db
def test_the_link_leads_the_invitee_to_the_invitation_after_login(world, users):
    invitation = services.representative_invite(
        actor=users["rep"], organisation=world["org"], email="Later@Example.se", mandate="employee"
    )
    link = reverse("registry:representation-invitation-open", args=[invitation.token])
    assert is_login_redirect(Client().get(link))
    later = person("later")
    response = _client(later).get(link)
    assert response.status_code == 302 and response["Location"] == invitation.get_absolute_url()
    assert _client(later).get("/organisationer/inbjudan/fel-nyckel/").status_code == 404
    # Only the hash of the secret is stored.
    stored = Invitation.objects.get(pk=invitation.pk)
    assert invitation.token not in stored.token_hash and len(stored.token_hash) == 64


@pytest.mark.django_db
def test_an_expired_invitation_cannot_be_accepted_and_gives_way_to_a_new_one(world):
    invitation = world["invitation"]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="gått ut"):
        services.representation_invitation_answer(
            actor=world["invitee"], invitation=invitation, status=Invitation.Status.ACCEPTED
        )
    assert not RoleAssignment.objects.filter(user=world["invitee"]).exists()
    again = services.representative_invite(
        actor=world["users"]["rep_A"], organisation=world["org"], email="invitee@example.se", mandate="employee"
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED and again.status == Invitation.Status.PENDING


@pytest.mark.django_db
def test_a_second_open_invitation_to_the_same_address_is_refused(world):
    with pytest.raises(ValidationError, match="redan en inbjudan"):
        services.representative_invite(
            actor=world["co_rep"], organisation=world["org"], email="INVITEE@example.se", mandate="employee"
        )


@pytest.mark.parametrize(
    ("email", "mandate", "message"),
    [
        ("inte-en-adress", "employee", "giltig e-postadress"),
        ("ok@example.se", "kung", "Välj ett uppdrag"),
        ("co_rep@example.se", "employee", "företräder redan"),
        ("rep-self@example.se", "employee", "dig själv"),
    ],
)
@pytest.mark.django_db
def test_bad_invitations_are_refused_with_a_clear_message_and_nothing_written(world, email, mandate, message):
    rep = world["users"]["rep_A"]
    EmailAddress.objects.create(user=rep, email="rep-self@example.se", verified=True)
    before = Invitation.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.representative_invite(actor=rep, organisation=world["org"], email=email, mandate=mandate)
    assert Invitation.objects.count() == before


@pytest.mark.django_db
def test_an_invitation_from_someone_removed_since_is_void(world, users):
    co_rep, org = world["co_rep"], world["org"]
    later = person("later")
    invitation = services.representative_invite(actor=co_rep, organisation=org, email=later.email, mandate="employee")
    services.representative_remove(actor=users["rep"], assignment=RoleAssignment.objects.get(user=co_rep))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    with pytest.raises(ValidationError):
        services.representation_invitation_answer(actor=later, invitation=invitation, status=Invitation.Status.ACCEPTED)
    assert not acts_for_organisation(_fresh(later), org)


@pytest.mark.django_db
def test_hand_over_moves_the_role_when_accepted(users):
    org, rep = users["own_org"], users["rep"]
    successor = person("successor")
    invitation = services.representative_invite(
        actor=rep, organisation=org, email=successor.email, mandate="signatory", handover=True
    )
    # Until the successor accepts, the one handing over still represents the organisation.
    assert acts_for_organisation(_fresh(rep), org) and not acts_for_organisation(_fresh(successor), org)
    services.representation_invitation_answer(actor=successor, invitation=invitation, status=Invitation.Status.ACCEPTED)
    assert acts_for_organisation(_fresh(successor), org)
    assert not acts_for_organisation(_fresh(rep), org)
    assert list(RoleAssignment.objects.filter(organisation=org).values_list("user__username", "mandate")) == [
        ("successor", "signatory")
    ]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, note__contains="handed over").exists()


@pytest.mark.django_db
def test_only_a_representative_hands_over(users):
    with pytest.raises(PermissionDenied):
        services.representative_invite(
            actor=users["officer"],
            organisation=users["own_org"],
            email="x@example.se",
            mandate="employee",
            handover=True,
        )


@pytest.mark.django_db
def test_the_last_representative_goes_only_by_hand_over_or_staff(users):
    org, rep = users["own_org"], users["rep"]
    only = RoleAssignment.objects.get(user=rep, organisation=org)
    with pytest.raises(ValidationError, match="Lämna över"):
        services.representative_remove(actor=rep, assignment=only)
    response = _client(rep).post(reverse("registry:representative-remove", args=[org.orgnr, only.pk]), follow=True)
    assert "Lämna över" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=only.pk).exists()
    # The officer of the municipality may leave the organisation without representatives.
    services.representative_remove(actor=users["officer"], assignment=only)
    assert not RoleAssignment.objects.filter(organisation=org).exists()
    assert AuditEntry.objects.filter(object_id=str(only.pk), action=AuditEntry.Action.DELETE).exists()


@pytest.mark.django_db
def test_a_representative_may_leave_when_another_remains(world, users):
    rep, org = users["rep"], world["org"]
    own = RoleAssignment.objects.get(user=rep, organisation=org)
    response = _client(rep).post(reverse("registry:representative-remove", args=[org.orgnr, own.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("site:dashboard")
    assert not acts_for_organisation(_fresh(rep), org)
    # The invitation rep sent is revoked with the role.
    world["invitation"].refresh_from_db()
    assert world["invitation"].status == Invitation.Status.REVOKED


@pytest.mark.django_db
def test_declining_gives_nothing(world):
    services.representation_invitation_answer(
        actor=world["invitee"], invitation=world["invitation"], status=Invitation.Status.DECLINED
    )
    assert not acts_for_organisation(_fresh(world["invitee"]), world["org"])
    with pytest.raises(ValidationError):
        services.representation_invitation_answer(
            actor=world["invitee"], invitation=world["invitation"], status=Invitation.Status.ACCEPTED
        )


# E-mail --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_invitation_mail_is_in_swedish_then_english_with_the_link(users, django_capture_on_commit_callbacks):
    users["rep"].first_name, users["rep"].last_name = "Eva", "Lind"
    users["rep"].save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.representative_invite(
            actor=users["rep"], organisation=users["own_org"], email="ny@example.se", mandate="signatory"
        )
    [message] = mail.outbox
    assert message.to == ["ny@example.se"]
    assert message.subject == "Inbjudan att företräda Egna föreningen i Civsam"
    assert "Eva Lind bjuder in dig att företräda Egna föreningen i Civsam (Firmatecknare)." in message.body
    assert "Eva Lind invites you to represent Egna föreningen in Civsam (Authorised signatory)." in message.body
    assert f"/organisationer/inbjudan/{invitation.token}/" in message.body


def _set_emails(users):
    for name in ("admin", "officer", "officer_kumla", "rep"):
        users[name].email = f"{name}@example.se"
        users[name].save()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("has_rep", ["rep@example.se"]),
        ("no_rep", ["officer@example.se"]),
        ("no_rep_no_officer", ["admin@example.se"]),
    ],
)
@pytest.mark.django_db
def test_the_deciders_are_told_of_a_new_request(users, case, expected, django_capture_on_commit_callbacks):
    _set_emails(users)
    org = users["own_org"]
    if case != "has_rep":
        RoleAssignment.objects.filter(organisation=org).delete()
    if case == "no_rep_no_officer":
        RoleAssignment.objects.filter(role=Role.MUNICIPAL_OFFICER, municipality=org.municipality).delete()
    asker = person("asker")
    asker.first_name, asker.last_name = "Sara", "Berg"
    asker.save()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.representation_request_create(
            actor=asker, organisation=org, mandate="board_member", message="Hemligt <meddelande>"
        )
    assert [m.to for m in mail.outbox] == [[address] for address in expected]
    [message] = mail.outbox
    assert message.subject == "Ny begäran om att företräda Egna föreningen"
    assert "Sara Berg vill företräda Egna föreningen i Civsam." in message.body
    assert "Uppdrag: Styrelseledamot" in message.body
    assert request.get_absolute_url() in message.body
    assert "Hemligt" not in message.body


@pytest.mark.parametrize(
    ("language", "status", "subject", "body"),
    [
        ("sv", "approved", "Du företräder nu Egna föreningen", "är godkänd"),
        ("sv", "rejected", "Din begäran om att företräda Egna föreningen är avslagen", "Motivering: Okänd i styrelsen"),
        ("en", "approved", "You now represent Egna föreningen", "has been approved"),
        ("en", "rejected", "Your request to represent Egna föreningen has been rejected", "Reason: Okänd i styrelsen"),
    ],
)
@pytest.mark.django_db
def test_the_requester_is_told_the_decision_in_their_language(
    users, language, status, subject, body, django_capture_on_commit_callbacks
):
    from django.utils import translation

    asker = person("asker")
    with translation.override(language):
        request = services.representation_request_create(actor=asker, organisation=users["own_org"], mandate="employee")
    assert request.language == language
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_request_decide(
            actor=users["officer"], request=request, status=status, reason="Okänd i styrelsen"
        )
    [message] = mail.outbox
    assert message.to == ["asker@example.se"]
    assert message.subject == subject
    assert body in message.body


# Min sida and the queue -----------------------------------------------------------------------


@pytest.mark.django_db
def test_min_sida_shows_open_invitations_with_the_next_step(world):
    page = _client(world["invitee"]).get(reverse("site:dashboard")).content.decode()
    assert "Inbjudningar till dig" in page
    assert world["invitation"].get_absolute_url() in page


@pytest.mark.django_db
def test_the_queue_filters_by_status_and_mandate(users):
    org = users["own_org"]
    asked = {}
    for name, mandate in (("a1", "employee"), ("a2", "board_member"), ("a3", "employee")):
        asked[name] = services.representation_request_create(actor=person(name), organisation=org, mandate=mandate)
    services.representation_request_decide(
        actor=users["officer"], request=asked["a3"], status=RepresentationRequest.Status.REJECTED, reason="Nej"
    )
    client = _client(users["officer"])
    url = reverse("registry:representation-requests")

    def shown(query: str) -> set[str]:
        content = client.get(url + query).content.decode()
        return {name for name, r in asked.items() if r.get_absolute_url() in content}

    assert shown("") == {"a1", "a2"}
    assert shown("?uppdrag=employee") == {"a1"}
    assert shown("?status=rejected") == {"a3"}
    assert shown("?status=approved") == set()
    assert shown("?status=nonsense&uppdrag=kung") == {"a1", "a2"}
    # Kumla's officer sees none of Örebro's requests.
    other = _client(users["officer_kumla"]).get(url).content.decode()
    assert not any(r.get_absolute_url() in other for r in asked.values())


# Personal data -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invitations_join_the_export_and_lose_the_address_when_the_account_goes(world):
    from civsam.accounts.services import account_delete
    from civsam.registry.personal_data import export

    invitee = world["invitee"]
    other = type(world["org"]).objects.exclude(pk=world["org"].pk).first()
    answered = services.representative_invite(
        actor=world["users"]["admin"], organisation=other, email=invitee.email, mandate="employee"
    )
    services.representation_invitation_answer(actor=invitee, invitation=answered, status=Invitation.Status.DECLINED)
    exported = export(invitee)["representationInvitations"]
    assert sorted(i["status"] for i in exported) == ["declined", "pending"]
    assert all(i["email"] == "invitee@example.se" for i in exported)
    account_delete(actor=invitee, user=invitee)
    assert not Invitation.objects.filter(pk=world["invitation"].pk).exists()
    answered.refresh_from_db()
    assert answered.email == "" and answered.status == Invitation.Status.DECLINED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "subject", "sentence"),
    [
        (
            Invitation.Status.ACCEPTED,
            "Inbjudan att företräda Egna föreningen är antagen",
            "invitee@example.se har tackat ja och företräder nu Egna föreningen i Civsam.",
        ),
        (
            Invitation.Status.DECLINED,
            "Inbjudan att företräda Egna föreningen är avböjd",
            "invitee@example.se har tackat nej till att företräda Egna föreningen i Civsam.",
        ),
    ],
)
def test_the_inviter_is_told_the_answer(world, users, status, subject, sentence, django_capture_on_commit_callbacks):
    users["rep"].email = "rep@example.se"
    users["rep"].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_invitation_answer(actor=world["invitee"], invitation=world["invitation"], status=status)
    [message] = mail.outbox
    assert message.to == ["rep@example.se"]
    assert message.subject == subject
    assert sentence in message.body
    assert f"/organisationer/{world['org'].orgnr}/" in message.body


@pytest.mark.django_db
def test_the_inviter_hears_nothing_of_a_revocation_and_a_hand_over_tells_them_their_role_ended(
    users, django_capture_on_commit_callbacks
):
    rep, org = users["rep"], users["own_org"]
    rep.email = "rep@example.se"
    rep.save()
    invitee = person("taker")
    revoked = services.representative_invite(actor=rep, organisation=org, email="other@example.se", mandate="employee")
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_invitation_answer(actor=rep, invitation=revoked, status=Invitation.Status.REVOKED)
    assert mail.outbox == []
    handover = services.representative_invite(
        actor=rep, organisation=org, email=invitee.email, mandate="signatory", handover=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_invitation_answer(actor=invitee, invitation=handover, status=Invitation.Status.ACCEPTED)
    [message] = mail.outbox
    assert message.to == ["rep@example.se"] and message.subject == "Egna föreningen är överlämnad"
    assert "Din roll som företrädare för organisationen har upphört." in message.body
