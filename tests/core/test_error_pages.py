"""Jinlin's own 400, 403, 404 and 500 pages: in Chinese, and they cannot fail themselves."""

from __future__ import annotations

import pytest
from django.core.exceptions import BadRequest
from django.test import Client

from jinlin.core import errors
from tests.conftest import login


def test_an_unknown_page_is_a_chinese_404(world):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "没有找到" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_is_told_what_to_do(world, secretary):
    client = login(secretary)
    client.handler.enforce_csrf_checks = True
    response = client.post(f"/residents/{world.resident.pk}/edit/", {"name": "改名"})
    assert response.status_code == 403
    assert "请刷新页面后重新提交" in response.content.decode()
    world.resident.refresh_from_db()
    assert world.resident.name != "改名"


def test_a_latin1_label_on_a_signed_in_form_is_a_400_and_changes_nothing(world, secretary):
    before = world.resident.name
    response = login(secretary).generic(
        "POST",
        f"/residents/{world.resident.pk}/edit/",
        b"name=Ren%E9",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    assert "请以 UTF-8 编码提交" in response.content.decode()
    world.resident.refresh_from_db()
    assert world.resident.name == before


def test_the_400_handler_does_not_read_the_body_again(rf):
    """Django's default handler ran the CSRF check, which re-raised the body's own error."""
    request = rf.post("/", data=b"a=1", content_type="application/x-www-form-urlencoded")

    def broken_post() -> None:
        raise BadRequest("unreadable")

    request._load_post_and_files = broken_post
    response = errors.bad_request(request, BadRequest("unreadable"))
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_an_error_page_that_cannot_be_rendered_falls_back_to_a_fixed_chinese_page(
    rf, monkeypatch, status
):
    def broken(*args, **kwargs):
        raise RuntimeError("template store gone")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.error_page(rf.get("/x/"), status, "<script>x</script> 请重试")
    assert response.status_code == status
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html and "返回首页" in html
    assert "&lt;script&gt;x&lt;/script&gt; 请重试" in html and "<script>" not in html
