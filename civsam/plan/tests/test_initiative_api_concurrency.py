"""API: optimistic concurrency for one initiative — ETag on GET, PUT and PATCH; If-Match on PUT and PATCH
(412 when the initiative changed since the client read it); If-None-Match on GET (304)."""

from __future__ import annotations

import datetime
import json
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from civsam.core.models import AuditEntry, Principle
from civsam.core.selectors import history_for
from civsam.plan import services
from civsam.plan.models import Initiative
from civsam.plan.services import FundingIn, MilestoneIn
from civsam.registry.services import organisation_update

PROBLEM = "application/problem+json"
TITLE_412 = "Villkoret är inte uppfyllt"


@pytest.fixture
def own(make_initiative, users):
    """An initiative led by the representative's organisation, with one milestone."""
    return make_initiative(
        areas=("1.1",),
        title="Läxhjälp",
        lead_organisation=users["own_org"],
        lead_name="",
        milestones=[MilestoneIn("Start", datetime.date(2023, 2, 1))],
    )


def _client(user) -> tuple[Client, dict]:
    """A client that checks CSRF like a browser, logged in, with the token header to send."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def _url(pk: int) -> str:
    return f"/api/v1/initiatives/{pk}"


def _send(client, method: str, pk: int, body: dict, headers: dict):
    call = getattr(client, method.lower())
    return call(_url(pk), json.dumps(body), content_type="application/json", **headers)


def _etag(client, pk: int) -> str:
    response = client.get(_url(pk))
    assert response.status_code == 200
    return response["ETag"]


def _put_body(area, users, title: str) -> dict:
    return {
        "title": title,
        "leadOrganisationId": users["own_org"].pk,
        "priorityAreaIds": [area("1.1").pk],
        "startDate": "2023-01-01",
        "status": "ongoing",
    }


def test_get_sends_a_strong_etag_that_is_stable_while_nothing_changes(client, own):
    first = client.get(_url(own.pk))
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10  # strong: no W/ prefix
    assert client.get(_url(own.pk))["ETag"] == etag
    assert client.head(_url(own.pk))["ETag"] == etag


# If-Match on PUT and PATCH ----------------------------------------------------------------------

# (case, If-Match as a function of the current ETag or None for no header, expected status)
IF_MATCH_CASES = [
    ("matching", lambda etag: etag, 200),
    ("absent", None, 200),
    ("any", lambda etag: "*", 200),
    ("one of a list", lambda etag: f'"somewhere-else", {etag}', 200),
    ("weak form of the current tag", lambda etag: f"W/{etag}", 412),
    ("stale", lambda etag: '"0123456789abcdef0123456789abcdef"', 412),
    ("unquoted", lambda etag: etag.strip('"'), 412),
    ("empty", lambda etag: "", 412),
]


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
@pytest.mark.parametrize(("case", "if_match", "expected"), IF_MATCH_CASES, ids=[c[0] for c in IF_MATCH_CASES])
def test_if_match(users, own, area, method, case, if_match, expected):
    client, headers = _client(users["rep"])
    etag = _etag(client, own.pk)
    if if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match(etag)
    body = {"title": "Ny titel"} if method == "PATCH" else _put_body(area, users, "Ny titel")
    response = _send(client, method, own.pk, body, headers)
    assert response.status_code == expected, response.content
    own.refresh_from_db()
    updates = history_for(own).filter(action=AuditEntry.Action.UPDATE).count()
    if expected == 200:
        assert own.title == "Ny titel" and updates == 1
        assert response["ETag"] not in ("", etag)
        assert response["ETag"] == _etag(client, own.pk)
    else:
        assert own.title == "Läxhjälp" and updates == 0
        assert response["Content-Type"] == PROBLEM
        problem = response.json()
        assert problem["status"] == 412 and problem["title"] == TITLE_412
        assert "If-Match" in problem["detail"] and problem["instance"] == _url(own.pk)
        assert _etag(client, own.pk) == etag  # nothing changed


def test_a_change_made_after_the_clients_get_is_not_overwritten(users, own, area):
    """The lost update the ETag exists for: A reads, B changes, A's PUT with A's ETag is refused."""
    alice, alice_headers = _client(users["rep"])
    bob, bob_headers = _client(users["admin"])
    seen = _etag(alice, own.pk)
    assert _send(bob, "PATCH", own.pk, {"description": "Bobs ändring"}, bob_headers).status_code == 200
    refused = _send(
        alice, "PUT", own.pk, _put_body(area, users, "Alices titel"), {**alice_headers, "HTTP_IF_MATCH": seen}
    )
    assert refused.status_code == 412 and refused["Content-Type"] == PROBLEM
    own.refresh_from_db()
    assert own.description == "Bobs ändring" and own.title == "Läxhjälp"
    # Read again, redo the change: accepted.
    retry = {**alice_headers, "HTTP_IF_MATCH": _etag(alice, own.pk)}
    assert _send(alice, "PUT", own.pk, _put_body(area, users, "Alices titel"), retry).status_code == 200


def test_the_412_problem_is_translated(users, own, settings):
    client, headers = _client(users["rep"])
    headers["HTTP_IF_MATCH"] = '"stale"'
    response = _send(client, "PATCH", own.pk, {"title": "x"}, {**headers, "HTTP_ACCEPT_LANGUAGE": "en"})
    assert response.status_code == 412
    assert response.json()["title"] == "Precondition failed"
    assert "If-Match" in response.json()["detail"] and "ändrats" not in response.json()["detail"]


@pytest.mark.parametrize(
    ("who", "pk_of", "expected"),
    [
        ("anonymous", lambda own: own.pk, 401),
        ("plain", lambda own: own.pk, 403),
        ("admin", lambda own: 999999, 404),
    ],
)
def test_other_failures_come_before_the_precondition(client, users, own, who, pk_of, expected):
    """RFC 9110 13.2.1: a request that would fail without the condition fails the same way with it."""
    headers = {"HTTP_IF_MATCH": '"stale"'}
    if who != "anonymous":
        client, csrf = _client(users[who])
        headers.update(csrf)
    assert _send(client, "PATCH", pk_of(own), {"title": "x"}, headers).status_code == expected


# The ETag follows every change -------------------------------------------------------------------

SERVICE_CHANGES = [
    ("milestones", lambda i: services.initiative_update(actor=None, initiative=i, milestones=[])),
    (
        "a set",
        lambda i: services.initiative_update(actor=None, initiative=i, principles=list(Principle.objects.all()[:2])),
    ),
    (
        "funding (not shown by the API)",
        lambda i: services.initiative_update(actor=None, initiative=i, funding=[FundingIn("Kommunen")]),
    ),
    ("verification", lambda i: services.initiative_verify(actor=None, initiative=i)),
    ("a scalar", lambda i: services.initiative_update(actor=None, initiative=i, progress=90)),
]


@pytest.mark.parametrize("change", [c[1] for c in SERVICE_CHANGES], ids=[c[0] for c in SERVICE_CHANGES])
def test_the_etag_changes_with_a_change_through_the_service(client, own, change):
    before = _etag(client, own.pk)
    updated_at = Initiative.objects.get(pk=own.pk).updated_at
    change(own)
    assert _etag(client, own.pk) != before
    assert Initiative.objects.get(pk=own.pk).updated_at > updated_at


def test_the_etag_changes_when_what_it_shows_changes_elsewhere(client, users, own):
    """The lead organisation's name is part of the representation but not of the initiative's row."""
    before = _etag(client, own.pk)
    organisation_update(organisation=users["own_org"], name="Nya namnet")
    assert client.get(_url(own.pk)).json()["lead"] == "Nya namnet"
    assert _etag(client, own.pk) != before


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_put_and_patch_send_the_new_etag(users, own, area, method):
    client, headers = _client(users["rep"])
    before = _etag(client, own.pk)
    body = {"title": "Ändrad"} if method == "PATCH" else _put_body(area, users, "Ändrad")
    response = _send(client, method, own.pk, body, {**headers, "HTTP_IF_MATCH": before})
    assert response.status_code == 200
    assert response["ETag"] != before and response["ETag"] == _etag(client, own.pk)
    # The new tag is good for the next change, the old one no longer.
    chained = _send(client, "PATCH", own.pk, {"progress": 80}, {**headers, "HTTP_IF_MATCH": response["ETag"]})
    assert chained.status_code == 200
    assert _send(client, "PATCH", own.pk, {"progress": 81}, {**headers, "HTTP_IF_MATCH": before}).status_code == 412


# If-None-Match on GET ---------------------------------------------------------------------------

IF_NONE_MATCH_CASES = [
    ("matching", lambda etag: etag, 304),
    ("weak form of the current tag", lambda etag: f"W/{etag}", 304),
    ("any", lambda etag: "*", 304),
    ("one of a list", lambda etag: f'"somewhere-else", {etag}', 304),
    ("stale", lambda etag: '"0123456789abcdef0123456789abcdef"', 200),
]


@pytest.mark.parametrize(
    ("case", "if_none_match", "expected"), IF_NONE_MATCH_CASES, ids=[c[0] for c in IF_NONE_MATCH_CASES]
)
def test_if_none_match(client, own, case, if_none_match, expected):
    etag = _etag(client, own.pk)
    response = client.get(_url(own.pk), HTTP_IF_NONE_MATCH=if_none_match(etag))
    assert response.status_code == expected
    assert response["ETag"] == etag
    if expected == 304:
        assert response.content == b""
    else:
        assert response.json()["id"] == own.pk


def test_if_none_match_gives_the_new_representation_after_a_change(client, own):
    etag = _etag(client, own.pk)
    services.initiative_update(actor=None, initiative=own, title="Nytt namn")
    response = client.get(_url(own.pk), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["title"] == "Nytt namn"


def test_the_openapi_document_describes_the_validators(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/initiatives/{initiative_id}"]
    for method in ("put", "patch"):
        operation = paths[method]
        assert "If-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert PROBLEM in operation["responses"]["412"]["content"]
        assert "ETag" in operation["responses"]["200"]["headers"]
    assert "If-None-Match" in {p["name"] for p in paths["get"]["parameters"] if p["in"] == "header"}
    assert "ETag" in paths["get"]["responses"]["304"]["headers"]


# Two clients at once ----------------------------------------------------------------------------
# PostgreSQL runs both requests really in parallel: the second waits at the row lock that
# services.initiative_update takes before it compares the version. SQLite (BEGIN IMMEDIATE) makes the
# second writer wait for the first's commit whatever the code does, so these only bite on PostgreSQL.


def _patch_in_thread(client, pk: int, body: dict, headers: dict, results: dict, key: str, before=None):
    def run():
        try:
            if before:
                before()
            results[key] = _send(client, "PATCH", pk, body, headers).status_code
        except Exception as exc:  # the test inspects whatever was raised
            results[key] = exc
        finally:
            close_old_connections()
            connection.close()

    return threading.Thread(target=run, name=f"patch-{key}")


def _hold_after_writing(monkeypatch, *, wrote: threading.Event | None = None, seconds: float = 0.5):
    """Keep each change's transaction open a while after the write, so that the other request arrives
    while the first one holds the row and has not committed."""
    real = services.initiative_update

    def slow(**kwargs):
        result = real(**kwargs)
        if wrote is not None:
            wrote.set()
        threading.Event().wait(seconds)
        return result

    monkeypatch.setattr(services, "initiative_update", slow)


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_patch_arriving_while_the_first_holds_the_row_gets_412(transactional_db, users, own, monkeypatch):
    """B reads the ETag check while A has written but not committed: only the row lock makes B wait
    for A's commit and then see the new ETag."""
    wrote = threading.Event()
    _hold_after_writing(monkeypatch, wrote=wrote)
    clients = {key: _client(users["rep"]) for key in "ab"}
    etag = _etag(clients["a"][0], own.pk)
    results: dict = {}
    threads = {
        key: _patch_in_thread(
            client, own.pk, {"title": f"Titel {key}"}, {**headers, "HTTP_IF_MATCH": etag}, results, key
        )
        for key, (client, headers) in clients.items()
    }
    threads["a"].start()
    assert wrote.wait(10)
    threads["b"].start()
    for thread in threads.values():
        thread.join(30)
    assert results == {"a": 200, "b": 412}
    own.refresh_from_db()
    assert own.title == "Titel a"
    assert history_for(own).filter(action=AuditEntry.Action.UPDATE).count() == 1


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_patches_with_the_same_if_match_started_together_one_wins(transactional_db, users, own, monkeypatch):
    _hold_after_writing(monkeypatch, seconds=0.2)
    clients = {key: _client(users["rep"]) for key in "ab"}
    for attempt in range(3):
        etag = _etag(clients["a"][0], own.pk)
        barrier = threading.Barrier(2, timeout=10)
        results: dict = {}
        threads = [
            _patch_in_thread(
                client,
                own.pk,
                {"title": f"Försök {attempt} {key}"},
                {**headers, "HTTP_IF_MATCH": etag},
                results,
                key,
                before=barrier.wait,
            )
            for key, (client, headers) in clients.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(results.values()) == [200, 412], results
        winner = next(key for key, status in results.items() if status == 200)
        own.refresh_from_db()
        assert own.title == f"Försök {attempt} {winner}"
    assert history_for(own).filter(action=AuditEntry.Action.UPDATE).count() == 3
