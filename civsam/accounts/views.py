"""The account pages of Civsam's own (ADR 0080): the overview, the personal-data download, deleting
the account, and the page a rate limit answers with. Login, sign-up, e-mail, password, second
factor and sessions are django-allauth's views on Civsam's templates (allauth_urls.py)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civsam.core import privacy
from civsam.core.models import AuditEntry
from civsam.core.ratelimit import DEFAULT_MESSAGE
from civsam.core.services import audit_log

from . import services
from .forms import AccountDeleteForm
from .models import EidLink
from .personal_data import personal_data_collect
from .second_factor import has_authenticator
from .selectors import role_assignments_of

# allauth does not say how long its limits last; a minute is the shortest of them.
RATE_LIMIT_RETRY_AFTER = 60


@require_GET
@never_cache
@privacy.personal_data
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "email_addresses": EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email"),
            "has_password": user.has_usable_password(),
            "has_second_factor": has_authenticator(user),
            "eid_linked": EidLink.objects.filter(user_id=user.pk).exists(),
            "assignments": role_assignments_of(user),
        },
    )


@require_GET
@never_cache
@privacy.personal_data
def personal_data(request: HttpRequest) -> HttpResponse:
    """Everything Civsam holds about the signed-in person, as one JSON file."""
    user = request.user
    data = personal_data_collect(user)
    audit_log(actor=user, action=AuditEntry.Action.READ, obj=user, note="personal data exported")
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="civsam-mina-uppgifter-{timezone.localdate().isoformat()}.json"'
    )
    return response


@require_http_methods(["GET", "POST"])
@never_cache
@privacy.personal_data
def delete(request: HttpRequest) -> HttpResponse:
    """What deleting the account removes and what stays, then the confirmation."""
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(actor=user, user=user)
        logout(request)
        messages.success(request, _("Ditt konto är borttaget."))
        return redirect("site:home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler429: allauth's refusal over its rate limits, as core's Swedish 429 page."""
    response = render(request, "core/rate_limited.html", {"message": DEFAULT_MESSAGE}, status=429)
    response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER)
    return response
