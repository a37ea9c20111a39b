from django.urls import path

from jinlin.chain import notice_views, views
from jinlin.chain.needs import views as need_views

urlpatterns = [
    # A network member's own page: its households (views).
    path("me/", views.member_home, name="member_home"),
    path(
        "me/households/<int:household_id>/contact/",
        views.member_contact,
        name="member_contact",
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
