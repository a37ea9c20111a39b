"""Notices: publishing and its limits, who should be told, the reach, withdrawing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jinlin.chain import notice_selectors as selectors
from jinlin.chain import notice_services as services
from jinlin.chain.models import Notice, Reach
from jinlin.party.models import HouseholdContact
from tests.chain.notices.conftest import group_of, publish


def rooms(households) -> set[str]:
    return {f"{h.building.number}-{h.room}" for h in households}


# --- publishing -------------------------------------------------------------------------------


def test_title_and_body_are_required_and_bounded(organised, secretary):
    area = organised.world.area
    with pytest.raises(ValidationError) as refused:
        publish(secretary, area, title="  ", body="")
    assert refused.value.message_dict == {
        "title": [services.MSG_TITLE_REQUIRED],
        "body": [services.MSG_BODY_REQUIRED],
    }
    with pytest.raises(ValidationError) as refused:
        publish(secretary, area, title="停" * 61, body="水" * 2001)
    assert refused.value.message_dict == {
        "title": ["标题最多 60 个字"],
        "body": ["内容最多 2000 个字"],
    }
    notice = publish(secretary, area, title="停" * 60, body="水" * 2000)
    assert notice.created_by == secretary and Notice.objects.count() == 1


def test_audience_outside_the_area_is_refused_and_nothing_is_stored(organised, secretary):
    world = organised.world
    other_building = world.other_resident.household.building
    with pytest.raises(ValidationError) as refused:
        publish(
            secretary,
            world.area,
            compound_ids=[other_building.compound_id],
            building_ids=[other_building.pk, organised.b12.pk],
            group_ids=[999999],
        )
    assert refused.value.message_dict == {
        "compounds": ["所选小区不属于本居民区"],
        "buildings": ["所选楼组不属于本居民区"],
        "groups": ["所选党小组不属于本居民区"],
    }
    assert Notice.objects.count() == 0


def test_only_the_secretary_or_a_branch_secretary_publishes(organised, worker_in, secretary):
    with pytest.raises(PermissionDenied):
        publish(worker_in, organised.world.area)
    with pytest.raises(PermissionDenied):  # another area's secretary cannot post here
        publish(secretary, organised.world.other_area)


def test_branch_secretary_posts_to_its_branch_only(organised, branch_secretary, outside):
    area = organised.world.area
    compound_c, building_c, _ = outside
    notice = publish(branch_secretary, area, group_ids=[group_of(organised.b13).pk])
    assert notice.created_by == branch_secretary
    publish(branch_secretary, area, compound_ids=[organised.world.compound_b.pk])
    publish(branch_secretary, area, building_ids=[organised.b14.pk])
    for outside_choice in ({"compound_ids": [compound_c.pk]}, {"building_ids": [building_c.pk]}):
        with pytest.raises(ValidationError) as refused:
            publish(branch_secretary, area, **outside_choice)
        assert refused.value.messages == [services.MSG_BRANCH_ONLY]
    with pytest.raises(ValidationError) as refused:  # not the whole area
        publish(branch_secretary, area)
    assert refused.value.message_dict == {"compounds": [services.MSG_BRANCH_CHOOSE]}
    assert Notice.objects.count() == 3
    # Its choices offer only the branch's compounds and groups.
    choices = selectors.audience_choices(branch_secretary, area)
    assert {row.compound.name for row in choices} == {"绿园八村", "绿园九村"}


# --- who should be told -----------------------------------------------------------------------


def test_whole_area_means_every_lived_in_household_of_the_area(organised, secretary):
    notice = publish(secretary, organised.world.area)
    households = selectors.notice_households(notice)
    assert rooms(households) == {
        "12-301",
        "12-302",
        "12-401",
        "13-101",
        "13-102",
        "14-201",
        "14-202",
        "3-502",
    }  # 13-999 is empty; the other area's household is not here


def test_compounds_buildings_and_groups_are_united(organised, secretary):
    area = organised.world.area
    by_compound = publish(secretary, area, compound_ids=[organised.world.compound_b.pk])
    assert rooms(selectors.notice_households(by_compound)) == {"3-502"}
    by_building = publish(secretary, area, building_ids=[organised.b13.pk])
    assert rooms(selectors.notice_households(by_building)) == {"13-101", "13-102"}
    by_group = publish(secretary, area, group_ids=[group_of(organised.b13).pk])
    assert rooms(selectors.notice_households(by_group)) == {
        "13-101",
        "13-102",
        "14-201",
        "14-202",
    }
    union = publish(
        secretary,
        area,
        compound_ids=[organised.world.compound_b.pk],
        building_ids=[organised.b13.pk],
        group_ids=[group_of(organised.b12).pk],  # 12号楼 and 3号楼
    )
    assert rooms(selectors.notice_households(union)) == {
        "12-301",
        "12-302",
        "12-401",
        "3-502",
        "13-101",
        "13-102",
    }


def test_households_are_found_in_a_fixed_number_of_queries(
    organised, secretary, django_assert_num_queries
):
    notice = publish(
        secretary,
        organised.world.area,
        compound_ids=[organised.world.compound_b.pk],
        group_ids=[group_of(organised.b12).pk, group_of(organised.b13).pk],
    )
    notice = Notice.objects.get(pk=notice.pk)
    with django_assert_num_queries(4):  # compounds, buildings, groups' buildings, households
        assert len(list(selectors.notice_households(notice))) == 8


# --- the reach --------------------------------------------------------------------------------


def test_reach_by_way_group_building_and_who_is_not_told(organised, secretary, member):
    h = organised.households
    notice = publish(secretary, organised.world.area)
    services.reach_mark(notice=notice, household=h["13-101"], how="in_person", actor=member)
    services.reach_mark(notice=notice, household=h["13-102"], how="unreachable", actor=member)
    services.reach_mark(notice=notice, household=h["12-301"], how="phone", actor=secretary)
    services.reach_mark(notice=notice, household=h["14-201"], how="wechat", actor=secretary)

    reach = selectors.notice_reach(notice)
    assert (reach.households, reach.reached, reach.unreachable) == (8, 3, 1)
    assert reach.percent == 38
    assert {label: count for _, label, count in reach.ways} == {
        "当面": 1,
        "电话": 1,
        "微信": 1,
        "张贴": 0,
        "联系不上": 1,
    }
    groups = {row.label: (row.reached, row.households) for row in reach.groups}
    assert groups == {
        group_of(organised.b12).name: (1, 4),  # 12号楼 ×3 and 3号楼
        group_of(organised.b13).name: (2, 4),
    }
    buildings = [(row.label, row.reached, row.households) for row in reach.buildings]
    assert buildings[0] == ("绿园九村3号楼", 0, 1)  # none reached first
    assert set(buildings[1:]) == {
        ("绿园八村12号楼", 1, 3),
        ("绿园八村13号楼", 1, 2),
        ("绿园八村14号楼", 1, 2),
    }
    untold = {u.address: (u.contact, u.unreachable) for u in reach.untold}
    assert set(untold) == {
        "绿园八村12号楼302室",
        "绿园八村12号楼401室",
        "绿园八村13号楼102室",
        "绿园八村14号楼202室",
        "绿园九村3号楼502室",
    }
    contact = HouseholdContact.objects.get(household=h["13-102"], ended_on__isnull=True)
    assert untold["绿园八村13号楼102室"] == (contact.member.resident.name, True)
    assert all(name for name, _ in untold.values())  # every household has its contact


def test_marking_again_changes_the_way(organised, secretary, member):
    household = organised.households["13-101"]
    notice = publish(secretary, organised.world.area)
    services.reach_mark(notice=notice, household=household, how="phone", actor=member)
    services.reach_mark(notice=notice, household=household, how="posted", actor=secretary)
    reach = Reach.objects.get(notice=notice, household=household)
    assert (reach.how, reach.marked_by) == ("posted", secretary)
    with pytest.raises(ValidationError) as refused:
        services.reach_mark(notice=notice, household=household, how="shouted", actor=member)
    assert refused.value.message_dict == {"how": [services.MSG_BAD_HOW]}


# --- withdrawing ------------------------------------------------------------------------------


def test_withdraw_by_sender_or_secretary_only(organised, secretary, branch_secretary, worker_in):
    area = organised.world.area
    notice = publish(branch_secretary, area, group_ids=[group_of(organised.b13).pk])
    with pytest.raises(PermissionDenied):
        services.notice_withdraw(notice=notice, actor=worker_in)
    services.notice_withdraw(notice=notice, actor=branch_secretary)
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.notice_withdraw(notice=notice, actor=secretary)
    with pytest.raises(ValidationError):
        services.reach_mark(
            notice=notice,
            household=organised.households["13-101"],
            how="phone",
            actor=secretary,
        )
    other = publish(branch_secretary, area, group_ids=[group_of(organised.b13).pk])
    services.notice_withdraw(notice=other, actor=secretary)  # the area secretary may too


def test_member_sees_current_notices_of_its_households_only(
    organised, secretary, member, other_member
):
    area = organised.world.area
    for_13 = publish(secretary, area, title="13号楼", building_ids=[organised.b13.pk])
    publish(secretary, area, title="3号楼", building_ids=[organised.b3.pk])
    whole = publish(secretary, area, title="全居民区")
    gone = publish(secretary, area, title="撤回的")
    services.notice_withdraw(notice=gone, actor=secretary)
    mine = selectors.member_notices(member)
    assert [item.notice.title for item in mine] == [whole.title, for_13.title]
    assert [rooms(row.household for row in item.households) for item in mine] == [
        {"13-101", "13-102"},
        {"13-101", "13-102"},
    ]
    assert [item.notice.title for item in selectors.member_notices(other_member)] == [
        "全居民区",
        "3号楼",
    ]
    assert selectors.member_notices(secretary) == []
