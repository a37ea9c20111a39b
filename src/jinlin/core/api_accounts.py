"""API of accounts: a network member's phone app spends its invitation and gets a token.

The invitation link is the credential (192 random bits, stored hashed), as on the page
/invite/<token>/: an unknown one is 404, a used or expired one 410, and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from jinlin.core import selectors, services
from jinlin.core.api_schemas import InputSchema, answers

router = Router(tags=["accounts"])

MSG_INVITATION_UNKNOWN = "没有这个邀请链接，请核对或联系居委会重新邀请"
DEVICE_MAX = 50


class InvitationAcceptIn(InputSchema):
    token: str = Field(max_length=100, description="邀请链接 /invite/<token>/ 中的 token")
    password: str = Field(max_length=128, description="新密码，按系统的密码规则")
    device: str = Field(default="手机", max_length=DEVICE_MAX, description="令牌的名字，如 手机")


class InvitationAcceptOut(Schema):
    username: str = Field(description="以后登录用的账号")
    display_name: str
    token: str = Field(description="个人 API 令牌，只返回这一次；请求时放在 Authorization: Bearer")
    message: str


@router.post(
    "/invitations/accept",
    auth=None,
    response=answers(201, InvitationAcceptOut, 400, 404, 410, 422, public=True),
    summary="接受邀请：设置密码并取得 API 令牌（联络员手机应用）",
)
def invitation_accept(request: HttpRequest, payload: InvitationAcceptIn) -> Any:
    invitation = selectors.invitation_by_token(payload.token)
    if invitation is None:
        return Status(404, {"detail": MSG_INVITATION_UNKNOWN})
    if not invitation.is_usable or not invitation.user.is_active:
        return Status(410, {"detail": services.MSG_INVITATION_SPENT})
    form = SetPasswordForm(
        invitation.user, {"new_password1": payload.password, "new_password2": payload.password}
    )
    if not form.is_valid():
        messages = dict.fromkeys(message for errors in form.errors.values() for message in errors)
        raise ValidationError({"password": list(messages)})
    try:
        user, token = services.invitation_accept_for_app(
            invitation=invitation,
            form=form,
            device=payload.device.strip() or "手机",
            request=request,
        )
    except ValidationError:
        return Status(410, {"detail": services.MSG_INVITATION_SPENT})
    return Status(
        201,
        {
            "username": user.username,
            "display_name": user.display_name,
            "token": token,
            "message": "密码已设置，欢迎使用近邻",
        },
    )
