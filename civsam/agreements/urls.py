from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("oversikt/", views.overview, name="overview"),
    path("ny/", views.agreement_create_view, name="create"),
    path("overenskommelser.<str:fmt>", views.agreements_export, name="export"),
    path("bidrag.<str:fmt>", views.contributions_export, name="contributions-export"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/hantera/", views.agreement_manage_view, name="manage"),
    path("<int:pk>/redigera/", views.agreement_edit_view, name="edit"),
    path("<int:pk>/rattslig-bedomning/", views.assessment_view, name="assessment"),
    path("part/<int:pk>/svar/", views.party_answer_view, name="party-answer"),
    path("dokument/<int:pk>/", views.agreement_document, name="document"),
]
