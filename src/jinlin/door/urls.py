"""The residents' door: public pages, short addresses (they are printed as QR codes)."""

from django.urls import path

from jinlin.door import views

urlpatterns = [
    path("b/<str:token>/", views.building_page, name="door_building"),
    path("r/", views.receipt_lookup, name="door_receipt_lookup"),
    path("r/<str:receipt>/", views.receipt_page, name="door_receipt"),
]
