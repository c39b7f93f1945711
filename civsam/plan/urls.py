from django.urls import path

from . import views

app_name = "plan"
urlpatterns = [
    path("", views.plan_list_view, name="plan-list"),
    path("<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("<slug:slug>/insatsomrade-<int:number>/", views.focus_area_detail, name="focus-area-detail"),
    path(
        "<slug:slug>/insatsomrade-<int:focus_number>/aktivitetsomrade-<int:number>/",
        views.priority_area_detail,
        name="priority-area-detail",
    ),
]
