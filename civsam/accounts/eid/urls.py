from django.urls import path

from . import views

app_name = "eid"
urlpatterns = [
    path("", views.account, name="account"),
    path("logga-in/", views.login_start, name="login"),
    path("koppla/", views.link_start, name="link"),
    path("retur/", views.callback, name="callback"),
    path("nytt-konto/", views.signup, name="signup"),
    path("koppla-senaste/", views.link_pending, name="link-pending"),
    path("ta-bort/", views.unlink, name="unlink"),
    path("jwks.json", views.jwks, name="jwks"),
]
