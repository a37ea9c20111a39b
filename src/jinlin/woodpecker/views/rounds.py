"""The editors' rounds: ranking and awards, settings, confirmation, the ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.core.web import AuthedRequest
from jinlin.woodpecker import forms, selectors, services
from jinlin.woodpecker.models import AwardKind, Round
from jinlin.woodpecker.views.common import editor_required, found_or_404

# --- rounds, awards, ledger -----------------------------------------------------------------------


def _round_or_404(code: str) -> Round:
    round_ = selectors.round_by_code(code)
    if round_ is None:
        raise Http404("没有找到该月的评选")
    return round_


@editor_required
def round_detail(request: AuthedRequest, code: str) -> HttpResponse:
    """The ranking so far (or the confirmed awards), the announcement to copy, the ledger."""
    round_ = _round_or_404(code)
    now = timezone.now()
    context: dict[str, Any] = {"round": round_, "active": "rounds", "now": now}
    if round_.is_confirmed:
        awards = selectors.round_awards_with_ledger(round_)
        for award in awards:
            award.masked_contact = selectors.mask_contact(award.report.contact)  # type: ignore[attr-defined]  # shown by the template
            award.ledger_form = forms.LedgerForm(  # type: ignore[attr-defined]  # shown by the template
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
def round_settings(request: AuthedRequest, code: str) -> HttpResponse:
    round_ = _round_or_404(code)
    form = forms.RoundSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.round_update_settings(
                actor=request.user,
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
def round_confirm(request: AuthedRequest, code: str) -> HttpResponse:
    round_ = _round_or_404(code)
    try:
        services.round_confirm_awards(actor=request.user, round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已确认{round_.label}的评奖，可复制公告。")
    return redirect("woodpecker_round", code=round_.code)


@editor_required
@require_POST
def round_reopen(request: AuthedRequest, code: str) -> HttpResponse:
    round_ = _round_or_404(code)
    try:
        services.round_reopen_awards(actor=request.user, round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已撤销{round_.label}的评奖确认。")
    return redirect("woodpecker_round", code=round_.code)


@editor_required
@require_POST
def ledger_record(request: AuthedRequest, award_id: int) -> HttpResponse:
    award = found_or_404(selectors.award_by_id(award_id))
    form = forms.LedgerForm(request.POST, prefix=f"award{award.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ledger_record(
                actor=request.user,
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
def ledger(request: AuthedRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    data = selectors.ledger(year=int(year) if year.isdigit() else None)
    return render(request, "woodpecker/ledger.html", {**data, "year": year, "active": "ledger"})
