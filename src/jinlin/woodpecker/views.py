"""Pages of the woodpecker programme: the readers' public form (phone first) and the editors'
catalogue, report queue, judging, rounds, awards and ledger.

Thin: each view reads through selectors, writes through one service and shows its refusal on
the form. Editor pages are 404 for everybody who is not an editor (or a superuser).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jinlin.core.models import User
from jinlin.woodpecker import forms, selectors, services, throttle
from jinlin.woodpecker.conf import setting
from jinlin.woodpecker.models import (
    Article,
    Award,
    AwardKind,
    Channel,
    Issue,
    Page,
    Publication,
    Report,
    ReportStatus,
    Round,
    Severity,
)

PAGE_SIZE = 30
MSG_BODY_TOO_LARGE = "提交内容过长，请精简后再试"
MSG_RECEIPT_UNKNOWN = "没有找到该回执号，请核对后再查"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _attach(form: Any, error: ValidationError, default: str | None = None) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else default
            for message in field_messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(default, message)


def _content_length(request: HttpRequest) -> int:
    """The body's size as declared (the CSRF check has already read the form from the stream)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- readers ------------------------------------------------------------------------------------


def _public_page(
    request: HttpRequest,
    form: forms.ReportForm,
    *,
    message_form: forms.MessageForm | None = None,
    parsed: selectors.ParsedForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = form.now
    context = {
        "form": form,
        "message_form": message_form or forms.MessageForm(),
        "parsed": parsed,
        "error": error,
        "upcoming": selectors.next_deadline(now),
        "closed": selectors.closed_notice(now) if form.closed else None,
        "receipt_form": forms.ReceiptForm(),
        "has_winners": selectors.published_rounds().exists(),
        "cash_yuan": setting("CASH_YUAN"),
    }
    return render(request, "woodpecker/public.html", context, status=status)


def public_form(request: HttpRequest) -> HttpResponse:
    """The reader's form. SPEC 纠错有奖: "any reader may report an error through a public web
    form, without an account"."""
    now = timezone.now()
    if request.method != "POST":
        return _public_page(request, forms.ReportForm(now=now))
    verdict = throttle.hit("report", request)
    form = forms.ReportForm(request.POST, now=now)
    if not verdict.allowed:
        return _public_page(request, form, error=verdict.message, status=429)
    if _content_length(request) > int(setting("MAX_BODY_BYTES")):
        return _public_page(request, form, error=MSG_BODY_TOO_LARGE, status=413)
    if form.is_valid():
        data = form.cleaned_data
        article = data["article"]
        try:
            report = services.report_submit(
                data=services.ReportInput(
                    issue_id=data["issue"],
                    page_number=data["page_number"],
                    article_id=int(article) if article and article.isdigit() else None,
                    article_title=data["article_title"] if not form.article_chosen else "",
                    quoted=data["quoted"],
                    correction=data["correction"],
                    explanation=data["explanation"],
                    reader_name=data["reader_name"],
                    is_nickname=data["is_nickname"],
                    contact=data["contact"],
                ),
                client_key=throttle.client_key(request),
                channel=Channel.FORM,
                now=now,
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            return redirect(reverse("woodpecker_receipt", args=[report.receipt]) + "?new=1")
    return _public_page(request, form)


@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    """The chained lists (publication → issue → page → article), re-rendered on each choice."""
    form = forms.ReportForm(initial=request.GET.dict(), now=timezone.now())
    return render(request, "woodpecker/_picker.html", {"form": form})


@require_POST
def parse(request: HttpRequest) -> HttpResponse:
    """A pasted WeChat message → the form filled in, for the reader to check and send."""
    now = timezone.now()
    verdict = throttle.hit("parse", request)
    message_form = forms.MessageForm(request.POST)
    if not verdict.allowed:
        form = forms.ReportForm(now=now)
        if _is_htmx(request):
            return render(
                request,
                "woodpecker/_report_form.html",
                {"form": form, "error": verdict.message},
                status=429,
            )
        return _public_page(
            request, form, message_form=message_form, error=verdict.message, status=429
        )
    parsed = None
    if message_form.is_valid():
        parsed = selectors.parse_message(message_form.cleaned_data["message"], now)
        form = forms.ReportForm(initial=parsed.initial, now=now)
    else:
        form = forms.ReportForm(now=now)
    if _is_htmx(request):
        return render(
            request,
            "woodpecker/_report_form.html",
            {"form": form, "parsed": parsed, "message_errors": message_form.errors.get("message")},
        )
    return _public_page(request, form, message_form=message_form, parsed=parsed)


def receipt(request: HttpRequest, number: str = "") -> HttpResponse:
    """A report's status by its receipt number: status only, no name, no contact."""
    number = (number or request.GET.get("number", "")).strip().upper()[:20]
    context: dict[str, Any] = {"number": number, "new": request.GET.get("new") == "1"}
    status = 200
    if number:
        verdict = throttle.hit("lookup", request)
        if not verdict.allowed:
            context["error"] = verdict.message
            status = 429
        else:
            found = (
                Report.objects.select_related("round")
                .only("receipt", "status", "submitted_at", "round__year", "round__month")
                .filter(receipt=number)
                .first()
            )
            if found is None:
                context["error"] = MSG_RECEIPT_UNKNOWN
                status = 404
            context["report"] = found
    context["form"] = forms.ReceiptForm(initial={"number": number})
    return render(request, "woodpecker/receipt.html", context, status=status)


def winners(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.published_rounds()[:24])
    return render(request, "woodpecker/winners.html", {"rounds": rounds})


# --- editors ------------------------------------------------------------------------------------


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and an editor (or superuser); for anybody else the page does not exist."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.can_judge(request.user):
            raise Http404("没有找到")
        return view(request, *args, **kwargs)

    return wrapped


@editor_required
def editor_home(request: HttpRequest) -> HttpResponse:
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
def report_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReportStatus.PENDING)
    if status not in ReportStatus.values and status != "all":
        status = ReportStatus.PENDING
    round_ = selectors.round_by_code(request.GET.get("round", ""))
    publication_id = request.GET.get("publication")
    reports = selectors.report_queue(
        status="" if status == "all" else status,
        round_id=round_.pk if round_ else None,
        publication_id=int(publication_id) if (publication_id or "").isdigit() else None,
        search=request.GET.get("q", "")[:50],
    )
    page = _page(request, reports)
    for report in page.object_list:
        report.masked_contact = selectors.mask_contact(report.contact)  # type: ignore[attr-defined]
    return render(
        request,
        "woodpecker/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "round": round_,
            "rounds": list(Round.objects.order_by("-year", "-month")[:24]),
            "publications": list(Publication.objects.order_by("name")),
            "publication_id": publication_id or "",
            "q": request.GET.get("q", "")[:50],
            "active": "reports",
        },
    )


def _report_or_404(report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related(
            "round", "issue__publication", "page", "article__page", "duplicate_of", "judged_by"
        ),
        pk=report_id,
    )


def _next_pending(report: Report) -> Report | None:
    return (
        Report.objects.filter(status=ReportStatus.PENDING)
        .exclude(pk=report.pk)
        .order_by("submitted_at", "id")
        .only("id")
        .first()
    )


@editor_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
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
                actor=_user(request),
                report=report,
                verdict=data["verdict"],
                severity=data["severity"],
                duplicate_of=original,
                note=data["note"],
            )
        except ValidationError as error:
            _attach(form, error, "verdict")
        else:
            label = judged.get_status_display()
            if judged.severity:
                label += f"（{Severity(judged.severity).label}，{judged.points} 分）"
            messages.success(request, f"已将 {judged.receipt} 评为{label}。")
            following = _next_pending(judged)
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
            "next_pending": _next_pending(report),
            "active": "reports",
        },
    )


@editor_required
@require_POST
def report_link(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    form = forms.LinkArticleForm(request.POST, issue=report.issue)
    if form.is_valid():
        article = None
        if form.cleaned_data["article"]:
            article = get_object_or_404(
                Article.objects.select_related("page"), pk=form.cleaned_data["article"]
            )
        try:
            services.report_link_article(actor=_user(request), report=report, article=article)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "已更新报告对应的文章。")
    return redirect("woodpecker_report", report_id=report.pk)


@editor_required
@require_POST
def contact_reveal(request: HttpRequest, report_id: int) -> HttpResponse:
    """The whole contact, for handing over a prize; the look is audited."""
    report = _report_or_404(report_id)
    form = forms.RevealForm(request.POST)
    contact = None
    if form.is_valid():
        try:
            contact = services.contact_reveal(
                actor=_user(request),
                report=report,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            _attach(form, error, "reason")
    context = {
        "report": report,
        "contact": contact,
        "reveal_form": form,
        "masked_contact": selectors.mask_contact(report.contact),
    }
    if _is_htmx(request):
        return render(request, "woodpecker/_contact.html", context)
    if contact is None:
        messages.error(request, "查看完整联系方式须说明事由。")
        return redirect("woodpecker_report", report_id=report.pk)
    return render(request, "woodpecker/contact.html", {**context, "active": "reports"})


# --- catalogue ------------------------------------------------------------------------------------


@editor_required
def catalogue(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    publication_form = forms.PublicationForm(prefix="pub")
    issue_form = forms.IssueForm(prefix="issue")
    if request.method == "POST":
        if request.POST.get("action") == "publication":
            publication_form = forms.PublicationForm(request.POST, prefix="pub")
            if publication_form.is_valid():
                try:
                    publication = services.publication_save(
                        actor=actor,
                        name=publication_form.cleaned_data["name"],
                        description=publication_form.cleaned_data["description"],
                    )
                except ValidationError as error:
                    _attach(publication_form, error, "name")
                else:
                    messages.success(request, f"已添加报刊 {publication.name}。")
                    return redirect("woodpecker_catalogue")
        else:
            issue_form = forms.IssueForm(request.POST, prefix="issue")
            if issue_form.is_valid():
                data = issue_form.cleaned_data
                try:
                    issue = services.issue_save(
                        actor=actor,
                        publication=data["publication"],
                        number=data["number"],
                        published_on=data["published_on"],
                    )
                except ValidationError as error:
                    _attach(issue_form, error, "number")
                else:
                    messages.success(request, f"已添加 {issue}。")
                    return redirect("woodpecker_issue", issue_id=issue.pk)
    issues = Issue.objects.select_related("publication", "round").order_by(
        "-published_on", "publication__name", "-number"
    )
    publication_id = request.GET.get("publication", "")
    if publication_id.isdigit():
        issues = issues.filter(publication_id=int(publication_id))
    return render(
        request,
        "woodpecker/catalogue.html",
        {
            "publications": list(Publication.objects.order_by("name")),
            "publication_id": publication_id,
            "page": _page(request, issues),
            "publication_form": publication_form,
            "issue_form": issue_form,
            "active": "catalogue",
        },
    )


@editor_required
def publication_edit(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=publication_id)
    form = forms.PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_save(
                actor=_user(request),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                publication=Publication.objects.get(pk=publication.pk),
            )
        except ValidationError as error:
            _attach(form, error, "name")
        else:
            messages.success(request, "已保存报刊信息。")
            return redirect("woodpecker_catalogue")
    return render(
        request,
        "woodpecker/publication_form.html",
        {"form": form, "publication": publication, "active": "catalogue"},
    )


@editor_required
def issue_detail(request: HttpRequest, issue_id: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("publication", "round"), pk=issue_id)
    actor = _user(request)
    page_form = forms.PageForm(prefix="page")
    issue_form = forms.IssueForm(instance=issue, prefix="issue")
    if request.method == "POST":
        if request.POST.get("action") == "page":
            page_form = forms.PageForm(request.POST, prefix="page")
            if page_form.is_valid():
                try:
                    page = services.page_save(
                        actor=actor,
                        issue=issue,
                        number=page_form.cleaned_data["number"],
                        name=page_form.cleaned_data["name"],
                    )
                except ValidationError as error:
                    _attach(page_form, error, "number")
                else:
                    messages.success(request, f"已添加{page}。")
                    return redirect("woodpecker_issue", issue_id=issue.pk)
        else:
            issue_form = forms.IssueForm(
                request.POST, instance=Issue.objects.get(pk=issue.pk), prefix="issue"
            )
            if issue_form.is_valid():
                data = issue_form.cleaned_data
                try:
                    services.issue_save(
                        actor=actor,
                        publication=data["publication"],
                        number=data["number"],
                        published_on=data["published_on"],
                        issue=Issue.objects.get(pk=issue.pk),
                    )
                except ValidationError as error:
                    _attach(issue_form, error, "number")
                else:
                    messages.success(request, "已保存本期信息。")
                    return redirect("woodpecker_issue", issue_id=issue.pk)
    pages = list(issue.pages.order_by("number").prefetch_related("articles"))
    report_counts = _report_counts(issue)
    return render(
        request,
        "woodpecker/issue.html",
        {
            "issue": issue,
            "pages": pages,
            "report_counts": report_counts,
            "page_form": page_form,
            "issue_form": issue_form,
            "active": "catalogue",
        },
    )


def _report_counts(issue: Issue) -> dict[int, int]:
    rows = (
        Report.objects.filter(issue=issue, article__isnull=False)
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["article_id"]: row["n"] for row in rows}


def _article_form_page(
    request: HttpRequest, *, issue: Issue, page: Page, article: Article | None
) -> HttpResponse:
    initial: dict[str, Any] = {"page": page.pk}
    if article is not None:
        initial.update(
            title=article.title, author=article.author, section=article.section, text=article.text
        )
    form = forms.ArticleForm(
        request.POST or None, request.FILES or None, initial=initial, issue=issue
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target_page = get_object_or_404(Page, pk=data["page"], issue=issue)
        try:
            saved = services.article_save(
                actor=_user(request),
                page=target_page,
                title=data["title"],
                author=data["author"],
                section=data["section"],
                text=data["upload"] if data["upload"] is not None else data["text"],
                article=article,
            )
        except ValidationError as error:
            _attach(form, error, "text")
        else:
            messages.success(request, f"已保存《{saved.title}》。")
            return redirect("woodpecker_article", article_id=saved.pk)
    return render(
        request,
        "woodpecker/article_form.html",
        {"form": form, "issue": issue, "page": page, "article": article, "active": "catalogue"},
    )


@editor_required
def article_create(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(Page.objects.select_related("issue__publication"), pk=page_id)
    return _article_form_page(request, issue=page.issue, page=page, article=None)


@editor_required
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related("page__issue__publication"), pk=article_id
    )
    return _article_form_page(request, issue=article.page.issue, page=article.page, article=article)


@editor_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related("page__issue__publication"), pk=article_id
    )
    reports, groups = selectors.article_report_groups(article)
    return render(
        request,
        "woodpecker/article_detail.html",
        {"article": article, "reports": reports, "groups": groups, "active": "catalogue"},
    )


# --- rounds, awards, ledger -----------------------------------------------------------------------


def _round_or_404(code: str) -> Round:
    round_ = selectors.round_by_code(code)
    if round_ is None:
        raise Http404("没有找到该月的评选")
    return round_


@editor_required
def round_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The ranking so far (or the confirmed awards), the announcement to copy, the ledger."""
    round_ = _round_or_404(code)
    now = timezone.now()
    context: dict[str, Any] = {"round": round_, "active": "rounds", "now": now}
    if round_.is_confirmed:
        awards = selectors.round_awards_with_ledger(round_)
        for award in awards:
            award.masked_contact = selectors.mask_contact(award.report.contact)  # type: ignore[attr-defined]
            award.ledger_form = forms.LedgerForm(  # type: ignore[attr-defined]
                prefix=f"award{award.pk}",
                initial={
                    "handed_over_on": timezone.localdate(),
                    "received_by": award.display_name,
                    "cash_yuan": award.cash_yuan or None,
                    "souvenir": award.souvenir,
                },
            )
        handed = any(hasattr(award, "ledger_entry") for award in awards)
        context.update(awards=awards, announcement=round_.announcement, can_reopen=not handed)
    else:
        result = selectors.round_result(round_)
        best_keys = {s.reader_key for s in result.awards.best}
        excellent_keys = {s.reader_key for s in result.awards.excellent}
        context.update(
            result=result,
            best_keys=best_keys,
            excellent_keys=excellent_keys,
            announcement=result.announcement,
            is_open=round_.is_open_at(now),
            settings_form=forms.RoundSettingsForm(
                initial={
                    "deadline": timezone.localtime(round_.deadline),
                    "excellent_count": round_.excellent_count,
                    "cash_yuan": round_.cash_yuan,
                    "souvenir": round_.souvenir,
                }
            ),
        )
    context["deadline_label"] = selectors.deadline_label(round_.deadline)
    return render(request, "woodpecker/round_detail.html", context)


@editor_required
@require_POST
def round_settings(request: HttpRequest, code: str) -> HttpResponse:
    round_ = _round_or_404(code)
    form = forms.RoundSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.round_update_settings(
                actor=_user(request),
                round_=round_,
                deadline=data["deadline"],
                excellent_count=data["excellent_count"],
                cash_yuan=data["cash_yuan"],
                souvenir=data["souvenir"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"已保存{round_.label}的评选设置。")
    else:
        messages.error(
            request,
            "设置未保存：" + " ".join(str(e) for errs in form.errors.values() for e in errs),
        )
    return redirect("woodpecker_round", code=round_.code)


@editor_required
@require_POST
def round_confirm(request: HttpRequest, code: str) -> HttpResponse:
    round_ = _round_or_404(code)
    try:
        services.round_confirm_awards(actor=_user(request), round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已确认{round_.label}的评奖，可复制公告。")
    return redirect("woodpecker_round", code=round_.code)


@editor_required
@require_POST
def round_reopen(request: HttpRequest, code: str) -> HttpResponse:
    round_ = _round_or_404(code)
    try:
        services.round_reopen_awards(actor=_user(request), round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已撤销{round_.label}的评奖确认。")
    return redirect("woodpecker_round", code=round_.code)


@editor_required
@require_POST
def ledger_record(request: HttpRequest, award_id: int) -> HttpResponse:
    award = get_object_or_404(Award.objects.select_related("round"), pk=award_id)
    form = forms.LedgerForm(request.POST, prefix=f"award{award.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ledger_record(
                actor=_user(request),
                award=award,
                handed_over_on=data["handed_over_on"],
                received_by=data["received_by"],
                cash_yuan=data["cash_yuan"] if award.kind == AwardKind.BEST else None,
                souvenir=data["souvenir"],
                note=data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"已登记 {award.display_name} 的{award.get_kind_display()}发放。"
            )
    else:
        messages.error(request, "未登记：请填写发放日期和领取人。")
    return redirect(reverse("woodpecker_round", args=[award.round.code]) + f"#award-{award.pk}")


@editor_required
def ledger(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    data = selectors.ledger(year=int(year) if year.isdigit() else None)
    return render(request, "woodpecker/ledger.html", {**data, "year": year, "active": "ledger"})
