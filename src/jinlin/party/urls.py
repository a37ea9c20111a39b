from django.urls import path

from jinlin.party.views import accounts as accounts_views
from jinlin.party.views import groups as groups_views
from jinlin.party.views import network as network_views
from jinlin.party.views import placards as placards_views
from jinlin.party.views import posts as posts_views

urlpatterns = [
    path("party/", network_views.party_home, name="party_home"),
    path("party/areas/<int:area_id>/", network_views.network, name="party_network"),
    path("party/areas/<int:area_id>/proposal/", network_views.proposal, name="party_proposal"),
    path("party/areas/<int:area_id>/coverage/", network_views.coverage, name="party_coverage"),
    path("party/areas/<int:area_id>/members/", network_views.members, name="party_members"),
    path("party/areas/<int:area_id>/invite/", accounts_views.invite_page, name="party_invite"),
    path(
        "party/members/<int:member_id>/invite/",
        accounts_views.member_invite_view,
        name="party_member_invite",
    ),
    path(
        "party/accounts/<int:account_id>/invite/",
        accounts_views.account_reinvite_view,
        name="party_account_reinvite",
    ),
    path(
        "party/organisations/<int:organisation_id>/",
        posts_views.organisation_detail,
        name="party_organisation",
    ),
    path(
        "party/organisations/<int:organisation_id>/appoint/",
        posts_views.position_appoint,
        name="party_position_appoint",
    ),
    path(
        "party/organisations/<int:organisation_id>/contact/",
        posts_views.contact_set,
        name="party_contact_set",
    ),
    path(
        "party/positions/<int:position_id>/end/",
        posts_views.position_end,
        name="party_position_end",
    ),
    path("party/groups/<int:group_id>/", groups_views.group_detail, name="party_group"),
    path(
        "party/groups/<int:group_id>/assign/", groups_views.group_assign, name="party_group_assign"
    ),
    path(
        "party/groups/<int:group_id>/meetings/new/",
        groups_views.meeting_new,
        name="party_meeting_new",
    ),
    path(
        "party/buildings/<int:building_id>/placard.pdf",
        placards_views.placard_building,
        name="party_placard_building",
    ),
    path(
        "party/buildings/<int:building_id>/public-token/",
        placards_views.placard_rotate,
        name="party_placard_rotate",
    ),
    path(
        "party/compounds/<int:compound_id>/placards.pdf",
        placards_views.placard_compound,
        name="party_placard_compound",
    ),
    path(
        "party/compounds/<int:compound_id>/placards/job/",
        placards_views.placard_compound_job,
        name="party_placard_compound_job",
    ),
]
