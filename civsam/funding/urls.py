from django.urls import path

from .views import figures, register, sources

app_name = "funding"
urlpatterns = [
    path("", sources.source_list, name="source-list"),
    path("kallor/ny/", sources.source_create, name="source-create"),
    path("kallor/<slug:slug>/", sources.source_detail, name="source-detail"),
    path("kallor/<slug:slug>/andra/", sources.source_edit, name="source-edit"),
    path("kallor/<slug:slug>/ny-utlysning/", sources.call_create, name="call-create"),
    path("bidragsgivare/ny/", sources.funder_create, name="funder-create"),
    path("utlysningar/", sources.call_list, name="call-list"),
    path("utlysningar/<int:pk>/", sources.call_detail, name="call-detail"),
    path("utlysningar/<int:pk>/andra/", sources.call_edit, name="call-edit"),
    path("utlysningar/<int:pk>/status/", sources.call_status, name="call-status"),
    path("bevakning/<str:orgnr>/", sources.subscriptions, name="subscriptions"),
    path("avsluta-bevakning/<str:token>/", sources.unsubscribe, name="unsubscribe"),
    path("bidragsregistret/", register.register, name="register"),
    path("bidragsregistret/export.<str:fmt>", register.register_export, name="register-export"),
    path("bidragsregistret/<int:pk>/", register.decision_detail, name="decision-detail"),
    path("bidragsregistret/importera/", register.grant_import_page, name="import"),
    path("bidragsregistret/importera/mall.csv", register.grant_import_template, name="import-template"),
    path("bidragsstatistik/", figures.grant_statistics, name="statistics"),
    path("bidragsstatistik/export.<str:fmt>", figures.grant_statistics_export, name="statistics-export"),
    path("bidragsstatistik/berakna/", figures.grant_statistics_compute, name="statistics-compute"),
]
