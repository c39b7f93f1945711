"""Civsam's own account pages, under /konto/ in the `accounts` namespace. `login` and `logout` are
allauth's views under the names the rest of Civsam has always used (LOGIN_URL = "accounts:login");
allauth's own names for the same and its other pages are in allauth_urls.py."""

from allauth.account import views as allauth_views
from django.urls import path
from django.views.decorators.http import require_POST

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("logga-in/", allauth_views.login, name="login"),
    # Logging out changes state, so only a POST does it (the header's button); allauth would
    # answer a GET with a page asking to confirm.
    path("logga-ut/", require_POST(allauth_views.logout), name="logout"),
    path("mina-uppgifter/", views.personal_data, name="personal-data"),
    path("ta-bort/", views.delete, name="delete"),
]
