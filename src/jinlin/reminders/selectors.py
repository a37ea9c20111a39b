"""Reads of reminders: a user's digest (a fixed number of queries whatever the patch holds),
the users due a digest, the things overdue enough to escalate, whom to tell."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from jinlin.chain.needs.models import ClaimStatus, NeedClaim
from jinlin.core.models import Role, User
from jinlin.fieldwork.access import fieldwork_scope
from jinlin.fieldwork.cases.models import CaseAction
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.concerns.selectors import late_concerns, open_concerns, visible_concerns
from jinlin.fieldwork.visits.selectors import due_for_scope
from jinlin.people.models import Resident
from jinlin.places.models import Household
from jinlin.reminders.digest_text import Digest, Section, mask_name
from jinlin.reminders.models import AreaChannel, DigestPreference, DigestSent, Escalation

ITEMS_SHOWN = 5  # masked lines per section; the page behind the link has the rest
DIGEST_ROLES = (Role.WORKER, Role.AREA_SECRETARY)
LATE_CONCERNS_COUNTED = 500  # beyond this the count says 500; the list page has them all


def _visits_section(user: User, day: date) -> Section:
    scope = fieldwork_scope(user)
    if scope.is_empty:
        return Section("待走访", 0, "户", reverse("fieldwork_today"))
    dues, _places = due_for_scope(scope, day)
    shown = dues[:ITEMS_SHOWN]
    households = {
        household.pk: household
        for household in Household.objects.filter(
            pk__in=[due.household_id for due in shown]
        ).select_related("building__compound")
    }
    names = dict(
        Resident.objects.filter(pk__in={r for due in shown for r in due.resident_ids}).values_list(
            "id", "name"
        )
    )
    items = []
    for due in shown:
        household = households[due.household_id]
        who = "、".join(mask_name(names[r]) for r in due.resident_ids if r in names)
        late = f"逾期 {due.days_overdue} 天" if due.days_overdue else "今日到期"
        items.append(f"{household.address} {who} · {late}")
    return Section(
        "待走访",
        len(dues),
        "户",
        reverse("fieldwork_today"),
        overdue=sum(1 for due in dues if due.days_overdue > 0),
        items=tuple(items),
    )


def _actions_section(user: User, day: date) -> Section:
    actions = list(
        CaseAction.objects.filter(
            owner=user, done_at__isnull=True, case__closed_at__isnull=True, due_on__lte=day
        ).order_by("due_on", "id")
    )
    items = tuple(
        f"个案 #{action.case_id} 的措施，期限 {action.due_on:%m-%d}"
        + ("（逾期）" if action.due_on < day else "（今日到期）")
        for action in actions[:ITEMS_SHOWN]
    )
    return Section(
        "个案措施",
        len(actions),
        "项",
        reverse("fieldwork_cases"),
        overdue=sum(1 for action in actions if action.due_on < day),
        items=items,
    )


def _concerns_section(user: User, now: datetime) -> Section:
    mine = open_concerns(visible_concerns(user))
    if user.role == Role.AREA_SECRETARY:
        mine = mine.filter(Q(owner=user) | Q(owner__isnull=True))
    else:
        mine = mine.filter(owner=user)
    late = late_concerns(mine, now, limit=LATE_CONCERNS_COUNTED)
    items = tuple(
        f"民声诉求 #{concern.pk}（{concern.compound_name or concern.area_id}），"
        f"受理于 {timezone.localtime(concern.received_at):%m-%d}"
        for concern in late[:ITEMS_SHOWN]
    )
    return Section(
        "逾期未回复的民声诉求",
        len(late),
        "件",
        reverse("fieldwork_concerns"),
        overdue=len(late),
        items=items,
    )


def _claims_section(user: User) -> Section:
    if user.area_id is None or user.role not in DIGEST_ROLES:
        return Section("待确认的服务认领", 0, "项", "")
    count = NeedClaim.objects.filter(
        status=ClaimStatus.CLAIMED, need__area_id=user.area_id, need__withdrawn_at__isnull=True
    ).count()
    return Section("待确认的服务认领", count, "项", reverse("chain_needs", args=[user.area_id]))


def digest_for(user: User, now: datetime) -> Digest:
    """What needs the user today: care visits due and overdue in its patch, its case actions
    due or overdue, door concerns past their reply deadline that it follows up (the secretary:
    also those nobody follows up), 双报到 claims its committee is to confirm."""
    day = timezone.localdate(now)
    return Digest(
        on=day,
        user_name=str(user),
        sections=(
            _visits_section(user, day),
            _actions_section(user, day),
            _concerns_section(user, now),
            _claims_section(user),
        ),
    )


# --- who is due a digest -------------------------------------------------------------------


def digest_candidates() -> QuerySet[User]:
    """Active workers and secretaries, with their preference and their area's channel."""
    return (
        User.objects.filter(is_active=True, role__in=DIGEST_ROLES)
        .select_related("digest_preference", "area__reminder_channel")
        .order_by("id")
    )


def preference_of(user: User) -> DigestPreference:
    try:
        return user.digest_preference
    except DigestPreference.DoesNotExist:
        return DigestPreference(user=user)


def channel_of(user: User) -> AreaChannel | None:
    if user.area is None:
        return None
    try:
        return user.area.reminder_channel
    except AreaChannel.DoesNotExist:
        return None


def sent_today(day: date) -> set[tuple[int, str]]:
    """(user id, channel) of the digests of `day` sent (or found empty) already."""
    return set(
        DigestSent.objects.filter(on=day)
        .filter(Q(sent_at__isnull=False) | Q(was_empty=True))
        .values_list("user_id", "channel")
    )


# --- escalation ---------------------------------------------------------------------------


def overdue_actions(day: date) -> list[CaseAction]:
    return list(
        CaseAction.objects.filter(
            done_at__isnull=True, case__closed_at__isnull=True, due_on__lt=day
        ).select_related("case__area", "owner")
    )


def unanswered_concerns(now: datetime) -> list[Concern]:
    """Door concerns without a reply, at least two days old (the candidates for lateness)."""
    return list(
        open_concerns(Concern.objects.all())
        .filter(receipt__isnull=False, replied_at__isnull=True)
        .filter(received_at__lte=now - timedelta(days=2))
        .select_related("area")
    )


def escalated_steps(action_ids: list[int], concern_ids: list[int]) -> set[tuple[str, int, str]]:
    """("action" | "concern", id, level) of the escalation steps taken of these."""
    steps: set[tuple[str, int, str]] = set()
    for action_id, concern_id, level in Escalation.objects.filter(
        Q(action_id__in=action_ids) | Q(concern_id__in=concern_ids)
    ).values_list("action_id", "concern_id", "level"):
        if action_id is not None:
            steps.add(("action", action_id, level))
        else:
            steps.add(("concern", concern_id, level))
    return steps


def secretaries_by_area(area_ids: set[int]) -> dict[int, list[User]]:
    return _active_by(Role.AREA_SECRETARY, "area_id", area_ids)


def admins_by_subdistrict(subdistrict_ids: set[int]) -> dict[int, list[User]]:
    return _active_by(Role.SUBDISTRICT_ADMIN, "subdistrict_id", subdistrict_ids)


def _active_by(role: str, field: str, ids: set[int]) -> dict[int, list[User]]:
    """The active users of a role, by the area or subdistrict (`field`) they belong to."""
    found: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, role=role, **{f"{field}__in": ids}).order_by(
        "id"
    ):
        found[getattr(user, field)].append(user)
    return found
