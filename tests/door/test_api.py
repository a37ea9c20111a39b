"""The residents' door through the public API: the same services, limits and messages as the
pages, and nothing about residents in any answer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.concerns.models import Channel, Concern, Rating

pytestmark = pytest.mark.django_db

API = "/api/v1/door"


def post_json(url: str, body: dict, **extra):
    return Client().post(url, json.dumps(body), content_type="application/json", **extra)


def test_a_concern_is_raised_followed_and_rated(token, worker_in):
    created = post_json(
        f"{API}/buildings/{token}/concerns",
        {"words": "电梯异响", "room": "301", "phone": "13812345678"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "waiting" and body["building"] == "绿园八村 12号楼"
    assert "13812345678" not in created.content.decode() and "301" not in json.dumps(body)
    concern = Concern.objects.get(receipt=body["receipt"])
    assert concern.channel == Channel.QR_CODE
    url = f"{API}/receipts/{body['receipt']}"
    assert post_json(f"{url}/rating", {"rating": "satisfied"}).status_code == 422
    concern_services.concern_reply(concern=concern, actor=worker_in, reply="已报修")
    concern_services.concern_close(concern=concern, actor=worker_in)
    status = Client().get(url).json()
    assert status["reply"] == "已报修" and status["may_rate"] and status["status"] == "closed"
    rated = post_json(f"{url}/rating", {"rating": Rating.UNSATISFIED, "note": "还响"})
    assert rated.status_code == 200 and rated.json()["status"] == "review"
    again = post_json(f"{url}/rating", {"rating": Rating.SATISFIED})
    assert again.status_code == 422


def test_bad_input_is_422_in_chinese_and_nothing_stored(token):
    for body, message in (
        ({"words": ""}, concern_services.MSG_PUBLIC_WORDS_NEEDED),
        ({"words": "有事", "room": "9999"}, concern_services.MSG_ROOM_UNKNOWN),
        ({"words": "有事", "phone": "abc"}, concern_services.MSG_PHONE_INVALID),
    ):
        response = post_json(f"{API}/buildings/{token}/concerns", body)
        assert response.status_code == 422
        assert response.json()["detail"][0]["message"] == message
    assert post_json(f"{API}/buildings/{token}/concerns", {"words": "a\x00b"}).status_code == 422
    assert not Concern.objects.exists()


def test_unknown_tokens_and_receipts_are_404(organised):
    assert post_json(f"{API}/buildings/nope/concerns", {"words": "有事"}).status_code == 404
    assert Client().get(f"{API}/receipts/ABCDEFGHJKMNPQRS").status_code == 404


def test_floods_get_429(token, settings):
    settings.JINLIN = {**settings.JINLIN, "DOOR_RATE_LIMITS": {"concern": (1, 3600)}}
    url = f"{API}/buildings/{token}/concerns"
    assert post_json(url, {"words": "一"}).status_code == 201
    refused = post_json(url, {"words": "二"})
    assert refused.status_code == 429 and refused.json()["detail"].startswith("提交过于频繁")
    assert int(refused["Retry-After"]) > 0
    assert Concern.objects.count() == 1
