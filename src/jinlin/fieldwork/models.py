"""望闻问切 fieldwork: patrols and findings, visits, concerns, consultations and cases.

Every row that concerns a place carries `area`, `compound` and `building` (denormalised) so
that core.access.Scope.q() filters it without joins. Workflows live in services.py.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jinlin.people.groups import GROUPS

VISITING_GROUP_CHOICES = [
    (kind.code.value, kind.label) for kind in GROUPS.values() if kind.default_visit_days is not None
]
THINK_TANK_GROUPS = ("retired_cadre", "model_worker", "veteran_member", "talent")


class Severity(models.TextChoices):
    NONE = "none", "无隐患"
    LOW = "low", "轻微"
    MEDIUM = "medium", "一般"
    HIGH = "high", "严重"


SEVERITY_RANK = {Severity.NONE: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class FindingKind(models.TextChoices):
    HAZARD = "hazard", "安全隐患"
    FACILITY = "facility", "安全设施"
    GARBAGE = "garbage", "垃圾分类"


class FindingCategory(models.TextChoices):
    """SPEC "望 Observe": hazards, the state of safety facilities, garbage sorting."""

    STAIRWELL_CLUTTER = "stairwell_clutter", "楼道堆物"
    FLYING_LEAD = "flying_lead", "飞线充电/电动车室内充电"
    FIRE_LANE = "fire_lane", "消防通道堵塞"
    FALLING_OBJECTS = "falling_objects", "高空坠物隐患"
    ILLEGAL_STRUCTURE = "illegal_structure", "违章搭建"
    OTHER_HAZARD = "other_hazard", "其他隐患"
    EXTINGUISHER = "extinguisher", "灭火器"
    HYDRANT = "hydrant", "消火栓"
    CAMERA = "camera", "监控探头"
    DOOR_ACCESS = "door_access", "门禁"
    LIGHTS = "lights", "楼道照明"
    LIFT = "lift", "电梯"
    GARBAGE_SORTING = "garbage_sorting", "垃圾分类"


HAZARD_CATEGORIES = frozenset(
    {
        FindingCategory.STAIRWELL_CLUTTER,
        FindingCategory.FLYING_LEAD,
        FindingCategory.FIRE_LANE,
        FindingCategory.FALLING_OBJECTS,
        FindingCategory.ILLEGAL_STRUCTURE,
        FindingCategory.OTHER_HAZARD,
    }
)
FACILITY_CATEGORIES = frozenset(
    {
        FindingCategory.EXTINGUISHER,
        FindingCategory.HYDRANT,
        FindingCategory.CAMERA,
        FindingCategory.DOOR_ACCESS,
        FindingCategory.LIGHTS,
        FindingCategory.LIFT,
    }
)


def finding_kind(category: str) -> str:
    if category in HAZARD_CATEGORIES:
        return FindingKind.HAZARD
    if category in FACILITY_CATEGORIES:
        return FindingKind.FACILITY
    return FindingKind.GARBAGE


class FacilityState(models.TextChoices):
    OK = "ok", "完好"
    DAMAGED = "damaged", "损坏"
    MISSING = "missing", "缺失"
    EXPIRED = "expired", "过期/失效"


class Channel(models.TextChoices):
    OFFICE = "office", "来访"
    PHONE = "phone", "电话"
    HOME_VISIT = "home_visit", "入户"
    ONLINE = "online", "网上"
    BUILDING_LEADER = "building_leader", "楼组长转达"


class ConcernScope(models.TextChoices):
    FAMILY = "family", "家庭事"
    COMMUNITY = "community", "社区事"


class Subcategory(models.TextChoices):
    NEIGHBOUR_DISPUTE = "neighbour_dispute", "邻里纠纷"
    FAMILY_CONFLICT = "family_conflict", "家庭矛盾"
    PROPERTY = "property", "物业管理"
    ENVIRONMENT = "environment", "环境卫生"
    SAFETY = "safety", "安全隐患"
    FACILITIES = "facilities", "设施维修"
    PARKING = "parking", "停车"
    ELDERLY_CARE = "elderly_care", "养老服务"
    EMPLOYMENT = "employment", "就业"
    HEALTH = "health", "医疗健康"
    HARDSHIP = "hardship", "生活困难"
    EDUCATION = "education", "教育"
    PARTY_WORK = "party_work", "党建工作"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", "入户"
    PHONE = "phone", "电话"


class Condition(models.TextChoices):
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"
    URGENT = "urgent", "需紧急关注"


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


OPEN_STATUSES = (CaseStatus.DIAGNOSING, CaseStatus.PLANNING, CaseStatus.ACTING, CaseStatus.CLOSING)


def derive_case_status(
    *, has_root_cause: bool, actions: int, open_actions: int, is_closed: bool
) -> str:
    """SPEC "切": evidence → root cause 症结 → plan 方案 of actions → closed; reopening undoes the last."""
    if is_closed:
        return CaseStatus.CLOSED
    if not has_root_cause:
        return CaseStatus.DIAGNOSING
    if actions == 0:
        return CaseStatus.PLANNING
    if open_actions > 0:
        return CaseStatus.ACTING
    return CaseStatus.CLOSING


class PlaceMixin(models.Model):
    """Where a record belongs, denormalised for access filters (core.access.Scope.q)."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    compound = models.ForeignKey(
        "places.Compound",
        verbose_name="小区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    building = models.ForeignKey(
        "places.Building",
        verbose_name="楼组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class VisitInterval(models.Model):
    """An area's own visit interval for one group; without a row the SPEC default applies."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.CASCADE, related_name="+"
    )
    group = models.CharField("群体", max_length=30, choices=VISITING_GROUP_CHOICES)
    days = models.PositiveSmallIntegerField("走访周期（天）")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "走访周期"
        verbose_name_plural = "走访周期"
        constraints = [
            models.UniqueConstraint(fields=["area", "group"], name="visit_interval_unique"),
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=365), name="visit_interval_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()}：每{self.days}天"


class CollectionPoint(models.Model):
    """A garbage collection point 垃圾投放点 of a compound."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    compound = models.ForeignKey(
        "places.Compound",
        verbose_name="小区",
        on_delete=models.PROTECT,
        related_name="collection_points",
    )
    name = models.CharField("名称", max_length=50)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "垃圾投放点"
        verbose_name_plural = "垃圾投放点"
        ordering = ["compound_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="collection_point_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Patrol(PlaceMixin):
    """A walk through a compound 巡查, recording findings."""

    patrolled_on = models.DateField("巡查日期")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="巡查人",
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "巡查"
        verbose_name_plural = "巡查"
        ordering = ["-patrolled_on", "-id"]
        indexes = [models.Index(fields=["area", "patrolled_on"])]

    def __str__(self) -> str:
        return f"{self.patrolled_on:%Y-%m-%d} 巡查"


class Finding(PlaceMixin):
    """One thing a patrol found: a hazard, a facility's state, or a collection point's sorting."""

    patrol = models.ForeignKey(
        Patrol, verbose_name="巡查", on_delete=models.PROTECT, related_name="findings"
    )
    found_on = models.DateField("发现日期")
    kind = models.CharField("类型", max_length=10, choices=FindingKind.choices, editable=False)
    category = models.CharField("类别", max_length=30, choices=FindingCategory.choices)
    place = models.CharField("位置", max_length=100, help_text="如：12号楼2楼楼道、南门消防通道")
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.NONE
    )
    facility_state = models.CharField(
        "设施状态", max_length=10, choices=FacilityState.choices, blank=True
    )
    collection_point = models.ForeignKey(
        CollectionPoint,
        verbose_name="垃圾投放点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    is_up_to_standard = models.BooleanField("分类达标", null=True, blank=True)
    description = models.TextField("情况描述", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "巡查发现"
        verbose_name_plural = "巡查发现"
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["area", "found_on"]),
            models.Index(fields=["collection_point", "found_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.place}"

    @property
    def is_problem(self) -> bool:
        return self.severity != Severity.NONE


class FindingPhoto(models.Model):
    """A photo of a finding, re-encoded on upload (no EXIF, so no GPS position)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField("照片", upload_to="fieldwork/findings/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "巡查照片"
        verbose_name_plural = "巡查照片"

    def __str__(self) -> str:
        return f"照片 #{self.pk}"


class Visit(PlaceMixin):
    """A visit to a household 走访: in person (入户走访, 望) or by phone; logs care visits (问)."""

    household = models.ForeignKey(
        "places.Household",
        verbose_name="户",
        on_delete=models.PROTECT,
        related_name="fieldwork_visits",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name="走访对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_on = models.DateField("走访日期")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="走访人",
        on_delete=models.PROTECT,
        related_name="visits",
    )
    mode = models.CharField(
        "方式", max_length=10, choices=VisitMode.choices, default=VisitMode.IN_PERSON
    )
    condition = models.CharField(
        "状况", max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    family_situation = models.TextField("家庭情况", blank=True)
    health = models.TextField("健康情况", blank=True)
    living_habits = models.TextField("生活习惯", blank=True)
    needs = models.TextField("需求", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["household", "visited_on"]),
            models.Index(fields=["area", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.get_mode_display()}走访"


class ProposalField(models.TextChoices):
    """Fields of a resident's record a visit may propose to change."""

    PHONE = "phone", "联系电话"
    HEALTH = "health", "健康状况"
    HEALTH_NOTES = "health_notes", "健康备注"
    EMPLOYER = "employer", "工作单位/原单位"
    OCCUPATION = "occupation", "职业"
    IS_RETIRED = "is_retired", "已退休"
    RESIDENCE_STATUS = "residence_status", "居住状态"
    HOBBIES = "hobbies", "兴趣爱好"
    NOTES = "notes", "备注"


SENSITIVE_PROPOSAL_FIELDS = frozenset(
    {ProposalField.PHONE, ProposalField.HEALTH, ProposalField.HEALTH_NOTES}
)


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class RecordProposal(PlaceMixin):
    """A change to a resident's record proposed during a visit, for someone who may edit it."""

    visit = models.ForeignKey(
        Visit, verbose_name="走访", on_delete=models.PROTECT, related_name="proposals"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField("字段", max_length=20, choices=ProposalField.choices)
    value = models.JSONField("建议值")
    reason = models.CharField("理由", max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("提出时间", default=timezone.now)
    status = models.CharField(
        "状态", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "档案更新建议"
        verbose_name_plural = "档案更新建议"
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"{self.get_field_display()}（{self.get_status_display()}）"


class Concern(PlaceMixin):
    """What a resident brought 民声诉求: the words as said and the real need as understood."""

    household = models.ForeignKey(
        "places.Household",
        verbose_name="户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name="居民",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    scope = models.CharField("性质", max_length=10, choices=ConcernScope.choices)
    subcategory = models.CharField("类别", max_length=20, choices=Subcategory.choices)
    words = models.TextField("原话")
    real_need = models.TextField("真正诉求", blank=True)
    urgency = models.CharField(
        "紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    received_at = models.DateTimeField("受理时间", default=timezone.now)
    visit = models.ForeignKey(
        Visit,
        verbose_name="入户走访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "民声诉求"
        verbose_name_plural = "民声诉求"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["area", "received_at"]),
            models.Index(fields=["compound", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_subcategory_display()}：{(self.real_need or self.words)[:30]}"

    @property
    def is_anonymous(self) -> bool:
        return self.resident_id is None and self.household_id is None


class Consultation(PlaceMixin):
    """Asking a member of the think tank 智囊团 (三老, 社区能人) for advice."""

    class Topic(models.TextChoices):
        PARTY_WORK = "party_work", "党建工作"
        COMMUNITY = "community", "社区治理"

    veteran = models.ForeignKey(
        "people.Resident", verbose_name="咨询对象", on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("议题", max_length=20, choices=Topic.choices)
    question = models.TextField("咨询事项")
    advice = models.TextField("意见建议")
    follow_up = models.TextField("后续跟进", blank=True)
    is_agenda_item = models.BooleanField("列入议事", default=False)
    asked_on = models.DateField("咨询日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "三老咨询"
        verbose_name_plural = "三老咨询"
        ordering = ["-asked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.asked_on:%Y-%m-%d} {self.get_topic_display()}咨询"


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
                condition=Q(closed_at__isnull=True) | ~Q(root_cause=""),
                name="case_closed_has_root_cause",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

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
