from django.urls import path

from jinlin.overview import audit_views, views

urlpatterns = [
    path("subdistrict/", views.subdistrict_overview, name="subdistrict_overview"),
    path("subdistrict/export.xlsx", views.subdistrict_export, name="subdistrict_export"),
    path("subdistrict/party-check/", views.subdistrict_party_check, name="subdistrict_party_check"),
    path("areas/<int:area_id>/", views.area_overview, name="area_overview"),
    path("areas/<int:area_id>/open/", views.area_open, name="area_open"),
    path("compounds/<int:compound_id>/", views.compound_detail, name="compound_detail"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("households/<int:household_id>/story/", views.household_story, name="household_story"),
    path("residents/<int:resident_id>/story/", views.resident_story, name="resident_story"),
    path("households/<int:household_id>/sheet/", views.household_sheet, name="household_sheet"),
    path(
        "households/<int:household_id>/sheet.pdf",
        views.household_sheet_pdf,
        name="household_sheet_pdf",
    ),
]
