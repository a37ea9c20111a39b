"""The channels that leave the building: email (Django's mail settings) and a WeCom group robot
(an HTTPS POST of a markdown message). Each raises ChannelError on failure; the caller logs it
without personal data and tries again on the next run."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.core.mail import send_mail

WECOM_TIMEOUT_SECONDS = 5


class ChannelError(Exception):
    pass


def send_email(*, to: str, subject: str, body: str) -> None:
    try:
        sent = send_mail(subject, body, None, [to], fail_silently=False)
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        raise ChannelError(type(error).__name__) from error
    if sent != 1:
        raise ChannelError("not sent")


def post_wecom(*, url: str, content: str) -> None:
    """POSTs {"msgtype": "markdown", …} to a group robot; WeCom answers {"errcode": 0} when
    it took the message."""
    payload = json.dumps(
        {"msgtype": "markdown", "markdown": {"content": content}}, ensure_ascii=False
    ).encode()
    request = urllib.request.Request(  # noqa: S310  (the URL is checked: https to WeCom, or local when allowed)
        url, data=payload, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=WECOM_TIMEOUT_SECONDS) as response:  # noqa: S310  (as above)
            answer = response.read(65536)
    except (OSError, urllib.error.URLError) as error:
        raise ChannelError(type(error).__name__) from error
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0  # a receiver that answers without JSON took it
    if code != 0:
        raise ChannelError(f"errcode {code}")
