"""The residents' door: a building's public page shows whom to turn to and nothing about
residents; the concern form refuses hostile input in Chinese and stores nothing; floods get 429;
the receipt shows the reply and takes the rating."""

from __future__ import annotations

import pytest
from django.test import Client

from jinlin.core.models import AuditEvent, RateCounter
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.concerns.models import Channel, Concern, Rating
from jinlin.places.services import MSG_ROTATE_NOT_ALLOWED, building_rotate_public_token
from tests.fieldwork.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def post(url: str, data: dict, **extra) -> object:
    return Client().post(url, data, **extra)


def test_unknown_token_is_404(organised):
    assert Client().get("/b/nope/").status_code == 404
    assert Client().get("/b/" + "x" * 40 + "/").status_code == 404
    assert Client().get("/b/abcdefgh%00ijk/").status_code == 404
    assert Client().get("/r/ABCD%00EFGH/").status_code == 404


def test_page_shows_placard_people_with_consented_phones_only(page_url):
    response = Client().get(page_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "绿园八村 12号楼" in html
    for name in ("张建国", "王志刚", "赵丽华"):
        assert name in html
    assert "13812345678" in html  # 张建国 consented
    assert "13900001111" not in html and "13900002222" not in html
    assert "我有事要说" in html


def test_page_shows_nothing_about_residents(organised, page_url):
    html = Client().get(page_url).content.decode()
    for name in ("吴桂英", "黄美玲", "李秀英", "王小明"):  # residents who are not its contacts
        assert name not in html
    assert "13998765432" not in html
    assert "302" not in html and "401" not in html  # not even the rooms members contact


def test_public_notices_addressed_to_the_building_only(organised, page_url, secretary):
    from jinlin.chain.models import Notice

    whole = Notice.objects.create(
        area=organised.world.area, title="全区停水", body="周五停水", is_public=True
    )
    private = Notice.objects.create(
        area=organised.world.area, title="内部通知", body="党员会", is_public=False
    )
    elsewhere = Notice.objects.create(
        area=organised.world.area, title="13号楼电梯维修", body="电梯", is_public=True
    )
    elsewhere.buildings.set([organised.b13])
    html = Client().get(page_url).content.decode()
    assert whole.title in html
    assert private.title not in html and elsewhere.title not in html


def test_rotating_the_token_retires_the_old_page(organised, token, secretary, worker_in):
    with pytest.raises(Exception, match=MSG_ROTATE_NOT_ALLOWED):
        building_rotate_public_token(building=organised.b12, actor=worker_in)
    new = building_rotate_public_token(building=organised.b12, actor=secretary)
    assert new != token
    assert Client().get(f"/b/{token}/").status_code == 404
    assert Client().get(f"/b/{new}/").status_code == 200
    assert AuditEvent.objects.filter(object_type="building", reason="更换楼组公开页二维码").exists()


def test_a_concern_lands_in_listen_with_a_receipt(organised, page_url, worker_in):
    response = post(
        page_url,
        {"words": "楼道灯坏了一星期", "room": "301室", "phone": "138 1234 5678"},
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert response["Location"] == f"/r/{concern.receipt}/"
    assert concern.channel == Channel.QR_CODE and concern.recorded_by is None
    assert concern.building == organised.b12 and concern.household.room == "301"
    assert concern.callback_phone == "13812345678"
    assert len(concern.receipt) == 16
    receipt = Client().get(response["Location"]).content.decode()
    assert "楼道灯坏了一星期" in receipt and "待回复" in receipt
    assert "13812345678" not in receipt
    # on the patch worker's 今日
    from jinlin.fieldwork.summary.selectors import today

    assert concern.pk in [line.pk for line in today(worker_in).concerns]


def test_a_concern_with_a_photo(organised, page_url):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.jpg", jpeg_bytes(exif_gps=True), content_type="image/jpeg")
    assert post(page_url, {"words": "垃圾堆在楼下", "photo": photo}).status_code == 302
    concern = Concern.objects.get()
    assert concern.photo.name.endswith(".jpg")
    assert b"GPS" not in concern.photo.read()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"words": ""}, concern_services.MSG_PUBLIC_WORDS_NEEDED),
        ({"words": "啊" * 1001}, concern_services.MSG_PUBLIC_WORDS_TOO_LONG),
        ({"words": "有事", "room": "9999"}, concern_services.MSG_ROOM_UNKNOWN),
        ({"words": "有事", "room": "101"}, concern_services.MSG_ROOM_UNKNOWN),  # 13号楼's room
        ({"words": "有事", "phone": "12345"}, concern_services.MSG_PHONE_INVALID),
        ({"words": "<script>alert(1)</script>", "phone": "'; drop table"}, None),
        ({"words": "x" * 5000}, None),
    ],
)
def test_hostile_input_gets_a_chinese_message_and_nothing_stored(page_url, data, message):
    response = post(page_url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message is None or message in html
    assert "<script>alert(1)</script>" not in html
    assert not Concern.objects.exists()


def test_a_bad_photo_stores_nothing(page_url):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg")
    response = post(page_url, {"words": "有事", "photo": fake})
    assert response.status_code == 422 and "只能上传照片" in response.content.decode()
    assert not Concern.objects.exists()


def test_the_honeypot_looks_accepted_and_stores_nothing(page_url):
    response = post(page_url, {"words": "buy now", "website": "http://spam"})
    assert response.status_code == 200 and "已收到" in response.content.decode()
    assert not Concern.objects.exists()


def test_floods_get_429_in_chinese(page_url, settings):
    settings.JINLIN = {**settings.JINLIN, "DOOR_RATE_LIMITS": {"concern": (2, 3600)}}
    codes = [post(page_url, {"words": f"第{i}件事"}).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    refused = post(page_url, {"words": "再来"})
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert Concern.objects.count() == 2
    assert RateCounter.objects.filter(key__startswith="rate:door:concern:").exists()
    other = post(page_url, {"words": "邻居的事"}, REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 302


def raise_one(organised) -> Concern:
    return concern_services.concern_raise_public(building=organised.b12, words="电梯异响")


def test_reply_shows_under_the_receipt_and_rating_reopens(organised, worker_in, secretary):
    concern = raise_one(organised)
    url = f"/r/{concern.receipt}/"
    assert "群众评单" not in Client().get(url).content.decode()  # not closed yet
    concern_services.concern_reply(concern=concern, actor=worker_in, reply="已报修，周三来修")
    html = Client().get(url).content.decode()
    assert "已报修，周三来修" in html and "已回复" in html
    assert post(url, {"rating": "satisfied"}).status_code == 422  # not closed yet
    concern_services.concern_close(concern=concern, actor=worker_in)
    assert "群众评单" in Client().get(url).content.decode()
    bad = post(url, {"rating": "great"})
    assert bad.status_code == 422
    response = post(url, {"rating": Rating.UNSATISFIED, "note": "还是响"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.rating == Rating.UNSATISFIED and concern.rating_note == "还是响"
    assert concern.closed_at is None and concern.needs_secretary_review
    assert "书记复核中" in Client().get(url).content.decode()
    # the worker cannot close it again: the secretary looks first
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        concern_services.concern_close(concern=concern, actor=worker_in)
    concern_services.concern_close(concern=concern, actor=secretary)
    concern.refresh_from_db()
    assert not concern.needs_secretary_review and concern.rating == ""
    assert post(url, {"rating": Rating.SATISFIED}).status_code == 302
    concern.refresh_from_db()
    assert concern.rating == Rating.SATISFIED
    assert post(url, {"rating": Rating.SATISFIED}).status_code == 422  # once


def test_a_closed_case_it_joined_opens_the_rating(organised, worker_in):
    from jinlin.fieldwork.cases import services as case_services

    concern = raise_one(organised)
    case = case_services.case_open(
        actor=worker_in,
        data=case_services.CaseInput(title="电梯异响", scope="community", subcategory="facilities"),
        evidence=[concern],
    )
    case.closed_at = case.opened_at
    case.root_cause = "电梯老化"
    case.save()
    html = Client().get(f"/r/{concern.receipt}/").content.decode()
    assert "已办结" in html and "群众评单" in html


def test_a_receipt_typed_by_hand_finds_its_page(organised, page_url):
    concern = raise_one(organised)
    typed = " ".join(concern.receipt[i : i + 4] for i in range(0, 16, 4)).lower()
    response = Client().get("/r/", {"number": typed})
    assert response.status_code == 302 and response["Location"] == f"/r/{concern.receipt}/"
    assert Client().get("/r/", {"number": " "}).status_code == 404
    assert "查看回复" in Client().get(page_url).content.decode()


def test_unknown_receipt_is_404(organised):
    assert Client().get("/r/ABCDEFGHJKMNPQRS/").status_code == 404


def test_the_page_query_count_does_not_grow(organised, token, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jinlin.chain.models import Notice
    from tests.party.conftest import member_in

    url = f"/b/{token}/"
    Notice.objects.create(area=organised.world.area, title="全区", body="内容", is_public=True)
    Client().get(url)  # the demo banner's check is cached after the first page
    with CaptureQueriesContext(connection) as first:
        assert Client().get(url).status_code == 200
    for n in range(5):
        notice = Notice.objects.create(
            area=organised.world.area, title=f"通知{n}", body="内容", is_public=True
        )
        notice.buildings.set([organised.b12])
    member_in(organised.households["12-302"], "新党员", phone="13900009999")
    with django_assert_num_queries(len(first.captured_queries)):
        assert Client().get(url).status_code == 200
