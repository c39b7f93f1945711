from django.urls import path

from .views import applications, figures, handling, letters, payments, programmes, register, reviews, sources

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
    path("utlysningar/<int:pk>/ansok/", applications.application_create, name="application-create"),
    path("utlysningar/<int:pk>/ansokningar/", handling.call_queue, name="call-queue"),
    path("utlysningar/<int:pk>/formular/", programmes.call_form, name="call-form"),
    path("utlysningar/<int:pk>/formular/<int:field_pk>/", programmes.call_field_edit, name="call-field-edit"),
    path(
        "utlysningar/<int:pk>/formular/<int:field_pk>/ta-bort/", programmes.call_field_delete, name="call-field-delete"
    ),
    path("utlysningar/<int:pk>/formular/<int:field_pk>/flytta/", programmes.call_field_move, name="call-field-move"),
    path(
        "utlysningar/<int:pk>/kriterier/<int:criterion_pk>/",
        programmes.call_criterion_edit,
        name="call-criterion-edit",
    ),
    path(
        "utlysningar/<int:pk>/kriterier/<int:criterion_pk>/ta-bort/",
        programmes.call_criterion_delete,
        name="call-criterion-delete",
    ),
    path("program/", programmes.programme_list, name="programme-list"),
    path("program/<slug:slug>/", programmes.programme_detail, name="programme-detail"),
    path("program/<slug:slug>/andra/", programmes.programme_edit, name="programme-edit"),
    path("program/<slug:slug>/budget/", programmes.programme_budget, name="programme-budget"),
    path("ansokningar/", applications.application_list, name="application-list"),
    path("ansokningar/<int:pk>/", applications.application_detail, name="application-detail"),
    path("ansokningar/<int:pk>/andra/", applications.application_edit, name="application-edit"),
    path("ansokningar/<int:pk>/skicka-in/", applications.application_submit, name="application-submit"),
    path("ansokningar/<int:pk>/aterta/", applications.application_withdraw, name="application-withdraw"),
    path("ansokningar/<int:pk>/bilagor/", applications.attachment_add, name="attachment-add"),
    path("ansokningar/<int:pk>/bilagor/<int:attachment_pk>/", applications.attachment_file, name="attachment-file"),
    path(
        "ansokningar/<int:pk>/bilagor/<int:attachment_pk>/ta-bort/",
        applications.attachment_delete,
        name="attachment-delete",
    ),
    path(
        "ansokningar/<int:pk>/aterrapport/<int:requirement_pk>/",
        applications.followup_report,
        name="followup-report",
    ),
    path("ansokningar/<int:pk>/komplettering/", handling.application_completion, name="application-completion"),
    path("ansokningar/<int:pk>/bedomning/", handling.application_start_review, name="application-start-review"),
    path("ansokningar/<int:pk>/bedomare/", handling.review_assign, name="review-assign"),
    path(
        "ansokningar/<int:pk>/bedomare/<int:assignment_pk>/ta-bort/", handling.review_unassign, name="review-unassign"
    ),
    path("ansokningar/<int:pk>/bedomare/<int:assignment_pk>/oppna/", handling.review_reopen, name="review-reopen"),
    path("ansokningar/<int:pk>/beslut/nytt/", handling.application_decide, name="application-decide"),
    path("ansokningar/<int:pk>/beslut/", letters.decision_letter, name="decision-letter"),
    path("ansokningar/<int:pk>/beslut.pdf", letters.decision_letter_pdf, name="decision-letter-pdf"),
    path("ansokningar/<int:pk>/beslut/pdf/", letters.decision_letter_create, name="decision-letter-create"),
    path(
        "ansokningar/<int:pk>/beslut/pdf/<int:file_pk>/", letters.decision_letter_status, name="decision-letter-status"
    ),
    path(
        "ansokningar/<int:pk>/beslut/pdf/<int:file_pk>/fil/", letters.decision_letter_file, name="decision-letter-file"
    ),
    path("ansokningar/<int:pk>/rapporter/<int:report_pk>/granska/", handling.followup_review, name="followup-review"),
    path("ansokningar/<int:pk>/aterkrav/", handling.recovery_create, name="recovery-create"),
    path("ansokningar/<int:pk>/aterkrav/<int:recovery_pk>/", handling.recovery_settle, name="recovery-settle"),
    path("ansokningar/<int:pk>/avsluta/", handling.application_close, name="application-close"),
    path("bedomningar/", reviews.review_list, name="review-list"),
    path("bedomningar/<int:pk>/", reviews.review_detail, name="review-detail"),
    path("utbetalningar/", payments.payments, name="payments"),
    path("utbetalningar/<int:pk>/", payments.payment_batch, name="payment-batch"),
    path("utbetalningar/<int:pk>/fil.csv", payments.payment_batch_file, name="payment-batch-file"),
    path(
        "utbetalningar/<int:pk>/delbetalningar/<int:instalment_pk>/tillbaka/",
        payments.instalment_return,
        name="instalment-return",
    ),
    path("utbetalningskonto/<str:orgnr>/", applications.payment_account, name="payment-account"),
    path("bevakning/<str:orgnr>/", sources.subscriptions, name="subscriptions"),
    path("avsluta-bevakning/<str:token>/", sources.unsubscribe, name="unsubscribe"),
    path("bidragsregistret/", register.register, name="register"),
    path("bidragsregistret/export.<str:fmt>", register.register_export, name="register-export"),
    path("bidragsregistret/mottagare.csv", register.register_recipients, name="register-recipients"),
    path("bidragsregistret/<int:pk>/", register.decision_detail, name="decision-detail"),
    path("bidragsregistret/importera/", register.grant_import_page, name="import"),
    path("bidragsregistret/importera/mall.csv", register.grant_import_template, name="import-template"),
    path("bidragsstatistik/", figures.grant_statistics, name="statistics"),
    path("bidragsstatistik/export.<str:fmt>", figures.grant_statistics_export, name="statistics-export"),
    path("bidragsstatistik/berakna/", figures.grant_statistics_compute, name="statistics-compute"),
]
