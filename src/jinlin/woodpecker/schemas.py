"""Schemas of the woodpecker API (jinlin.woodpecker.api): what it answers and what it takes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Router, Schema

from jinlin.core.api_schemas import Day, InputSchema, ObjectId, OneOf
from jinlin.woodpecker.models import ReportStatus, Severity

VERDICTS = (ReportStatus.VALID, ReportStatus.INVALID, ReportStatus.DUPLICATE)
MAX_ISSUE_NUMBER = 2**31 - 1  # what the column holds (Issue.number, a PositiveIntegerField)

router = Router(tags=["woodpecker"])


class ReportIn(InputSchema):
    """A reader's report. The issue: `issue_id`, or `publication` with `issue_number` or
    `issue_date`. The article: `article_id`, or its title in `article_title`."""

    issue_id: ObjectId | None = None
    publication: str = Field("", description="报刊名称，如 社区晨报")
    issue_number: int | None = Field(None, ge=1, le=MAX_ISSUE_NUMBER, description="期号")
    issue_date: Day | None = Field(None, description="出版日期")
    page: int | None = Field(None, ge=1, le=99, description="版次，如 3")
    article_id: ObjectId | None = None
    article_title: str = Field("", description="文章标题（没有 article_id 时必填）")
    quoted: str = Field("", description="报上原文（照原样抄录有错的文字）")
    correction: str = Field("", description="应改为")
    explanation: str = Field("", description="理由")
    name: str = Field("", description="姓名或微信昵称")
    is_nickname: bool = Field(False, description="name 是昵称时为 true，公告中会标注(昵称)")
    contact: str = Field("", description="手机号、微信号或电子邮箱；只有编辑能看到")


class ReceiptOut(Schema):
    receipt: str
    status: str
    status_label: str
    round: str = Field(description="YYYY-MM")
    deadline: datetime
    message: str


class ReceiptStatusOut(Schema):
    receipt: str
    status: str = Field(description="pending 待评判 / valid 有效 / invalid 无效 / duplicate 重复")
    status_label: str
    round: str
    submitted_on: date


class WinnerOut(Schema):
    name: str
    is_nickname: bool
    points: int


class WinnersOut(Schema):
    round: str
    best: list[WinnerOut]
    excellent: list[WinnerOut]
    announcement: str


class AwardsOut(WinnersOut):
    confirmed: bool = Field(description="false: 按目前评判结果的排名，尚未确认")


class JudgementIn(InputSchema):
    verdict: Annotated[str, OneOf(VERDICTS)] = Field(description="valid / invalid / duplicate")
    severity: Annotated[str, OneOf(Severity, blank=True)] = Field(
        "", description="minor / moderate / major（有效时必填）"
    )
    duplicate_of: ObjectId | None = Field(None, description="重复时：更早的那份有效报告的 id")
    note: str = Field("", max_length=200)


class JudgementOut(Schema):
    id: int
    receipt: str
    status: str
    status_label: str
    severity: str
    points: int
    duplicate_of: int | None


class ProofreadIn(InputSchema):
    """A text to proofread; with `issue_date`, 几月几日（星期几） is checked against that year."""

    text: str = Field(description="文章正文", min_length=1, max_length=20000)
    issue_date: Day | None = Field(None, description="出版日期")


class FlagOut(Schema):
    start: int = Field(description="在正文中的位置（从 0 起，按字符计）")
    length: int
    text: str = Field(description="原文")
    suggestion: str = Field(description="建议改为；空表示删去或核实")
    kind: str = Field(
        description="confusion 常见错字 / expression 成语 / term 本报常用词 / particle 的地得 / "
        "punctuation 标点 / consistency 日期人名 / draft 编辑痕迹"
    )
    kind_label: str
    reason: str
    decision: str = Field("", description="accepted 已采纳；未处理为空（不改的不再返回）")


class ProofreadOut(Schema):
    flags: list[FlagOut]
    dismissed: int = Field(description="此前已定为不改、这次不再返回的处数")


class ProofreadArticleOut(ProofreadOut):
    article_id: int
    title: str
    page: int


class ProofreadIssueOut(Schema):
    issue_id: int
    articles: list[ProofreadArticleOut]
