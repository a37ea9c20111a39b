from django.urls import path

from jinlin.places import views

urlpatterns = [
    path("subdistrict/", views.subdistrict_overview, name="subdistrict_overview"),
    path("subdistrict/export.xlsx", views.subdistrict_export, name="subdistrict_export"),
    path("areas/<int:area_id>/", views.area_overview, name="area_overview"),
    path("areas/<int:area_id>/open/", views.area_open, name="area_open"),
    path("areas/<int:area_id>/adjacency/", views.area_adjacency, name="area_adjacency"),
    path(
        "areas/<int:area_id>/adjacency/add/",
        views.area_adjacency_change,
        {"change": "add"},
        name="area_adjacency_add",
    ),
    path(
        "areas/<int:area_id>/adjacency/remove/",
        views.area_adjacency_change,
        {"change": "remove"},
        name="area_adjacency_remove",
    ),
    path("compounds/<int:compound_id>/", views.compound_detail, name="compound_detail"),
    path(
        "compounds/<int:compound_id>/adjacency/",
        views.compound_adjacency,
        name="compound_adjacency",
    ),
    path(
        "compounds/<int:compound_id>/adjacency/apply/",
        views.adjacency_apply,
        name="compound_adjacency_apply",
    ),
    path(
        "compounds/<int:compound_id>/adjacency/add/",
        views.adjacency_change,
        {"change": "add"},
        name="compound_adjacency_add",
    ),
    path(
        "compounds/<int:compound_id>/adjacency/remove/",
        views.adjacency_change,
        {"change": "remove"},
        name="compound_adjacency_remove",
    ),
    path("buildings/<int:building_id>/", views.building_detail, name="building_detail"),
    path("households/<int:household_id>/", views.household_detail, name="household_detail"),
]
