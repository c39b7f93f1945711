from django.urls import path

from .views import analyses, pdfs, proxies, socioeconomic

app_name = "impact"
urlpatterns = [
    path("", analyses.analysis_list, name="analysis-list"),
    path("export.<str:fmt>", analyses.analysis_export, name="analysis-export"),
    path("ny/", analyses.analysis_create, name="analysis-create"),
    path("socioekonomiskt-bokslut/", socioeconomic.socioeconomic_account, name="socioeconomic-account"),
    path(
        "socioekonomiskt-bokslut/export.<str:fmt>",
        socioeconomic.socioeconomic_account_export,
        name="socioeconomic-account-export",
    ),
    path("proxyer/", proxies.proxy_list, name="proxy-list"),
    path("proxyer/export.<str:fmt>", proxies.proxy_export, name="proxy-export"),
    path("proxyer/ny/", proxies.proxy_create, name="proxy-create"),
    path("proxyer/<int:pk>/andra/", proxies.proxy_edit, name="proxy-edit"),
    path("<int:pk>/", analyses.analysis_detail, name="analysis-detail"),
    path("<int:pk>/andra/", analyses.analysis_edit, name="analysis-edit"),
    path("<int:pk>/skicka/", analyses.analysis_submit, name="analysis-submit"),
    path("<int:pk>/granska/", analyses.analysis_review, name="analysis-review"),
    path("<int:pk>/rapport.pdf", pdfs.analysis_pdf, name="analysis-pdf"),
    path("<int:pk>/pdf/", pdfs.analysis_pdf_create, name="analysis-pdf-create"),
    path("<int:pk>/pdf/<int:file_pk>/", pdfs.analysis_pdf_status, name="analysis-pdf-status"),
    path("<int:pk>/pdf/<int:file_pk>/rapport.pdf", pdfs.analysis_pdf_file, name="analysis-pdf-file"),
    path("<int:pk>/effektkarta.<str:fmt>", analyses.analysis_map, name="analysis-map"),
]
