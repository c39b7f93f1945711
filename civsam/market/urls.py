from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("", views.offer_list, name="offer-list"),
    path("erbjudanden/nytt/", views.offer_create, name="offer-create"),
    path("erbjudanden/<int:pk>/", views.offer_detail, name="offer-detail"),
    path("erbjudanden/<int:pk>/kontakt/", views.offer_contact, name="offer-contact"),
    path("erbjudanden/<int:pk>/andra/", views.offer_edit, name="offer-edit"),
    path("erbjudanden/<int:pk>/bekrafta/", views.offer_confirm, name="offer-confirm"),
    path("upphandlingar/", views.procurement_list, name="procurement-list"),
    path("upphandlingar/ocds.json", views.procurement_ocds, name="procurement-ocds"),
    path("upphandlingar/ny/", views.procurement_create, name="procurement-create"),
    path("upphandlingar/<int:pk>/", views.procurement_detail, name="procurement-detail"),
    path("upphandlingar/<int:pk>/andra/", views.procurement_edit, name="procurement-edit"),
    path("andel-av-inkop/", views.spend_share, name="spend-share"),
    path("andel-av-inkop/export.<str:fmt>", views.spend_share_export, name="spend-share-export"),
    path("andel-av-inkop/metod/", views.spend_methodology, name="spend-methodology"),
    path("andel-av-inkop/ladda-upp/", views.spend_upload, name="spend-upload"),
]
