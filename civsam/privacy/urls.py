from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice, name="notice"),
    path("behandlingar/", views.record, name="record"),
    path("lasloggen/", views.read_log, name="read-log"),
    path("lasloggen.csv", views.read_log_export, name="read-log-export"),
    path("registerutdrag/", views.subject_search, name="subject-search"),
    path("registerutdrag/<int:pk>/", views.subject_request, name="subject-request"),
    path("registerutdrag/<int:pk>/utdrag.json", views.subject_request_export, name="subject-request-export"),
]
