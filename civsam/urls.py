from django.contrib import admin
from django.urls import include, path, re_path

from civsam.api import api, api_not_found

urlpatterns = [
    path("", include("civsam.core.urls")),
    path("konto/", include("civsam.accounts.urls")),
    path("handlingsplaner/", include("civsam.plan.urls")),
    path("organisationer/", include("civsam.registry.urls")),
    path("", include("civsam.meetings.urls")),
    path("samhallsnytta/", include("civsam.impact.urls")),
    path("i18n/", include("civsam.core.i18n_urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # after the API: unknown API paths get a 404 problem, not HTML
    path("admin/", admin.site.urls),
]

handler404 = "civsam.core.views.not_found"
