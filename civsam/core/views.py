from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from civsam.accounts.scopes import scope_for
from civsam.plan.selectors import plan_list
from civsam.registry.models import Organisation

from .selectors import county_municipalities


@login_not_required
def home(request):
    context = {
        "plans": plan_list(),
        "organisation_count": Organisation.objects.filter(is_public=True).count(),
        "municipalities": county_municipalities(settings.CIVSAM["COUNTY_CODE"]),
    }
    return render(request, "core/home.html", context)


def dashboard(request):
    scope = scope_for(request.user)
    assignments = request.user.role_assignments.select_related("municipality", "organisation")
    return render(request, "core/dashboard.html", {"scope": scope, "assignments": assignments})


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def about_demo(request):
    return render(request, "core/about_demo.html")


@login_not_required
def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        from civsam.api import problem_response

        return problem_response(request, 404, "Resursen finns inte.", detail=f"Ingen resurs på {request.path}.")
    return render(request, "404.html", status=404)
