from django.urls import path

from .views import analyses, builder, pdfs, proxies, socioeconomic

app_name = "impact"
urlpatterns = [
    path("", analyses.analysis_list, name="analysis-list"),
    path("export.<str:fmt>", analyses.analysis_export, name="analysis-export"),
    path("ny/", analyses.analysis_create, name="analysis-create"),
    path("effektkarta-mall.xlsx", builder.map_template, name="map-template"),
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
    path("<int:pk>/bygg/", builder.analysis_build, name="analysis-build"),
    path("<int:pk>/bygg/starta/", builder.analysis_build_start, name="analysis-build-start"),
    path("<int:pk>/bygg/<str:slug>/ny/", builder.analysis_build_add, name="analysis-build-add"),
    path("<int:pk>/bygg/<str:slug>/<str:item_id>/", builder.analysis_build_item, name="analysis-build-item"),
    path(
        "<int:pk>/bygg/<str:slug>/<str:item_id>/ta-bort/", builder.analysis_build_remove, name="analysis-build-remove"
    ),
    path("<int:pk>/skicka/", analyses.analysis_submit, name="analysis-submit"),
    path("<int:pk>/granska/", analyses.analysis_review, name="analysis-review"),
    path("<int:pk>/rapport.pdf", pdfs.analysis_pdf, name="analysis-pdf"),
    path("<int:pk>/pdf/", pdfs.analysis_pdf_create, name="analysis-pdf-create"),
    path("<int:pk>/pdf/<int:file_pk>/", pdfs.analysis_pdf_status, name="analysis-pdf-status"),
    path("<int:pk>/pdf/<int:file_pk>/rapport.pdf", pdfs.analysis_pdf_file, name="analysis-pdf-file"),
    path("<int:pk>/effektkarta.<str:fmt>", analyses.analysis_map, name="analysis-map"),
]
