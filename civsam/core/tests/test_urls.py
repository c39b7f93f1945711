"""Login required by default: every URL of the project is either on a short public list or sends an
anonymous visitor to a login page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Views that anyone may open. A new public page must be added here on purpose.
PUBLIC_VIEWS = {
    "site:home",
    "site:accessibility",
    "site:about-demo",
    "accounts:login",
    "accounts:logout",  # POST only; ends a session or a half-finished login
    # Signing up, confirming an address, a forgotten password and the second step of a login
    # (django-allauth, ADR 0080), under allauth's own names.
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "mfa_authenticate",
    "health:live",  # for the load balancer; JSON without secrets
    "health:ready",
    # Logging in with an e-ID (ADR 0060): the start, the provider's return, the account made from
    # an e-ID no account knows, and our client's public key, which the provider fetches.
    "eid:login",
    "eid:callback",
    "eid:signup",
    "eid:jwks",
    "admin:login",  # sends people to the site's login, which asks staff for the second factor
    "set_language",
    "privacy:notice",  # how Civsam handles personal data (GDPR art. 13–14)
    "plan:plan-list",
    "plan:plan-detail",
    "plan:focus-area-detail",
    "plan:priority-area-detail",
    # The plan follow-up is public: the genomförande tree and its export, initiatives, indicators,
    # published annual reports (drafts answer 404 to others than the coordinator) and consultations.
    "plan:followup-current",
    "plan:followup",
    "plan:followup-export",
    "plan:followup-area",
    "plan:initiative-detail",
    "plan:indicator-list",
    "plan:indicator-export",
    "plan:indicator-detail",
    "plan:report-index",
    "plan:report-detail",
    "plan:report-pdf",
    # The PDF of a published report, its status page and stored file, and the button that asks for
    # it (ADR 0049); a draft's answer 404 to anyone who may not see the draft.
    "plan:report-pdf-create",
    "plan:report-pdf-status",
    "plan:report-pdf-file",
    # The adopted plan as a download, and the period evaluation once published (ADR 0120–0121).
    "plan:plan-document-download",
    "plan:evaluation-detail",
    "plan:evaluation-pdf",
    "plan:evaluation-pdf-create",
    "plan:evaluation-pdf-status",
    "plan:evaluation-pdf-file",
    "plan:consultation-list",
    "plan:consultation-detail",
    # After a consultation closes its responses are official documents: the published compiled
    # report (404 before) and the attachments the secrecy assessment did not withhold (ADR 0109).
    "plan:consultation-summary",
    "plan:consultation-summary-export",
    "plan:consultation-attachment",
    "registry:directory",
    "registry:directory-export",
    # A large XLSX export's status page and file (ADR 0085); one made for a user answers only them.
    "registry:directory-export-status",
    "registry:directory-export-file",
    "registry:organisation-detail",  # shows only what the visitor may see
    # Public events and their calendar feeds; registrations are confirmed or cancelled through a
    # secret link sent by e-mail to people who have no account.
    "meetings:event-list",
    "meetings:event-detail",
    "meetings:calendar-all",
    "meetings:calendar-network",
    "meetings:calendar-organiser",
    "meetings:calendar-event",
    "meetings:registration-cancel",
    "meetings:registration-accept",
    "meetings:registration-confirm",
    # A conference's programme is public like the event; surveys are answered through the
    # participant's secret link from the e-mail.
    "meetings:conference-programme",
    "meetings:survey-respond",
    # Standing networks and their member organisations are public, like the directory.
    "meetings:network-list",
    "meetings:network-detail",
    "meetings:network-members-export",
    # Social value: the proxy library, and published analyses with their reports and impact maps
    # (the views answer drafts only to those who may see them).
    "impact:proxy-list",
    "impact:proxy-export",
    "impact:analysis-list",
    "impact:analysis-export",
    "impact:analysis-detail",
    "impact:analysis-pdf",
    "impact:analysis-pdf-create",
    "impact:analysis-pdf-status",
    "impact:analysis-pdf-file",
    "impact:analysis-map",
    "impact:map-template",
    # Money (issue #13): funding sources, calls and programmes, the public grant register with its
    # exports and decisions, and the grant figures are public (offentlighetsprincipen); a call
    # subscription is ended through the secret link in every notice.
    "agreements:list",  # signed public agreements (issue #17); drafts only to their parties
    "agreements:overview",
    "agreements:detail",
    "agreements:document",  # only documents of agreements the viewer may see
    "agreements:export",
    "agreements:contributions-export",
    "funding:source-list",
    "funding:source-detail",
    "funding:call-list",
    "funding:call-detail",
    "funding:programme-list",
    "funding:programme-detail",
    "funding:register",
    "funding:register-export",
    "funding:plan-co-financing-export",  # the plan's co-financing per source and year: public money, open
    "funding:decision-detail",
    "funding:statistics",
    "funding:statistics-export",
    "stats:county",
    "stats:area",
    "stats:figure",
    "stats:figure-export",
    "stats:all-export",
    # The open data catalogue (ADR 0125): the page and the DCAT-AP-SE document for harvesters.
    "opendata:index",
    "opendata:catalogue",
    "opendata:catalogue-file",
    "funding:unsubscribe",
    # The market (issue #17): offers of the social economy, the buyers' procurement records with
    # their OCDS export, and the share of spend with its methodology are public; anyone who can see
    # a published offer may write to the organisation through the platform.
    "market:offer-list",
    "market:offer-detail",
    "market:offer-contact",
    "market:procurement-list",
    "market:procurement-detail",
    "market:procurement-ocds",
    "market:spend-share",
    "market:spend-share-export",
    "market:spend-methodology",
}
# The REST API answers for itself (public reads, problem+json errors) and is never redirected.
PUBLIC_PREFIXES = ("api/",)

SAMPLE_VALUES = {
    "slug": "2022-2025",
    "plan_id": "2022-2025",
    "number": "1",
    "focus_number": "1",
    "fmt": "csv",
    "code": "1880",
    "app_label": "registry",
    "url": "finns-inte/",
    "extension": "ttl",
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


def _is_public(route: str, name: str) -> bool:
    return name in PUBLIC_VIEWS or route.lstrip("^").startswith(PUBLIC_PREFIXES)


def _concrete_path(route: str, orgnr: str) -> str:
    """A URL for a route, with every parameter filled in by a plausible value."""
    samples = {**SAMPLE_VALUES, "orgnr": orgnr, "organisationsnummer": orgnr}
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: samples.get(m.group(1), "1"), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples.get(m.group(1), "1"), path)
    return "/" + path.replace("^", "").replace("$", "")


def test_public_views_are_exactly_the_allow_list():
    """Views marked @login_not_required, apart from the API, must all be on the list, and vice versa."""
    marked_public = {
        name
        for route, name, callback in ALL_PATTERNS
        if getattr(callback, "login_required", True) is False and not route.lstrip("^").startswith(PUBLIC_PREFIXES)
    }
    assert marked_public == PUBLIC_VIEWS


def test_every_url_pattern_is_covered():
    assert len(ALL_PATTERNS) > 30
    unnamed = [route for route, name, _ in ALL_PATTERNS if not name and not route.startswith(("admin/", "^api/"))]
    assert unnamed == []


def test_anonymous_get_is_public_or_redirected_to_login(client, make_org):
    """One request per URL pattern; all problems are listed together."""
    organisation = make_org(name="Öppna föreningen")
    login_pages = (reverse(settings.LOGIN_URL) + "?next=", reverse("admin:login") + "?next=")
    problems = []
    for route, name, _callback in ALL_PATTERNS:
        path = _concrete_path(route, organisation.orgnr)
        response = client.get(path)
        location = response.get("Location", "")
        to_login = response.status_code == 302 and location.startswith(login_pages)
        if _is_public(route, name):
            # The admin's login page sends people to the site's login (second factor, ADR 0080).
            if (to_login and name != "admin:login") or response.status_code >= 500:
                problems.append((path, "public page answered", response.status_code, location))
        elif not to_login:
            problems.append((path, "not sent to login", response.status_code, location))
        elif not path.startswith("/admin/") and not location.startswith(login_pages[0]):
            # Pages of the site itself send people to the site's login, not the admin's.
            problems.append((path, "sent to the admin login", location))
    assert problems == []


def test_concrete_path_fills_every_parameter():
    assert _concrete_path("organisationer/<str:orgnr>/kontaktpersoner/<int:pk>/ta-bort/", "8020000001") == (
        "/organisationer/8020000001/kontaktpersoner/1/ta-bort/"
    )
    assert _concrete_path("admin/^(?P<app_label>auth|core)/$", "x") == "/admin/registry/"
