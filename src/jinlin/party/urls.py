from django.urls import path

from jinlin.party import views

urlpatterns = [
    path("party/", views.party_home, name="party_home"),
    path("party/areas/<int:area_id>/", views.network, name="party_network"),
    path("party/areas/<int:area_id>/proposal/", views.proposal, name="party_proposal"),
    path("party/areas/<int:area_id>/coverage/", views.coverage, name="party_coverage"),
    path("party/areas/<int:area_id>/members/", views.members, name="party_members"),
    path(
        "party/organisations/<int:organisation_id>/",
        views.organisation_detail,
        name="party_organisation",
    ),
    path(
        "party/organisations/<int:organisation_id>/appoint/",
        views.position_appoint,
        name="party_position_appoint",
    ),
    path(
        "party/organisations/<int:organisation_id>/contact/",
        views.contact_set,
        name="party_contact_set",
    ),
    path("party/positions/<int:position_id>/end/", views.position_end, name="party_position_end"),
    path("party/groups/<int:group_id>/", views.group_detail, name="party_group"),
    path("party/groups/<int:group_id>/assign/", views.group_assign, name="party_group_assign"),
    path("party/groups/<int:group_id>/meetings/new/", views.meeting_new, name="party_meeting_new"),
    path(
        "party/buildings/<int:building_id>/placard.pdf",
        views.placard_building,
        name="party_placard_building",
    ),
    path(
        "party/compounds/<int:compound_id>/placards.pdf",
        views.placard_compound,
        name="party_placard_compound",
    ),
]
