from django.urls import path

from jinlin.fieldwork.cases import views as cases
from jinlin.fieldwork.concerns import views as concerns
from jinlin.fieldwork.consultations import views as consultations
from jinlin.fieldwork.handover import views as handover
from jinlin.fieldwork.patrols import views as patrols
from jinlin.fieldwork.summary import views as summary
from jinlin.fieldwork.visits import views as visits

urlpatterns = [
    path("today/", summary.today, name="fieldwork_today"),
    path("visits/", visits.visit_list, name="fieldwork_visits"),
    path("visits/new/", visits.visit_create, name="fieldwork_visit_create"),
    path("visits/<int:visit_id>/", visits.visit_detail, name="fieldwork_visit"),
    path("proposals/", visits.proposal_list, name="fieldwork_proposals"),
    path(
        "proposals/<int:proposal_id>/decide/",
        visits.proposal_decide,
        name="fieldwork_proposal_decide",
    ),
    path("concerns/", concerns.concern_list, name="fieldwork_concerns"),
    path("concerns/new/", concerns.concern_create, name="fieldwork_concern_create"),
    path("concerns/<int:concern_id>/", concerns.concern_detail, name="fieldwork_concern"),
    path(
        "concerns/<int:concern_id>/photo/", concerns.concern_photo, name="fieldwork_concern_photo"
    ),
    path("patrols/", patrols.patrol_list, name="fieldwork_patrols"),
    path("patrols/new/", patrols.patrol_create, name="fieldwork_patrol_create"),
    path("patrols/<int:patrol_id>/", patrols.patrol_detail, name="fieldwork_patrol"),
    path("findings/<int:finding_id>/", patrols.finding_detail, name="fieldwork_finding"),
    path("photos/<int:photo_id>/", patrols.photo, name="fieldwork_photo"),
    path("cases/", cases.case_list, name="fieldwork_cases"),
    path("cases/new/", cases.case_create, name="fieldwork_case_create"),
    path("cases/<int:case_id>/", cases.case_detail, name="fieldwork_case"),
    path(
        "evidence/<str:kind>/<int:object_id>/join/",
        cases.evidence_join,
        name="fieldwork_evidence_join",
    ),
    path("consultations/", consultations.consultation_list, name="fieldwork_consultations"),
    path(
        "consultations/new/",
        consultations.consultation_create,
        name="fieldwork_consultation_create",
    ),
    path(
        "consultations/<int:consultation_id>/",
        consultations.consultation_detail,
        name="fieldwork_consultation",
    ),
    path("cases/<int:case_id>/reassign/", handover.case_reassign, name="fieldwork_case_reassign"),
    path(
        "concerns/<int:concern_id>/reassign/",
        handover.concern_reassign,
        name="fieldwork_concern_reassign",
    ),
    path("areas/<int:area_id>/handover/", handover.area_handover, name="fieldwork_handover"),
    path(
        "areas/<int:area_id>/handover/<int:reassignment_id>/",
        handover.handover_done,
        name="fieldwork_handover_done",
    ),
    path("talents/", cases.talent_list, name="fieldwork_talents"),
    path("areas/<int:area_id>/fieldwork/", summary.dashboard, name="fieldwork_dashboard"),
    path("areas/<int:area_id>/visit-intervals/", visits.intervals, name="fieldwork_intervals"),
]
