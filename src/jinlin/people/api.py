"""API of residents and groups: masked by default, unmasking audited, same access as pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jinlin.core.access import UNMASKABLE_FIELDS
from jinlin.core.api_schemas import (
    AnswerOut,
    Day,
    InputSchema,
    ObjectId,
    Offset,
    OneOf,
    answers,
)
from jinlin.core.idnumber import (
    IdNumberError,
    mask_id_number,
    mask_phone,
    normalise_phone,
    parse_id_number,
)
from jinlin.core.web import AuthedRequest
from jinlin.people import search, selectors, services
from jinlin.people.access import access_emergency_contact, access_resident, visible_residents
from jinlin.people.catalogue import group_catalogue, group_known
from jinlin.people.derived import age_on
from jinlin.people.groups import GroupCode
from jinlin.people.masking import HIDDEN, UnmaskRefused, unmask, unmask_emergency_contact
from jinlin.people.models import (
    ContactRelation,
    EmergencyContact,
    Gender,
    Health,
    LifeStatus,
    PoliticalStatus,
    Relation,
    ResidenceStatus,
    Resident,
)
from jinlin.people.sensitive import may_list_group, record_group_list
from jinlin.places.access import access_area, access_building, access_household
from jinlin.places.api import HouseholdOut
from jinlin.places.models import address_of, address_text
from jinlin.places.selectors import building_neighbours

router = Router(tags=["people"])

MSG_UNKNOWN_GROUP = "未知的群体"
MSG_NOT_WRITER = "您的角色不能修改居民记录"


class ResidentOut(AnswerOut):
    id: int
    name: str
    gender: str
    age: int
    household_id: int
    address: str
    id_number: str = Field(description="脱敏：310105********123X")
    phone: str = Field(description="脱敏：138****5678")
    health: str = Field(description="敏感信息，默认隐藏")
    residence_status: str
    political_status: str
    status: str
    status_date: date | None
    groups: list[str] = Field(description="非敏感群体；敏感群体须单独申请查看")


class ResidentIn(InputSchema):
    household_id: ObjectId
    name: str = Field(min_length=1, max_length=50)
    id_number: str = Field(max_length=30)
    birth_date: Day | None = None
    gender: Gender | None = None
    phone: str = Field("", max_length=30)
    relation_to_head: Relation = Relation.HEAD
    residence_status: ResidenceStatus = ResidenceStatus.REGISTERED
    employer: str = Field("", max_length=100)
    occupation: str = Field("", max_length=50)
    is_retired: bool = False
    health: Health = Health.GOOD
    health_notes: str = Field("", max_length=2000)
    hobbies: list[str] = Field(default_factory=list, max_length=30)
    political_status: PoliticalStatus = PoliticalStatus.MASSES


class ResidentPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=50)
    phone: str | None = Field(None, max_length=30)
    household_id: ObjectId | None = None
    relation_to_head: Relation | None = None
    residence_status: ResidenceStatus | None = None
    employer: str | None = Field(None, max_length=100)
    occupation: str | None = Field(None, max_length=50)
    is_retired: bool | None = None
    health: Health | None = None
    health_notes: str | None = Field(None, max_length=2000)
    hobbies: list[str] | None = Field(None, max_length=30)
    political_status: PoliticalStatus | None = None


class LeaveIn(InputSchema):
    status: Annotated[str, OneOf([LifeStatus.MOVED_OUT, LifeStatus.DECEASED])]
    on: Day


class UnmaskIn(InputSchema):
    fields: list[Annotated[str, OneOf(UNMASKABLE_FIELDS)]] = Field(min_length=1, max_length=4)
    reason: str = Field(min_length=1, max_length=200)


class ResidentFilter(InputSchema):
    area_id: ObjectId | None = None
    compound_id: ObjectId | None = None
    building_id: ObjectId | None = None
    household_id: ObjectId | None = None
    group: str | None = Field(
        None,
        max_length=30,
        description="群体代码：内置的 "
        + "、".join(code.value for code in GroupCode)
        + "，或该居民区（街道/镇）添加的群体的代码",
    )
    q: str | None = Field(None, max_length=50)
    include_gone: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: Offset = 0


# What a resident's line of the API shows, read as values for a list (no model instances: a
# page of 50 residents built 200 of them with their household, building and compound).
_LINE_FIELDS = (
    "id",
    "name",
    "gender",
    "birth_date",
    "household_id",
    "household__room",
    "household__building__number",
    "household__building__stairwell",
    "household__building__compound__name",
    "id_number",
    "phone",
    "residence_status",
    "political_status",
    "status",
    "status_date",
)


def _line(values: tuple[Any, ...], today: date, groups: list[str] | None) -> dict[str, object]:
    (
        pk,
        name,
        gender,
        birth_date,
        household_id,
        room,
        number,
        stairwell,
        compound,
        id_number,
        phone,
        residence_status,
        political_status,
        status,
        status_date,
    ) = values
    return {
        "id": pk,
        "name": name,
        "gender": gender,
        "age": age_on(birth_date, today),
        "household_id": household_id,
        "address": address_text(compound, number, stairwell, room),
        "id_number": mask_id_number(id_number),
        "phone": mask_phone(phone),
        "health": HIDDEN,
        "residence_status": residence_status,
        "political_status": political_status,
        "status": status,
        "status_date": status_date,
        "groups": groups or [],
    }


def resident_out(
    resident: Resident, today: date, groups: list[str] | None = None
) -> dict[str, object]:
    household = resident.household
    building = household.building
    return _line(
        (
            resident.pk,
            resident.name,
            resident.gender,
            resident.birth_date,
            household.pk,
            household.room,
            building.number,
            building.stairwell,
            building.compound.name,
            resident.id_number,
            resident.phone,
            resident.residence_status,
            resident.political_status,
            resident.status,
            resident.status_date,
        ),
        today,
        groups,
    )


def resident_lines(queryset: QuerySet[Resident], today: date) -> list[dict[str, object]]:
    """`resident_out` of every resident of the queryset, in its order, in one query."""
    return [_line(values, today, None) for values in queryset.values_list(*_LINE_FIELDS)]


def _writer(request: AuthedRequest) -> None:
    if request.user.role not in ("area_secretary", "worker") and not request.user.is_superuser:
        raise PermissionDenied(MSG_NOT_WRITER)


@router.get("/residents", response=answers(200, list[ResidentOut], 422), summary="居民列表（脱敏）")
def list_residents(
    request: AuthedRequest, filters: Query[ResidentFilter]
) -> list[dict[str, object]]:
    today = timezone.localdate()
    if filters.q:
        try:
            residents = search.search_residents(
                request.user, filters.q, limit=filters.limit, request=request
            )
        except search.SearchRefused as refused:
            raise ValidationError({"q": refused.message}) from None
        return [resident_out(r, today) for r in residents]
    queryset = visible_residents(request.user)
    if not filters.include_gone:
        queryset = queryset.filter(status=LifeStatus.CURRENT)
    for name in ("area_id", "compound_id", "building_id", "household_id"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{name: value})
    if filters.group:
        if not group_known(filters.group, area_id=filters.area_id):
            raise ValidationError({"group": MSG_UNKNOWN_GROUP})
        if not may_list_group(request.user, filters.group):
            return []
        queryset = queryset.filter(
            memberships__group=filters.group,
            memberships__ended_on__isnull=True,
            memberships__since__lte=today,
        ).distinct()
    page = resident_lines(
        queryset.order_by("id")[filters.offset : filters.offset + filters.limit], today
    )
    if filters.group:
        area_id = filters.area_id
        if area_id is None:  # the list's one area, if it has only one
            areas = set(
                Resident.objects.filter(pk__in=[line["id"] for line in page])
                .values_list("area_id", flat=True)
                .distinct()
            )
            area_id = areas.pop() if len(areas) == 1 else None
        record_group_list(
            user=request.user,
            group=filters.group,
            area_id=area_id,
            count=len(page),
            channel="api",
            request=request,
        )
    return page


class GroupKindOut(Schema):
    code: str = Field(description="群体代码：内置群体为固定英文代码，居民区添加的群体为 g 开头")
    label: str
    category: str = Field(description="vulnerable 弱势群体 / special 特殊群体")
    is_derived: bool = Field(description="系统自动判定（独居老人、老党员），不能手工认定")
    is_sensitive: bool = Field(description="敏感群体：名单和导出须有权限，查看记入审计日志")
    assignable_by: str = Field(description="worker 社工及以上 / secretary 仅书记/主任")
    visit_days: int | None = Field(description="关爱走访周期的默认天数；无则不列入关爱走访")
    is_custom: bool = Field(description="居民区或街道/镇添加的群体类别")
    is_retired: bool = Field(description="已停用：不再认定新成员，原有成员保留")


@router.get(
    "/areas/{area_id}/groups",
    response=answers(200, list[GroupKindOut], 404, 422),
    summary="居民区的群体类别（内置的与本居民区、街道/镇添加的）",
    tags=["people"],
)
def list_area_groups(request: AuthedRequest, area_id: ObjectId) -> list[dict[str, object]]:
    area = access_area(request.user, area_id)
    return [
        {
            "code": kind.code,
            "label": kind.label,
            "category": kind.category,
            "is_derived": kind.is_derived,
            "is_sensitive": kind.is_sensitive,
            "assignable_by": kind.assignable_by,
            "visit_days": kind.default_visit_days,
            "is_custom": kind.is_custom,
            "is_retired": kind.is_retired,
        }
        for kind in group_catalogue(area.pk).every
    ]


@router.get(
    "/residents/{resident_id}",
    response=answers(200, ResidentOut, 404, 422),
    summary="居民档案（脱敏）",
)
def get_resident(request: AuthedRequest, resident_id: ObjectId) -> dict[str, object]:
    resident = access_resident(request.user, resident_id)
    groups = [row["code"] for row in selectors.resident_groups(resident) if not row["is_sensitive"]]
    return resident_out(resident, timezone.localdate(), groups)  # type: ignore[arg-type]  # group codes are str


@router.post(
    "/residents/{resident_id}/unmask",
    response=answers(200, dict[str, object], 400, 404, 422),
    summary="查看完整信息（记入审计）",
)
def unmask_resident(
    request: AuthedRequest, resident_id: ObjectId, payload: UnmaskIn
) -> dict[str, object]:
    resident = access_resident(request.user, resident_id)
    try:
        return unmask(
            user=request.user,
            resident=resident,
            fields=payload.fields,
            reason=payload.reason,
            request=request,
        )
    except UnmaskRefused as refused:
        raise PermissionDenied(refused.message) from None


def _clean_phone(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return normalise_phone(value)
    except ValueError as error:
        raise ValidationError({"phone": str(error)}) from None


@router.post("/residents", response=answers(201, ResidentOut, 400, 404, 422), summary="登记居民")
def create_resident(request: AuthedRequest, payload: ResidentIn) -> Status[dict[str, object]]:
    household = access_household(request.user, payload.household_id)
    _writer(request)
    data = payload.dict(exclude={"household_id"})
    try:
        parsed = parse_id_number(data["id_number"], today=timezone.localdate())
    except IdNumberError as error:
        raise ValidationError({"id_number": str(error)}) from None
    data["id_number"] = parsed.number
    data["birth_date"] = data["birth_date"] or parsed.birth_date
    data["gender"] = data["gender"] or parsed.gender
    data["phone"] = _clean_phone(data["phone"])
    resident = services.resident_create(household=household, actor=request.user, **data)
    return Status(201, resident_out(resident, timezone.localdate()))


@router.patch(
    "/residents/{resident_id}",
    response=answers(200, ResidentOut, 400, 404, 422),
    summary="修改居民记录（留存历史）",
)
def update_resident(
    request: AuthedRequest, resident_id: ObjectId, payload: ResidentPatch
) -> dict[str, object]:
    resident = access_resident(request.user, resident_id)
    _writer(request)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    if "household_id" in data:
        # Moving to another household: the target must be visible too (a resident is in one household).
        data["household"] = access_household(request.user, data.pop("household_id"))
    if "phone" in data:
        data["phone"] = _clean_phone(data["phone"])
    resident = services.resident_update(resident=resident, actor=request.user, **data)
    return resident_out(resident, timezone.localdate())


@router.post(
    "/residents/{resident_id}/leave",
    response=answers(200, ResidentOut, 400, 404, 422),
    summary="登记迁出或死亡（记录保留）",
)
def leave_resident(
    request: AuthedRequest, resident_id: ObjectId, payload: LeaveIn
) -> dict[str, object]:
    resident = access_resident(request.user, resident_id)
    _writer(request)
    resident = services.resident_leave(
        resident=resident, actor=request.user, status=payload.status, on=payload.on
    )
    return resident_out(resident, timezone.localdate())


# --- emergency contacts 紧急联系人 ------------------------------------------------------------


class EmergencyContactOut(Schema):
    id: int
    resident_id: int
    name: str
    relation: ContactRelation
    phone: str = Field(description="脱敏：138****5678；完整号码经 …/unmask 查看（记入审计）")
    holds_key: bool
    note: str
    removed_at: datetime | None


class EmergencyContactIn(InputSchema):
    name: str = Field(min_length=1, max_length=50)
    relation: ContactRelation
    phone: str = Field(min_length=1, max_length=30, description="手机号或带区号的固定电话")
    holds_key: bool = False
    note: str = Field("", max_length=200)


class EmergencyContactPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=50)
    relation: ContactRelation | None = None
    phone: str | None = Field(None, min_length=1, max_length=30)
    holds_key: bool | None = None
    note: str | None = Field(None, max_length=200)


class ContactUnmaskIn(InputSchema):
    reason: str = Field(min_length=1, max_length=200)


def emergency_contact_out(contact: EmergencyContact) -> dict[str, object]:
    return {
        "id": contact.pk,
        "resident_id": contact.resident_id,
        "name": contact.name,
        "relation": contact.relation,
        "phone": mask_phone(contact.phone),
        "holds_key": contact.holds_key,
        "note": contact.note,
        "removed_at": contact.removed_at,
    }


@router.get(
    "/residents/{resident_id}/emergency-contacts",
    response=answers(200, list[EmergencyContactOut], 404, 422),
    summary="紧急联系人（脱敏）",
)
def list_emergency_contacts(
    request: AuthedRequest, resident_id: ObjectId, include_removed: bool = False
) -> list[dict[str, object]]:
    resident = access_resident(request.user, resident_id)
    contacts = resident.emergency_contacts.all()
    if not include_removed:
        contacts = contacts.filter(removed_at__isnull=True)
    return [emergency_contact_out(contact) for contact in contacts]


@router.post(
    "/residents/{resident_id}/emergency-contacts",
    response=answers(201, EmergencyContactOut, 400, 404, 422),
    summary="登记紧急联系人",
)
def create_emergency_contact(
    request: AuthedRequest, resident_id: ObjectId, payload: EmergencyContactIn
) -> Status[dict[str, object]]:
    resident = access_resident(request.user, resident_id)
    _writer(request)
    contact = services.emergency_contact_add(
        resident=resident, actor=request.user, **payload.dict()
    )
    return Status(201, emergency_contact_out(contact))


@router.patch(
    "/residents/{resident_id}/emergency-contacts/{contact_id}",
    response=answers(200, EmergencyContactOut, 400, 404, 422),
    summary="修改紧急联系人（留存历史）",
)
def update_emergency_contact(
    request: AuthedRequest,
    resident_id: ObjectId,
    contact_id: ObjectId,
    payload: EmergencyContactPatch,
) -> dict[str, object]:
    resident = access_resident(request.user, resident_id)
    contact = access_emergency_contact(request.user, resident, contact_id)
    _writer(request)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    contact = services.emergency_contact_update(contact=contact, actor=request.user, **data)
    return emergency_contact_out(contact)


@router.post(
    "/residents/{resident_id}/emergency-contacts/{contact_id}/remove",
    response=answers(200, EmergencyContactOut, 404, 422),
    summary="移除紧急联系人（记录保留）",
)
def remove_emergency_contact(
    request: AuthedRequest, resident_id: ObjectId, contact_id: ObjectId
) -> dict[str, object]:
    resident = access_resident(request.user, resident_id)
    contact = access_emergency_contact(request.user, resident, contact_id)
    _writer(request)
    contact = services.emergency_contact_remove(contact=contact, actor=request.user)
    return emergency_contact_out(contact)


@router.post(
    "/residents/{resident_id}/emergency-contacts/{contact_id}/unmask",
    response=answers(200, dict[str, str], 400, 404, 422),
    summary="查看紧急联系人完整电话（记入审计）",
)
def unmask_emergency_contact_phone(
    request: AuthedRequest, resident_id: ObjectId, contact_id: ObjectId, payload: ContactUnmaskIn
) -> dict[str, str]:
    resident = access_resident(request.user, resident_id)
    contact = access_emergency_contact(request.user, resident, contact_id)
    try:
        phone = unmask_emergency_contact(
            user=request.user, contact=contact, reason=payload.reason, request=request
        )
    except UnmaskRefused as refused:
        raise PermissionDenied(refused.message) from None
    return {"phone": phone}


# --- a building's households, a household ---------------------------------------------


class BuildingDetailOut(Schema):
    id: int
    label: str
    compound_id: int
    compound: str
    households: list[HouseholdOut]
    neighbours: list[int]


@router.get(
    "/buildings/{building_id}",
    response=answers(200, BuildingDetailOut, 404, 422),
    summary="楼组及其各户",
    tags=["places"],
)
def building_detail(request: AuthedRequest, building_id: ObjectId) -> dict[str, object]:
    building = access_building(request.user, building_id)
    households = selectors.building_households(building)
    neighbours = building_neighbours([building.pk]).get(building.pk, set())
    return {
        "id": building.pk,
        "label": building.label,
        "compound_id": building.compound_id,
        "compound": building.compound.name,
        "households": [
            {
                "id": h.pk,
                "building_id": building.pk,
                "room": h.room,
                "address": address_of(building, h.room),
                "residents": len(h.current_residents),  # type: ignore[attr-defined]  # annotated by the query
            }
            for h in households
        ],
        "neighbours": sorted(neighbours),
    }


@router.get(
    "/households/{household_id}",
    response=answers(200, HouseholdOut, 404, 422),
    summary="一户",
    tags=["places"],
)
def household_detail(request: AuthedRequest, household_id: ObjectId) -> dict[str, object]:
    household = access_household(request.user, household_id)
    return {
        "id": household.pk,
        "building_id": household.building_id,
        "room": household.room,
        "address": household.address,
        "residents": selectors.current_resident_count(household),
    }
