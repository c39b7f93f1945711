"""Pages and files with personal data send Cache-Control: no-store (core.privacy.personal_data).

The list below is every view that shows personal data (contact persons, the read-access log,
attendees and registrations, representatives, analyses' authors and reviewers, account pages,
consultation respondents, subscribers, and the exports of those). A view that shows personal data
is added here and marked @personal_data; the test fails when the two differ, and walks every marked
URL to check the header, whatever the response (a page, a file, a redirect, a 403 or 404)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from civsam.core.privacy import is_personal_data_view

PERSONAL_VIEWS = {
    # Accounts: the person's own pages
    "site:dashboard",
    "accounts:account",
    "accounts:personal-data",
    "accounts:delete",
    "account_email",
    "account_change_password",
    "account_set_password",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    "mfa_remove_webauthn",
    "mfa_edit_webauthn",
    "usersessions_list",
    "eid:account",
    # The register's contact persons and the change history (who changed what)
    "registry:organisation-contacts",
    "registry:contact-add",
    "registry:organisation-history",
    # Events: registrations, attendees, invitations, badges, speakers and planning groups
    "meetings:event-detail",  # greets an invited person by name
    "meetings:event-manage",
    "meetings:event-registrations-export",
    "meetings:registration-cancel",
    "meetings:registration-accept",
    "meetings:registration-confirm",
    "meetings:event-prepare",
    "meetings:event-followup",
    "meetings:attendance-export",
    "meetings:attendance-pdf",
    "meetings:badges-pdf",
    "meetings:conference-manage",
    "meetings:network-detail",  # representatives, for the network's circle
    "agreements:detail",  # the governance groups' members, for the agreement's people
    "meetings:network-members-export",
    "meetings:network-manage",  # requests, invitations and representatives by name
    # Social value: an analysis's author and reviewer
    "impact:analysis-detail",
    # Consultations: respondents and their attachments
    "plan:consultation-summary",
    "plan:consultation-summary-export",
    "plan:consultation-attachment",
    "plan:consultation-response",
    # The plan's contact people by name (ADR 0121)
    "plan:plan-detail",
    "plan:plan-document",
    # Funding: subscribers' addresses; grant applications with their applicants, reviews,
    # decisions, letters, payments (bank accounts) and the recipients' contact details
    "funding:subscriptions",
    "funding:unsubscribe",
    "funding:application-create",
    "funding:application-decide",
    "funding:application-detail",
    "funding:application-edit",
    "funding:application-list",
    "funding:attachment-file",
    "funding:call-queue",
    "funding:decision-letter",
    "funding:decision-letter-file",
    "funding:decision-letter-pdf",
    "funding:decision-letter-status",
    "funding:followup-report",
    "funding:payment-account",
    "funding:payment-batch",
    "funding:payment-batch-file",
    "funding:payments",
    "funding:register-recipients",
    "funding:review-detail",
    "funding:review-list",
    # Data protection
    "privacy:read-log",
    "privacy:read-log-export",
    "privacy:subject-search",
    "privacy:subject-request",
    "privacy:subject-request-export",
}


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, str, object]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry.callback


ALL_PATTERNS = list(_walk(get_resolver().url_patterns))
SAMPLES = {"slug": "2022-2025", "fmt": "csv", "orgnr": "8020000001", "token": "x" * 20, "phase": "after"}


def _path(route: str) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES.get(m.group(1), "1"), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES.get(m.group(1), "1"), path)
    return "/" + path.replace("^", "").replace("$", "")


def test_the_views_marked_personal_are_exactly_the_list():
    marked = {name for _route, name, callback in ALL_PATTERNS if is_personal_data_view(callback)}
    assert sorted(PERSONAL_VIEWS - marked) == [], "show personal data but are not marked @personal_data"
    assert sorted(marked - PERSONAL_VIEWS) == [], "marked @personal_data but not on the list"


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_personal_url_answers_with_no_store(client, users, who):
    """Whatever a marked URL answers (the page, a login redirect, 403, 404, 405), it is not stored."""
    if who != "anonymous":
        client.force_login(users[who])
    problems = []
    for route, name, _callback in ALL_PATTERNS:
        if name not in PERSONAL_VIEWS:
            continue
        path = _path(route)
        response = client.get(path)
        cache_control = response.get("Cache-Control", "")
        if "no-store" not in cache_control or "private" not in cache_control:
            problems.append((path, response.status_code, cache_control))
    assert problems == []


def test_pages_without_personal_data_are_left_to_caches(client, db):
    for path in ("/", "/organisationer/", "/integritet/"):
        assert "no-store" not in client.get(path).get("Cache-Control", "")
