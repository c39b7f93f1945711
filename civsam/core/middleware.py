"""Project-wide HTTP behaviour: Content Security Policy and login-by-default."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware


class ContentSecurityPolicyMiddleware:
    """Adds a strict CSP: no inline script or style, everything from our own origin.

    Django 5.2 has no built-in CSP; one header does not earn a dependency.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login unless its view is marked with @login_not_required.

    The REST API answers for itself (public reads, problem+json errors), so it is not redirected.
    """

    exempt_prefixes = ("/api/", "/static/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RateLimitMiddleware:
    """Answers core.ratelimit.RateLimited from any page with a Swedish 429 page and Retry-After.

    The API answers the same exception itself, as problem+json (civsam/api.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .ratelimit import RateLimited

        if not isinstance(exception, RateLimited):
            return None
        response = render(request, "core/rate_limited.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
