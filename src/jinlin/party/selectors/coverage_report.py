"""The coverage report (gaps in the network), the member list, and contact coverage per area."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from jinlin.party.access import PartyScope
from jinlin.party.models import HouseholdContact, PartyMember, PartyOrganisation
from jinlin.party.selectors.state import NetworkState, building_sort_key
from jinlin.party.selectors.tree import group_buildings_text, group_order
from jinlin.places.layout import natural_key
from jinlin.places.models import address_of

# --- the coverage report ---------------------------------------------------------------------

GAP_BRANCH_NO_CONTACT = "branch_no_contact"
GAP_GROUP_NO_LEADER = "group_no_leader"
GAP_GROUP_TOO_SMALL = "group_too_small"
GAP_GROUP_NO_CONTACT = "group_no_contact"
GAP_BUILDING_NO_GROUP = "building_no_group"
GAP_HOUSEHOLD_NO_CONTACT = "household_no_contact"
GAP_MEMBER_NO_GROUP = "member_no_group"

GAP_LABELS = {
    GAP_BRANCH_NO_CONTACT: "党支部没有联系的党总支委员",
    GAP_GROUP_NO_LEADER: "党小组没有组长",
    GAP_GROUP_TOO_SMALL: "党小组计数党员不足",
    GAP_GROUP_NO_CONTACT: "党小组没有联系的支部委员",
    GAP_BUILDING_NO_GROUP: "楼组未编入党小组",
    GAP_HOUSEHOLD_NO_CONTACT: "户没有联系党员",
    GAP_MEMBER_NO_GROUP: "党员未编入所住楼组的党小组",
}


@dataclass(frozen=True)
class Gap:
    kind: str
    object_type: str  # branch, group, building, household, member
    object_id: int
    label: str  # what it is: "绿园八村党支部", "12号楼301室", a member's name
    reason: str
    group_id: int | None = None  # where to fix it

    @property
    def kind_label(self) -> str:
        return GAP_LABELS[self.kind]


@dataclass
class Coverage:
    gaps: list[Gap]
    households: int
    covered: int

    def by_kind(self) -> list[tuple[str, str, list[Gap]]]:
        return [
            (kind, label, [g for g in self.gaps if g.kind == kind])
            for kind, label in GAP_LABELS.items()
        ]

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for g in self.gaps if g.kind == kind) for kind in GAP_LABELS}


def coverage(state: NetworkState, scope: PartyScope) -> Coverage:
    """Every gap of the network the user may see, as the data stands now (nothing is changed:
    SPEC "nothing is reorganised without confirmation")."""
    gaps: list[Gap] = []
    for branch in sorted(state.branches.values(), key=lambda b: natural_key(b.name)):
        compound_ids = state.branch_compounds.get(branch.pk, [])
        territory = [b.pk for b in state.buildings.values() if b.compound_id in compound_ids]
        if scope.sees_any(territory) and state.contact_of(branch) is None:
            gaps.append(
                Gap(
                    GAP_BRANCH_NO_CONTACT,
                    "branch",
                    branch.pk,
                    branch.name,
                    "需指定一名党总支委员联系",
                )
            )
    for group in sorted(state.groups.values(), key=lambda g: group_order(state, g)):
        if not scope.sees_any(state.group_buildings.get(group.pk, [])):
            continue
        label = f"{group.name}（{group_buildings_text(state, group.pk)}）"
        if state.leader_of(group.pk) is None:
            gaps.append(
                Gap(GAP_GROUP_NO_LEADER, "group", group.pk, label, "需指定党小组长", group.pk)
            )
        counted = sum(1 for m in state.group_members(group.pk) if state.is_counted(m))
        threshold = settings.JINLIN["GROUP_THRESHOLD"]
        if counted < threshold:
            reason = f"只有 {counted} 名计数党员，不足 {threshold} 名：请查看调整方案"
            gaps.append(Gap(GAP_GROUP_TOO_SMALL, "group", group.pk, label, reason))
        if state.contact_of(group) is None:
            gaps.append(
                Gap(
                    GAP_GROUP_NO_CONTACT,
                    "group",
                    group.pk,
                    label,
                    "需指定一名支部委员联系",
                    group.pk,
                )
            )
    for building in sorted(state.buildings.values(), key=building_sort_key):
        if building.pk not in state.group_of_building and scope.sees_building(building.pk):
            gaps.append(
                Gap(
                    GAP_BUILDING_NO_GROUP,
                    "building",
                    building.pk,
                    f"{building.compound.name}{building.label}",
                    "请在“调整方案”中查看原因",
                )
            )
    households = 0
    covered = 0
    for household in sorted(
        state.households.values(),
        key=lambda h: (building_sort_key(state.buildings[h.building_id]), natural_key(h.room)),
    ):
        if not household.is_lived_in or not scope.sees_building(household.building_id):  # type: ignore[attr-defined]  # annotated by the query
            continue
        households += 1
        household_reason = state.household_gap(household)
        if household_reason is None:
            covered += 1
            continue
        building = state.buildings[household.building_id]
        gaps.append(
            Gap(
                GAP_HOUSEHOLD_NO_CONTACT,
                "household",
                household.pk,
                address_of(building, household.room),
                household_reason,
                state.group_of_building.get(household.building_id),
            )
        )
    for member in sorted(state.members.values(), key=lambda m: (m.resident.name, m.pk)):
        if not state.is_present(member.pk):
            continue
        if not scope.sees_building(member.resident.building_id):
            continue
        member_reason = state.member_gap(member)
        if member_reason:
            building = state.buildings[member.resident.building_id]
            gaps.append(
                Gap(
                    GAP_MEMBER_NO_GROUP,
                    "member",
                    member.pk,
                    f"{member.resident.name}（{building.compound.name}{building.label}）",
                    member_reason,
                    state.group_of_building.get(member.resident.building_id),
                )
            )
    return Coverage(gaps, households, covered)


# --- the member list -------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: PartyMember
    name: str
    address: str
    group: PartyOrganisation | None
    titles: list[str]
    years: int | None
    households: int
    status: str  # 正式党员 / 预备党员
    kind: str  # 退休党员 / 在职党员 / 在职党员（双报到） / 在职党员（组织关系在外）


def member_rows(state: NetworkState, scope: PartyScope) -> list[MemberRow]:
    rows = []
    contact_counts: dict[int, int] = defaultdict(int)
    for contact in state.household_contacts.values():
        contact_counts[contact.member_id] += 1
    for member in state.members.values():
        resident = member.resident
        if not state.is_present(member.pk) or not scope.sees_building(resident.building_id):
            continue
        building = state.buildings[resident.building_id]
        if not member.is_in_service:
            kind = "退休党员"
        elif member.is_dual_registered:
            kind = "在职党员（双报到）"
        elif member.home_organisation:
            kind = "在职党员（组织关系在外，未报到）"
        else:
            kind = "在职党员"
        rows.append(
            MemberRow(
                member=member,
                name=resident.name,
                address=f"{building.compound.name}{building.label}"
                f"{state.households[resident.household_id].room}室",
                group=state.groups.get(member.group_id) if member.group_id else None,
                titles=state.titles_of(member.pk),
                years=member.party_years(state.today),
                households=contact_counts[member.pk],
                status="预备党员" if member.party_years(state.today) is None else "正式党员",
                kind=kind,
            )
        )
    rows.sort(
        key=lambda r: (
            building_sort_key(state.buildings[r.member.resident.building_id]),
            natural_key(state.households[r.member.resident.household_id].room),
            r.member.pk,
        )
    )
    return rows


def contact_coverage(area_ids: list[int]) -> dict[int, int]:
    """Per area, the households with a current Party member contacting them (党员联系群众)."""
    return dict(
        HouseholdContact.objects.filter(household__area_id__in=area_ids, ended_on__isnull=True)
        .values("household__area_id")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("household__area_id", "n")
    )
