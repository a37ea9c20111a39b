"""Residents and their group memberships. A person's record is never hard-deleted."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Left, Length, Substr
from django.db.models.lookups import GreaterThan, In
from django.utils import timezone
from simple_history.models import HistoricalRecords

from jinlin.core.idnumber import IdNumberError, parse_id_number
from jinlin.people.searchkeys import search_keys

MSG_BIRTH_DISAGREES = "出生日期与身份证号不一致"
MSG_GENDER_DISAGREES = "性别与身份证号不一致"
MSG_STATUS_DATE_NEEDED = "迁出或死亡须填写日期"
MSG_NO_HARD_DELETE = "居民记录不能删除：请登记迁出或死亡"
MSG_NO_HARD_DELETE_CONTACT = "紧急联系人不能删除：请使用“移除”，记录保留"
MSG_NO_HARD_DELETE_GROUP = "群体类别不能删除：请使用“停用”，成员和记录保留"


# Two-character surnames (复姓): the given name starts at the third character.
COMPOUND_SURNAMES = [
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "令狐",
    "司徒",
    "夏侯",
    "端木",
    "独孤",
    "宇文",
    "轩辕",
    "南宫",
    "西门",
    "呼延",
    "钟离",
    "申屠",
]


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class ResidenceStatus(models.TextChoices):
    REGISTERED = "registered", "户籍"
    PERMANENT = "permanent", "常住"
    SEPARATED = "separated", "人户分离"
    FLOATING = "floating", "流动"


class Health(models.TextChoices):
    GOOD = "good", "良好"
    CHRONIC = "chronic", "慢性病"
    SERIOUS = "serious", "大病重病"
    DISABLED = "disabled", "残疾"


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", "中共党员"
    PROBATIONARY = "probationary", "中共预备党员"
    LEAGUE = "league", "共青团员"
    DEMOCRATIC_PARTY = "democratic", "民主党派"
    MASSES = "masses", "群众"


class LifeStatus(models.TextChoices):
    CURRENT = "current", "在住"
    MOVED_OUT = "moved_out", "已迁出"
    DECEASED = "deceased", "已故"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    SIBLING = "sibling", "兄弟姐妹"
    CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
    OTHER = "other", "其他"
    TENANT = "tenant", "租户"


class ResidentQuerySet(models.QuerySet):
    def current(self) -> ResidentQuerySet:
        return self.filter(status=LifeStatus.CURRENT)

    def delete(self):
        raise PermissionDenied(MSG_NO_HARD_DELETE)


class Resident(models.Model):
    household = models.ForeignKey(
        "places.Household", verbose_name="户", on_delete=models.PROTECT, related_name="residents"
    )
    # Denormalised from the household for fast, join-free access filters and counts.
    # No index of their own: the (building, status) and (area, status) indexes lead with them.
    building = models.ForeignKey(
        "places.Building",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    compound = models.ForeignKey(
        "places.Compound", on_delete=models.PROTECT, related_name="+", editable=False
    )
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    relation_to_head = models.CharField(
        "与户主关系", max_length=20, choices=Relation.choices, default=Relation.HEAD
    )
    residence_status = models.CharField(
        "居住状态",
        max_length=20,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.REGISTERED,
    )
    employer = models.CharField("工作单位/原单位", max_length=100, blank=True)
    occupation = models.CharField("职业", max_length=50, blank=True)
    is_retired = models.BooleanField("已退休", default=False)
    health = models.CharField(
        "健康状况", max_length=20, choices=Health.choices, default=Health.GOOD
    )
    health_notes = models.TextField("健康备注", blank=True)
    hobbies = models.JSONField("兴趣爱好", default=list, blank=True)
    political_status = models.CharField(
        "政治面貌", max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    status = models.CharField(
        "状态", max_length=20, choices=LifeStatus.choices, default=LifeStatus.CURRENT
    )
    status_date = models.DateField("迁出/死亡日期", null=True, blank=True)
    notes = models.TextField("备注", blank=True)
    # Search keys (people/searchkeys.py): full pinyin and initials of the name. Indexed in Meta,
    # not with db_index: on PostgreSQL db_index adds a varchar_pattern_ops twin that search
    # never uses (its prefixes are ranges on COLLATE "C") and every insert pays for.
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False)
    name_initials = models.CharField(max_length=20, blank=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    # The name without its surname, kept by the database itself whatever writes the row
    # (bulk imports, the demo generator), so that "建国" finds 张建国 through an index.
    given_name = models.GeneratedField(
        expression=Case(
            When(In(Left("name", 2), COMPOUND_SURNAMES), then=Substr("name", 3)),
            When(GreaterThan(Length("name"), 1), then=Substr("name", 2)),
            default=Value(""),
        ),
        output_field=models.CharField(max_length=50),
        db_persist=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ResidentQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "name_pinyin",
            "name_initials",
            "phone_tail",
            "given_name",
            "building",
            "compound",
            "area",
        ],
        # History is read by resident (its id); these would only slow every import down.
        no_db_index=["id_number", "household"],
    )

    class Meta:
        verbose_name = "居民"
        verbose_name_plural = "居民"
        ordering = ["household_id", "id"]
        indexes = [
            # With the id: the current residents of an area, a compound (a worker's patch) or a
            # building, a page at a time in id order (the API's list), are a walk of one of
            # these; without it PostgreSQL walked the primary key and skipped every other
            # place's residents (17.7 ms → 0.3 ms for the largest area).
            models.Index(fields=["area", "status", "id"], name="resident_area_status_id"),
            models.Index(fields=["compound", "status", "id"], name="resident_compound_status_id"),
            models.Index(fields=["building", "status", "id"], name="resident_building_status_id"),
            # Prefix search keys, each with the area: a search inside an area (the usual
            # user) walks the key's range in the index alone, without reading a row for each
            # key outside the area (people/search.py). SQLite searches these; PostgreSQL its
            # `COLLATE "C"` twins (migrations 0004, 0008).
            models.Index(fields=["name", "area"], name="resident_name_area"),
            models.Index(fields=["given_name", "area"], name="resident_given_name_area"),
            models.Index(fields=["name_pinyin", "area"], name="resident_name_pinyin_area"),
            models.Index(fields=["name_initials", "area"], name="resident_initials_area"),
            models.Index(fields=["phone_tail"], name="resident_phone_tail"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="current") | Q(status_date__isnull=False),
                name="resident_status_date_when_gone",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        household = self.household
        self.building_id = household.building_id
        self.compound_id = household.compound_id
        self.area_id = household.area_id
        self.name_pinyin, self.name_initials, self.phone_tail = search_keys(self.name, self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {
                "building",
                "compound",
                "area",
                "name_pinyin",
                "name_initials",
                "phone_tail",
            }
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(MSG_NO_HARD_DELETE)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            parsed = parse_id_number(self.id_number or "", today=timezone.localdate())
        except IdNumberError as error:
            errors["id_number"] = str(error)
        else:
            self.id_number = parsed.number
            if self.birth_date and self.birth_date != parsed.birth_date:
                errors["birth_date"] = MSG_BIRTH_DISAGREES
            if self.gender and self.gender != parsed.gender:
                errors["gender"] = MSG_GENDER_DISAGREES
        if self.status != LifeStatus.CURRENT and not self.status_date:
            errors["status_date"] = MSG_STATUS_DATE_NEEDED
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.status == LifeStatus.CURRENT


class GroupDefinition(models.Model):
    """群体类别: a group an area (or a subdistrict, for all its areas) keeps besides the eight
    built-ins of people.groups, such as 低保, 残疾, 退役军人. Never deleted: retiring it stops new
    assignments and keeps its memberships and their history. Its code and sensitivity never
    change once made (a cached catalogue may then trust them, people.catalogue)."""

    class Category(models.TextChoices):
        VULNERABLE = "vulnerable", "弱势群体"
        SPECIAL = "special", "特殊群体"

    class AssignableBy(models.TextChoices):
        WORKER = "worker", "社工及以上"
        SECRETARY = "secretary", "仅书记/主任"

    code = models.CharField("代码", max_length=30, unique=True, editable=False)
    label = models.CharField("名称", max_length=20)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    is_sensitive = models.BooleanField(
        "敏感（隐藏并记录查看）", default=False, help_text="如低保、残疾：列表和导出中隐藏"
    )
    assignable_by = models.CharField(
        "可认定人", max_length=10, choices=AssignableBy.choices, default=AssignableBy.WORKER
    )
    visit_days = models.PositiveSmallIntegerField(
        "走访周期（天）", null=True, blank=True, help_text="1–365 天；不填则不列入关爱走访"
    )
    subdistrict = models.ForeignKey(
        "places.Subdistrict",
        verbose_name="街道/镇（所有居民区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_definitions",
    )
    area = models.ForeignKey(
        "places.Area",
        verbose_name="居民区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_definitions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="停用人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "群体类别"
        verbose_name_plural = "群体类别"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=True) & Q(subdistrict__isnull=False))
                | (Q(area__isnull=False) & Q(subdistrict__isnull=True)),
                name="group_definition_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(visit_days__isnull=True)
                | (Q(visit_days__gte=1) & Q(visit_days__lte=365)),
                name="group_definition_visit_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def delete(self, *args, **kwargs):
        raise PermissionDenied(MSG_NO_HARD_DELETE_GROUP)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class GroupMembership(models.Model):
    """A resident in a group: derived rows follow the data; manual rows say who, when and why.

    Derived rows carry `since`: the day the resident joins (a future birthday makes a
    future `since`, so a 60th birthday passes without any job running). Manual rows are
    ended, never deleted.
    """

    class Source(models.TextChoices):
        DERIVED = "derived", "自动判定"
        MANUAL = "manual", "人工认定"

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey("places.Household", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="+")
    compound = models.ForeignKey("places.Compound", on_delete=models.PROTECT, related_name="+")
    # A built-in code (people.groups) or a GroupDefinition's code: checked by the services
    # against the area's catalogue (people.catalogue), not by fixed choices.
    group = models.CharField("群体", max_length=30)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    since = models.DateField("起始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    skills = models.JSONField("特长", default=list, blank=True)
    reason = models.CharField("认定理由", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField("认定时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "群体成员"
        verbose_name_plural = "群体成员"
        indexes = [
            models.Index(fields=["area", "group", "since"]),
            models.Index(fields=["resident", "group"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "group", "source"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id}:{self.group}"


class ContactRelation(models.TextChoices):
    CHILD = "child", "子女"
    RELATIVE = "relative", "亲属"
    NEIGHBOUR = "neighbour", "邻居"
    FRIEND = "friend", "朋友"
    OTHER = "other", "其他"


class EmergencyContactQuerySet(models.QuerySet):
    def active(self) -> EmergencyContactQuerySet:
        return self.filter(removed_at__isnull=True)

    def delete(self):
        raise PermissionDenied(MSG_NO_HARD_DELETE_CONTACT)


class EmergencyContact(models.Model):
    """紧急联系人: a relative or neighbour outside the household whom a worker calls when the
    door stays shut. Removed with who and when, never deleted; every change kept in history."""

    resident = models.ForeignKey(
        Resident,
        verbose_name="居民",
        on_delete=models.PROTECT,
        related_name="emergency_contacts",
    )
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("关系", max_length=20, choices=ContactRelation.choices)
    phone = models.CharField("联系电话", max_length=20)
    holds_key = models.BooleanField("持有钥匙", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="移除人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = EmergencyContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "紧急联系人"
        verbose_name_plural = "紧急联系人"
        ordering = ["resident_id", "-holds_key", "id"]
        indexes = [models.Index(fields=["resident", "removed_at"])]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args, **kwargs):
        raise PermissionDenied(MSG_NO_HARD_DELETE_CONTACT)

    @property
    def is_active(self) -> bool:
        return self.removed_at is None
