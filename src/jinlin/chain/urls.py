from django.urls import path

from jinlin.chain import notice_views, views
from jinlin.chain.activities import views as activity_views

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
]
