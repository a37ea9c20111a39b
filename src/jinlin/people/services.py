"""Writes on residents and groups: each one transactional, checked and kept in history."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.idnumber import normalise_phone
from jinlin.core.models import AuditEvent, Role, User
from jinlin.people.catalogue import BUILTINS, scope_q
from jinlin.people.derived import living_alone_elderly_since, veteran_member_since
from jinlin.people.groups import DERIVED_CODES, GroupCode
from jinlin.people.models import (
    ContactRelation,
    EmergencyContact,
    GroupDefinition,
    GroupMembership,
    LifeStatus,
    Resident,
)
from jinlin.places.figures import bump_areas
from jinlin.places.models import Area, Household

MSG_UNKNOWN_GROUP = "未知的群体"
MSG_GROUP_RETIRED = "该群体已停用，不能再认定新成员"
MSG_GROUP_SECRETARY_ONLY = "该群体仅由居民区书记/主任认定"
MSG_DERIVED_GROUP = "该群体由系统自动判定，不能手工设置"
MSG_REASON_NEEDED = "请填写认定理由"
MSG_ALREADY_GONE = "该居民已迁出或已故"
MSG_DATE_IN_FUTURE = "日期不能晚于今天"
MSG_ALREADY_IN_GROUP = "该居民已在此群体中"
MSG_ID_NUMBER_TAKEN = "该身份证号已登记在其他居民名下"
MSG_ID_NUMBER_PROBES = (
    "今天登记时身份证号与已登记居民重复已达 {limit} 次，暂不能再登记新的身份证号；"
    "请明天再试，或请居民区书记核对"
)
# The audit reason of a refused ID number: like a search by whole number, it says who holds it.
ID_NUMBER_CLASH_REASON = "登记时身份证号与已登记居民重复"

_CHUNK = 500
DERIVED_REASON = "系统按规则判定"


class PlacedResident(NamedTuple):
    """What the derived groups need of a resident: where they live, born when, in what state."""

    id: int
    household_id: int
    area_id: int
    compound_id: int
    birth_date: date | None
    status: str


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def refresh_derived_groups(household_ids: Iterable[int]) -> int:
    """Make 独居老人 and 老党员 rows of these households agree with the data; return changes.

    SPEC "Groups": derived groups must stay true as data changes. Rows hold the day the
    resident joins, so an upcoming birthday needs no later refresh.

    Safe to repeat and to run twice at once (issue 20): rows are matched by resident, not by
    the household they were written under (a resident who moved keeps one row, moved with
    them), and new rows are inserted so that a row another save has just written is kept
    rather than failing on the one-open-row constraint.
    """
    elderly_age = settings.JINLIN["ELDERLY_AGE"]
    veteran_years = settings.JINLIN["VETERAN_PARTY_YEARS"]
    today = timezone.localdate()
    changes = 0
    for chunk in _chunks(sorted(set(household_ids))):
        # Residents who moved out of these households still hold rows naming them: their
        # new household is refreshed with them.
        moved_to = Resident.objects.filter(
            memberships__household_id__in=chunk,
            memberships__source=GroupMembership.Source.DERIVED,
            memberships__ended_on__isnull=True,
        ).values_list("household_id", flat=True)
        households = set(chunk) | set(moved_to)
        residents = [
            PlacedResident(*row)
            for row in Resident.objects.filter(household_id__in=households).values_list(
                *PlacedResident._fields
            )
        ]
        by_id = {row.id: row for row in residents}
        wanted = _derived_wanted(residents, elderly_age, veteran_years, _joined_on(by_id))
        existing = {
            (m.resident_id, m.group): m
            for m in GroupMembership.objects.filter(
                resident_id__in=by_id,
                source=GroupMembership.Source.DERIVED,
                ended_on__isnull=True,
            )
        }
        for key, membership in existing.items():
            since = wanted.get(key)
            if since is None:
                membership.ended_on = today
                membership.save(update_fields=["ended_on"])
                changes += 1
                continue
            place = by_id[membership.resident_id]
            fields = {
                "since": since,
                "household_id": place.household_id,
                "area_id": place.area_id,
                "compound_id": place.compound_id,
            }
            stale = [name for name, value in fields.items() if getattr(membership, name) != value]
            if stale:
                for name in stale:
                    setattr(membership, name, fields[name])
                membership.save(update_fields=stale)
                changes += 1
        new_rows = [
            _derived_row(by_id[resident_id], group, since)
            for (resident_id, group), since in wanted.items()
            if (resident_id, group) not in existing
        ]
        if new_rows:
            # A concurrent save may have inserted the same open row since the read above:
            # the constraint keeps one, and the count reports only the rows this call wrote.
            before = _open_derived_count(by_id)
            GroupMembership.objects.bulk_create(new_rows, ignore_conflicts=True)
            changes += _open_derived_count(by_id) - before
            # bulk_create sends no signal: the overviews' counts of these areas moved.
            bump_areas({row.area_id for row in new_rows})
    return changes


def _open_derived_count(resident_ids: Iterable[int]) -> int:
    return GroupMembership.objects.filter(
        resident_id__in=list(resident_ids),
        source=GroupMembership.Source.DERIVED,
        ended_on__isnull=True,
    ).count()


def _derived_row(place: PlacedResident, group: str, since: date) -> GroupMembership:
    return GroupMembership(
        resident_id=place.id,
        household_id=place.household_id,
        area_id=place.area_id,
        compound_id=place.compound_id,
        group=group,
        source=GroupMembership.Source.DERIVED,
        since=since,
        reason=DERIVED_REASON,
    )


def derive_groups_of_new_households(residents: Sequence[PlacedResident], *, area_id: int) -> int:
    """独居老人 and 老党员 rows of households created together with all their residents (a
    first import): computed from those residents as the importer wrote them, without
    reading them back.

    The caller vouches that `residents` are every resident of their households and that
    they are new: no derived row names them or their households yet, so there is nothing to
    end or move, only rows to add (the same rule as `refresh_derived_groups`). Their Party
    records are read (one query for the area's members: they may have been written by the
    same import). Returns the rows written."""
    if not residents:
        return 0
    elderly_age = settings.JINLIN["ELDERLY_AGE"]
    veteran_years = settings.JINLIN["VETERAN_PARTY_YEARS"]
    joined = dict(
        Resident.objects.filter(area_id=area_id, party_member__isnull=False).values_list(
            "id", "party_member__joined_on"
        )
    )
    wanted = _derived_wanted(residents, elderly_age, veteran_years, joined)
    if not wanted:
        return 0
    by_id = {row.id: row for row in residents}
    new_rows = [
        _derived_row(by_id[resident_id], group, since)
        for (resident_id, group), since in wanted.items()
    ]
    GroupMembership.objects.bulk_create(new_rows, batch_size=500)
    # bulk_create sends no signal: the overviews' counts of these areas moved.
    bump_areas({row.area_id for row in new_rows})
    return len(new_rows)


def _joined_on(residents: Iterable[int]) -> dict[int, date]:
    """The day each of these residents joined the Party, for those who are members."""
    # Read through the Party membership's reverse relation: people sits below party.
    return dict(
        Resident.objects.filter(id__in=list(residents), party_member__isnull=False).values_list(
            "id", "party_member__joined_on"
        )
    )


def _derived_wanted(
    residents: Sequence[PlacedResident],
    elderly_age: int,
    veteran_years: int,
    joined: Mapping[int, date],
) -> dict[tuple[int, str], date]:
    """The open derived rows these residents should have, with the day each began."""
    current_count: dict[int, int] = defaultdict(int)
    for row in residents:
        if row.status == LifeStatus.CURRENT:
            current_count[row.household_id] += 1
    wanted: dict[tuple[int, str], date] = {}
    for row in residents:
        if row.status != LifeStatus.CURRENT:
            continue
        alone = living_alone_elderly_since(
            birth_date=row.birth_date,
            current_household_members=current_count[row.household_id],
            elderly_age=elderly_age,
        )
        if alone is not None:
            wanted[(row.id, GroupCode.LIVING_ALONE)] = alone
        veteran = veteran_member_since(joined_on=joined.get(row.id), veteran_years=veteran_years)
        if veteran is not None:
            wanted[(row.id, GroupCode.VETERAN_MEMBER)] = veteran
    return wanted


class IdNumberTaken(ValidationError):
    """The ID number is another resident's: the refusal tells the writer that a person with
    that number is registered, so it is recorded like a lookup by whole number."""

    def __init__(self, holder_id: int, holder_area_id: int) -> None:
        super().__init__({"id_number": MSG_ID_NUMBER_TAKEN})
        self.holder_id = holder_id
        self.holder_area_id = holder_area_id


def id_number_clashes_today(actor: User | None) -> int:
    """How many times today this writer was told an ID number is someone else's."""
    if actor is None or not actor.is_authenticated:
        return 0
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return AuditEvent.objects.filter(
        actor=actor,
        action=AuditEvent.Action.LOOKUP,
        reason=ID_NUMBER_CLASH_REASON,
        at__gte=start,
    ).count()


def record_id_number_clash(
    *, actor: User | None, holder_id: int, holder_area_id: int, actor_name: str = ""
) -> None:
    """Audit one refused ID number in the holder's area, whose secretary sees who probed."""
    audit(
        actor=actor,
        action=AuditEvent.Action.LOOKUP,
        object_type="resident",
        object_id=holder_id,
        fields=["id_number"],
        reason=ID_NUMBER_CLASH_REASON,
        area_id=holder_area_id,
        actor_name=actor_name,
    )


@contextmanager
def _clash_recorded(actor: User | None) -> Iterator[None]:
    """Record a refused ID number after the write's transaction has rolled back (inside it, the
    record would roll back with the write)."""
    try:
        yield
    except IdNumberTaken as clash:
        record_id_number_clash(
            actor=actor, holder_id=clash.holder_id, holder_area_id=clash.holder_area_id
        )
        raise


def _validated(resident: Resident, actor: User | None) -> None:
    # The ID number's uniqueness is checked below, where a refusal is recorded.
    resident.full_clean(
        exclude=["household", "building", "compound", "area"], validate_unique=False
    )
    if not resident.id_number:
        return
    holder = (
        Resident.objects.filter(id_number=resident.id_number)
        .exclude(pk=resident.pk)
        .values_list("pk", "area_id")
        .first()
    )
    is_new_number = holder is not None or not (
        resident.pk
        and Resident.objects.filter(pk=resident.pk, id_number=resident.id_number).exists()
    )
    # A writer who keeps trying numbers that are taken is asking who is registered: past the
    # day's limit it may set no new number at all, taken or not, so the answer says nothing.
    limit = int(settings.JINLIN["ID_NUMBER_CLASHES_PER_DAY"])
    if is_new_number and id_number_clashes_today(actor) >= limit:
        raise ValidationError({"id_number": MSG_ID_NUMBER_PROBES.format(limit=limit)})
    if holder is not None:
        raise IdNumberTaken(*holder)


def resident_create(*, household: Household, actor: User | None, **fields: Any) -> Resident:
    with _clash_recorded(actor):
        return _resident_create(household=household, actor=actor, **fields)


@transaction.atomic
def _resident_create(*, household: Household, actor: User | None, **fields: Any) -> Resident:
    resident = Resident(household=household, **fields)
    if not resident.birth_date and resident.id_number:
        from jinlin.core.idnumber import IdNumberError, parse_id_number

        try:
            parsed = parse_id_number(resident.id_number)
            resident.birth_date = parsed.birth_date
            resident.gender = resident.gender or parsed.gender
        except IdNumberError:
            pass  # full_clean names the field
    _validated(resident, actor)
    resident._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    resident.save()
    return resident


def resident_update(*, resident: Resident, actor: User | None, **fields: Any) -> Resident:
    with _clash_recorded(actor):
        return _resident_update(resident=resident, actor=actor, **fields)


@transaction.atomic
def _resident_update(*, resident: Resident, actor: User | None, **fields: Any) -> Resident:
    for name, value in fields.items():
        setattr(resident, name, value)
    _validated(resident, actor)
    resident._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    resident.save()
    return resident


@transaction.atomic
def resident_leave(*, resident: Resident, actor: User | None, status: str, on: date) -> Resident:
    """Record a move out or a death; the record stays, with its status and date."""
    if resident.status != LifeStatus.CURRENT:
        raise ValidationError({"status": MSG_ALREADY_GONE})
    if on > timezone.localdate():
        raise ValidationError({"status_date": MSG_DATE_IN_FUTURE})
    if status not in (LifeStatus.MOVED_OUT, LifeStatus.DECEASED):
        raise ValidationError({"status": "状态只能是已迁出或已故"})
    return resident_update(resident=resident, actor=actor, status=status, status_date=on)


@transaction.atomic
def group_add_manual(
    *, resident: Resident, actor: User, group: str, reason: str, skills: list[str] | None = None
) -> GroupMembership:
    """A resident put in a group by hand, with who, when and why: a built-in manual group or
    one of the area's own in use, and those kept for the secretary only by a secretary."""
    # Read fresh: a group retired a moment ago in another process takes no new members.
    definition = GroupDefinition.objects.filter(scope_q(resident.area_id), code=group).first()
    if definition is not None:
        if definition.retired_at is not None:
            raise ValidationError({"group": MSG_GROUP_RETIRED})
        if definition.assignable_by == GroupDefinition.AssignableBy.SECRETARY and not (
            may_manage_groups(actor, area_id=resident.area_id)
        ):
            raise ValidationError({"group": MSG_GROUP_SECRETARY_ONLY})
    elif group not in {code.value for code in GroupCode}:
        raise ValidationError({"group": MSG_UNKNOWN_GROUP})
    elif group in DERIVED_CODES:
        raise ValidationError({"group": MSG_DERIVED_GROUP})
    if not reason.strip():
        raise ValidationError({"reason": MSG_REASON_NEEDED})
    if GroupMembership.objects.filter(
        resident=resident, group=group, ended_on__isnull=True
    ).exists():
        raise ValidationError({"group": MSG_ALREADY_IN_GROUP})
    membership = GroupMembership(
        resident=resident,
        household_id=resident.household_id,
        area_id=resident.area_id,
        compound_id=resident.compound_id,
        group=group,
        source=GroupMembership.Source.MANUAL,
        since=timezone.localdate(),
        reason=reason.strip()[:200],
        set_by=actor,
        skills=skills or [],
    )
    membership._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    membership.save()
    return membership


# --- emergency contacts 紧急联系人 -----------------------------------------------------------

MSG_CONTACT_NAME = "请填写紧急联系人姓名"
MSG_CONTACT_PHONE = "请填写紧急联系人的电话（11位手机号或带区号的固定电话）"
MSG_CONTACT_RELATION = "请选择与居民的关系"
MSG_CONTACT_REMOVED = "该紧急联系人已移除"
MSG_CONTACT_TOO_MANY = "每位居民最多登记 {limit} 位紧急联系人"
MSG_CONTACT_RESIDENT_GONE = "该居民已迁出或已故，不能再登记紧急联系人"
CONTACT_LIMIT = 5
CONTACT_FIELDS = ("name", "relation", "phone", "holds_key", "note")


def _contact_cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as stored, or a ValidationError naming every bad one (nothing written)."""
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = " ".join((cleaned["name"] or "").split())[:50]
        if not cleaned["name"]:
            errors["name"] = MSG_CONTACT_NAME
    if "relation" in cleaned and cleaned["relation"] not in ContactRelation.values:
        errors["relation"] = MSG_CONTACT_RELATION
    if "phone" in cleaned:
        text = (cleaned["phone"] or "").strip()
        if not text:
            errors["phone"] = MSG_CONTACT_PHONE
        else:
            try:
                cleaned["phone"] = normalise_phone(text)
            except ValueError as error:
                errors["phone"] = str(error)
    if "note" in cleaned:
        cleaned["note"] = (cleaned["note"] or "").strip()[:200]
    if "holds_key" in cleaned:
        cleaned["holds_key"] = bool(cleaned["holds_key"])
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def emergency_contact_add(
    *,
    resident: Resident,
    actor: User | None,
    name: str,
    relation: str,
    phone: str,
    holds_key: bool = False,
    note: str = "",
) -> EmergencyContact:
    """Register one 紧急联系人 of a current resident (at most CONTACT_LIMIT at a time)."""
    cleaned = _contact_cleaned(
        {"name": name, "relation": relation, "phone": phone, "holds_key": holds_key, "note": note}
    )
    if resident.status != LifeStatus.CURRENT:
        raise ValidationError({"name": MSG_CONTACT_RESIDENT_GONE})
    if EmergencyContact.objects.active().filter(resident=resident).count() >= CONTACT_LIMIT:
        raise ValidationError({"name": MSG_CONTACT_TOO_MANY.format(limit=CONTACT_LIMIT)})
    contact = EmergencyContact(resident=resident, created_by=actor, **cleaned)
    contact._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    contact.save()
    return contact


@transaction.atomic
def emergency_contact_update(
    *, contact: EmergencyContact, actor: User | None, **fields: Any
) -> EmergencyContact:
    """Change some of CONTACT_FIELDS of an active contact; the old values stay in history."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    if contact.removed_at is not None:
        raise ValidationError({"name": MSG_CONTACT_REMOVED})
    cleaned = _contact_cleaned(fields)
    changed = [name for name, value in cleaned.items() if getattr(contact, name) != value]
    if not changed:
        return contact
    for name in changed:
        setattr(contact, name, cleaned[name])
    contact._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    contact.save(update_fields=changed)
    return contact


@transaction.atomic
def emergency_contact_remove(*, contact: EmergencyContact, actor: User | None) -> EmergencyContact:
    """Take a contact off the resident's list: who and when, the row stays (never deleted)."""
    if contact.removed_at is not None:
        raise ValidationError({"name": MSG_CONTACT_REMOVED})
    contact.removed_at = timezone.now()
    contact.removed_by = actor
    contact._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    contact.save(update_fields=["removed_at", "removed_by"])
    return contact


# --- 群体类别: an area's or a subdistrict's own groups ----------------------------------------

MSG_GROUP_LABEL = "请填写群体名称（1–20字）"
MSG_GROUP_LABEL_TAKEN = "本居民区已有名为“{label}”的群体"
MSG_GROUP_VISIT_DAYS = "走访周期须为 1–365 天，或不填"
MSG_GROUP_NOT_ALLOWED = "只有居民区书记/主任（或街道/镇管理员）可以管理群体类别"
MSG_GROUP_CATEGORY = "请选择类别"
MSG_GROUP_ASSIGNABLE_BY = "请选择谁可以认定"
MSG_GROUP_ALREADY_RETIRED = "该群体已停用"
GROUP_LABEL_MAX = 20


def may_manage_groups(
    user: User, *, area_id: int | None = None, subdistrict_id: int | None = None
) -> bool:
    """An area's groups: its secretary (and the admin of its subdistrict); a subdistrict's:
    its admin. Never a worker."""
    if user.is_superuser:
        return True
    if area_id is not None:
        if user.role == Role.AREA_SECRETARY:
            return user.area_id == area_id
        if user.role == Role.SUBDISTRICT_ADMIN and user.subdistrict_id is not None:
            return Area.objects.filter(pk=area_id, subdistrict_id=user.subdistrict_id).exists()
        return False
    return user.role == Role.SUBDISTRICT_ADMIN and user.subdistrict_id == subdistrict_id


def _labels_in_scope(*, area_id: int | None, subdistrict_id: int | None) -> set[str]:
    """Labels a new group of this scope may not take: every group its areas already show."""
    in_use = GroupDefinition.objects.filter(retired_at__isnull=True)
    if area_id is not None:
        in_use = in_use.filter(scope_q(area_id))
    else:
        in_use = in_use.filter(
            Q(subdistrict_id=subdistrict_id) | Q(area__subdistrict_id=subdistrict_id)
        )
    return {kind.label for kind in BUILTINS.values()} | set(in_use.values_list("label", flat=True))


def _group_fields_cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    if "label" in cleaned:
        cleaned["label"] = "".join((cleaned["label"] or "").split())
        if not cleaned["label"] or len(cleaned["label"]) > GROUP_LABEL_MAX:
            errors["label"] = MSG_GROUP_LABEL
    if "category" in cleaned and cleaned["category"] not in GroupDefinition.Category.values:
        errors["category"] = MSG_GROUP_CATEGORY
    if (
        "assignable_by" in cleaned
        and cleaned["assignable_by"] not in GroupDefinition.AssignableBy.values
    ):
        errors["assignable_by"] = MSG_GROUP_ASSIGNABLE_BY
    if "visit_days" in cleaned:
        days = cleaned["visit_days"]
        if days in ("", None):
            cleaned["visit_days"] = None
        else:
            try:
                days = int(days)
            except (TypeError, ValueError):
                days = 0
            if not 1 <= days <= 365:
                errors["visit_days"] = MSG_GROUP_VISIT_DAYS
            cleaned["visit_days"] = days
    if errors:
        raise ValidationError(errors)
    return cleaned


def _new_group_code() -> str:
    while True:
        code = f"g{secrets.token_hex(5)}"
        if not GroupDefinition.objects.filter(code=code).exists():
            return code


@transaction.atomic
def group_definition_create(
    *,
    actor: User,
    label: str,
    category: str,
    is_sensitive: bool,
    assignable_by: str = GroupDefinition.AssignableBy.WORKER,
    visit_days: int | str | None = None,
    area_id: int | None = None,
    subdistrict_id: int | None = None,
) -> GroupDefinition:
    """A group of an area (or of a subdistrict, for all its areas): checked, then kept."""
    if (area_id is None) == (subdistrict_id is None):
        raise ValidationError({"label": "请指定居民区或街道/镇"})
    if not may_manage_groups(actor, area_id=area_id, subdistrict_id=subdistrict_id):
        raise PermissionDenied(MSG_GROUP_NOT_ALLOWED)
    cleaned = _group_fields_cleaned(
        {
            "label": label,
            "category": category,
            "assignable_by": assignable_by,
            "visit_days": visit_days,
        }
    )
    if cleaned["label"] in _labels_in_scope(area_id=area_id, subdistrict_id=subdistrict_id):
        raise ValidationError({"label": MSG_GROUP_LABEL_TAKEN.format(label=cleaned["label"])})
    definition = GroupDefinition(
        code=_new_group_code(),
        is_sensitive=bool(is_sensitive),
        area_id=area_id,
        subdistrict_id=subdistrict_id,
        created_by=actor,
        **cleaned,
    )
    definition._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    definition.save()
    return definition


def _managed_definition(actor: User, definition: GroupDefinition) -> None:
    if not may_manage_groups(
        actor, area_id=definition.area_id, subdistrict_id=definition.subdistrict_id
    ):
        raise PermissionDenied(MSG_GROUP_NOT_ALLOWED)


@transaction.atomic
def group_definition_update(
    *, actor: User, definition: GroupDefinition, **fields: Any
) -> GroupDefinition:
    """Label, category, who may assign and the visit interval; never the code nor whether it
    is sensitive (what members were shown as stays true, people.catalogue)."""
    _managed_definition(actor, definition)
    allowed = {"label", "category", "assignable_by", "visit_days"}
    cleaned = _group_fields_cleaned({k: v for k, v in fields.items() if k in allowed})
    label = cleaned.get("label")
    if label is not None and label != definition.label:
        taken = _labels_in_scope(
            area_id=definition.area_id, subdistrict_id=definition.subdistrict_id
        )
        if label in taken:
            raise ValidationError({"label": MSG_GROUP_LABEL_TAKEN.format(label=label)})
    for name, value in cleaned.items():
        setattr(definition, name, value)
    definition._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    definition.save()
    return definition


@transaction.atomic
def group_definition_retire(*, actor: User, definition: GroupDefinition) -> GroupDefinition:
    """No new members from now on; its memberships and their history stay as they are."""
    _managed_definition(actor, definition)
    if definition.retired_at is not None:
        raise ValidationError({"label": MSG_GROUP_ALREADY_RETIRED})
    definition.retired_at = timezone.now()
    definition.retired_by = actor
    definition._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    definition.save()
    return definition
