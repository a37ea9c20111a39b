"""The editor's judging of reports, linking them to articles, and revealing a reader's contact."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.woodpecker.models import Article, Report, ReportStatus, Severity
from jinlin.woodpecker.services.catalogue import MSG_ARTICLE_NOT_IN_ISSUE, place_report
from jinlin.woodpecker.services.common import clean_text, refuse, require_editor
from jinlin.woodpecker.services.rounds import MSG_ROUND_CONFIRMED

MSG_VERDICT_UNKNOWN = "请选择评判结果：有效、无效或重复"
MSG_SEVERITY_NEEDED = "有效的报告须评定错误等级（轻微、一般或严重）"
MSG_SEVERITY_UNKNOWN = "未知的错误等级"
MSG_DUPLICATE_NEEDED = "请指明与哪一份报告重复"
MSG_DUPLICATE_SELF = "报告不能与自己重复"
MSG_DUPLICATE_OTHER_ISSUE = "只能与同一期的报告重复"
MSG_DUPLICATE_LATER = "只能标为更早提交的报告的重复（最先报告的才得分）"
MSG_DUPLICATE_NOT_VALID = "被重复的报告须先评为有效"
MSG_HAS_DUPLICATES = "有 {n} 份报告被标为这份报告的重复，请先改判它们"
MSG_NOTE_TOO_LONG = "评语最多 200 字"
MSG_REASON_NEEDED = "查看完整联系方式须说明事由"


@transaction.atomic
def report_link_article(*, actor: User, report: Report, article: Article | None) -> Report:
    """The editor names the article a report is about (the reader may have typed its title)."""
    require_editor(actor)
    if article is not None and article.page.issue_id != report.issue_id:
        raise refuse("article", MSG_ARTICLE_NOT_IN_ISSUE)
    report.article = article
    if article is not None:
        report.page = article.page
        report.page_number = article.page.number
    place_report(report, article)
    report.save(update_fields=["article", "page", "page_number", "passage_start", "passage_end"])
    return report


@transaction.atomic
def report_judge(
    *,
    actor: User,
    report: Report,
    verdict: str,
    severity: str = "",
    duplicate_of: Report | None = None,
    note: str = "",
) -> Report:
    """Valid (graded, earns points), invalid, or a duplicate of an earlier valid report.

    SPEC 纠错有奖: "the **first** valid report of an error gets the credit" — so a duplicate
    points at an earlier report of the same issue that is itself valid, and a valid report
    that others duplicate cannot stop being valid until they are judged again.
    """
    require_editor(actor)
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    round_ = report.round
    if round_.is_confirmed:
        raise refuse("verdict", MSG_ROUND_CONFIRMED.format(round=round_.label))
    note = clean_text(note)
    if len(note) > 200:
        raise refuse("note", MSG_NOTE_TOO_LONG)
    if verdict not in {ReportStatus.VALID, ReportStatus.INVALID, ReportStatus.DUPLICATE}:
        raise refuse("verdict", MSG_VERDICT_UNKNOWN)
    if verdict == ReportStatus.VALID:
        if not severity:
            raise refuse("severity", MSG_SEVERITY_NEEDED)
        if severity not in Severity.values:
            raise refuse("severity", MSG_SEVERITY_UNKNOWN)
    else:
        severity = ""
    if verdict == ReportStatus.DUPLICATE:
        if duplicate_of is not None:  # as it is now, not as the caller last read it
            duplicate_of = Report.objects.select_for_update().filter(pk=duplicate_of.pk).first()
        _check_duplicate_target(report, duplicate_of)
    else:
        duplicate_of = None
    if verdict != ReportStatus.VALID:
        held = report.duplicates.count()
        if held:
            raise refuse("verdict", MSG_HAS_DUPLICATES.format(n=held))

    report.status = verdict
    report.severity = severity
    report.points = int(round_.points.get(severity, 0)) if severity else 0
    report.duplicate_of = duplicate_of
    report.judge_note = note
    report.judged_by = actor
    report.judged_at = timezone.now()
    report.save(
        update_fields=[
            "status",
            "severity",
            "points",
            "duplicate_of",
            "judge_note",
            "judged_by",
            "judged_at",
        ]
    )
    label = ReportStatus(verdict).label + (f"（{Severity(severity).label}）" if severity else "")
    if duplicate_of is not None:
        label += f"，重复于 {duplicate_of.receipt}"
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_report",
        object_id=report.receipt,
        reason=f"评判：{label}",
    )
    return report


def _check_duplicate_target(report: Report, original: Report | None) -> None:
    if original is None:
        raise refuse("duplicate_of", MSG_DUPLICATE_NEEDED)
    if original.pk == report.pk:
        raise refuse("duplicate_of", MSG_DUPLICATE_SELF)
    if original.issue_id != report.issue_id:
        raise refuse("duplicate_of", MSG_DUPLICATE_OTHER_ISSUE)
    if (original.submitted_at, original.pk) > (report.submitted_at, report.pk):
        raise refuse("duplicate_of", MSG_DUPLICATE_LATER)
    if original.status != ReportStatus.VALID:
        raise refuse("duplicate_of", MSG_DUPLICATE_NOT_VALID)


def contact_reveal(
    *, actor: User, report: Report, reason: str, request: HttpRequest | None = None
) -> str:
    """The whole contact of a reader (to hand over a prize), for an editor, with a reason; audited."""
    require_editor(actor)
    reason = clean_text(reason)
    if not reason:
        raise refuse("reason", MSG_REASON_NEEDED)
    audit(
        actor=actor,
        action=AuditEvent.Action.UNMASK,
        object_type="woodpecker_report",
        object_id=report.receipt,
        fields=["contact"],
        reason=reason,
        request=request,
    )
    return report.contact
