"""Staff sessions (ADR 0080): they end after CIVSAM_STAFF_IDLE_MINUTES without a request, and a staff
user without a second factor is sent to set one up before any other page."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from civsam.core.apitools import problem_response

from . import permissions
from .second_factor import second_factor_due

LAST_ACTIVITY = "civsam_last_activity"
# The last request's time is written at most this often, so that a burst of requests is one write.
TOUCH_EVERY = 60

# Where a staff user without a second factor may still go: setting it up (allauth asks for the
# password again first, or the e-mail address may need confirming), and leaving.
SECOND_FACTOR_SETUP_VIEWS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_list_webauthn",
        "mfa_add_webauthn",
        "mfa_reauthenticate_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_email",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_logout",
        "accounts:logout",
        "accounts:account",
        "set_language",
        "site:accessibility",
    }
)


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and permissions.requires_second_factor(user):
            self._end_if_idle(request)
        return self.get_response(request)

    def _end_if_idle(self, request: HttpRequest) -> None:
        idle = settings.CIVSAM_STAFF_IDLE_MINUTES * 60
        now = time.time()
        last = request.session.get(LAST_ACTIVITY)
        if isinstance(last, int | float) and now - last > idle:
            logout(request)
            messages.info(
                request,
                _("Du har loggats ut eftersom du inte har använt Civsam på %(minutes)s minuter.")
                % {"minutes": settings.CIVSAM_STAFF_IDLE_MINUTES},
            )
            return
        if not isinstance(last, int | float) or now - last >= TOUCH_EVERY:
            request.session[LAST_ACTIVITY] = int(now)
            # The stored session and its cookie end with the idle time too, not 8 hours later.
            request.session.set_expiry(idle)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        if not settings.CIVSAM_STAFF_MFA or settings.DEBUG or settings.CIVSAM_STAFF_MFA_REMIND_ONLY:
            return None  # with DEBUG on (or the demo), base.html shows a notice instead (context_processors.py)
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_SETUP_VIEWS:
            return None
        if not second_factor_due(request):
            return None
        message = _(
            "Din roll kräver inloggning med två faktorer. Aktivera en autentiseringsapp eller lägg till en "
            "säkerhetsnyckel innan du fortsätter."
        )
        if request.path.startswith("/api/"):
            return problem_response(request, 403, detail=message)
        messages.warning(request, message)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
