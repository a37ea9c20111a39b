"""Proposal, diff, apply (one transaction, audit, history), household contacts, posts, coverage
as members move in and out, meetings: through the public functions of selectors and services."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jinlin.core.models import AuditEvent
from jinlin.party import selectors, services
from jinlin.party.access import PartyScope
from jinlin.party.models import (
    Attendance,
    HouseholdContact,
    OrganisationContact,
    PartyMember,
    PartyOrganisation,
    Position,
    Reorganisation,
)
from tests.party.conftest import TODAY, group_of, member_in, move_out

pytestmark = pytest.mark.django_db


def whole(area) -> PartyScope:
    return PartyScope(area, None, may_reorganise=True)


def coverage_of(party):
    area = party.world.area
    return selectors.coverage(selectors.load_network(area), whole(area))


def keys(proposal, change) -> list[str]:
    return [proposal.label(k) for k in change.buildings_after]


# --- the proposal ---------------------------------------------------------------------------


def test_counted_members_are_full_members_living_here(party):
    counts = selectors.counted_members_by_building(party.world.area, TODAY)
    assert counts[party.b12.pk] == 3
    assert counts[party.b13.pk] == 1
    assert counts[party.b14.pk] == 2  # 周敏 is probationary
    assert counts[party.b3.pk] == 1


def test_probationary_members_count_when_the_setting_says_so(party, settings):
    settings.JINLIN = {**settings.JINLIN, "COUNT_PROBATIONARY": True}
    counts = selectors.counted_members_by_building(party.world.area, TODAY)
    assert counts[party.b14.pk] == 3


def test_in_service_member_not_registered_here_does_not_count(party):
    member = party.member("刘芳")
    member.is_in_service = True
    member.home_organisation = "长宁区某局"
    member.save()
    assert selectors.counted_members_by_building(party.world.area, TODAY)[party.b14.pk] == 1
    member.is_dual_registered = True  # 双报到
    member.save()
    assert selectors.counted_members_by_building(party.world.area, TODAY)[party.b14.pk] == 2


def test_proposal_from_nothing_is_a_joint_branch_with_two_groups(party):
    proposal = selectors.area_proposal(party.world.area)
    assert [b.change for b in proposal.diff.branches] == ["new"]
    branch = proposal.plan.branches[0]
    assert branch.is_joint and set(branch.compounds) == {"绿园八村", "绿园九村"}
    groups = {(frozenset(keys(proposal, g)), g.members) for g in proposal.diff.groups}
    # 绿园九村 (1 member) joins the lighter group of 绿园八村, the first on a tie.
    assert groups == {(frozenset({"12号楼", "3号楼"}), 4), (frozenset({"13号楼", "14号楼"}), 3)}
    assert all(g.change == "new" for g in proposal.diff.groups)
    assert not proposal.plan.unplaced
    assert len(proposal.member_changes) == 8


def test_proposal_does_not_write_anything(party):
    selectors.area_proposal(party.world.area)
    assert not PartyOrganisation.objects.exists()
    assert not PartyMember.objects.filter(group__isnull=False).exists()


def test_fingerprint_is_stable_while_the_data_is(party):
    first = selectors.area_proposal(party.world.area).fingerprint
    assert selectors.area_proposal(party.world.area).fingerprint == first
    member_in(party.households["13-102"], "吴刚")
    assert selectors.area_proposal(party.world.area).fingerprint != first


# --- applying -------------------------------------------------------------------------------


def test_apply_builds_the_network_in_one_go_with_audit_and_history(party, secretary):
    proposal = selectors.area_proposal(party.world.area)
    reorganisation = services.network_apply_proposal(
        area=party.world.area, actor=secretary, fingerprint=proposal.fingerprint
    )
    area_organisation = PartyOrganisation.objects.get(level="area")
    branch = PartyOrganisation.objects.get(level="branch")
    assert branch.parent == area_organisation and branch.is_joint
    assert branch.name == "绿园九村、绿园八村联合党支部"
    assert set(branch.compounds.all()) == {party.world.compound_a, party.world.compound_b}
    left, right = group_of(party.b12), group_of(party.b13)
    assert set(left.buildings.all()) == {party.b12, party.b3}
    assert set(right.buildings.all()) == {party.b13, party.b14}
    assert left.parent == branch == right.parent
    assert left.name == "12号楼、3号楼党小组" and right.name == "13、14号楼党小组"
    # Probationary members belong to a group; everyone is in the group of their building.
    assert party.member("周敏").__class__.objects.get(pk=party.member("周敏").pk).group == right
    assert PartyMember.objects.get(pk=party.member("李秀英").pk).group == left
    event = AuditEvent.objects.get(action=AuditEvent.Action.REORGANISE)
    assert event.actor == secretary and event.area_id == party.world.area.pk
    assert event.object_id == str(reorganisation.pk)
    assert "新建党小组 2 个" in event.reason
    assert reorganisation.applied_by == secretary and reorganisation.diff["groups"]
    assert left.history.count() >= 1
    assert PartyMember.history.filter(history_change_reason="党组织调整").count() == 8
    assert selectors.area_proposal(party.world.area).is_empty


def test_apply_refuses_a_proposal_that_changed_since_it_was_shown(party, secretary):
    shown = selectors.area_proposal(party.world.area)
    member_in(party.households["13-102"], "吴刚")
    with pytest.raises(services.ProposalRefused) as refused:
        services.network_apply_proposal(
            area=party.world.area, actor=secretary, fingerprint=shown.fingerprint
        )
    assert refused.value.message == services.MSG_STALE
    assert not PartyOrganisation.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REORGANISE).exists()


def test_apply_of_nothing_is_refused(organised, secretary):
    proposal = selectors.area_proposal(organised.world.area)
    assert proposal.is_empty and proposal.summary() == "无需调整"
    with pytest.raises(services.ProposalRefused) as refused:
        services.network_apply_proposal(
            area=organised.world.area, actor=secretary, fingerprint=proposal.fingerprint
        )
    assert refused.value.message == services.MSG_NOTHING_TO_APPLY


@pytest.mark.parametrize("persona", ["worker_in", "editor", "admin"])
def test_only_the_area_secretary_applies(request, party, persona):
    user = request.getfixturevalue(persona)
    proposal = selectors.area_proposal(party.world.area)
    with pytest.raises(PermissionDenied):
        services.network_apply_proposal(
            area=party.world.area, actor=user, fingerprint=proposal.fingerprint
        )
    assert not PartyOrganisation.objects.exists()


def test_secretary_of_another_area_cannot_apply(party):
    from jinlin.core.models import Role
    from tests.factories import UserFactory

    other = UserFactory(role=Role.AREA_SECRETARY, area=party.world.other_area)
    proposal = selectors.area_proposal(party.world.area)
    with pytest.raises(PermissionDenied):
        services.network_apply_proposal(
            area=party.world.area, actor=other, fingerprint=proposal.fingerprint
        )


# --- members moving out and in --------------------------------------------------------------


def test_member_moving_out_opens_gaps_and_changes_the_proposal_but_nothing_else(
    organised, secretary
):
    assert coverage_of(organised).gaps == []
    chen = organised.member("陈志强")
    contacted = set(
        HouseholdContact.objects.filter(member=chen, ended_on__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    assert contacted
    move_out(chen)

    gaps = coverage_of(organised).gaps
    household_gaps = {g.object_id: g.reason for g in gaps if g.kind == "household_no_contact"}
    assert household_gaps == dict.fromkeys(contacted, "联系党员已迁出或去世")
    right = organised.extra["right"]
    assert [g.object_id for g in gaps if g.kind == "group_too_small"] == [right.pk]
    # Nothing is reorganised without confirmation.
    assert PartyMember.objects.get(pk=chen.pk).group == right
    assert HouseholdContact.objects.filter(member=chen, ended_on__isnull=True).count() == len(
        contacted
    )

    proposal = selectors.area_proposal(organised.world.area)
    changes = {(g.change, g.current.name if g.current else None) for g in proposal.diff.groups}
    assert ("dissolve", right.name) in changes
    moved = {proposal.label(m.building) for m in proposal.diff.moves}
    assert moved == {"13号楼", "14号楼"}
    assert {c.member.resident.name for c in proposal.member_changes} == {
        "陈志强",
        "刘芳",
        "孙伟",
        "周敏",
    }

    services.network_apply_proposal(
        area=organised.world.area, actor=secretary, fingerprint=proposal.fingerprint
    )
    right.refresh_from_db()
    assert right.dissolved_at is not None and not right.buildings.exists()
    assert not Position.objects.filter(organisation=right, ended_on__isnull=True).exists()
    assert not OrganisationContact.objects.filter(
        organisation=right, ended_on__isnull=True
    ).exists()
    assert PartyMember.objects.get(pk=chen.pk).group is None
    left = organised.extra["left"]
    assert set(left.buildings.all()) == {organised.b12, organised.b13, organised.b14, organised.b3}
    assert not HouseholdContact.objects.filter(member=chen, ended_on__isnull=True).exists()
    # Members whose group merged keep their households; the contact moves with them.
    liu = HouseholdContact.objects.get(member=organised.member("刘芳"), ended_on__isnull=True)
    assert liu.group == left
    assert selectors.area_proposal(organised.world.area).is_empty


def test_member_moving_in_shows_as_a_gap_until_the_proposal_places_them(organised, secretary):
    newcomer = member_in(organised.households["13-102"], "吴刚")
    gaps = [g for g in coverage_of(organised).gaps if g.kind == "member_no_group"]
    assert [g.object_id for g in gaps] == [newcomer.pk]
    proposal = selectors.area_proposal(organised.world.area)
    assert proposal.diff.is_empty  # the groups stay as they are …
    assert [c.member.pk for c in proposal.member_changes] == [newcomer.pk]  # … he joins one
    services.network_apply_proposal(
        area=organised.world.area, actor=secretary, fingerprint=proposal.fingerprint
    )
    assert PartyMember.objects.get(pk=newcomer.pk).group == organised.extra["right"]


# --- household contacts ---------------------------------------------------------------------


def test_every_lived_in_household_gets_one_contact_of_its_own_group(organised):
    contacts = HouseholdContact.objects.filter(ended_on__isnull=True).select_related(
        "member", "household"
    )
    by_household = Counter(c.household_id for c in contacts)
    lived_in = {h.pk for h in organised.households.values()}
    assert set(by_household) == lived_in and set(by_household.values()) == {1}
    for contact in contacts:
        assert contact.member.group_id == group_of(contact.household.building).pk
    for group in (organised.extra["left"], organised.extra["right"]):
        loads = Counter(c.member_id for c in contacts if c.group_id == group.pk)
        able = PartyMember.objects.filter(group=group, can_contact=True).count()
        counts = [
            loads.get(m, 0)
            for m in group.members.filter(can_contact=True).values_list("id", flat=True)
        ]
        assert len(counts) == able and max(counts) - min(counts) <= 1


def test_reassigning_unchanged_data_changes_nothing(organised, secretary):
    result = services.group_assign_contacts(group=organised.extra["left"], actor=secretary)
    assert result.changed == 0 and result.uncovered == 0


def test_members_unable_to_take_contacts_are_skipped(organised, secretary):
    right = organised.extra["right"]
    for name in ("刘芳", "孙伟", "周敏"):
        PartyMember.objects.filter(pk=organised.member(name).pk).update(can_contact=False)
    preview = services.group_assign_contacts(group=right, actor=secretary, dry_run=True)
    assert preview.changed > 0
    assert HouseholdContact.objects.filter(
        member=organised.member("刘芳"), ended_on__isnull=True
    ).exists()
    services.group_assign_contacts(group=right, actor=secretary)
    current = HouseholdContact.objects.filter(group=right, ended_on__isnull=True)
    assert set(current.values_list("member_id", flat=True)) == {organised.member("陈志强").pk}
    assert HouseholdContact.objects.filter(group=right, ended_on=TODAY).exists()  # kept as history


def test_a_group_with_nobody_able_leaves_its_households_uncovered(organised, secretary):
    right = organised.extra["right"]
    PartyMember.objects.filter(group=right).update(can_contact=False)
    result = services.group_assign_contacts(group=right, actor=secretary)
    assert result.assigned == 0 and result.uncovered == result.households == 4
    reasons = {g.reason for g in coverage_of(organised).gaps if g.kind == "household_no_contact"}
    assert reasons == {"没有联系党员"}


def test_worker_cannot_assign_contacts(organised, worker_in):
    with pytest.raises(PermissionDenied):
        services.group_assign_contacts(group=organised.extra["left"], actor=worker_in)


def test_branch_secretary_assigns_its_groups_and_group_leader_does_not(
    organised, branch_secretary, group_leader
):
    services.group_assign_contacts(group=organised.extra["right"], actor=branch_secretary)
    with pytest.raises(PermissionDenied):
        services.group_assign_contacts(group=organised.extra["right"], actor=group_leader)


# --- posts and contacts between levels ------------------------------------------------------


def test_a_new_group_leader_replaces_the_one_in_post(organised, secretary):
    right = organised.extra["right"]
    services.position_appoint(
        organisation=right, member=organised.member("刘芳"), kind="group_leader", actor=secretary
    )
    current = Position.objects.filter(organisation=right, ended_on__isnull=True)
    assert [p.member.resident.name for p in current] == ["刘芳"]
    assert (
        Position.objects.get(organisation=right, member=organised.member("孙伟")).ended_on == TODAY
    )


def test_group_leader_must_belong_to_the_group(organised, secretary):
    with pytest.raises(ValidationError) as error:
        services.position_appoint(
            organisation=organised.extra["right"],
            member=organised.member("王志刚"),
            kind="group_leader",
            actor=secretary,
        )
    assert services.MSG_LEADER_NOT_IN_GROUP in error.value.messages


def test_group_leader_post_only_in_a_group(organised, secretary):
    with pytest.raises(ValidationError):
        services.position_appoint(
            organisation=organised.extra["branch"],
            member=organised.member("孙伟"),
            kind="group_leader",
            actor=secretary,
        )


def test_contact_must_be_on_the_committee_above(organised, secretary):
    with pytest.raises(ValidationError) as error:
        services.organisation_set_contact(
            organisation=organised.extra["right"], member=organised.member("孙伟"), actor=secretary
        )
    assert services.MSG_CONTACT_NOT_COMMITTEE in error.value.messages


def test_contact_who_leaves_the_committee_is_a_gap(organised, secretary):
    position = Position.objects.get(member=organised.member("刘芳"), ended_on__isnull=True)
    services.position_end(position=position, actor=secretary)
    gaps = [g for g in coverage_of(organised).gaps if g.kind == "group_no_contact"]
    assert [g.object_id for g in gaps] == [organised.extra["right"].pk]


def test_coverage_of_an_unorganised_area_lists_buildings_households_and_members(party):
    counts = coverage_of(party).counts()
    assert counts["building_no_group"] == 4
    assert counts["household_no_contact"] == 8  # lived-in households only
    assert counts["member_no_group"] == 8


def test_leader_who_moved_out_leaves_the_group_without_leader(organised):
    move_out(organised.member("孙伟"))
    kinds = {(g.kind, g.object_id) for g in coverage_of(organised).gaps}
    assert ("group_no_leader", organised.extra["right"].pk) in kinds


# --- meetings -------------------------------------------------------------------------------


def test_meeting_records_topics_and_attendance(organised, group_leader):
    right = organised.extra["right"]
    meeting = services.meeting_record(
        group=right,
        actor=group_leader,
        held_on=TODAY - timedelta(days=2),
        topics=["楼道堆物清理", "  ", "独居老人结对"],
        attendance={organised.member("刘芳").pk: "present", organised.member("周敏").pk: "excused"},
        place="14号楼架空层",
    )
    assert meeting.topics == ["楼道堆物清理", "独居老人结对"]
    statuses = dict(meeting.attendance.values_list("member__resident__name", "status"))
    assert statuses == {"陈志强": "absent", "刘芳": "present", "孙伟": "absent", "周敏": "excused"}
    assert Attendance.objects.count() == 4


@pytest.mark.parametrize(
    ("held_on", "topics", "field"),
    [(TODAY + timedelta(days=1), ["议题"], "held_on"), (TODAY, ["  "], "topics")],
)
def test_meeting_refuses_bad_input(organised, secretary, held_on, topics, field):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            group=organised.extra["right"],
            actor=secretary,
            held_on=held_on,
            topics=topics,
            attendance={},
        )
    assert field in error.value.message_dict


def test_meeting_refuses_members_of_another_group(organised, secretary):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            group=organised.extra["right"],
            actor=secretary,
            held_on=TODAY,
            topics=["议题"],
            attendance={organised.member("王志刚").pk: "present"},
        )
    assert error.value.message_dict["attendance"] == [services.MSG_MEETING_MEMBER]


def test_worker_cannot_record_meetings(organised, worker_in):
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            group=organised.extra["right"],
            actor=worker_in,
            held_on=TODAY,
            topics=["x"],
            attendance={},
        )


def test_party_years_count_from_full_membership():
    member = PartyMember(joined_on=date(1970, 5, 1), full_member_on=date(1971, 5, 1))
    assert member.party_years(date(2026, 4, 30)) == 54
    assert member.party_years(date(2026, 5, 1)) == 55
    assert PartyMember(joined_on=date(2026, 1, 1)).party_years(date(2026, 5, 1)) is None


def test_reorganisation_keeps_who_applied_what(organised):
    reorganisation = Reorganisation.objects.get()
    assert reorganisation.applied_by_name == "shuji"
    assert reorganisation.diff["counts"]["groups_new"] == 2
