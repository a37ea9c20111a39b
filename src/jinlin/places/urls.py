from django.urls import path

from jinlin.places import views

urlpatterns = [
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
]
