from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from civsam.api import api, api_not_found

# The admin site logs people in through Civsam's login, which asks staff for their second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("civsam.site.urls")),
    path("konto/", include("civsam.accounts.urls")),
    path("konto/", include("civsam.accounts.allauth_urls")),  # allauth's pages, under its own names
    path("konto/e-legitimation/", include("civsam.accounts.eid.urls")),
    path("handlingsplaner/", include("civsam.plan.urls")),
    path("organisationer/", include("civsam.registry.urls")),
    path("", include("civsam.meetings.urls")),
    path("samhallsnytta/", include("civsam.impact.urls")),
    path("finansiering/", include("civsam.funding.urls")),
    path("overenskommelser/", include("civsam.agreements.urls")),
    path("marknad/", include("civsam.market.urls")),
    path("statistik/", include("civsam.stats.urls")),
    path("oppna-data/", include("civsam.stats.catalogue.urls")),
    path("integritet/", include("civsam.privacy.urls")),
    path("i18n/", include("civsam.core.i18n_urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # after the API: unknown API paths get a 404 problem, not HTML
    path("admin/", admin.site.urls),
    path("health/", include("civsam.core.health")),  # for the load balancer: live and ready
]

handler403 = "civsam.site.views.permission_denied"
handler429 = "civsam.accounts.views.rate_limited"  # allauth's rate limits (ADR 0080)
handler404 = "civsam.site.views.page_not_found"
handler500 = "civsam.site.views.server_error"
