"""Representation requests (ADR 0090): asking to represent an organisation, deciding, acting.

The policy is one table, role × action, each cell checked through the permission function, the
service and the page. Organisation A ("Egna föreningen", Örebro) has a representative; the officer
works for Örebro, the other officer for Kumla. "requester_pending" has a request for A waiting,
"requester_rejected" had one rejected: neither may act for A.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.core.models import AuditEntry
from civsam.registry import permissions, services
from civsam.registry.models import RepresentationRequest

from .support import is_login_redirect

Status = RepresentationRequest.Status
ROLES = ("anonymous", "requester_pending", "requester_rejected", "rep_A", "officer_A", "officer_other", "admin")

POLICY = """
action        anonymous requester_pending requester_rejected rep_A officer_A officer_other admin
ask               .             .                 Y             .      .          Y         .
view_request      .             .                 .             Y      Y          .         Y
decide            .             .                 .             Y      Y          .         Y
act               .             .                 .             Y      Y          .         Y
"""


def _policy() -> list[tuple[str, str, bool]]:
    lines = [line.split() for line in POLICY.strip().splitlines()]
    header = lines[0][1:]
    assert tuple(header) == ROLES
    return [(row[0], role, cell == "Y") for row in lines[1:] for role, cell in zip(header, row[1:], strict=True)]


@pytest.fixture
def world(users):
    org = users["own_org"]

    def person(name: str) -> User:
        return User.objects.create_user(username=name, password="secret-pass-123", email=f"{name}@example.se")

    pending = person("pending")
    services.representation_request_create(actor=pending, organisation=org, mandate="board_member")
    rejected = person("rejected")
    old = services.representation_request_create(actor=rejected, organisation=org, mandate="employee")
    services.representation_request_decide(actor=users["admin"], request=old, status=Status.REJECTED, reason="Okänd")
    applicant = person("applicant")
    request = services.representation_request_create(
        actor=applicant, organisation=org, mandate="signatory", message="Vald på årsmötet"
    )
    by_role = {
        "anonymous": None,
        "requester_pending": pending,
        "requester_rejected": rejected,
        "rep_A": users["rep"],
        "officer_A": users["officer"],
        "officer_other": users["officer_kumla"],
        "admin": users["admin"],
    }
    return {"org": org, "users": by_role, "request": request, "applicant": applicant}


def _fresh(user):
    return None if user is None else User.objects.get(pk=user.pk)


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "allowed"), _policy())
def test_policy(world, action, role, allowed):
    user = _fresh(world["users"][role])
    org, request = world["org"], world["request"]
    client = _client(user)
    if action == "ask":
        assert permissions.can_request_representation(user, org) == (allowed or role == "requester_pending")
        before = RepresentationRequest.objects.count()
        try:
            with transaction.atomic():
                services.representation_request_create(actor=user, organisation=org, mandate="board_member")
                transaction.set_rollback(True)
            service_ok = True
        except (PermissionDenied, ValidationError):
            service_ok = False
        assert service_ok == allowed
        response = client.post(
            reverse("registry:representation-request-create", args=[org.orgnr]), {"mandate": "employee"}
        )
        assert (RepresentationRequest.objects.count() == before + 1) == allowed
        if allowed:
            assert response.status_code == 302
        elif user is None:
            assert is_login_redirect(response)
        elif role != "requester_pending":
            assert response.status_code == 403
    elif action == "view_request":
        assert permissions.can_view_representation_request(user, request) == allowed
        response = client.get(request.get_absolute_url())
        assert response.status_code == (200 if allowed else 403) or (user is None and is_login_redirect(response))
    elif action == "decide":
        assert permissions.can_decide_representation_request(user, request) == allowed
        try:
            with transaction.atomic():
                services.representation_request_decide(actor=user, request=request, status=Status.APPROVED)
                transaction.set_rollback(True)
            service_ok = True
        except PermissionDenied:
            service_ok = False
        assert service_ok == allowed
        response = client.post(request.get_absolute_url(), {"decision": Status.REJECTED, "reason": "Ingen koppling"})
        request.refresh_from_db()
        assert (request.status == Status.REJECTED) == allowed
        if not allowed:
            assert response.status_code == 403 or (user is None and is_login_redirect(response))
    elif action == "act":
        assert permissions.can_change_organisation(user, org) == allowed
        response = client.get(reverse("registry:organisation-edit", args=[org.orgnr]))
        assert response.status_code == (200 if allowed else 403) or (user is None and is_login_redirect(response))
    else:  # pragma: no cover - a row without a check is a mistake in the table
        raise AssertionError(action)


@pytest.mark.django_db
def test_approval_gives_the_role_and_tells_the_requester(world, django_capture_on_commit_callbacks, mailoutbox):
    request, applicant, org = world["request"], world["applicant"], world["org"]
    officer = world["users"]["officer_A"]
    assert not permissions.can_change_organisation(_fresh(applicant), org)
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_request_decide(actor=officer, request=request, status=Status.APPROVED)
    assert RoleAssignment.objects.filter(user=applicant, role=Role.ORGANISATION_REP, organisation=org).exists()
    assert permissions.can_change_organisation(_fresh(applicant), org)
    assert [m.to for m in mailoutbox] == [[applicant.email]]
    assert org.name in mailoutbox[0].subject
    entries = AuditEntry.objects.filter(object_id=str(request.pk), content_type__model="representationrequest")
    assert sorted(e.changes["status"][1] for e in entries) == [Status.APPROVED, Status.PENDING]
    assert AuditEntry.objects.filter(content_type__model="roleassignment", actor=officer).count() == 1
    # A decided request is not decided again.
    with pytest.raises(ValidationError):
        services.representation_request_decide(actor=officer, request=request, status=Status.REJECTED, reason="x")


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_gives_no_role(world, client, django_capture_on_commit_callbacks, mailoutbox):
    request, applicant = world["request"], world["applicant"]
    rep = world["users"]["rep_A"]
    with pytest.raises(ValidationError):
        services.representation_request_decide(actor=rep, request=request, status=Status.REJECTED, reason="  ")
    client.force_login(rep)
    response = client.post(request.get_absolute_url(), {"decision": Status.REJECTED, "reason": ""})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request.get_absolute_url(), {"decision": Status.REJECTED, "reason": "Inte styrelsen"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reason, request.decided_by) == (Status.REJECTED, "Inte styrelsen", rep)
    assert not RoleAssignment.objects.filter(user=applicant).exists()
    assert "Inte styrelsen" in mailoutbox[0].body


@pytest.mark.django_db
def test_the_requester_withdraws_and_nobody_else(world):
    request, applicant = world["request"], world["applicant"]
    for other in ("rep_A", "officer_A", "admin"):
        with pytest.raises(PermissionDenied):
            services.representation_request_decide(
                actor=_fresh(world["users"][other]), request=request, status=Status.WITHDRAWN
            )
    # Nor may the requester decide on their own request.
    assert not permissions.can_decide_representation_request(applicant, request)
    with pytest.raises(PermissionDenied):
        services.representation_request_decide(actor=applicant, request=request, status=Status.APPROVED)
    client = _client(applicant)
    response = client.post(request.get_absolute_url(), {"withdraw": "1"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    assert request in RepresentationRequest.objects.filter(user=applicant)
    # Withdrawn: a new request may be made.
    services.representation_request_create(actor=applicant, organisation=world["org"], mandate="employee")


@pytest.mark.django_db
def test_one_open_request_per_person_and_organisation(world):
    applicant, org = world["applicant"], world["org"]
    with pytest.raises(ValidationError):
        services.representation_request_create(actor=applicant, organisation=org, mandate="employee")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepresentationRequest.objects.create(user=applicant, organisation=org, mandate="employee")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepresentationRequest.objects.create(user=applicant, organisation=org, mandate="employee", status="rejected")


@pytest.mark.django_db
def test_an_unknown_mandate_is_refused(users):
    plain = users["plain"]
    with pytest.raises(ValidationError):
        services.representation_request_create(actor=plain, organisation=users["own_org"], mandate="king")


@pytest.mark.django_db
def test_organisation_page_offers_the_link_to_those_without_a_role(world):
    url = world["org"].get_absolute_url()
    link = reverse("registry:representation-request-create", args=[world["org"].orgnr])
    for role, shown in (("anonymous", False), ("requester_rejected", True), ("rep_A", False), ("officer_A", False)):
        page = _client(world["users"][role]).get(url).content.decode()
        assert (link in page) == shown, role


@pytest.mark.django_db
def test_min_sida_shows_own_requests_and_those_to_decide(world):
    mine = _client(world["applicant"]).get(reverse("site:dashboard")).content.decode()
    assert "Mina begäranden om att företräda" in mine
    assert world["request"].get_absolute_url() in mine
    rep_page = _client(world["users"]["rep_A"]).get(reverse("site:dashboard")).content.decode()
    assert "Begäranden som väntar på ditt beslut" in rep_page
    assert world["request"].get_absolute_url() in rep_page
    kumla = _client(world["users"]["officer_other"]).get(reverse("site:dashboard")).content.decode()
    assert "Begäranden som väntar på ditt beslut" not in kumla


@pytest.mark.django_db
def test_staff_queue_per_municipality(world):
    url = reverse("registry:representation-requests")
    request = world["request"]
    officer_page = _client(world["users"]["officer_A"]).get(url)
    assert officer_page.status_code == 200
    assert request.get_absolute_url() in officer_page.content.decode()
    admin = _client(world["users"]["admin"])
    assert request.get_absolute_url() in admin.get(url, {"kommun": "1880"}).content.decode()
    assert request.get_absolute_url() not in admin.get(url, {"kommun": "1881"}).content.decode()
    kumla_page = _client(world["users"]["officer_other"]).get(url)
    assert kumla_page.status_code == 200
    assert request.get_absolute_url() not in kumla_page.content.decode()
    assert _client(world["users"]["requester_pending"]).get(url).status_code == 403


@pytest.mark.django_db
def test_requests_join_the_data_export_and_go_with_the_account(world):
    from civsam.accounts.services import account_delete
    from civsam.registry.personal_data import export

    applicant, rejected = world["applicant"], world["users"]["requester_rejected"]
    (exported,) = export(applicant)["representationRequests"]
    assert (exported["mandate"], exported["message"], exported["status"]) == (
        "signatory",
        "Vald på årsmötet",
        "pending",
    )
    account_delete(actor=applicant, user=applicant)
    assert not RepresentationRequest.objects.filter(user=applicant).exists()
    RepresentationRequest.objects.filter(user=rejected).update(message="Jag är kassör")
    account_delete(actor=rejected, user=rejected)
    kept = RepresentationRequest.objects.get(user=rejected)
    assert (kept.status, kept.message, kept.reason) == (Status.REJECTED, "", "Okänd")
