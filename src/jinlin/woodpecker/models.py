"""Models of the woodpecker domain: the newspaper catalogue, monthly rounds, readers' reports,
awards and the ledger of what was handed over.

SPEC 纠错有奖. Writes go through services.py; the invariants a row must keep on its own are
constraints here.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jinlin.woodpecker.conf import DEADLINE_GRACE


class Publication(models.Model):
    """A newspaper of the programme: 新泾社区报, 社区晨报."""

    name = models.CharField("报刊名称", max_length=40, unique=True)
    description = models.CharField("简介", max_length=200, blank=True)
    is_active = models.BooleanField("在办", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "报刊"
        verbose_name_plural = "报刊"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """评选轮次: one per month; reports on that month's issues count in it.

    The award settings are copied from conf.py when the round is created and may be changed
    for this round alone until its awards are confirmed.
    """

    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    deadline = models.DateTimeField("截止时间", help_text="含这一秒；此后提交的报告不再受理")
    best_count = models.PositiveSmallIntegerField("最佳名额", default=1)
    excellent_count = models.PositiveSmallIntegerField("优秀名额", default=10)
    cash_yuan = models.PositiveIntegerField("最佳奖金（元）", default=100)
    souvenir = models.CharField("优秀纪念品", max_length=60, default="纪念品")
    points = models.JSONField("各等级分值", default=dict)
    confirmed_at = models.DateTimeField("评奖确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    announcement = models.TextField("获奖公告", blank=True)

    class Meta:
        verbose_name = "评选轮次"
        verbose_name_plural = "评选轮次"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="woodpecker_round_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="woodpecker_round_month_range"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def is_open_at(self, moment: datetime) -> bool:
        return moment < self.deadline + DEADLINE_GRACE


class Issue(models.Model):
    """期: one issue of a publication, with its number and date; it belongs to its month's round."""

    publication = models.ForeignKey(
        Publication, verbose_name="报刊", on_delete=models.PROTECT, related_name="issues"
    )
    number = models.PositiveIntegerField("期号")
    published_on = models.DateField("出版日期")
    round = models.ForeignKey(
        Round, verbose_name="评选轮次", on_delete=models.PROTECT, related_name="issues"
    )

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-published_on", "publication__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="woodpecker_issue_number"
            ),
        ]
        indexes = [models.Index(fields=["publication", "-published_on"])]

    def __str__(self) -> str:
        return f"{self.publication.name} 第{self.number}期（{self.date_label}）"

    @property
    def date_label(self) -> str:
        day = self.published_on
        return f"{day.year}年{day.month}月{day.day}日"


class Page(models.Model):
    """版面: a page of an issue, by its number, with the page's own name (要闻, 社区, 副刊…)."""

    issue = models.ForeignKey(
        Issue, verbose_name="期", on_delete=models.PROTECT, related_name="pages"
    )
    number = models.PositiveSmallIntegerField("版次")
    name = models.CharField("版名", max_length=30, blank=True)

    class Meta:
        verbose_name = "版面"
        verbose_name_plural = "版面"
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="woodpecker_page_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=99), name="woodpecker_page_range"
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}版" + (f" {self.name}" if self.name else "")


class Article(models.Model):
    """文章: an article as printed, with its full text, for reports to be judged against."""

    page = models.ForeignKey(
        Page, verbose_name="版面", on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField("标题", max_length=120)
    author = models.CharField("作者", max_length=60, blank=True)
    section = models.CharField("栏目", max_length=40, blank=True)
    text = models.TextField("正文")
    created_at = models.DateTimeField("录入时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["page", "id"]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    PENDING = "pending", "待评判"
    VALID = "valid", "有效"
    INVALID = "invalid", "无效"
    DUPLICATE = "duplicate", "重复"


class Severity(models.TextChoices):
    """SPEC: punctuation or typo < wrong word or grammar < factual error (name, date, number, title)."""

    MINOR = "minor", "轻微（标点、错别字）"
    MODERATE = "moderate", "一般（用词不当、语法）"
    MAJOR = "major", "严重（人名、日期、数字、标题等事实错误）"


class Channel(models.TextChoices):
    FORM = "form", "网页表单"
    API = "api", "接口"


class Report(models.Model):
    """纠错报告: what a reader sent, and the editor's judgement of it.

    The reader's contact is personal data: shown masked to editors unless they ask (audited),
    never to other readers. `contact_key` is the contact normalised (ranking.normalise_contact),
    which is how one reader under two nicknames is recognised as one.
    """

    receipt = models.CharField("回执号", max_length=20, unique=True)
    round = models.ForeignKey(
        Round, verbose_name="评选轮次", on_delete=models.PROTECT, related_name="reports"
    )
    issue = models.ForeignKey(
        Issue, verbose_name="期", on_delete=models.PROTECT, related_name="reports"
    )
    page = models.ForeignKey(
        Page,
        verbose_name="版面",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    page_number = models.PositiveSmallIntegerField("版次（读者所填）")
    article = models.ForeignKey(
        Article,
        verbose_name="文章",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    article_title = models.CharField("文章标题（读者所填）", max_length=120)
    quoted = models.CharField("报上原文", max_length=500)
    correction = models.CharField("应改为", max_length=500)
    explanation = models.CharField("理由", max_length=1000, blank=True)
    reader_name = models.CharField("姓名或昵称", max_length=40)
    is_nickname = models.BooleanField("是昵称", default=False)
    contact = models.CharField("联系方式", max_length=100)
    contact_key = models.CharField("联系方式（归一）", max_length=100)
    client_key = models.CharField("来源标识", max_length=32, blank=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.FORM)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    severity = models.CharField("错误等级", max_length=10, choices=Severity.choices, blank=True)
    points = models.PositiveSmallIntegerField("得分", default=0)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="重复于",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    judge_note = models.CharField("评语", max_length=200, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评判人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judged_at = models.DateTimeField("评判时间", null=True, blank=True)

    # Where the quote sits in the article (locate.locate_passage), kept for finding duplicates
    # with one indexed query; recomputed when the article's text or the link changes.
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "纠错报告"
        verbose_name_plural = "纠错报告"
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["status", "submitted_at", "id"], name="woodpecker_queue"),
            models.Index(fields=["round", "status", "submitted_at"], name="woodpecker_round_queue"),
            models.Index(fields=["article", "passage_start"], name="woodpecker_passage"),
            models.Index(fields=["round", "contact_key"], name="woodpecker_reader"),
            models.Index(fields=["client_key", "submitted_at"], name="woodpecker_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.VALID) | ~Q(severity=""),
                name="woodpecker_valid_has_severity",
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DUPLICATE, duplicate_of__isnull=False)
                | (~Q(status=ReportStatus.DUPLICATE) & Q(duplicate_of__isnull=True)),
                name="woodpecker_duplicate_has_original",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt


class AwardKind(models.TextChoices):
    BEST = "best", "最佳“啄木鸟”"
    EXCELLENT = "excellent", "优秀“啄木鸟”"


class Award(models.Model):
    """A confirmed award of a round: who, for what, and what is owed (cash or a souvenir)."""

    round = models.ForeignKey(
        Round, verbose_name="评选轮次", on_delete=models.CASCADE, related_name="awards"
    )
    kind = models.CharField("奖项", max_length=10, choices=AwardKind.choices)
    position = models.PositiveSmallIntegerField("名次")
    reader_key = models.CharField("读者", max_length=100)
    display_name = models.CharField("公布名", max_length=40)
    is_nickname = models.BooleanField("是昵称", default=False)
    points = models.PositiveIntegerField("得分")
    report = models.ForeignKey(
        Report,
        verbose_name="读者最近的报告",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="领奖联系方式取自这份报告",
    )
    cash_yuan = models.PositiveIntegerField("奖金（元）", default=0)
    souvenir = models.CharField("纪念品", max_length=60, blank=True)

    class Meta:
        verbose_name = "获奖"
        verbose_name_plural = "获奖"
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "reader_key"], name="woodpecker_award_reader"),
            models.UniqueConstraint(fields=["round", "position"], name="woodpecker_award_position"),
        ]

    def __str__(self) -> str:
        return f"{self.round.label} {self.get_kind_display()} {self.display_name}"


class LedgerEntry(models.Model):
    """发放台账: the cash paid or the souvenir handed over for one award."""

    award = models.OneToOneField(
        Award, verbose_name="获奖", on_delete=models.PROTECT, related_name="ledger_entry"
    )
    cash_yuan = models.PositiveIntegerField("发放奖金（元）", default=0)
    souvenir = models.CharField("发放纪念品", max_length=60, blank=True)
    handed_over_on = models.DateField("发放日期")
    received_by = models.CharField("领取人", max_length=40)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "发放台账"
        verbose_name_plural = "发放台账"
        ordering = ["-handed_over_on", "-id"]

    def __str__(self) -> str:
        return f"{self.award} {self.handed_over_on}"


class ProofreadVerdict(models.TextChoices):
    ACCEPTED = "accepted", "采纳"
    DISMISSED = "dismissed", "不改"


class ProofreadDecision(models.Model):
    """校对意见的处理: an editor accepted or dismissed one flag of the proofreading pass.

    A flag is recognised by its article, the flagged text and suggestion, and a few characters
    around it (`context`), so a dismissed flag stays away after the article is edited elsewhere.
    Pasted text (no article) is remembered by its context alone. Accepted flags of the
    word-level kinds teach the confusion set, as confirmed reports do.
    """

    article = models.ForeignKey(
        Article,
        verbose_name="文章",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proofread_decisions",
    )
    kind = models.CharField("类别", max_length=20)
    wrong = models.CharField("原文", max_length=200)
    suggestion = models.CharField("建议", max_length=200, blank=True)
    context = models.CharField("上下文", max_length=240)
    verdict = models.CharField("处理", max_length=10, choices=ProofreadVerdict.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", default=timezone.now)

    class Meta:
        verbose_name = "校对意见处理"
        verbose_name_plural = "校对意见处理"
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["article", "verdict"], name="woodpecker_proof_article")]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.suggestion}（{self.get_verdict_display()}）"
