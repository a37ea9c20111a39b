"""The editors' home, report queue and one report: judging, linking to an article, revealing
the contact."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.core.web import AuthedRequest, attach_errors, is_htmx
from jinlin.woodpecker import forms, selectors, services
from jinlin.woodpecker.models import Report, ReportStatus, Severity
from jinlin.woodpecker.views.common import (
    editor_required,
    found_or_404,
    paginate,
)


@editor_required
def editor_home(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "woodpecker/editor_home.html",
        {
            "counts": selectors.status_counts(),
            "rounds": list(selectors.rounds_overview()[:24]),
            "upcoming": selectors.next_deadline(timezone.now()),
            "active": "home",
        },
    )


@editor_required
def report_queue(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", ReportStatus.PENDING)
    if status not in ReportStatus.values and status != "all":
        status = ReportStatus.PENDING
    round_ = selectors.round_by_code(request.GET.get("round", ""))
    publication_id = request.GET.get("publication", "")
    reports = selectors.report_queue(
        status="" if status == "all" else status,
        round_id=round_.pk if round_ else None,
        publication_id=int(publication_id) if publication_id.isdigit() else None,
        search=request.GET.get("q", "")[:50],
    )
    page = paginate(request, reports)
    for report in page.object_list:
        report.masked_contact = selectors.mask_contact(report.contact)
    return render(
        request,
        "woodpecker/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "round": round_,
            "rounds": selectors.recent_rounds(),
            "publications": list(selectors.publications_by_name()),
            "publication_id": publication_id or "",
            "q": request.GET.get("q", "")[:50],
            "active": "reports",
        },
    )


def _report_or_404(report_id: int) -> Report:
    return found_or_404(selectors.report_for_editor(report_id))


@editor_required
def report_detail(request: AuthedRequest, report_id: int) -> HttpResponse:
    """The report beside its article, the quote highlighted, likely duplicates, the judge form."""
    report = _report_or_404(report_id)
    view = selectors.report_view(report)
    initial: dict[str, Any] = {
        "verdict": report.status,
        "severity": report.severity,
        "note": report.judge_note,
    }
    if report.duplicate_of_id:
        initial["duplicate_of"] = report.duplicate_of_id
    form = forms.JudgeForm(
        request.POST or None,
        initial=initial,
        candidates=view.candidates,
        points=report.round.points,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        original = next((c for c in view.candidates if c.pk == data["duplicate_of"]), None)
        try:
            judged = services.report_judge(
                actor=request.user,
                report=report,
                verdict=data["verdict"],
                severity=data["severity"],
                duplicate_of=original,
                note=data["note"],
            )
        except ValidationError as error:
            attach_errors(form, error, "verdict")
        else:
            label = judged.get_status_display()
            if judged.severity:
                label += f"（{Severity(judged.severity).label}，{judged.points} 分）"
            messages.success(request, f"已将 {judged.receipt} 评为{label}。")
            following = selectors.next_pending(judged)
            if following is not None:
                return redirect("woodpecker_report", report_id=following.pk)
            return redirect("woodpecker_report", report_id=judged.pk)
    return render(
        request,
        "woodpecker/report_detail.html",
        {
            "view": view,
            "report": report,
            "form": form,
            "link_form": forms.LinkArticleForm(
                initial={"article": report.article_id}, issue=report.issue
            ),
            "reveal_form": forms.RevealForm(),
            "masked_contact": selectors.mask_contact(report.contact),
            "next_pending": selectors.next_pending(report),
            "active": "reports",
        },
    )


@editor_required
@require_POST
def report_link(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    form = forms.LinkArticleForm(request.POST, issue=report.issue)
    if form.is_valid():
        article = None
        if form.cleaned_data["article"]:
            article = found_or_404(selectors.article_on_page_by_id(form.cleaned_data["article"]))
        try:
            services.report_link_article(actor=request.user, report=report, article=article)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "已更新报告对应的文章。")
    return redirect("woodpecker_report", report_id=report.pk)


@editor_required
@require_POST
def contact_reveal(request: AuthedRequest, report_id: int) -> HttpResponse:
    """The whole contact, for handing over a prize; the look is audited."""
    report = _report_or_404(report_id)
    form = forms.RevealForm(request.POST)
    contact = None
    if form.is_valid():
        try:
            contact = services.contact_reveal(
                actor=request.user,
                report=report,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            attach_errors(form, error, "reason")
    context = {
        "report": report,
        "contact": contact,
        "reveal_form": form,
        "masked_contact": selectors.mask_contact(report.contact),
    }
    if is_htmx(request):
        return render(request, "woodpecker/_contact.html", context)
    if contact is None:
        messages.error(request, "查看完整联系方式须说明事由。")
        return redirect("woodpecker_report", report_id=report.pk)
    return render(request, "woodpecker/contact.html", {**context, "active": "reports"})
