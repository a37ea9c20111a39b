"""The reminders settings page /reminders/settings/: the user's digest, and (for the area's
secretary) the area's WeCom group robot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jinlin.core.models import Role
from jinlin.core.web import AuthedRequest, submitted
from jinlin.reminders import selectors, services
from jinlin.reminders.forms import AreaChannelForm, PreferenceForm


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reminder_settings(request: AuthedRequest) -> HttpResponse:
    user = request.user
    preference = selectors.preference_of(user)
    area_channel = selectors.channel_of(user)
    is_secretary = user.role == Role.AREA_SECRETARY and user.area_id is not None
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    preference_form = PreferenceForm(
        posted if which == "preference" else None,
        initial={
            "send_at": preference.send_at,
            "by_email": preference.by_email,
            "by_wecom": preference.by_wecom,
        },
    )
    channel_form = AreaChannelForm(
        posted if which == "channel" else None,
        initial={"wecom_webhook": area_channel.wecom_webhook if area_channel else ""},
    )
    if which == "preference":
        outcome = submitted(
            request,
            preference_form,
            lambda data: services.preference_save(
                user=user,
                send_at=data["send_at"],
                by_email=data["by_email"],
                by_wecom=data["by_wecom"],
            ),
            aliases={"email": "by_email", "wecom": "by_wecom"},
        )
        if outcome.done:
            messages.success(request, "每日提醒设置已保存")
            return redirect("reminder_settings")
    elif which == "channel" and is_secretary:
        outcome_channel = submitted(
            request,
            channel_form,
            lambda data: services.area_channel_save(actor=user, webhook=data["wecom_webhook"]),
            default="wecom_webhook",
        )
        if outcome_channel.done:
            messages.success(request, "企业微信群机器人已保存")
            return redirect("reminder_settings")
    context: dict[str, Any] = {
        "preference_form": preference_form,
        "channel_form": channel_form,
        "is_secretary": is_secretary,
        "has_email": bool(user.email),
        "has_webhook": bool(area_channel and area_channel.wecom_webhook),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reminders/settings.html", context, status=status)
