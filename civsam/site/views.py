"""The site shell's pages: home, "Min sida", the accessibility statement, the demo notice, and
Civsam's own error pages. Other apps are read through their selectors and permissions only
("Min sida" through site/selectors.py, which gathers the user's own things from every app)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from civsam.accounts.selectors import role_assignments_of
from civsam.core.apitools import problem_response
from civsam.core.privacy import personal_data
from civsam.core.selectors import county_municipalities
from civsam.plan.selectors import plan_list
from civsam.registry import permissions as registry_permissions
from civsam.registry.selectors import public_organisation_count
from civsam.site.selectors import my_page


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "plans": plan_list(),
        "organisation_count": public_organisation_count(),
        "municipalities": county_municipalities(str(settings.CIVSAM["COUNTY_CODE"])),
    }
    return render(request, "site/home.html", context)


@personal_data
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "assignments": role_assignments_of(user),
        "can_create_organisation": registry_permissions.can_create_organisation(user),
        "can_import_organisations": registry_permissions.can_import_organisations(user),
        "can_review_duplicates": registry_permissions.can_review_duplicates(user),
        "mine": my_page(user),
    }
    return render(request, "site/dashboard.html", context)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "site/accessibility.html")


@login_not_required
def about_demo(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about_demo.html")


# --- Error pages (handler403, handler404, handler500 in civsam/urls.py) --------------------------
# Under /api/ the answer is a problem+json document like every other API error, elsewhere a page.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


@login_not_required
@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 403)
    return render(request, "site/403.html", status=403)


@login_not_required
@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 404, detail=_("Det finns ingen resurs på %(path)s.") % {"path": request.path})
    return render(request, "site/404.html", status=404)


@login_not_required
@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors or the base template: whatever broke the request
    # (the database, a template tag) must not break its error page too.
    if _is_api(request):
        return problem_response(request, 500, detail=_("Ett oväntat fel inträffade. Försök igen senare."))
    return HttpResponse(loader.get_template("site/500.html").render(), status=500)
