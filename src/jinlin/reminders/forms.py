"""The reminders settings page's two forms: the user's digest, the area's WeCom robot."""

from __future__ import annotations

from django import forms

MSG_TIME = "请输入正确的时间，如 08:00"


class PreferenceForm(forms.Form):
    send_at = forms.TimeField(
        label="每日提醒时间",
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"required": MSG_TIME, "invalid": MSG_TIME},
        help_text="北京时间；站内通知总会收到",
    )
    by_email = forms.BooleanField(label="同时发送到我的邮箱", required=False)
    by_wecom = forms.BooleanField(label="同时发到居民区企业微信群", required=False)


class AreaChannelForm(forms.Form):
    wecom_webhook = forms.CharField(
        label="企业微信群机器人地址",
        required=False,
        max_length=300,
        error_messages={"max_length": "地址过长"},
        help_text="在企业微信群中添加“群机器人”后复制其 Webhook 地址；留空则不发到群里",
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
