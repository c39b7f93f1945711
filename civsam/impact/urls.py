from django.urls import path

from . import account_views, views

app_name = "impact"
urlpatterns = [
    path("", views.analysis_list, name="analysis-list"),
    path("export.<str:fmt>", views.analysis_export, name="analysis-export"),
    path("ny/", views.analysis_create, name="analysis-create"),
    path("socioekonomiskt-bokslut/", account_views.socioeconomic_account, name="socioeconomic-account"),
    path(
        "socioekonomiskt-bokslut/export.<str:fmt>",
        account_views.socioeconomic_account_export,
        name="socioeconomic-account-export",
    ),
    path("proxyer/", views.proxy_list, name="proxy-list"),
    path("proxyer/export.<str:fmt>", views.proxy_export, name="proxy-export"),
    path("proxyer/ny/", views.proxy_create, name="proxy-create"),
    path("proxyer/<int:pk>/andra/", views.proxy_edit, name="proxy-edit"),
    path("<int:pk>/", views.analysis_detail, name="analysis-detail"),
    path("<int:pk>/andra/", views.analysis_edit, name="analysis-edit"),
    path("<int:pk>/skicka/", views.analysis_submit, name="analysis-submit"),
    path("<int:pk>/granska/", views.analysis_review, name="analysis-review"),
    path("<int:pk>/rapport.pdf", views.analysis_pdf, name="analysis-pdf"),
    path("<int:pk>/pdf/", views.analysis_pdf_create, name="analysis-pdf-create"),
    path("<int:pk>/pdf/<int:file_pk>/", views.analysis_pdf_status, name="analysis-pdf-status"),
    path("<int:pk>/pdf/<int:file_pk>/rapport.pdf", views.analysis_pdf_file, name="analysis-pdf-file"),
    path("<int:pk>/effektkarta.<str:fmt>", views.analysis_map, name="analysis-map"),
]
