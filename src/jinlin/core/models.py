"""Accounts, roles and patches, API tokens, the append-only audit log."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    SUBDISTRICT_ADMIN = "subdistrict_admin", "街道/镇管理员"
    AREA_SECRETARY = "area_secretary", "居民区书记/主任"
    WORKER = "worker", "社工/居委委员"
    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    GROUP_LEADER = "group_leader", "党小组长"
    EDITOR = "editor", "社区报编辑"
    # The chain's lower links on their own phones: a Party member (its 联系户), a 楼组长 or a
    # volunteer (its building). No personal scope: they see only their own households.
    NETWORK_MEMBER = "network_member", "联络员（党员/楼组长/志愿者）"


class User(AbstractUser):
    """A staff account. Its role and patch decide what it may see (core/access.py)."""

    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    subdistrict = models.ForeignKey(
        "places.Subdistrict",
        verbose_name="街道/镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "places.Area",
        verbose_name="居民区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    patch_compounds = models.ManyToManyField(
        "places.Compound", verbose_name="包片小区", blank=True, related_name="workers"
    )
    patch_buildings = models.ManyToManyField(
        "places.Building", verbose_name="包片楼组", blank=True, related_name="workers"
    )
    party_organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name="所领导的党组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leaders",
        help_text="支部书记的党支部，或党小组长的党小组",
    )
    party_member = models.OneToOneField(
        "party.PartyMember",
        verbose_name="党员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account",
        help_text="联络员账号对应的党员：其联系户即该账号所见的户",
    )
    chain_buildings = models.ManyToManyField(
        "places.Building",
        verbose_name="所负责楼组（楼组长/志愿者）",
        blank=True,
        related_name="chain_members",
    )
    # Kept by core.notifications (notify, mark read) so that the bell on every page costs no
    # query: the header reads it from the user the request already loaded.
    unread_notifications = models.PositiveIntegerField("未读通知", default=0, editable=False)

    class Meta:
        verbose_name = "工作人员账号"
        verbose_name_plural = "工作人员账号"

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user_id})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str = "") -> tuple[ApiToken, str]:
        token = "jl_" + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user, name=name, prefix=token[:10], token_hash=cls.hash(token)
        )
        return row, token


class Invitation(models.Model):
    """A single-use link (or its QR code) that lets a new account set its own password: how
    members, 楼组长 and volunteers get into Jinlin without an SMS gateway. Only the token's
    SHA-256 is stored; the link is shown once, to whoever invited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="邀请人"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号邀请"
        verbose_name_plural = "账号邀请"

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, created_by: User | None, hours: int) -> tuple[Invitation, str]:
        token = secrets.token_urlsafe(24)
        row = cls.objects.create(
            user=user,
            token_hash=cls.hash(token),
            created_by=created_by,
            expires_at=timezone.now() + timedelta(hours=hours),
        )
        return row, token

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("审计日志只能追加，不能修改")

    def delete(self):
        raise PermissionDenied("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """Append-only: who looked at or changed what, when, from where and why."""

    class Action(models.TextChoices):
        UNMASK = "unmask", "查看完整信息"
        VIEW_SENSITIVE = "view_sensitive", "查看敏感名单"
        LOOKUP = "lookup", "按完整号码查找"
        OPEN_AREA = "open_area", "街道打开居民区"
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"
        REORGANISE = "reorganise", "党组织调整"
        ROLE_CHANGE = "role_change", "角色变更"
        ADJACENCY = "adjacency", "楼组相邻关系"
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "登录锁定"
        PASSWORD_CHANGE = "password_change", "修改密码"
        SECOND_FACTOR = "second_factor", "两步验证"
        TOKEN = "token", "API 令牌"
        INVITE = "invite", "联络员账号邀请"
        CHANGE = "change", "修改记录"
        BACKUP = "backup", "备份与恢复"
        AUDIT_PRUNE = "audit_prune", "清理过期审计记录"
        REASSIGN = "reassign", "转交工作"
        MERGE = "merge", "合并个案"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("动作", max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True, db_index=True)
    fields = models.JSONField("字段", default=list, blank=True)
    reason = models.CharField("事由", max_length=200, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    area = models.ForeignKey(
        "places.Area",
        verbose_name="居民区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            # The secretary's log page and a user's own recent sign-ins.
            models.Index(fields=["area", "-at"], name="core_audit_area_at"),
            models.Index(fields=["actor_name", "-at"], name="core_audit_actor_name_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计日志只能追加，不能删除")


class AreaOpening(models.Model):
    """A subdistrict admin opened one area's personal data, for a reason, for a while."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="area_openings")
    area = models.ForeignKey("places.Area", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("事由", max_length=200)
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "居民区查阅授权"
        verbose_name_plural = "居民区查阅授权"

    def __str__(self) -> str:
        return f"{self.user_id}→{self.area_id}"


class RateCounter(models.Model):
    """A client's request count in one rate-limit window, kept in the database so that every
    server process (gunicorn runs several) counts against the same limit (core.throttle)."""

    key = models.CharField("键", max_length=120, unique=True)
    count = models.PositiveIntegerField("次数", default=0)
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        verbose_name = "频率计数"
        verbose_name_plural = "频率计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class Job(models.Model):
    """Long work out of the request 后台任务 (a ledger, a compound's placards, a large import):
    queued, run by the task queue (core.jobs), its progress and its file shown to its owner."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    owner = models.ForeignKey(
        User, verbose_name="发起人", on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    # Shown to the owner: in Chinese, never personal data (a failure says what, not whom).
    message = models.CharField("说明", max_length=200, blank=True)
    result = models.FileField("结果文件", upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField("文件名", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_job_owner_created")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)


class Notification(models.Model):
    """A line in a user's notification centre 通知: a short title and the page it points to.

    Written only through core.notifications; `key` (when given) makes a notification once-only
    per user, so a task that runs again does not notify twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类别", max_length=30)
    title = models.CharField("标题", max_length=200)
    link = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=120, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"], name="notification_unread"),
            models.Index(fields=["user", "created_at"], name="notification_user_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
