from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("katalog", views.catalogue, name="catalogue"),
    path("katalog.<str:extension>", views.catalogue_file, name="catalogue-file"),
]
