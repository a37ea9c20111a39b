from django.urls import path

from jinlin.chain import notice_views, views
from jinlin.chain.activities import views as activity_views
from jinlin.chain.needs import views as need_views

urlpatterns = [
    # A network member's own page: its households (views).
    path("me/", views.member_home, name="member_home"),
    path(
        "me/households/<int:household_id>/contact/",
        views.member_contact,
        name="member_contact",
    ),
    # Which households of a Party scope no member has contacted lately (views).
    path(
        "party/areas/<int:area_id>/contacts/",
        views.contact_freshness,
        name="chain_contact_freshness",
    ),
    # Notices down the chain (notice_views): an area's notices, one notice's reach, a member's.
    path("areas/<int:area_id>/notices/", notice_views.notices, name="chain_notices"),
    path("notices/<int:notice_id>/", notice_views.notice_detail, name="chain_notice"),
    path(
        "notices/<int:notice_id>/withdraw/",
        notice_views.notice_withdraw,
        name="chain_notice_withdraw",
    ),
    path("notices/<int:notice_id>/mark/", notice_views.notice_mark, name="chain_notice_mark"),
    path("me/notices/", notice_views.member_notices, name="member_notices"),
    path(
        "me/notices/<int:notice_id>/households/<int:household_id>/",
        notice_views.member_mark,
        name="member_notice_mark",
    ),
    # 楼组 activities (activities.views): record one, a building's record, the area's overview.
    path(
        "buildings/<int:building_id>/activities/",
        activity_views.building_activities,
        name="chain_building_activities",
    ),
    path(
        "buildings/<int:building_id>/activities/new/",
        activity_views.activity_new,
        name="chain_activity_new",
    ),
    path(
        "activities/<int:activity_id>/withdraw/",
        activity_views.activity_withdraw,
        name="chain_activity_withdraw",
    ),
    path(
        "activities/photos/<int:photo_id>/",
        activity_views.activity_photo,
        name="chain_activity_photo",
    ),
    path(
        "areas/<int:area_id>/activities/", activity_views.area_activities, name="chain_activities"
    ),
    # 双报到 needs (needs.views): the committee's list and hours report, a member's claims.
    path("areas/<int:area_id>/needs/", need_views.committee_needs, name="chain_needs"),
    path("areas/<int:area_id>/needs/hours/", need_views.hours_report, name="chain_needs_hours"),
    path("needs/<int:need_id>/withdraw/", need_views.need_withdraw, name="chain_need_withdraw"),
    path(
        "needs/claims/<int:claim_id>/confirm/", need_views.claim_confirm, name="chain_claim_confirm"
    ),
    path(
        "needs/claims/<int:claim_id>/decline/", need_views.claim_decline, name="chain_claim_decline"
    ),
    path("me/needs/", need_views.member_needs, name="member_needs"),
    path("me/needs/<int:need_id>/claim/", need_views.member_claim, name="member_need_claim"),
    path(
        "me/claims/<int:claim_id>/complete/",
        need_views.member_claim_complete,
        name="member_claim_complete",
    ),
    path(
        "me/claims/<int:claim_id>/withdraw/",
        need_views.member_claim_withdraw,
        name="member_claim_withdraw",
    ),
]
