"""闻 Listen: what residents bring 民声诉求, by channel, with the words and the real need."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jinlin.fieldwork.common.models import PlaceMixin


class Channel(models.TextChoices):
    OFFICE = "office", "来访"
    PHONE = "phone", "电话"
    HOME_VISIT = "home_visit", "入户"
    ONLINE = "online", "网上"
    BUILDING_LEADER = "building_leader", "楼组长转达"
    # Passed on by a network member from its phone (chain.Contact): the worker fills the real need.
    PARTY_MEMBER = "party_member", "党员转达"
    # Raised by a resident on its building's public page (the QR code on the 亮身份 placard).
    QR_CODE = "qr_code", "扫码"


class Rating(models.TextChoices):
    """群众评单: how the resident rates the outcome of its concern."""

    SATISFIED = "satisfied", "满意"
    FAIRLY_SATISFIED = "fairly_satisfied", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


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
    # By name: a concern may come from a visit, but concerns do not import the visits part.
    visit = models.ForeignKey(
        "fieldwork.Visit",
        verbose_name="入户走访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    # None when the resident raised it itself (扫码): nobody recorded it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who follows it up (跟进人): the worker who recorded it, or whom the secretary handed it to
    # (转交). None for a concern raised at the door or passed on by a member: the patch's workers.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="跟进人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_concerns",
    )
    # --- the residents' door (扫码): a receipt to follow it, a reply, a close and a rating ---
    receipt = models.CharField(
        "回执号", max_length=32, unique=True, null=True, blank=True, editable=False
    )
    callback_phone = models.CharField("回电号码", max_length=20, blank=True)
    photo = models.FileField("照片", upload_to="fieldwork/concerns/%Y/%m/", blank=True)
    reply = models.TextField("回复", blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    rating = models.CharField("群众评单", max_length=20, choices=Rating.choices, blank=True)
    rating_note = models.CharField("评价", max_length=200, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    # An unsatisfied rating reopens the concern and puts it before the area secretary.
    needs_secretary_review = models.BooleanField("待书记复核", default=False)

    class Meta:
        verbose_name = "民声诉求"
        verbose_name_plural = "民声诉求"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["area", "received_at"]),
            models.Index(fields=["compound", "received_at"]),
            models.Index(fields=["owner", "closed_at"]),
            # 今日's new concerns are its places' and those it follows up (owner): without this
            # the owner's side of the OR walked every compound's week (fieldwork.summary).
            # Only concerns with an owner: SQLite's statistics count the NULLs as one value
            # held by every row and took `area … OR owner = …` for a scan of the table (the
            # 民声 list, docs/performance.md); a partial index gives it the true figures.
            models.Index(
                fields=["owner", "received_at"],
                condition=models.Q(owner__isnull=False),
                name="concern_owner_received",
            ),
            # The door's unanswered concerns, a handful among thousands: 今日's late list.
            models.Index(
                fields=["received_at"],
                condition=models.Q(receipt__isnull=False, replied_at__isnull=True),
                name="concern_door_unanswered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subcategory_display()}：{(self.real_need or self.words)[:30]}"

    @property
    def is_anonymous(self) -> bool:
        return self.resident_id is None and self.household_id is None
