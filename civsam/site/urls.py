from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("min-sida/", views.dashboard, name="dashboard"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("om-demodata/", views.about_demo, name="about-demo"),
]
