"""Who may do what, role by role: anonymous, plain user, representative, officer of the funder's
municipality and of another, region administrator, reviewer."""

from __future__ import annotations

import datetime

import pytest

from civsam.funding import permissions
from civsam.funding.models import FundingCall
from civsam.funding.services import FundingCallData, funding_call_change_status, funding_call_create

ROLES = ("anonymous", "plain", "rep", "officer", "officer_kumla", "admin", "reviewer")


def _allowed(funding, check) -> set[str]:
    return {role for role in ROLES if check(funding[role])}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, check, expected",
    [
        (
            "edit Örebro's source",
            lambda f: lambda u: permissions.can_edit_funding_source(u, f["orebro_source"]),
            {"officer", "admin"},
        ),
        (
            "edit Kumla's source",
            lambda f: lambda u: permissions.can_edit_funding_source(u, f["kumla_source"]),
            {"officer_kumla", "admin"},
        ),
        (
            "edit the Region's source",
            lambda f: lambda u: permissions.can_edit_funding_source(u, f["innovation"]),
            {"admin"},
        ),
        ("create a source", lambda f: permissions.can_create_funding_source, {"officer", "officer_kumla", "admin"}),
        ("create a funder", lambda f: permissions.can_create_funder, {"admin"}),
        ("edit a funder", lambda f: lambda u: permissions.can_edit_funder(u, f["arvsfonden"]), {"admin"}),
        (
            "manage Örebro as funder",
            lambda f: lambda u: permissions.can_manage_funder(u, f["orebro"]),
            {"officer", "admin"},
        ),
        (
            "import Örebro's decisions",
            lambda f: lambda u: permissions.can_import_grant_decisions(u, f["orebro"]),
            {"officer", "admin"},
        ),
        (
            "import Arvsfonden's decisions",
            lambda f: lambda u: permissions.can_import_grant_decisions(u, f["arvsfonden"]),
            {"admin"},
        ),
        (
            "open the import page",
            lambda f: permissions.can_import_some_grant_decisions,
            {"officer", "officer_kumla", "admin"},
        ),
        (
            "subscribe for an Örebro organisation",
            lambda f: lambda u: permissions.can_manage_call_subscriptions(u, f["own_org"]),
            {"rep", "officer", "admin"},
        ),
        (
            "subscribe for a Kumla organisation",
            lambda f: lambda u: permissions.can_manage_call_subscriptions(u, f["other_org"]),
            {"officer_kumla", "admin"},
        ),
        ("recompute the figures", lambda f: permissions.can_compute_grant_figures, {"admin"}),
    ],
)
def test_permission_matrix(funding, name, check, expected):
    assert _allowed(funding, check(funding)) == expected, name


@pytest.mark.django_db
def test_funders_manageable_by(funding):
    assert permissions.funders_manageable_by(funding["admin"]).count() > 12
    assert list(permissions.funders_manageable_by(funding["officer"])) == [funding["orebro"]]
    for role in ("anonymous", "plain", "rep", "reviewer"):
        assert not permissions.funders_manageable_by(funding[role]).exists(), role


@pytest.mark.django_db
def test_inactive_sources_are_seen_by_who_keeps_them(funding):
    source = funding["orebro_source"]
    source.is_active = False
    source.save(update_fields=["is_active"])
    seeing = {r for r in ROLES if permissions.funding_sources_visible_to(funding[r]).filter(pk=source.pk).exists()}
    assert seeing == {"officer", "admin"}
    assert {r for r in ROLES if permissions.can_view_funding_source(funding[r], source)} == {"officer", "admin"}
    active = funding["kumla_source"]
    assert all(permissions.funding_sources_visible_to(funding[r]).filter(pk=active.pk).exists() for r in ROLES)


@pytest.mark.django_db
def test_draft_calls_are_seen_by_who_keeps_them(funding):
    data = FundingCallData(source=funding["orebro_source"], title="Vårens bidrag", deadline=datetime.date(2099, 1, 1))
    draft = funding_call_create(actor=None, data=data)
    seeing = {r for r in ROLES if permissions.funding_calls_visible_to(funding[r]).filter(pk=draft.pk).exists()}
    assert seeing == {"officer", "admin"}
    assert {r for r in ROLES if permissions.can_view_funding_call(funding[r], draft)} == {"officer", "admin"}
    published = funding_call_change_status(actor=None, call=draft, status=FundingCall.Status.PUBLISHED)
    assert all(permissions.can_view_funding_call(funding[r], published) for r in ROLES)
    assert all(permissions.funding_calls_visible_to(funding[r]).filter(pk=draft.pk).exists() for r in ROLES)
    assert {r for r in ROLES if permissions.can_edit_funding_call(funding[r], published)} == {"officer", "admin"}


@pytest.mark.django_db
def test_the_register_is_public(funding, make_decision):
    decision = make_decision()
    assert all(permissions.grant_decisions_visible_to(funding[r]).filter(pk=decision.pk).exists() for r in ROLES)
    assert {r for r in ROLES if permissions.can_edit_grant_decision(funding[r], decision)} == {"officer", "admin"}


@pytest.mark.django_db
def test_subscriptions_visible_to(funding):
    from civsam.funding.services import call_subscription_create

    subscription = call_subscription_create(actor=funding["rep"], organisation=funding["own_org"], email="a@example.se")
    seeing = {
        r for r in ROLES if permissions.call_subscriptions_visible_to(funding[r]).filter(pk=subscription.pk).exists()
    }
    assert seeing == {"rep", "officer", "admin"}
