"""校对: the editors' proofreading pass over a pasted text or an issue's articles, flags marked
inline with a suggestion and a reason; accepting or dismissing one is remembered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jinlin.core.web import AuthedRequest
from jinlin.woodpecker import forms, selectors, services
from jinlin.woodpecker.models import Article, ProofreadVerdict
from jinlin.woodpecker.proofread import Flag
from jinlin.woodpecker.selectors.proofreading import ShownFlag
from jinlin.woodpecker.views.common import editor_required, found_or_404

RECENT_ISSUES = 12


def _proofread_page(
    request: AuthedRequest, form: forms.ProofreadForm, status: int = 200
) -> HttpResponse:
    result = None
    if form.is_bound and form.is_valid():
        result = selectors.proofread_pasted(
            form.cleaned_data["text"], issue_date=form.cleaned_data["issue_date"]
        )
    return render(
        request,
        "woodpecker/proofread.html",
        {
            "form": form,
            "result": result,
            "issues": list(selectors.catalogue_issues(None)[:RECENT_ISSUES]),
            "active": "proofread",
        },
        status=status,
    )


@editor_required
def proofread_home(request: AuthedRequest) -> HttpResponse:
    form = forms.ProofreadForm(request.POST or None, request.FILES or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return _proofread_page(request, form, status)


@editor_required
def proofread_issue(request: AuthedRequest, issue_id: int) -> HttpResponse:
    issue = found_or_404(selectors.issue_by_id(issue_id))
    results = selectors.proofread_issue(issue)
    return render(
        request,
        "woodpecker/proofread_issue.html",
        {
            "issue": issue,
            "results": results,
            "open_total": sum(result.open_count for result in results),
            "active": "proofread",
        },
    )


@editor_required
@require_POST
def proofread_decide(request: AuthedRequest) -> HttpResponse:
    form = forms.ProofreadDecisionForm(request.POST)
    is_htmx = request.headers.get("HX-Request") == "true"
    if not form.is_valid():
        return _decided(request, form, None, services.MSG_FLAG_INCOMPLETE, is_htmx)
    data = form.cleaned_data
    article = None
    if data["article"]:
        article = found_or_404(selectors.article_by_id(data["article"]))
    try:
        services.proofread_decide(
            actor=request.user,
            article=article,
            kind=data["kind"],
            wrong=data["wrong"],
            suggestion=data["suggestion"],
            context=data["context"],
            verdict=data["verdict"],
        )
    except ValidationError as error:
        return _decided(request, form, article, error.messages[0], is_htmx)
    return _decided(request, form, article, "", is_htmx)


def _decided(
    request: AuthedRequest,
    form: forms.ProofreadDecisionForm,
    article: Article | None,
    error: str,
    is_htmx: bool,
) -> HttpResponse:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    verdict = data.get("verdict", "") if not error else ""
    if is_htmx:
        shown = ShownFlag(
            Flag(
                0,
                len(data.get("wrong", "")),
                data.get("wrong", ""),
                data.get("suggestion", ""),
                data.get("kind", ""),
                data.get("reason", ""),
            ),
            data.get("context", ""),
            verdict,
            data.get("number") or 0,
        )
        return render(
            request,
            "woodpecker/_proofread_flag.html",
            {
                "shown": shown,
                "article_id": data.get("article") or "",
                "error": error,
                "pasted_text": data.get("text", ""),
                "issue_date": data.get("issue_date"),
            },
            # 200 even when refused: htmx swaps no 4xx answer, and the flag must show the message.
        )
    if error:
        messages.error(request, error)
    elif verdict == ProofreadVerdict.ACCEPTED:
        messages.success(
            request, f"已采纳：“{data['wrong']}”改为“{data['suggestion']}”。请在文章中改正。"
        )
    else:
        messages.success(request, f"已记下：“{data['wrong']}”不改，下次校对不再提示。")
    article_id = data.get("article")
    if article_id and article is not None:
        issue_id = article.page.issue_id
        return redirect(
            reverse("woodpecker_proofread_issue", args=[issue_id]) + f"#article-{article_id}"
        )
    if data.get("text"):
        pasted = forms.ProofreadForm(
            {"text": data["text"], "issue_date": data.get("issue_date") or ""}
        )
        return _proofread_page(request, pasted)
    return redirect("woodpecker_proofread")
