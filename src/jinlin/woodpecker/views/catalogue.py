"""The editors' catalogue: publications, issues, pages and articles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jinlin.core.web import AuthedRequest, attach_errors
from jinlin.woodpecker import forms, selectors, services
from jinlin.woodpecker.models import Article, Issue, Page
from jinlin.woodpecker.views.common import (
    editor_required,
    found_or_404,
    paginate,
)

# --- catalogue ------------------------------------------------------------------------------------


@editor_required
def catalogue(request: AuthedRequest) -> HttpResponse:
    actor = request.user
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
                    attach_errors(publication_form, error, "name")
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
                    attach_errors(issue_form, error, "number")
                else:
                    messages.success(request, f"已添加 {issue}。")
                    return redirect("woodpecker_issue", issue_id=issue.pk)
    publication_id = request.GET.get("publication", "")
    issues = selectors.catalogue_issues(int(publication_id) if publication_id.isdigit() else None)
    return render(
        request,
        "woodpecker/catalogue.html",
        {
            "publications": list(selectors.publications_by_name()),
            "publication_id": publication_id,
            "page": paginate(request, issues),
            "publication_form": publication_form,
            "issue_form": issue_form,
            "active": "catalogue",
        },
    )


@editor_required
def publication_edit(request: AuthedRequest, publication_id: int) -> HttpResponse:
    publication = found_or_404(selectors.publication_by_id(publication_id))
    form = forms.PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                publication=selectors.reload_publication(publication),
            )
        except ValidationError as error:
            attach_errors(form, error, "name")
        else:
            messages.success(request, "已保存报刊信息。")
            return redirect("woodpecker_catalogue")
    return render(
        request,
        "woodpecker/publication_form.html",
        {"form": form, "publication": publication, "active": "catalogue"},
    )


@editor_required
def issue_detail(request: AuthedRequest, issue_id: int) -> HttpResponse:
    issue = found_or_404(selectors.issue_by_id(issue_id))
    actor = request.user
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
                    attach_errors(page_form, error, "number")
                else:
                    messages.success(request, f"已添加{page}。")
                    return redirect("woodpecker_issue", issue_id=issue.pk)
        else:
            issue_form = forms.IssueForm(
                request.POST, instance=selectors.reload_issue(issue), prefix="issue"
            )
            if issue_form.is_valid():
                data = issue_form.cleaned_data
                try:
                    services.issue_save(
                        actor=actor,
                        publication=data["publication"],
                        number=data["number"],
                        published_on=data["published_on"],
                        issue=selectors.reload_issue(issue),
                    )
                except ValidationError as error:
                    attach_errors(issue_form, error, "number")
                else:
                    messages.success(request, "已保存本期信息。")
                    return redirect("woodpecker_issue", issue_id=issue.pk)
    pages = selectors.issue_pages_with_articles(issue)
    report_counts = selectors.article_report_counts(issue)
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


def _article_form_page(
    request: AuthedRequest, *, issue: Issue, page: Page, article: Article | None
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
        target_page = found_or_404(selectors.page_of_issue(issue, data["page"]))
        try:
            saved = services.article_save(
                actor=request.user,
                page=target_page,
                title=data["title"],
                author=data["author"],
                section=data["section"],
                text=data["upload"] if data["upload"] is not None else data["text"],
                article=article,
            )
        except ValidationError as error:
            attach_errors(form, error, "text")
        else:
            messages.success(request, f"已保存《{saved.title}》。")
            return redirect("woodpecker_article", article_id=saved.pk)
    return render(
        request,
        "woodpecker/article_form.html",
        {"form": form, "issue": issue, "page": page, "article": article, "active": "catalogue"},
    )


@editor_required
def article_create(request: AuthedRequest, page_id: int) -> HttpResponse:
    page = found_or_404(selectors.page_by_id(page_id))
    return _article_form_page(request, issue=page.issue, page=page, article=None)


@editor_required
def article_edit(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = found_or_404(selectors.article_by_id(article_id))
    return _article_form_page(request, issue=article.page.issue, page=article.page, article=article)


@editor_required
def article_detail(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = found_or_404(selectors.article_by_id(article_id))
    reports, groups = selectors.article_report_groups(article)
    return render(
        request,
        "woodpecker/article_detail.html",
        {"article": article, "reports": reports, "groups": groups, "active": "catalogue"},
    )
