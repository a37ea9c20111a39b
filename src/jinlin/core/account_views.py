"""A user's own account: recent sign-ins, password change, second factor; the invitation
link by which a member, 楼组长 or volunteer sets its first password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from jinlin.core import selectors, services
from jinlin.core.models import User
from jinlin.core.second_factor import (
    MSG_WRONG_CODE,
    check_code,
    confirmed_device,
    enrolment_device,
    is_second_factor_required,
    is_session_verified,
    may_use_second_factor,
    qr_data_uri,
    second_factor_confirm,
    second_factor_remove,
    secret_for_typing,
)
from jinlin.core.web import AuthedRequest


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    recent = selectors.recent_sign_ins(user)
    return render(
        request,
        "core/account.html",
        {
            "recent": recent,
            "may_use_second_factor": may_use_second_factor(user),
            "has_second_factor": confirmed_device(user) is not None,
        },
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    """A new password ends every other session of the account (Django checks a hash of the
    password on each request); this one goes on under a fresh session key."""
    user: User = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(form=form, user=user, request=request)
        messages.success(request, "密码已修改。其他设备上的登录已全部失效。")
        return redirect("account")
    return render(
        request,
        "core/password_change.html",
        {"form": form, "policy": password_validators_help_texts()},
    )


@sensitive_post_parameters("code")
@login_required
def second_factor(request: AuthedRequest) -> HttpResponse:
    """Enrol (QR code, then the first code), verify this session, or turn the factor off."""
    user: User = request.user
    if not may_use_second_factor(user):
        raise Http404
    device = confirmed_device(user)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        intent = request.POST.get("intent", "")
        if device is None and intent == "enrol":
            if second_factor_confirm(user=user, code=code, request=request) is not None:
                messages.success(request, "两步验证已启用。今后登录时，输入密码后还需输入动态码。")
                return redirect("account")
            error = MSG_WRONG_CODE
        elif device is not None and intent == "verify":
            if check_code(user=user, device=device, code=code):
                otp_login(request, device)
                return redirect("home")
            error = MSG_WRONG_CODE
        elif device is not None and intent == "remove":
            error = second_factor_remove(user=user, code=code, request=request)
            if not error:
                messages.success(request, "两步验证已关闭。")
                return redirect("account")
    context: dict[str, object] = {
        "error": error,
        "device": device,
        "required": is_second_factor_required(user),
        "session_verified": is_session_verified(user),
    }
    if device is None:
        pending = enrolment_device(user)
        context.update(qr=qr_data_uri(pending), secret=secret_for_typing(pending))
    return render(request, "core/second_factor.html", context, status=400 if error else 200)


@sensitive_post_parameters("new_password1", "new_password2")
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open without login: the link is the credential (192 random bits, stored hashed). An
    unknown link is 404, a used or expired one 410, both the same page; nothing changes."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return render(request, "core/invite_invalid.html", status=404)
    if not invitation.is_usable or not invitation.user.is_active:
        return render(request, "core/invite_invalid.html", status=410)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(invitation=invitation, form=form, request=request)
        except ValidationError:
            return render(request, "core/invite_invalid.html", status=410)
        messages.success(request, "密码已设置，欢迎使用近邻。")
        return redirect("member_home")
    return render(
        request,
        "core/invite.html",
        {
            "form": form,
            "account": invitation.user,
            "expires_at": invitation.expires_at,
            "policy": password_validators_help_texts(),
        },
    )
