from django.urls import path, re_path

from . import views

app_name = "stats"

AREA = r"(?P<area>18|[0-9]{4})"

urlpatterns = [
    path("", views.statistics_area, name="county"),
    path("berakna/", views.statistics_compute, name="compute"),
    path("uppgifter.<str:fmt>", views.statistics_all_export, name="all-export"),
    re_path(rf"^{AREA}/$", views.statistics_area, name="area"),
    re_path(rf"^{AREA}/(?P<figure>[a-z0-9-]+)/$", views.statistics_figure, name="figure"),
    re_path(
        rf"^{AREA}/(?P<figure>[a-z0-9-]+)\.(?P<fmt>[a-z-]+)$", views.statistics_figure_export, name="figure-export"
    ),
]
