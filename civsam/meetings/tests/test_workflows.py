"""The status workflows of registrations and network memberships: the tables, the one service
that takes each step, and that no other code sets the status."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from civsam.meetings import services
from civsam.meetings.models import Network, NetworkMembership, Registration
from civsam.meetings.tests import support

R = Registration.Status
M = NetworkMembership.Status


def test_every_registration_status_is_reachable_and_cancellable():
    workflow = Registration.WORKFLOW
    assert workflow.states() == set(R.values)
    # seating.initial_status, and for an address not yet confirmed, held or unconfirmed
    initial = {R.CONFIRMED, R.WAITLISTED, R.AWAITING_APPROVAL, R.HELD, R.UNCONFIRMED}
    reachable = set(initial)
    for _round in R.values:
        reachable |= {t for s in reachable for t in workflow.targets(s)}
    assert reachable == set(R.values)
    assert all(workflow.allows(s, R.CANCELLED) for s in R.values if s != R.CANCELLED)
    assert workflow.targets(R.CANCELLED) == frozenset()  # cancelled is final


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (R.WAITLISTED, R.OFFERED, True),
        (R.OFFERED, R.CONFIRMED, True),
        (R.OFFERED, R.EXPIRED, True),
        (R.AWAITING_APPROVAL, R.WAITLISTED, True),
        (R.AWAITING_APPROVAL, R.DECLINED, True),
        (R.WAITLISTED, R.CONFIRMED, False),  # a seat from the queue is offered first, never given
        (R.EXPIRED, R.CONFIRMED, False),
        (R.DECLINED, R.CONFIRMED, False),
        (R.CONFIRMED, R.OFFERED, False),
        (R.CANCELLED, R.CONFIRMED, False),
        (R.HELD, R.CONFIRMED, True),
        (R.HELD, R.EXPIRED, True),
        (R.UNCONFIRMED, R.WAITLISTED, True),
        (R.UNCONFIRMED, R.AWAITING_APPROVAL, True),
        (R.HELD, R.WAITLISTED, False),  # a held seat is the registrant's once confirmed
        (R.EXPIRED, R.HELD, False),
        (R.CONFIRMED, R.UNCONFIRMED, False),
        (R.CONFIRMED, R.WAITLISTED, True),  # the organiser moves a seat to the end of the queue
        (R.OFFERED, R.WAITLISTED, False),
    ],
)
def test_registration_steps(source, target, allowed):
    assert Registration.WORKFLOW.allows(source, target) is allowed


def test_the_service_refuses_a_step_the_workflow_lacks(db, make_event):
    event = make_event(capacity=1)
    registration = support.register(event.pk, 1)
    with pytest.raises(ValidationError, match="kan inte ändras"):
        services.registration_status_change(actor=None, registration=registration, to=R.EXPIRED)
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (M.REQUESTED, M.ACTIVE, True),
        (M.REQUESTED, M.DECLINED, True),
        (M.REQUESTED, M.ENDED, True),
        (M.ACTIVE, M.ENDED, True),
        (M.DECLINED, M.ACTIVE, False),
        (M.ENDED, M.ACTIVE, False),
        (M.ENDED, M.ENDED, False),
        (M.ACTIVE, M.REQUESTED, False),
    ],
)
def test_membership_steps(source, target, allowed):
    assert NetworkMembership.WORKFLOW.allows(source, target) is allowed


def test_ending_a_membership_twice_or_a_declined_one_is_refused(users):
    network = services.network_create(actor=None, name="Rådet", slug="radet", kind=Network.Kind.USER_COUNCIL)
    membership = services.membership_request(actor=None, network=network, organisation=users["own_org"])
    services.membership_decide(actor=None, membership=membership, approve=True)
    services.membership_end(actor=users["rep"], membership=membership)
    assert (membership.status, membership.ended_on is not None) == (M.ENDED, True)
    with pytest.raises(ValidationError):
        services.membership_end(actor=users["rep"], membership=membership)
    declined = services.membership_request(actor=None, network=network, organisation=users["other_org"])
    services.membership_decide(actor=None, membership=declined, approve=False)
    with pytest.raises(ValidationError):
        services.membership_end(actor=None, membership=declined)


# The one service per model: no other meetings code assigns a status to these rows, except where a
# new registration's first status is decided (registration_create's _create, and _write, its writes
# through the ORM), before any step; registration_move passes the first status of the registration
# it makes as a keyword.
STATUS_SERVICES = {
    "services/registrations/status.py": {"registration_status_change"},
    "services/registrations/create.py": {"_create", "_write"},
    "services/networks/memberships.py": {"membership_status_change"},
    "services/networks/network.py": {"network_close"},
}


def _status_assignments(source: str) -> list[tuple[str, int]]:
    """(enclosing function, line) of every `x.status = ...` in the source."""
    found = []
    tree = ast.parse(source)
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    found.append((function.name, node.lineno))
    return found


def test_only_the_status_services_set_a_status():
    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(("tests/", "migrations/")):
            continue
        for function, line in _status_assignments(path.read_text(encoding="utf-8")):
            if function not in STATUS_SERVICES.get(relative, ()):
                offenders.append(f"{relative}:{line} in {function}")
    assert not offenders, offenders


def test_the_scan_sees_an_assignment():
    assert _status_assignments("def f(r):\n    r.status = 'x'\n") == [("f", 2)]
