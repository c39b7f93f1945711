from django.urls import path

from . import views
from .views import messages as message_views
from .views import moves as move_views

app_name = "meetings"
urlpatterns = [
    path("evenemang/", views.event_list_view, name="event-list"),
    path("evenemang/kalender.ics", views.calendar_all, name="calendar-all"),
    path("evenemang/arrangor/<str:orgnr>/kalender.ics", views.calendar_organiser, name="calendar-organiser"),
    path("evenemang/nytt/", views.event_create_view, name="event-create"),
    path("evenemang/<int:pk>/", views.event_detail, name="event-detail"),
    path("evenemang/<int:pk>/hantera/", views.event_manage, name="event-manage"),
    path("evenemang/<int:pk>/hantera/meddelande/", message_views.registrants_message_view, name="registrants-message"),
    path("evenemang/<int:pk>/hantera/redigera/", views.event_edit_view, name="event-edit"),
    path(
        "evenemang/<int:pk>/anmalningar.<str:fmt>", views.event_registrations_export, name="event-registrations-export"
    ),
    path("evenemang/anmalan/<int:pk>/flytta/", move_views.registration_move_view, name="registration-move"),
    path("evenemang/anmalan/<int:pk>/beslut/", views.registration_decide_view, name="registration-decide"),
    path("evenemang/<int:pk>.ics", views.calendar_event, name="calendar-event"),
    path("evenemang/<int:pk>/program/", views.programme, name="conference-programme"),
    path("evenemang/<int:pk>/hantera/konferens/", views.conference_manage, name="conference-manage"),
    path("evenemang/<int:pk>/hantera/budget/", views.conference_budget, name="conference-budget"),
    path(
        "evenemang/<int:pk>/hantera/budget.<str:fmt>", views.conference_budget_export, name="conference-budget-export"
    ),
    path("evenemang/<int:pk>/lagesrapport/", views.conference_status, name="conference-status"),
    path("evenemang/<int:pk>/lagesrapport.pdf", views.conference_status_pdf, name="conference-status-pdf"),
    path("evenemang/<int:pk>/hantera/forbered/", views.event_prepare, name="event-prepare"),
    path("evenemang/<int:pk>/hantera/efter/", views.event_followup, name="event-followup"),
    path("evenemang/<int:pk>/hantera/enkat/", views.survey_action, name="survey-action"),
    path("evenemang/<int:pk>/hantera/resultat/", views.event_results, name="event-results"),
    path("evenemang/<int:pk>/hantera/narvaro.<str:fmt>", views.attendance_export, name="attendance-export"),
    path("evenemang/<int:pk>/hantera/narvarolista.pdf", views.attendance_pdf, name="attendance-pdf"),
    path("evenemang/<int:pk>/hantera/namnbrickor.pdf", views.badges_pdf, name="badges-pdf"),
    path("evenemang/enkat/<int:survey_pk>/<str:phase>/<str:token>/", views.survey_respond, name="survey-respond"),
    path("evenemang/anmalan/<str:token>/avboka/", views.registration_cancel, name="registration-cancel"),
    path("evenemang/anmalan/<str:token>/bekrafta/", views.registration_accept, name="registration-accept"),
    path("evenemang/anmalan/<str:token>/e-post/", views.registration_confirm, name="registration-confirm"),
    path("natverk/", views.network_list_view, name="network-list"),
    path("natverk/nytt/", views.network_create_view, name="network-create"),
    path("natverk/<slug:slug>/", views.network_detail, name="network-detail"),
    path("natverk/<slug:slug>/hantera/", views.network_manage_view, name="network-manage"),
    path("natverk/<slug:slug>/redigera/", views.network_edit_view, name="network-edit"),
    path("natverk/<slug:slug>/bjud-in/", views.membership_invite_view, name="membership-invite"),
    path("natverk/<slug:slug>/avsluta/", views.network_close_view, name="network-close"),
    path("natverk/medlemskap/<int:pk>/svar/", views.membership_answer_view, name="membership-answer"),
    path("natverk/medlemskap/<int:pk>/avsluta/", views.membership_end_view, name="membership-end"),
    path("natverk/representant/<int:pk>/avsluta/", views.representative_end_view, name="representative-end"),
    path("natverk/<slug:slug>/kalender.ics", views.calendar_network, name="calendar-network"),
    path("natverk/<slug:slug>/medlemmar.<str:fmt>", views.network_members_export, name="network-members-export"),
    path("natverk/<slug:slug>/ansok/", views.membership_request_view, name="membership-request"),
    path("natverk/<slug:slug>/representanter/", views.representative_add_view, name="representative-add"),
    path("natverk/medlemskap/<int:pk>/beslut/", views.membership_decide_view, name="membership-decide"),
]
