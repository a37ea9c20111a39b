from django.urls import path

from jinlin.people import excel_views, group_views, views

urlpatterns = [
    path("buildings/<int:building_id>/", views.building_detail, name="building_detail"),
    path("households/<int:household_id>/", views.household_detail, name="household_detail"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:resident_id>/unmask/", views.resident_unmask, name="resident_unmask"),
    path("residents/<int:resident_id>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:resident_id>/leave/", views.resident_leave, name="resident_leave"),
    path(
        "residents/<int:resident_id>/groups/add/",
        views.resident_group_add,
        name="resident_group_add",
    ),
    path(
        "households/<int:household_id>/residents/new/",
        views.resident_create,
        name="resident_create",
    ),
    path(
        "residents/<int:resident_id>/emergency-contacts/new/",
        views.emergency_contact_create,
        name="emergency_contact_create",
    ),
    path(
        "residents/<int:resident_id>/emergency-contacts/<int:contact_id>/edit/",
        views.emergency_contact_edit,
        name="emergency_contact_edit",
    ),
    path(
        "residents/<int:resident_id>/emergency-contacts/<int:contact_id>/remove/",
        views.emergency_contact_remove,
        name="emergency_contact_remove",
    ),
    path(
        "residents/<int:resident_id>/emergency-contacts/<int:contact_id>/unmask/",
        views.emergency_contact_unmask,
        name="emergency_contact_unmask",
    ),
    path("areas/<int:area_id>/groups/", group_views.area_groups, name="area_groups"),
    path(
        "areas/<int:area_id>/groups/new/",
        group_views.area_group_create,
        name="area_group_create",
    ),
    path("subdistrict/groups/", group_views.subdistrict_groups, name="subdistrict_groups"),
    path(
        "subdistrict/groups/new/",
        group_views.subdistrict_group_create,
        name="subdistrict_group_create",
    ),
    path(
        "group-definitions/<int:definition_id>/edit/",
        group_views.group_definition_edit,
        name="group_definition_edit",
    ),
    path(
        "group-definitions/<int:definition_id>/retire/",
        group_views.group_definition_retire,
        name="group_definition_retire",
    ),
    path("areas/<int:area_id>/groups/<str:group>/", views.group_list, name="group_list"),
    path("search/", views.resident_search, name="resident_search"),
    path("areas/<int:area_id>/import/", excel_views.import_page, name="import_page"),
    path("import/template/<str:kind>.xlsx", excel_views.import_template, name="import_template"),
    path("areas/<int:area_id>/export/", excel_views.export_residents, name="export_residents"),
]
