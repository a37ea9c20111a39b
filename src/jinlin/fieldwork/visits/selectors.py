"""Reads of visits: care visits due (SPEC "问"), visit records, proposed record updates.

Each function runs a fixed number of queries whatever the amount of data (tests assert it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils import timezone

from jinlin.core.access import Scope
from jinlin.core.idnumber import mask_phone
from jinlin.core.models import Role, User
from jinlin.fieldwork import access
from jinlin.fieldwork.due import DueVisit, Membership, due_visits
from jinlin.fieldwork.visits.models import (
    SENSITIVE_PROPOSAL_FIELDS,
    KeptDues,
    ProposalField,
    RecordProposal,
    Visit,
    VisitInterval,
)
from jinlin.people.catalogue import group_catalogue, is_sensitive, label_of
from jinlin.people.groups import GROUPS
from jinlin.people.masking import HIDDEN
from jinlin.people.models import (
    GroupDefinition,
    GroupMembership,
    Health,
    LifeStatus,
    ResidenceStatus,
    Resident,
)
from jinlin.places.access import areas_of_scope
from jinlin.places.figures import kept_for_areas
from jinlin.places.models import Area, Household, address_text

SENSITIVE_REASON = "重点关爱对象"
DUE_LIST_LIMIT = 200


def visible_visits(user: User) -> QuerySet[Visit]:
    return Visit.objects.filter(access.fieldwork_scope(user).q())


def visible_proposals(user: User) -> QuerySet[RecordProposal]:
    return RecordProposal.objects.filter(access.fieldwork_scope(user).q())


def access_visit(user: User, visit_id: int) -> Visit:
    try:
        return (
            visible_visits(user)
            .select_related("household__building__compound", "resident", "worker")
            .get(pk=visit_id)
        )
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该走访记录") from None


def access_proposal(user: User, proposal_id: int) -> RecordProposal:
    try:
        return (
            visible_proposals(user)
            .select_related("resident", "visit", "proposed_by")
            .get(pk=proposal_id)
        )
    except (RecordProposal.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该建议") from None


def can_decide_proposal(user: User, proposal: RecordProposal) -> bool:
    """Accepting a change to a record: who may edit that record, but not its own proposal.

    The area secretary always may; a worker whose patch holds the resident may decide a
    colleague's proposal (four eyes), never its own.
    """
    if user.is_superuser:
        return True
    if user.role == Role.AREA_SECRETARY and user.area_id == proposal.area_id:
        return True
    if user.role != Role.WORKER:
        return False
    if proposal.proposed_by_id == user.pk:
        return False
    return access.visible_residents_q(user).filter(pk=proposal.resident_id).exists()


# --- care visits due ------------------------------------------------------------------------


def default_intervals() -> dict[str, int]:
    """The SPEC's intervals of the built-in groups (an area's own groups: their visit_days)."""
    return {
        code.value: kind.default_visit_days
        for code, kind in GROUPS.items()
        if kind.default_visit_days
    }


def area_default_intervals(area_id: int) -> dict[str, int]:
    """The intervals an area starts from: the SPEC's and those of its own visiting groups."""
    return group_catalogue(area_id).visit_days


def custom_visiting_codes() -> QuerySet[GroupDefinition, Any]:
    """Codes of the groups in use with a visit interval of their own, as a subquery."""
    return GroupDefinition.objects.filter(visit_days__isnull=False, retired_at__isnull=True).values(
        "code"
    )


def intervals_by_area(area_ids: set[int]) -> dict[int, dict[str, int]]:
    """Each area's visit intervals: its own settings over the SPEC defaults and over the
    visit_days of its (and its subdistrict's) own groups in use; one query."""
    result = {area_id: default_intervals() for area_id in area_ids}
    settings = (
        VisitInterval.objects.filter(area_id__in=area_ids)
        .order_by()
        .values_list("area_id", "group", "days", Value(2))
    )
    own = (
        GroupDefinition.objects.filter(
            area_id__in=area_ids, visit_days__isnull=False, retired_at__isnull=True
        )
        .order_by()
        .values_list("area_id", "code", "visit_days", Value(1))
    )
    shared = (
        Area.objects.filter(
            pk__in=area_ids,
            subdistrict__group_definitions__visit_days__isnull=False,
            subdistrict__group_definitions__retired_at__isnull=True,
        )
        .order_by()
        .values_list(
            "id",
            "subdistrict__group_definitions__code",
            "subdistrict__group_definitions__visit_days",
            Value(0),
        )
    )
    rows = sorted(settings.union(own, shared, all=True), key=lambda row: row[3])
    for area_id, group, days, _rank in rows:  # defaults of custom groups, then settings
        result[area_id][group] = days
    return result


def visiting_intervals(configured: dict[str, int]) -> dict[str, int]:
    """The intervals visits are due by: the area's, except that the sensitive groups (困难、大病、
    失独) share the shortest of theirs. A worker sees only "重点关爱对象" on such a household,
    and a cadence of its own per sensitive group would say which one (docs/security.md)."""
    sensitive = [days for group, days in configured.items() if is_sensitive(group)]
    if not sensitive:
        return dict(configured)
    shared = min(sensitive)
    return {group: shared if is_sensitive(group) else days for group, days in configured.items()}


def group_reason(group: str, interval: int) -> str:
    """'独居老人 · 每7天'; sensitive groups (困难、大病、失独) are not named in lists."""
    label = SENSITIVE_REASON if is_sensitive(group) else label_of(group)
    return f"{label} · 每{interval}天"


@dataclass
class DueRow:
    due: DueVisit
    household_id: int
    address: str  # 绿园八村12号楼301室 (places.models.address_of)
    names: list[str]
    reason: str
    compound_id: int
    building_id: int

    @property
    def days_overdue(self) -> int:
        return self.due.days_overdue

    @property
    def is_never_visited(self) -> bool:
        return self.due.last_visit is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "address": self.address,
            "residents": self.names,
            "reason": self.reason,
            "interval_days": self.due.interval_days,
            "due_on": self.due.due_on.isoformat(),
            "days_overdue": self.due.days_overdue,
            "last_visit": self.due.last_visit.isoformat() if self.due.last_visit else None,
        }


@dataclass
class DueList:
    rows: list[DueRow]
    total: int
    overdue: int


def _compute_dues(
    scope: Scope, on: date, horizon_days: int = 0
) -> tuple[list[DueVisit], dict[int, tuple[int, int]], dict[int, int]]:
    """Due visits of the households in scope computed afresh, each household's (compound,
    building), and each household's area."""
    # A list, not a subquery: `group IN (…) OR group IN (SELECT …)` cannot use an index.
    visiting = [*default_intervals(), *custom_visiting_codes().values_list("code", flat=True)]
    # Residents of the scope first (their own area index), then their memberships: the work
    # grows with the patch, not with the district, and a resident's groups count where the
    # resident lives now whatever place a membership row names (ended ones keep theirs).
    # People gone before `on` cannot be due.
    people = Resident.objects.filter(scope.q()).filter(
        Q(status=LifeStatus.CURRENT) | Q(status_date__gt=on)
    )
    rows = list(
        GroupMembership.objects.filter(resident_id__in=people.values("id"))
        .filter(group__in=visiting)
        .filter(since__lte=on + timedelta(days=horizon_days))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values(
            "resident_id",
            "group",
            "since",
            "ended_on",
            "resident__household_id",
            "resident__status",
            "resident__status_date",
            "resident__area_id",
            "resident__compound_id",
            "resident__building_id",
        )
    )
    if not rows:
        return [], {}, {}
    places: dict[int, tuple[int, int]] = {}
    area_of: dict[int, int] = {}
    by_area: dict[int, list[Membership]] = defaultdict(list)
    for row in rows:
        household_id = row["resident__household_id"]
        places[household_id] = (row["resident__compound_id"], row["resident__building_id"])
        area_of[household_id] = row["resident__area_id"]
        gone = row["resident__status"] != LifeStatus.CURRENT
        by_area[row["resident__area_id"]].append(
            Membership(
                household_id=household_id,
                resident_id=row["resident_id"],
                group=row["group"],
                since=row["since"],
                ended_on=row["ended_on"],
                left_on=(row["resident__status_date"] or on) if gone else None,
            )
        )
    # One index seek per household for its latest visit (a GROUP BY reads every visit).
    latest = Visit.objects.filter(household_id=OuterRef("pk"), visited_on__lte=on).order_by(
        "-visited_on"
    )
    last_visits = [
        (household_id, last)
        for household_id, last in Household.objects.filter(pk__in=list(places))
        .annotate(last=Subquery(latest.values("visited_on")[:1]))
        .values_list("pk", "last")
        if last is not None
    ]
    intervals = intervals_by_area(set(by_area))
    result: list[DueVisit] = []
    for area_id, memberships in by_area.items():
        result.extend(
            due_visits(
                memberships=memberships,
                visits=last_visits,
                intervals=visiting_intervals(intervals[area_id]),
                on=on,
                horizon_days=horizon_days,
            )
        )
    result.sort(key=_due_order)
    return result, places, area_of


def _due_order(item: DueVisit) -> tuple[date, int, int]:
    return (item.due_on, item.interval_days, item.household_id)


Dues = tuple[list[DueVisit], dict[int, tuple[int, int]]]


def due_for_scope(scope: Scope, on: date, horizon_days: int = 0, *, kept: bool = True) -> Dues:
    """Due visits of the households in scope, most overdue first, and each due household's
    (compound, building). For the day itself they come from each area's kept dues
    (`kept_area_dues`), read for the whole area and cut to the scope here; a horizon, the
    whole city or `kept=False` computes them afresh."""
    if scope.is_empty:
        return [], {}
    if horizon_days or scope.everything or not kept:
        fresh, where, _ = _compute_dues(scope, on, horizon_days)
        return fresh, {d.household_id: where[d.household_id] for d in fresh}
    per_area = kept_area_dues(areas_of_scope(scope), on)
    dues: list[DueVisit] = []
    places: dict[int, tuple[int, int]] = {}
    for area_id, (area_dues, area_places) in per_area.items():
        whole = area_id in scope.area_ids
        for item in area_dues:
            compound_id, building_id = area_places[item.household_id]
            if whole or compound_id in scope.compound_ids or building_id in scope.building_ids:
                dues.append(item)
                places[item.household_id] = (compound_id, building_id)
    dues.sort(key=_due_order)
    return dues, places


def kept_area_dues(area_ids: Iterable[int], on: date) -> dict[int, Dues]:
    """Each area's due visits on `on`: kept ones where the area has not moved since (its
    revision, places.figures), the others computed together and kept."""
    return kept_for_areas(
        KeptDues,
        "dues",
        sorted(area_ids),
        on,
        lambda stale: _dues_by_area(stale, on),
        _dues_to_json,
        _dues_from_json,
    )


def _dues_by_area(area_ids: list[int], on: date) -> dict[int, Dues]:
    dues, places, area_of = _compute_dues(Scope(area_ids=frozenset(area_ids)), on)
    by_area: dict[int, Dues] = {area_id: ([], {}) for area_id in area_ids}
    for item in dues:
        area_dues, area_places = by_area[area_of[item.household_id]]
        area_dues.append(item)
        area_places[item.household_id] = places[item.household_id]
    return by_area


def _dues_to_json(value: Dues) -> list[list[Any]]:
    dues, places = value
    return [
        [
            d.household_id,
            d.due_on.isoformat(),
            d.days_overdue,
            d.reason_group,
            d.interval_days,
            list(d.groups),
            list(d.resident_ids),
            d.last_visit.isoformat() if d.last_visit else None,
            *places[d.household_id],
        ]
        for d in dues
    ]


def _dues_from_json(rows: list[list[Any]]) -> Dues:
    dues: list[DueVisit] = []
    places: dict[int, tuple[int, int]] = {}
    for (
        household,
        due_on,
        overdue,
        group,
        interval,
        groups,
        residents,
        last,
        compound,
        building,
    ) in rows:
        dues.append(
            DueVisit(
                household_id=household,
                due_on=date.fromisoformat(due_on),
                days_overdue=overdue,
                reason_group=group,
                interval_days=interval,
                groups=tuple(groups),
                resident_ids=tuple(residents),
                last_visit=date.fromisoformat(last) if last else None,
            )
        )
        places[household] = (compound, building)
    return dues, places


# A household's address as values (address_text's arguments in reverse), and the same read
# through a resident with its name.
_ADDRESS = ("room", "building__number", "building__stairwell", "building__compound__name")
_NAME_AND_ADDRESS = ("id", "name", "household_id", *(f"household__{name}" for name in _ADDRESS))


def due_list(user: User, on: date | None = None, *, limit: int = DUE_LIST_LIMIT) -> DueList:
    """Care visits due on `on` and overdue in the user's patch, most overdue first."""
    day = on or timezone.localdate()
    scope = access.fieldwork_scope(user)
    if scope.is_empty:
        return DueList([], 0, 0)
    dues, places = due_for_scope(scope, day)
    shown = dues[:limit]
    # What a due row shows of its household is its address and the names of those it is due
    # for: read as values, not 3 models a row, in one query through the residents; a household
    # none of whose residents was found (moved since) is read on its own.
    households = {d.household_id for d in shown}
    names: dict[int, str] = {}
    addresses: dict[int, str] = {}
    for pk, name, household_id, room, number, stairwell, compound in Resident.objects.filter(
        pk__in={r for d in shown for r in d.resident_ids}
    ).values_list(*_NAME_AND_ADDRESS):
        names[pk] = name
        if household_id in households:
            addresses[household_id] = address_text(compound, number, stairwell, room)
    if missing := households - addresses.keys():
        addresses.update(
            (pk, address_text(compound, number, stairwell, room))
            for pk, room, number, stairwell, compound in Household.objects.filter(
                pk__in=missing
            ).values_list("id", *_ADDRESS)
        )
    rows = [
        DueRow(
            due=item,
            household_id=item.household_id,
            address=addresses[item.household_id],
            names=[names[r] for r in item.resident_ids if r in names],
            reason=group_reason(item.reason_group, item.interval_days),
            compound_id=places[item.household_id][0],
            building_id=places[item.household_id][1],
        )
        for item in shown
    ]
    return DueList(rows=rows, total=len(dues), overdue=sum(1 for d in dues if d.days_overdue > 0))


# --- visits and proposals ------------------------------------------------------------------


def visit_list(user: User, *, household_id: int | None = None) -> QuerySet[Visit]:
    visits = visible_visits(user).select_related(
        "household__building__compound", "worker", "resident"
    )
    if household_id is not None:
        visits = visits.filter(household_id=household_id)
    return visits.order_by("-visited_on", "-id")


def household_residents(household_id: int) -> list[Resident]:
    """The household's current residents, for the visit and proposal forms."""
    return list(
        Resident.objects.filter(household_id=household_id, status=LifeStatus.CURRENT).order_by("id")
    )


def visit_proposals(visit: Visit) -> QuerySet[RecordProposal]:
    return visit.proposals.select_related("resident", "proposed_by", "decided_by").order_by("id")


def visit_case_links(visit: Visit) -> QuerySet[Any]:
    """The cases this visit is evidence of (through the reverse relation: no import of cases)."""
    return visit.case_links.select_related("case")


def proposal_list(user: User, *, status: str = "") -> QuerySet[RecordProposal]:
    """Proposals the user may see, newest first; of one status when given."""
    proposals = visible_proposals(user).select_related(
        "resident", "proposed_by", "decided_by", "visit"
    )
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-proposed_at", "-id")


def proposal_with_people(proposal_id: int) -> RecordProposal:
    """A proposal read again with the people its answer names."""
    return RecordProposal.objects.select_related("resident", "proposed_by", "decided_by").get(
        pk=proposal_id
    )


def masked_proposal_value(proposal: RecordProposal) -> Any:
    """A proposed value as lists show it: phone masked, health hidden (SPEC "Privacy"), a
    choice by its label (慢性病, not chronic), 是/否, tags joined."""
    return _shown(proposal.field, proposal.value)


def masked_current_value(proposal: RecordProposal) -> Any:
    """The resident's value of the proposed field today, shown as the proposal is (masked
    alike), so that the one deciding sees what would change."""
    return _shown(proposal.field, getattr(proposal.resident, proposal.field, ""))


def _shown(field: str, value: Any) -> Any:
    if field == ProposalField.PHONE:
        return mask_phone(str(value or ""))
    if field in SENSITIVE_PROPOSAL_FIELDS:
        return HIDDEN
    if field == ProposalField.RESIDENCE_STATUS:
        return dict(ResidenceStatus.choices).get(value, value)
    if field == ProposalField.IS_RETIRED:
        return "是" if value in (True, "true", "是") else "否"
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return value if value not in (None, "") else "（空）"


def proposal_value_choices() -> list[str]:
    """What the value box suggests (the fields with a fixed set of values): their labels."""
    return [label for _code, label in (*Health.choices, *ResidenceStatus.choices)] + ["是", "否"]
