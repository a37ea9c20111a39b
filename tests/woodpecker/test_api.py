"""The woodpecker API: public reports, receipts and winners; editors' judgement and awards."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from jinlin.core.models import ApiToken
from jinlin.woodpecker import services
from jinlin.woodpecker.models import Report
from tests.woodpecker.conftest import SHANGHAI, in_september

API = "/api/v1/woodpecker"
AFTER_SEPTEMBER = datetime(2022, 10, 5, 9, 0, tzinfo=SHANGHAI)


def post_json(client, path, body, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def report_body(catalogue, **overrides):
    body = {
        "publication": "社区晨报",
        "issue_number": 120,
        "page": 3,
        "article_title": "十月红",
        "quoted": "快马加鞭下鞍",
        "correction": "快马加鞭未下鞍",
        "explanation": "少了一个“未”字",
        "name": "小飞",
        "contact": "13812345678",
    }
    body.update(overrides)
    return body


def test_a_reader_posts_a_report_without_logging_in_and_gets_a_receipt(client, catalogue, frozen):
    response = post_json(client, f"{API}/reports", report_body(catalogue))
    assert response.status_code == 201, response.content
    data = response.json()
    report = Report.objects.get()
    assert data["receipt"] == report.receipt
    assert (data["status"], data["status_label"], data["round"]) == ("pending", "待评判", "2022-10")
    assert report.article == catalogue.poem and report.channel == "api"


def test_missing_fields_are_named_in_chinese(client, catalogue, frozen):
    response = post_json(
        client, f"{API}/reports", report_body(catalogue, quoted="", name="", page=None)
    )
    assert response.status_code == 422
    detail = {item["field"]: item["message"] for item in response.json()["detail"]}
    assert detail == {
        "quoted": services.MSG_QUOTED_NEEDED,
        "name": services.MSG_NAME_NEEDED_READER,
        "page": services.MSG_PAGE_NEEDED,
    }


def test_an_unknown_issue_is_refused(client, catalogue, frozen):
    response = post_json(client, f"{API}/reports", report_body(catalogue, issue_number=999))
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "issue", "message": services.MSG_ISSUE_UNKNOWN}]


def test_a_report_after_the_deadline_is_refused_saying_when_the_next_round_ends(
    client, catalogue, frozen
):
    body = report_body(
        catalogue, publication="新泾社区报", issue_number=256, page=2, article_title="邻里一家亲"
    )
    response = post_json(client, f"{API}/reports", body)
    assert response.status_code == 422
    message = response.json()["detail"][0]["message"]
    assert message == (
        "该期属于2022年9月的评选，已于2022年10月1日 23:59截止，不再受理。"
        "2022年10月各期的纠错截至2022年11月1日 23:59。"
    )


def test_script_is_stored_as_text_and_returned_escaped_nowhere(
    client, catalogue, frozen, as_user, editor
):
    body = report_body(catalogue, explanation="<script>alert('x')</script>", name="<b>小飞</b>")
    assert post_json(client, f"{API}/reports", body).status_code == 201
    report = Report.objects.get()
    assert report.explanation == "<script>alert('x')</script>"
    page = as_user(editor).get(f"/woodpecker/editor/reports/{report.pk}/")
    html = page.content.decode()
    assert "<script>alert" not in html and "<b>小飞" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;小飞&lt;/b&gt;" in html


def test_a_receipt_shows_the_status_and_no_personal_data(client, catalogue, frozen, editor):
    report = services.report_submit(
        data=services.ReportInput(
            issue_id=catalogue.october.pk,
            page_number=3,
            article_id=catalogue.poem.pk,
            quoted="快马加鞭下鞍",
            correction="快马加鞭未下鞍",
            reader_name="小飞",
            contact="13812345678",
        )
    )
    services.report_judge(actor=editor, report=report, verdict="valid", severity="minor")
    response = client.get(f"{API}/reports/{report.receipt.lower()}")
    assert response.status_code == 200
    assert response.json() == {
        "receipt": report.receipt,
        "status": "valid",
        "status_label": "有效",
        "round": "2022-10",
        "submitted_on": "2022-10-21",
    }
    text = response.content.decode()
    assert "13812345678" not in text and "小飞" not in text and "1381" not in text
    assert client.get(f"{API}/reports/ZM2210-NOSUCH").status_code == 404


def _september_round(catalogue, editor):
    """The SPEC's September 2022: five excellent woodpeckers and 小飞 the best."""
    readers = [
        ("小飞", False, "13900000001", "major", ["八十多位居民", "包了饺子"]),
        ("叶玲珠", False, "13900000002", "major", ["气氛热烈"]),
        ("陈霖源", False, "13900000003", "moderate", ["中秋联欢会"]),
        ("严志彬", False, "13900000004", "moderate", ["社区活动中心"]),
        ("风行天下", True, "fengxing_tx", "minor", ["垃圾分类工作"]),
        ("abbill", True, "abbill@example.com", "minor", ["九月九日上午"]),
    ]
    minute = 0
    for name, is_nickname, contact, severity, quotes in readers:
        for quote in quotes:
            minute += 1
            report = in_september(
                catalogue,
                minute,
                reader_name=name,
                is_nickname=is_nickname,
                contact=contact,
                quoted=quote,
                correction=quote + "（改）",
            )
            services.report_judge(actor=editor, report=report, verdict="valid", severity=severity)
    return catalogue.september_round


SEPTEMBER_2022 = (
    "2022年9月优秀“啄木鸟”:叶玲珠、陈霖源、严志彬、风行天下(昵称)、abbill(昵称)\n"
    "2022年9月最佳“啄木鸟”:小飞"
)


def test_the_awards_give_the_announcement_exactly_in_the_newspapers_form(
    as_user, catalogue, editor
):
    _september_round(catalogue, editor)
    response = as_user(editor).get(f"{API}/rounds/2022-09/awards")
    assert response.status_code == 200
    data = response.json()
    assert data["announcement"] == SEPTEMBER_2022
    assert data["announcement"].encode() == SEPTEMBER_2022.encode()
    assert [w["name"] for w in data["best"]] == ["小飞"]
    assert [(w["name"], w["is_nickname"]) for w in data["excellent"]][-2:] == [
        ("风行天下", True),
        ("abbill", True),
    ]
    assert data["confirmed"] is False
    assert "contact" not in json.dumps(data)


def test_winners_are_public_once_the_awards_are_confirmed(client, catalogue, editor):
    round_ = _september_round(catalogue, editor)
    assert client.get(f"{API}/rounds/2022-09/winners").status_code == 404
    services.round_confirm_awards(actor=editor, round_=round_, now=AFTER_SEPTEMBER)
    response = client.get(f"{API}/rounds/2022-09/winners")
    assert response.status_code == 200
    data = response.json()
    assert data["announcement"] == SEPTEMBER_2022
    assert "13900000001" not in response.content.decode()
    assert client.get(f"{API}/rounds/2022-13/winners").status_code == 404
    assert client.get(f"{API}/rounds/nonsense/winners").status_code == 404


def test_an_editor_judges_through_the_api(as_user, catalogue, editor):
    first = in_september(catalogue, 0, contact="13900000001")
    second = in_september(catalogue, 3, contact="13900000002")
    client = as_user(editor)
    response = post_json(
        client, f"{API}/reports/{first.pk}/judgement", {"verdict": "valid", "severity": "moderate"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["points"]) == ("valid", 2)
    response = post_json(
        client,
        f"{API}/reports/{second.pk}/judgement",
        {"verdict": "duplicate", "duplicate_of": first.pk},
    )
    assert response.json()["duplicate_of"] == first.pk
    response = post_json(client, f"{API}/reports/{second.pk}/judgement", {"verdict": "valid"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "severity", "message": services.MSG_SEVERITY_NEEDED}
    ]
    assert (
        post_json(client, f"{API}/reports/999999/judgement", {"verdict": "invalid"}).status_code
        == 404
    )


def test_an_editor_token_may_judge(client, catalogue, editor):
    report = in_september(catalogue, 0)
    _, token = ApiToken.issue(user=editor)
    response = post_json(
        client,
        f"{API}/reports/{report.pk}/judgement",
        {"verdict": "invalid"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["secretary", "worker_in", "admin"])
def test_other_roles_cannot_judge_or_see_awards(request, as_user, catalogue, persona):
    report = in_september(catalogue, 0)
    client = as_user(request.getfixturevalue(persona))
    response = post_json(client, f"{API}/reports/{report.pk}/judgement", {"verdict": "invalid"})
    assert response.status_code == 403
    assert response.json()["detail"] == services.MSG_NOT_EDITOR
    assert client.get(f"{API}/rounds/2022-09/awards").status_code == 403
    report.refresh_from_db()
    assert report.status == "pending"


def test_anonymous_readers_cannot_judge(client, catalogue):
    report = in_september(catalogue, 0)
    response = post_json(client, f"{API}/reports/{report.pk}/judgement", {"verdict": "invalid"})
    assert response.status_code == 401
    assert client.get(f"{API}/rounds/2022-09/awards").status_code == 401


def test_the_public_endpoint_is_rate_limited_per_client_in_chinese(
    client, catalogue, frozen, settings
):
    settings.WOODPECKER = {
        "RATE_LIMITS": {"report": (3, 3600), "lookup": (60, 600), "parse": (30, 600)}
    }
    codes = [
        post_json(client, f"{API}/reports", report_body(catalogue)).status_code for _ in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    refused = post_json(client, f"{API}/reports", report_body(catalogue))
    assert refused.json()["detail"].startswith("提交过于频繁，请")
    assert int(refused["Retry-After"]) > 0
    other = post_json(client, f"{API}/reports", report_body(catalogue), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201
    spoofed = post_json(
        client, f"{API}/reports", report_body(catalogue), HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert spoofed.status_code == 429  # a forwarded header a client makes up changes nothing
    assert Report.objects.count() == 4


def test_the_limit_holds_across_server_processes(client, catalogue, frozen, settings):
    """gunicorn runs several processes, each with its own memory: the count must not be kept
    there. Emptying the local cache between requests stands for landing on another process."""
    settings.WOODPECKER = {
        "RATE_LIMITS": {"report": (2, 3600), "lookup": (60, 600), "parse": (30, 600)}
    }
    codes = []
    for _ in range(4):
        cache.clear()
        codes.append(post_json(client, f"{API}/reports", report_body(catalogue)).status_code)
    assert codes == [201, 201, 429, 429]
    assert Report.objects.count() == 2


def test_ended_windows_are_swept(client, catalogue, settings, monkeypatch):
    from jinlin.core import throttle
    from jinlin.core.models import RateCounter

    RateCounter.objects.create(key="old", count=9, expires_at=timezone.now() - timedelta(hours=2))
    monkeypatch.setattr(throttle, "SWEEP_ONE_IN", 1)
    client.get(f"{API}/reports/ZM2210-AAAAAA")
    assert not RateCounter.objects.filter(key="old").exists()
    assert RateCounter.objects.count() == 1


def test_receipt_lookups_are_rate_limited(client, catalogue, settings):
    settings.WOODPECKER = {
        "RATE_LIMITS": {"report": (10, 3600), "lookup": (2, 600), "parse": (30, 600)}
    }
    codes = [client.get(f"{API}/reports/ZM2210-AAAAAA").status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_an_oversized_body_is_refused(client, catalogue, frozen):
    body = report_body(catalogue, explanation="很" * 20000)
    response = post_json(client, f"{API}/reports", body)
    assert response.status_code == 413
    assert response.json()["detail"] == "提交内容过长"
    assert not Report.objects.exists()
