from django.urls import path

from . import duplicate_views, views, views_representatives
from .imports import views as import_views

app_name = "registry"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.<str:fmt>", views.directory_export, name="directory-export"),
    path("export/<int:pk>/", views.directory_export_status, name="directory-export-status"),
    path("export/<int:pk>/organisationer.xlsx", views.directory_export_file, name="directory-export-file"),
    path("ny/", views.organisation_create, name="organisation-create"),
    path("anmal/", views.organisation_register, name="organisation-register"),
    path("importera/", import_views.import_start, name="import"),
    path("importera/mall.csv", import_views.import_template, name="import-template"),
    path("importera/klar/<int:pk>/", import_views.import_done, name="import-done"),
    path("importera/<str:token>/", import_views.import_preview, name="import-preview"),
    path("importera/<str:token>/fel.csv", import_views.import_errors, name="import-errors"),
    path("dubbletter/", duplicate_views.duplicates, name="duplicates"),
    path("dubbletter/<int:pk>/", duplicate_views.duplicate_resolve, name="duplicate-resolve"),
    path("dubbletter/sammanslagningar/<int:pk>/angra/", duplicate_views.merge_undo, name="merge-undo"),
    path("dubbletter/<int:pk>/jamfor/", duplicate_views.duplicate_compare, name="duplicate-compare"),
    path("dubbletter/<int:pk>/sla-ihop/", duplicate_views.duplicate_merge, name="duplicate-merge"),
    path("foretradare/", views.representation_requests, name="representation-requests"),
    path("foretradare/<int:pk>/", views.representation_request, name="representation-request"),
    path("inbjudan/<str:token>/", views_representatives.invitation_open, name="representation-invitation-open"),
    path("inbjudningar/<int:pk>/", views_representatives.invitation, name="representation-invitation"),
    path("<str:orgnr>/", views.organisation_detail, name="organisation-detail"),
    path("<str:orgnr>/andra/", views.organisation_edit, name="organisation-edit"),
    path("<str:orgnr>/ta-bort/", views.organisation_delete, name="organisation-delete"),
    path("<str:orgnr>/kontaktpersoner/", views.organisation_contacts, name="organisation-contacts"),
    path("<str:orgnr>/kontaktpersoner/ny/", views.contact_add, name="contact-add"),
    path("<str:orgnr>/kontaktpersoner/<int:pk>/bekrafta/", views.contact_confirm, name="contact-confirm"),
    path("<str:orgnr>/kontaktpersoner/<int:pk>/ta-bort/", views.contact_delete, name="contact-delete"),
    path("<str:orgnr>/foretrad/", views.representation_request_create, name="representation-request-create"),
    path("<str:orgnr>/foretradare/", views_representatives.representatives, name="representatives"),
    path(
        "<str:orgnr>/foretradare/<int:pk>/ta-bort/",
        views_representatives.representative_remove,
        name="representative-remove",
    ),
    path("<str:orgnr>/historik/", views.organisation_history, name="organisation-history"),
    path("<str:orgnr>/sammanfor/", views.organisation_merge, name="organisation-merge"),
]
