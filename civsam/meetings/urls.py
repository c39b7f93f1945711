from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("evenemang/", views.event_list_view, name="event-list"),
    path("evenemang/kalender.ics", views.calendar_all, name="calendar-all"),
    path("evenemang/arrangor/<str:orgnr>/kalender.ics", views.calendar_organiser, name="calendar-organiser"),
    path("evenemang/nytt/", views.event_create_view, name="event-create"),
    path("evenemang/<int:pk>/", views.event_detail, name="event-detail"),
    path("evenemang/<int:pk>/hantera/", views.event_manage, name="event-manage"),
    path(
        "evenemang/<int:pk>/anmalningar.<str:fmt>", views.event_registrations_export, name="event-registrations-export"
    ),
    path("evenemang/anmalan/<int:pk>/beslut/", views.registration_decide_view, name="registration-decide"),
    path("evenemang/<int:pk>.ics", views.calendar_event, name="calendar-event"),
    path("evenemang/anmalan/<str:token>/avboka/", views.registration_cancel, name="registration-cancel"),
    path("evenemang/anmalan/<str:token>/bekrafta/", views.registration_accept, name="registration-accept"),
    path("natverk/", views.network_list_view, name="network-list"),
    path("natverk/<slug:slug>/", views.network_detail, name="network-detail"),
    path("natverk/<slug:slug>/kalender.ics", views.calendar_network, name="calendar-network"),
    path("natverk/<slug:slug>/medlemmar.<str:fmt>", views.network_members_export, name="network-members-export"),
    path("natverk/<slug:slug>/ansok/", views.membership_request_view, name="membership-request"),
    path("natverk/medlemskap/<int:pk>/beslut/", views.membership_decide_view, name="membership-decide"),
]
