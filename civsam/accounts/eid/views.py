"""Pages of e-ID login: start at the provider, come back, create an account or link one, unlink.

The session carries what a started login needs when it returns (state, nonce, PKCE verifier, keyed
by state) and, for an e-ID that no account knows yet, its hash and name for ten minutes, until the
person creates an account or logs in to link it. A refused answer stores nothing.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civsam.core.privacy import personal_data

from ..second_factor import record_eid_login
from . import client, services
from .client import EidError
from .forms import EidSignupForm
from .models import EidLink

SESSION_PENDING = "eid_pending"  # {state: {...}} for logins started and not yet returned
SESSION_UNLINKED = "eid_unlinked"  # an e-ID that logged in and is linked to no account
MAX_PENDING = 3  # logins started in parallel tabs
# The backend that loads the user again on each request; the e-ID itself was checked above it.
ACCOUNT_BACKEND = "django.contrib.auth.backends.ModelBackend"

# How a refusal is answered: a broken or foreign answer is forbidden, a lost one a bad request.
STATUS = {
    "not_configured": 404,
    "unavailable": 503,
    "token": 503,
    "cancelled": 200,
    "state": 400,
    "invalid": 400,
    "identity": 400,
}


def _require_enabled() -> None:
    if not client.eid_enabled():
        raise Http404


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _refusal(request: HttpRequest, error: EidError) -> HttpResponse:
    return render(
        request,
        "accounts/eid/error.html",
        {"message": error.message, "reason": error.reason},
        status=STATUS.get(error.reason, 403),
    )


def _start(request: HttpRequest, *, intent: str, next_url: str) -> HttpResponse:
    _require_enabled()
    redirect_uri = settings.CIVSAM_BASE_URL + reverse("eid:callback")
    try:
        url, pending = client.authorization_start(redirect_uri=redirect_uri)
    except EidError as error:
        return _refusal(request, error)
    pending.update(intent=intent, next=next_url, user_id=request.user.pk)
    started = request.session.get(SESSION_PENDING, {})
    started = dict(sorted(started.items(), key=lambda item: item[1]["started"])[-(MAX_PENDING - 1) :])
    started[pending["state"]] = pending
    request.session[SESSION_PENDING] = started
    return redirect(url)


@login_not_required
@require_GET
@never_cache
def login_start(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    return _start(request, intent="login", next_url=next_url)


@require_GET
@never_cache
def link_start(request: HttpRequest) -> HttpResponse:
    return _start(request, intent="link", next_url=reverse("eid:account"))


@login_not_required
@require_GET
@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    started = request.session.get(SESSION_PENDING, {})
    pending = started.pop(request.GET.get("state", ""), None)
    request.session[SESSION_PENDING] = started  # the state is spent, whatever the answer
    if pending is None:
        return _refusal(request, EidError("state"))
    try:
        identity = client.authorization_complete(pending=pending, params=request.GET.dict())
    except EidError as error:
        return _refusal(request, error)

    if pending["intent"] == "link":
        if not request.user.is_authenticated or request.user.pk != pending["user_id"]:
            return _refusal(request, EidError("state"))
        try:
            services.eid_link_create(actor=request.user, user=request.user, pnr_hash=identity.pnr_hash)
        except services.EidLinkError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Din e-legitimation är nu kopplad till ditt konto."))
        return redirect("eid:account")

    link = EidLink.objects.select_related("user").filter(pnr_hash=identity.pnr_hash).first()
    if link is not None:
        if not link.user.is_active:
            return render(request, "accounts/eid/error.html", {"message": _("Kontot är avstängt.")}, status=403)
        services.eid_login_record(link=link)
        login(request, link.user, backend=ACCOUNT_BACKEND)
        record_eid_login(request, link.user)
        return redirect(_safe_next(request, pending["next"]))

    request.session[SESSION_UNLINKED] = {
        "pnr_hash": identity.pnr_hash,
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "next": pending["next"],
        "until": int(time.time()) + client.PENDING_TTL,
    }
    return redirect("eid:signup")


def _unlinked(request: HttpRequest) -> dict | None:
    unlinked = request.session.get(SESSION_UNLINKED)
    if unlinked and unlinked["until"] > time.time():
        return unlinked
    request.session.pop(SESSION_UNLINKED, None)
    return None


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """An e-ID no account knows: create an account with it, or log in to one and link it."""
    unlinked = _unlinked(request)
    if unlinked is None:
        messages.info(request, _("Logga in med e-legitimation först."))
        return redirect("accounts:login")
    if request.user.is_authenticated:
        return redirect("eid:account")
    form = EidSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.eid_account_create(
                pnr_hash=unlinked["pnr_hash"],
                given_name=unlinked["given_name"],
                family_name=unlinked["family_name"],
                email=form.cleaned_data["email"],
            )
        except services.EidLinkError as error:
            form.add_error("email", error.message)
        else:
            request.session.pop(SESSION_UNLINKED, None)
            login(request, user, backend=ACCOUNT_BACKEND)
            record_eid_login(request, user)
            messages.success(request, _("Ditt konto är skapat och kopplat till din e-legitimation."))
            return redirect(_safe_next(request, unlinked.get("next")))
    login_url = reverse("accounts:login") + "?" + urlencode({"next": reverse("eid:account")})
    return render(
        request,
        "accounts/eid/signup.html",
        {"form": form, "unlinked": unlinked, "login_url": login_url},
        status=400 if form.errors else 200,
    )


@require_GET
@never_cache
@personal_data
def account(request: HttpRequest) -> HttpResponse:
    """The account's e-ID: linked or not, link, unlink, or link the e-ID just used to log in."""
    link = EidLink.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/eid/account.html",
        {
            "link": link,
            "unlinked": None if link else _unlinked(request),
            "eid_enabled": client.eid_enabled(),
            "can_unlink": request.user.has_usable_password(),
        },
    )


@require_POST
def link_pending(request: HttpRequest) -> HttpResponse:
    """Link the e-ID that logged in a moment ago without an account to the signed-in account."""
    unlinked = _unlinked(request)
    if unlinked is None:
        messages.error(request, _("Det finns ingen e-legitimation att koppla. Logga in med e-legitimationen igen."))
        return redirect("eid:account")
    try:
        services.eid_link_create(actor=request.user, user=request.user, pnr_hash=unlinked["pnr_hash"])
    except services.EidLinkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Din e-legitimation är nu kopplad till ditt konto."))
    request.session.pop(SESSION_UNLINKED, None)
    return redirect("eid:account")


@require_POST
def unlink(request: HttpRequest) -> HttpResponse:
    try:
        services.eid_link_delete(actor=request.user, user=request.user)
    except services.EidLinkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kopplingen till din e-legitimation är borttagen."))
    return redirect("eid:account")


@login_not_required
@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """Our client's public key, which the provider uses to check our signed client assertions."""
    _require_enabled()
    response = JsonResponse(client.client_jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response
