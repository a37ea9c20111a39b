from django.urls import path

from jinlin.fieldwork import views

urlpatterns = [
    path("today/", views.today, name="fieldwork_today"),
    path("visits/", views.visit_list, name="fieldwork_visits"),
    path("visits/new/", views.visit_create, name="fieldwork_visit_create"),
    path("visits/<int:visit_id>/", views.visit_detail, name="fieldwork_visit"),
    path("proposals/", views.proposal_list, name="fieldwork_proposals"),
    path(
        "proposals/<int:proposal_id>/decide/",
        views.proposal_decide,
        name="fieldwork_proposal_decide",
    ),
    path("concerns/", views.concern_list, name="fieldwork_concerns"),
    path("concerns/new/", views.concern_create, name="fieldwork_concern_create"),
    path("concerns/<int:concern_id>/", views.concern_detail, name="fieldwork_concern"),
    path("patrols/", views.patrol_list, name="fieldwork_patrols"),
    path("patrols/new/", views.patrol_create, name="fieldwork_patrol_create"),
    path("patrols/<int:patrol_id>/", views.patrol_detail, name="fieldwork_patrol"),
    path("findings/<int:finding_id>/", views.finding_detail, name="fieldwork_finding"),
    path("photos/<int:photo_id>/", views.photo, name="fieldwork_photo"),
    path("cases/", views.case_list, name="fieldwork_cases"),
    path("cases/new/", views.case_create, name="fieldwork_case_create"),
    path("cases/<int:case_id>/", views.case_detail, name="fieldwork_case"),
    path(
        "evidence/<str:kind>/<int:object_id>/join/",
        views.evidence_join,
        name="fieldwork_evidence_join",
    ),
    path("consultations/", views.consultation_list, name="fieldwork_consultations"),
    path("consultations/new/", views.consultation_create, name="fieldwork_consultation_create"),
    path(
        "consultations/<int:consultation_id>/",
        views.consultation_detail,
        name="fieldwork_consultation",
    ),
    path("talents/", views.talent_list, name="fieldwork_talents"),
    path("areas/<int:area_id>/fieldwork/", views.dashboard, name="fieldwork_dashboard"),
    path("areas/<int:area_id>/visit-intervals/", views.intervals, name="fieldwork_intervals"),
]
