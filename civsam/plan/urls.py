from django.urls import path

from .views import consultations, followup, imports, indicators, registration, reports, tree

app_name = "plan"
urlpatterns = [
    path("", tree.plan_list_view, name="plan-list"),
    path("genomforande/", followup.followup_current, name="followup-current"),
    path("insatser/ny/", followup.initiative_create, name="initiative-create"),
    path("insatser/registrera/", registration.initiative_register, name="initiative-register"),
    path("insatser/<int:pk>/", followup.initiative_detail, name="initiative-detail"),
    path("insatser/<int:pk>/andra/", followup.initiative_edit, name="initiative-edit"),
    path("insatser/<int:pk>/verifiera/", followup.initiative_verify, name="initiative-verify"),
    path("remiss/<int:pk>/", consultations.consultation_detail, name="consultation-detail"),
    path("remiss/<int:pk>/sammanstallning/", consultations.consultation_summary, name="consultation-summary"),
    path(
        "remiss/<int:pk>/sammanstallning.<str:fmt>",
        consultations.consultation_summary,
        name="consultation-summary-export",
    ),
    path("remiss/<int:pk>/status/", consultations.consultation_status, name="consultation-status"),
    path("remiss/<int:pk>/publicera/", consultations.consultation_report_publish, name="consultation-publish"),
    path("remiss/svar/<int:pk>/", consultations.response_manage, name="consultation-response"),
    path("remiss/bilaga/<int:pk>/", consultations.attachment_download, name="consultation-attachment"),
    path("import/<str:kind>/", imports.import_view, name="import"),
    path("indikatorer/<slug:code>/", indicators.indicator_detail, name="indicator-detail"),
    path("indikatorer/<slug:code>/andra/", indicators.indicator_edit, name="indicator-edit"),
    path("indikatorer/<slug:code>/ta-bort/", indicators.indicator_delete, name="indicator-delete"),
    path("<slug:slug>/", tree.plan_detail, name="plan-detail"),
    path("<slug:slug>/beslut/", tree.plan_decide, name="plan-decide"),
    path("<slug:slug>/texter/<str:target>/", tree.plan_text_edit, name="plan-text-edit"),
    path("<slug:slug>/strategier-och-mal/<str:target>/", tree.area_frame_edit, name="area-frame-edit"),
    path("<slug:slug>/genomforande/", followup.followup, name="followup"),
    path("<slug:slug>/genomforande/omrade-<int:area_id>/", followup.followup_area, name="followup-area"),
    path("<slug:slug>/genomforande/insatser.<str:fmt>", followup.followup_export, name="followup-export"),
    path("<slug:slug>/indikatorer/", indicators.indicator_list, name="indicator-list"),
    path("<slug:slug>/indikatorer/ny/", indicators.indicator_create, name="indicator-create"),
    path("<slug:slug>/indikatorer/utfall.<str:fmt>", indicators.indicator_export, name="indicator-export"),
    path("<slug:slug>/remiss/", consultations.consultation_list, name="consultation-list"),
    path("<slug:slug>/uppfoljning/", reports.report_index, name="report-index"),
    path("<slug:slug>/uppfoljning/<int:year>/", reports.report_detail, name="report-detail"),
    path("<slug:slug>/uppfoljning/<int:year>/rapport.pdf", reports.report_pdf, name="report-pdf"),
    path("<slug:slug>/uppfoljning/<int:year>/pdf/", reports.report_pdf_create, name="report-pdf-create"),
    path("<slug:slug>/uppfoljning/<int:year>/pdf/<int:pk>/", reports.report_pdf_status, name="report-pdf-status"),
    path(
        "<slug:slug>/uppfoljning/<int:year>/pdf/<int:pk>/rapport.pdf", reports.report_pdf_file, name="report-pdf-file"
    ),
    path("<slug:slug>/uppfoljning/<int:year>/redigera/", reports.report_edit, name="report-edit"),
    path("<slug:slug>/uppfoljning/<int:year>/status/", reports.report_status, name="report-status"),
    path("<slug:slug>/insatsomrade-<int:number>/", tree.focus_area_detail, name="focus-area-detail"),
    path(
        "<slug:slug>/insatsomrade-<int:focus_number>/aktivitetsomrade-<int:number>/",
        tree.priority_area_detail,
        name="priority-area-detail",
    ),
]
