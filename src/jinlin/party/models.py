"""The Party organisation of an area: organisations at three levels, their members, positions,
the contact chain (委员→支部→党小组→党员→户), group meetings and reorganisations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from jinlin.people.models import LifeStatus

MSG_LEADER_ONLY_IN_GROUP = "党小组长只能在党小组中任职"
MSG_COMMITTEE_NOT_IN_GROUP = "书记、副书记和委员只在居民区党组织或党支部中任职"
MSG_CONTACT_LEVEL = "联系关系只用于党支部（由上级委员联系）和党小组（由支部委员联系）"
MSG_CONTACT_NOT_COMMITTEE = "联系人须是上级党组织的现任书记、副书记或委员"
MSG_ENDED_BEFORE_START = "结束日期不能早于开始日期"


class PartyOrganisationQuerySet(models.QuerySet):
    def active(self) -> PartyOrganisationQuerySet:
        return self.filter(dissolved_at__isnull=True)


class PartyOrganisation(models.Model):
    """党总支/党委 of an area → 党支部 per compound (or joint) → 党小组 per building(s)."""

    class Level(models.TextChoices):
        AREA = "area", "居民区党组织"
        BRANCH = "branch", "党支部"
        GROUP = "group", "党小组"

    area = models.ForeignKey(
        "places.Area",
        verbose_name="居民区",
        on_delete=models.PROTECT,
        related_name="party_organisations",
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    compounds = models.ManyToManyField(
        "places.Compound", verbose_name="所辖小区", blank=True, related_name="party_branches"
    )
    buildings = models.ManyToManyField(
        "places.Building", verbose_name="所辖楼组", blank=True, related_name="party_groups"
    )
    is_joint = models.BooleanField("联合支部", default=False)
    dissolved_at = models.DateTimeField("撤销时间", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[compounds, buildings])

    objects = PartyOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        indexes = [models.Index(fields=["area", "level", "dissolved_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_at is None


class PartyMemberQuerySet(models.QuerySet):
    def taking_part(self) -> PartyMemberQuerySet:
        """Members living here who take part in the community's Party life: retired members,
        members whose membership is here, and in-service members registered here (双报到).
        SPEC: "In-service members who register with the community take part alongside
        retired members"."""
        return self.filter(resident__status=LifeStatus.CURRENT).filter(
            Q(is_in_service=False) | Q(is_dual_registered=True) | Q(home_organisation="")
        )

    def counted(self, *, on, count_probationary: bool) -> PartyMemberQuerySet:
        """Those who count towards a group's three (SPEC: "Count full members only …
        (configurable)")."""
        members = self.taking_part()
        if count_probationary:
            return members
        return members.filter(full_member_on__isnull=False, full_member_on__lte=on)


class PartyMember(models.Model):
    """A resident's Party membership (including in-service members who registered here)."""

    resident = models.OneToOneField(
        "people.Resident",
        verbose_name="居民",
        on_delete=models.PROTECT,
        related_name="party_member",
    )
    joined_on = models.DateField("入党时间")
    full_member_on = models.DateField("转正时间", null=True, blank=True, help_text="空表示预备党员")
    is_in_service = models.BooleanField("在职党员", default=False)
    is_dual_registered = models.BooleanField(
        "双报到", default=False, help_text="组织关系在外、到社区报到的在职党员"
    )
    home_organisation = models.CharField("组织关系所在单位", max_length=100, blank=True)
    can_contact = models.BooleanField("能承担联系户", default=True)
    cannot_contact_reason = models.CharField("不能联系户的原因", max_length=100, blank=True)
    phone_consent = models.BooleanField("同意公示电话", default=False)
    group = models.ForeignKey(
        PartyOrganisation,
        verbose_name="所在党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = PartyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"

    def __str__(self) -> str:
        return str(self.resident)

    @property
    def is_probationary(self) -> bool:
        return self.full_member_on is None

    @property
    def takes_part(self) -> bool:
        return not self.is_in_service or self.is_dual_registered or not self.home_organisation

    def party_years(self, on) -> int | None:
        """党龄: whole years since becoming a full member (the Party's own count); None while
        probationary."""
        if self.full_member_on is None or self.full_member_on > on:
            return None
        start = self.full_member_on
        return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


class Position(models.Model):
    """A member holding a post in an organisation: 书记/副书记/委员 of the area organisation or
    a branch, 党小组长 of a group. Ended, never deleted."""

    class Kind(models.TextChoices):
        SECRETARY = "secretary", "书记"
        DEPUTY_SECRETARY = "deputy_secretary", "副书记"
        COMMITTEE_MEMBER = "committee_member", "委员"
        GROUP_LEADER = "group_leader", "党小组长"

    COMMITTEE_KINDS = (Kind.SECRETARY, Kind.DEPUTY_SECRETARY, Kind.COMMITTEE_MEMBER)

    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name="党组织", on_delete=models.PROTECT, related_name="positions"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name="党员", on_delete=models.PROTECT, related_name="positions"
    )
    kind = models.CharField("职务", max_length=20, choices=Kind.choices)
    started_on = models.DateField("任职日期", default=timezone.localdate)
    ended_on = models.DateField("离任日期", null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "党内职务"
        verbose_name_plural = "党内职务"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(ended_on__isnull=True, kind__in=["secretary", "group_leader"]),
                name="position_one_secretary_or_leader",
            ),
            models.UniqueConstraint(
                fields=["organisation", "member"],
                condition=Q(ended_on__isnull=True),
                name="position_one_post_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.title}"

    @property
    def is_committee(self) -> bool:
        return self.kind in self.COMMITTEE_KINDS

    @property
    def title(self) -> str:
        """党总支书记, 支部委员, 党小组长 …: the post as people say it."""
        if self.kind == self.Kind.GROUP_LEADER:
            return "党小组长"
        prefix = "党总支" if self.organisation.level == PartyOrganisation.Level.AREA else "支部"
        return prefix + self.get_kind_display()

    def clean(self) -> None:
        level = self.organisation.level
        if self.kind == self.Kind.GROUP_LEADER and level != PartyOrganisation.Level.GROUP:
            raise ValidationError({"kind": MSG_LEADER_ONLY_IN_GROUP})
        if self.kind != self.Kind.GROUP_LEADER and level == PartyOrganisation.Level.GROUP:
            raise ValidationError({"kind": MSG_COMMITTEE_NOT_IN_GROUP})
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": MSG_ENDED_BEFORE_START})


class Contact(models.Model):
    """Who keeps in touch with whom, from a day until a day: the twin contact tables (an
    organisation's committee contact, a household's member contact) share this shape. A
    contact that ends keeps its row; at most one is current per contacted party."""

    started_on = models.DateField("开始日期", default=timezone.localdate)
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        abstract = True


class OrganisationContact(Contact):
    """委员联系支部 / 支委联系小组: a committee member of the level above keeps in touch with a
    branch or a group. One current contact per organisation; ended, never deleted."""

    organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name="被联系的党组织",
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name="联系委员",
        on_delete=models.PROTECT,
        related_name="organisation_contacts",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "联系党组织"
        verbose_name_plural = "联系党组织"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(ended_on__isnull=True),
                name="organisation_contact_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}→{self.organisation_id}"


class HouseholdContact(Contact):
    """党员联系群众: the member who contacts a household, within the member's group.
    One current contact per household; a contact that ends keeps its row."""

    household = models.ForeignKey(
        "places.Household",
        verbose_name="户",
        on_delete=models.PROTECT,
        related_name="party_contacts",
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name="联系党员",
        on_delete=models.PROTECT,
        related_name="household_contacts",
    )
    group = models.ForeignKey(
        PartyOrganisation,
        verbose_name="党小组",
        on_delete=models.PROTECT,
        related_name="household_contacts",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分配人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "联系户"
        verbose_name_plural = "联系户"
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_on__isnull=True),
                name="household_contact_one_current",
            )
        ]
        indexes = [
            models.Index(fields=["group", "ended_on"]),
            models.Index(fields=["member", "ended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}→{self.household_id}"


class Meeting(models.Model):
    """楼组党员会议: a Party group's meeting, with its topics and who attended."""

    group = models.ForeignKey(
        PartyOrganisation, verbose_name="党小组", on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100, blank=True)
    topics = models.JSONField("议题", default=list)
    notes = models.TextField("会议记录", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "楼组党员会议"
        verbose_name_plural = "楼组党员会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group} {self.held_on:%Y-%m-%d}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "出席"
        EXCUSED = "excused", "请假"
        ABSENT = "absent", "缺席"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        PartyMember, verbose_name="党员", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "出席情况", max_length=10, choices=Status.choices, default=Status.PRESENT
    )

    class Meta:
        verbose_name = "会议出席"
        verbose_name_plural = "会议出席"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}={self.status}"


class Reorganisation(models.Model):
    """One applied proposal: who confirmed which diff, when (the audit log holds the event)."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_by_name = models.CharField("确认人账号", max_length=150, blank=True)
    applied_at = models.DateTimeField("调整时间", default=timezone.now)
    summary = models.CharField("摘要", max_length=200)
    diff = models.JSONField("调整内容", default=dict)

    class Meta:
        verbose_name = "党组织调整"
        verbose_name_plural = "党组织调整"
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.area_id} {self.applied_at:%Y-%m-%d %H:%M} {self.summary}"
