"""The public form refuses bytes it cannot read as UTF-8 with a clear 400 and stores nothing
(issue 20: GBK posted as UTF-8 was stored as `REL5-gbk����`; a latin-1 label was a 500)."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from django.test import Client

from jinlin.woodpecker.models import Report
from tests.woodpecker.test_pages import form_data

FORM = "application/x-www-form-urlencoded"


def urlencoded(data: dict, encoding: str = "utf-8") -> bytes:
    return "&".join(
        f"{key}={quote_from_bytes(str(value).encode(encoding))}" for key, value in data.items()
    ).encode("ascii")


def post(client: Client, body: bytes, content_type: str):
    return client.generic("POST", "/woodpecker/", body, content_type=content_type)


def test_the_same_form_in_utf8_is_accepted(catalogue, frozen):
    data = form_data(catalogue, quoted="REL5-测试快马加鞭下鞍")
    response = post(Client(), urlencoded(data), f"{FORM}; charset=utf-8")
    assert response.status_code == 302
    assert Report.objects.get().quoted == "REL5-测试快马加鞭下鞍"


@pytest.mark.parametrize(
    ("label", "body_of"),
    [
        ("GBK bytes sent as UTF-8", lambda data: urlencoded(data, "gbk")),
        ("raw GBK bytes, not percent-encoded", lambda data: "quoted=测试".encode("gbk")),
        ("%FF%FE%FD", lambda data: urlencoded(data) + b"&quoted=%FF%FE%FD"),
    ],
)
def test_bytes_that_are_not_utf8_are_refused_and_nothing_is_stored(
    catalogue, frozen, label, body_of
):
    data = form_data(catalogue, quoted="REL5-测试")
    response = post(Client(), body_of(data), FORM)
    html = response.content.decode()
    assert response.status_code == 400, label
    assert "不是 UTF-8 编码" in html and "没有保存任何内容" in html
    assert Report.objects.count() == 0


@pytest.mark.parametrize("charset", ["latin-1", "gbk", "x-no-such-charset", "utf-7"])
def test_a_body_in_another_charset_is_refused_with_a_message_not_a_500(catalogue, frozen, charset):
    data = form_data(catalogue, quoted="abc")
    response = post(Client(), urlencoded(data), f"{FORM}; charset={charset}")
    assert response.status_code == 400
    assert "请以 UTF-8 编码提交" in response.content.decode()
    assert Report.objects.count() == 0


def test_a_multipart_form_with_gbk_fields_is_refused(catalogue, frozen):
    boundary = "jinlinboundary"
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
        + str(value).encode("gbk")
        + b"\r\n"
        for key, value in form_data(catalogue, quoted="错别字测试").items()
    )
    body = parts + f"--{boundary}--\r\n".encode()
    response = post(Client(), body, f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_the_api_refuses_json_that_is_not_utf8(catalogue, frozen):
    body = '{"issue_id": 1, "quoted": "测试", "correction": "测验"}'.encode("gbk")
    response = Client().generic(
        "POST", "/api/v1/woodpecker/reports", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["detail"]
    assert Report.objects.count() == 0
