"""切 Act: cases 个案 on their evidence, with a root cause 症结, a plan 方案, an outcome."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jinlin.fieldwork.common.models import PlaceMixin
from jinlin.fieldwork.concerns.models import Concern, ConcernScope, Subcategory
from jinlin.fieldwork.consultations.models import Consultation
from jinlin.fieldwork.patrols.models import Finding
from jinlin.fieldwork.visits.models import Visit


class Feedback(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    PARTLY = "partly", "基本满意"
    NOT_SATISFIED = "not", "不满意"


class CaseStatus(models.TextChoices):
    """Derived from a case's contents (derive_case_status), never typed in."""

    DIAGNOSING = "diagnosing", "待诊断"
    PLANNING = "planning", "待定方案"
    ACTING = "acting", "落实中"
    CLOSING = "closing", "待结案"
    CLOSED = "closed", "已结案"
    MERGED = "merged", "已合并"


OPEN_STATUSES = (CaseStatus.DIAGNOSING, CaseStatus.PLANNING, CaseStatus.ACTING, CaseStatus.CLOSING)


def derive_case_status(
    *,
    has_root_cause: bool,
    actions: int,
    open_actions: int,
    is_closed: bool,
    is_merged: bool = False,
) -> str:
    """SPEC "切": evidence → root cause 症结 → plan 方案 of actions → closed; reopening undoes the last.

    A case merged into another (the same problem) is closed as 已合并, whatever it held.
    """
    if is_merged:
        return CaseStatus.MERGED
    if is_closed:
        return CaseStatus.CLOSED
    if not has_root_cause:
        return CaseStatus.DIAGNOSING
    if actions == 0:
        return CaseStatus.PLANNING
    if open_actions > 0:
        return CaseStatus.ACTING
    return CaseStatus.CLOSING


class Case(PlaceMixin):
    """A case 个案: evidence, a root cause 症结, a plan 方案 of actions, an outcome."""

    household = models.ForeignKey(
        "places.Household",
        verbose_name="户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("标题", max_length=100)
    scope = models.CharField("性质", max_length=10, choices=ConcernScope.choices)
    subcategory = models.CharField("类别", max_length=20, choices=Subcategory.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    opened_at = models.DateTimeField("立案时间", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT, related_name="+"
    )
    root_cause = models.TextField("症结", blank=True)
    root_cause_at = models.DateTimeField("写明症结时间", null=True, blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    outcome = models.TextField("处理结果", blank=True)
    feedback = models.CharField("居民反馈", max_length=10, choices=Feedback.choices, blank=True)
    times_reopened = models.PositiveSmallIntegerField("重新打开次数", default=0)
    # Set when this case was merged into another about the same problem (it is then closed).
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并到",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    # A cache of derive_case_status(contents), refreshed by every service that changes them.
    status = models.CharField(
        "状态",
        max_length=12,
        choices=CaseStatus.choices,
        default=CaseStatus.DIAGNOSING,
        editable=False,
    )

    class Meta:
        verbose_name = "个案"
        verbose_name_plural = "个案"
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["area", "status", "opened_at"]),
            models.Index(fields=["compound", "status"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | ~Q(root_cause="")
                | Q(merged_into__isnull=False),
                name="case_closed_has_root_cause",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(closed_at__isnull=False),
                name="case_merged_is_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def opened_on(self) -> date:
        return timezone.localdate(self.opened_at)


class CaseEvidence(models.Model):
    """One piece of evidence of a case: a concern, a finding, a visit or a consultation."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    concern = models.ForeignKey(
        Concern, null=True, blank=True, on_delete=models.PROTECT, related_name="case_links"
    )
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="case_links"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="case_links"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="case_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "个案证据"
        verbose_name_plural = "个案证据"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        concern__isnull=False,
                        finding__isnull=True,
                        visit__isnull=True,
                        consultation__isnull=True,
                    )
                    | Q(
                        concern__isnull=True,
                        finding__isnull=False,
                        visit__isnull=True,
                        consultation__isnull=True,
                    )
                    | Q(
                        concern__isnull=True,
                        finding__isnull=True,
                        visit__isnull=False,
                        consultation__isnull=True,
                    )
                    | Q(
                        concern__isnull=True,
                        finding__isnull=True,
                        visit__isnull=True,
                        consultation__isnull=False,
                    )
                ),
                name="case_evidence_exactly_one",
            ),
            models.UniqueConstraint(fields=["case", "concern"], name="case_evidence_concern_once"),
            models.UniqueConstraint(fields=["case", "finding"], name="case_evidence_finding_once"),
            models.UniqueConstraint(fields=["case", "visit"], name="case_evidence_visit_once"),
            models.UniqueConstraint(
                fields=["case", "consultation"], name="case_evidence_consultation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"个案 #{self.case_id} 的证据"


class CaseAction(models.Model):
    """One action of a case's plan 方案: what, who, by when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField("措施", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="case_actions",
    )
    due_on = models.DateField("完成期限")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_note = models.CharField("完成情况", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "方案措施"
        verbose_name_plural = "方案措施"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class TalentHelp(models.Model):
    """A community talent 社区能人 helping with a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="talent_help")
    talent = models.ForeignKey(
        "people.Resident", verbose_name="能人", on_delete=models.PROTECT, related_name="+"
    )
    skill = models.CharField("特长", max_length=20)
    description = models.CharField("相助内容", max_length=200)
    helped_on = models.DateField("日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "能人相助"
        verbose_name_plural = "能人相助"

    def __str__(self) -> str:
        return self.description


class CaseEvent(models.Model):
    """An entry of a case's timeline; appended by services, never changed."""

    class Kind(models.TextChoices):
        OPENED = "opened", "立案"
        EVIDENCE = "evidence", "补充证据"
        ROOT_CAUSE = "root_cause", "写明症结"
        ACTION = "action", "制定措施"
        ACTION_DONE = "action_done", "措施完成"
        TALENT_HELP = "talent_help", "能人相助"
        CLOSED = "closed", "结案"
        REOPENED = "reopened", "重新打开"
        REASSIGNED = "reassigned", "转交"
        MERGED = "merged", "合并"
        ESCALATED = "escalated", "上报"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "个案进程"
        verbose_name_plural = "个案进程"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:30]}"
