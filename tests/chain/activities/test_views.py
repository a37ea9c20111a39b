"""The activity pages: the phone form, a building's record, the area's overview."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jinlin.chain.access import member_households
from jinlin.chain.activities import services
from jinlin.chain.activities.models import BuildingActivity
from tests.chain.activities.conftest import TODAY, png_bytes, record
from tests.chain.conftest import invited_member
from tests.conftest import login
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "kind": "hygiene",
        "held_on": TODAY.isoformat(),
        "summary": "楼道大扫除",
        "resident_count": "",
    }
    data.update(overrides)
    return data


def test_form_offers_the_buildings_people_as_boxes(organised, louzu):
    html = login(louzu).get(f"/buildings/{organised.b13.pk}/activities/new/").content.decode()
    for label in ("互助", "卫生", "调解", "新风"):
        assert label in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "陈志强" in html  # a Party member living in 13号楼
    assert "吴桂英（102室）" in html  # a resident of 13号楼
    assert "钱多多" not in html


def test_recording_from_the_page_shows_it_on_the_record(organised, louzu):
    client = login(louzu)
    member = organised.member("陈志强")
    response = client.post(
        f"/buildings/{organised.b13.pk}/activities/new/",
        {
            **form_data(kind="mutual_help", summary="帮吴阿婆修水龙头"),
            "party_members": [member.pk],
            "photos": [SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")],
        },
    )
    assert response.status_code == 302
    assert response.url == f"/buildings/{organised.b13.pk}/activities/"
    activity = BuildingActivity.objects.get()
    assert activity.photos.count() == 1
    html = client.get(response.url).content.decode()
    assert "帮吴阿婆修水龙头" in html and "互助" in html and "陈志强" in html
    photo_id = activity.photos.get().pk
    assert f"/activities/photos/{photo_id}/" in html
    photo = client.get(f"/activities/photos/{photo_id}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form_data(kind=""), services.MSG_KIND),
        (form_data(held_on=""), services.MSG_DATE_REQUIRED),
        (
            form_data(held_on=(TODAY + timedelta(days=1)).isoformat()),
            services.MSG_DATE_FUTURE,
        ),
        (
            form_data(held_on=(TODAY - timedelta(days=400)).isoformat()),
            services.MSG_DATE_OLD,
        ),
        (form_data(summary=""), services.MSG_SUMMARY_REQUIRED),
        (form_data(resident_count="-3"), services.MSG_COUNT),
        ({**form_data(), "residents": ["999999"]}, services.MSG_RESIDENT_OUTSIDE),
    ],
)
def test_bad_input_is_422_with_its_message_and_nothing_stored(organised, louzu, data, message):
    response = login(louzu).post(f"/buildings/{organised.b13.pk}/activities/new/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not BuildingActivity.objects.exists()


def test_a_non_image_is_refused_on_the_page(organised, louzu):
    response = login(louzu).post(
        f"/buildings/{organised.b13.pk}/activities/new/",
        {**form_data(), "photos": [SimpleUploadedFile("x.png", b"MZ not an image")]},
    )
    assert response.status_code == 422
    assert "只能上传照片" in response.content.decode()
    assert not BuildingActivity.objects.exists()


def test_mediation_names_only_for_staff_and_recorder(organised, louzu, group_leader, worker_in):
    party_resident = organised.households["13-102"].residents.get()
    record(
        louzu,
        organised.b13,
        kind="mediation",
        summary="调解楼上漏水",
        resident_ids=[party_resident.pk],
    )
    path = f"/buildings/{organised.b13.pk}/activities/"
    assert "吴桂英" in login(louzu).get(path).content.decode()
    assert "吴桂英" in login(worker_in).get(path).content.decode()
    hidden = login(group_leader).get(path).content.decode()
    assert "吴桂英" not in hidden and "调解当事人姓名不公开" in hidden


def test_withdrawing_from_the_page(organised, louzu, group_leader):
    activity = record(louzu, organised.b13)
    path = f"/activities/{activity.pk}/withdraw/"
    assert login(group_leader).post(path, {"reason": "不是我记的"}).status_code == 404
    client = login(louzu)
    response = client.post(path, {"reason": ""})
    assert response.status_code == 302
    assert BuildingActivity.objects.get().withdrawn_at is None
    client.post(path, {"reason": "记重复了"})
    assert BuildingActivity.objects.get().withdraw_reason == "记重复了"
    html = client.get(f"/buildings/{organised.b13.pk}/activities/").content.decode()
    assert "已撤回" in html and "记重复了" in html


def test_area_overview_shows_active_and_quiet_by_compound(
    organised, secretary, louzu, django_assert_num_queries
):
    record(louzu, organised.b13, kind="hygiene")
    record(louzu, organised.b13, kind="mutual_help", held_on=TODAY - timedelta(days=200))
    client = login(secretary)
    path = f"/areas/{organised.world.area.pk}/activities/"
    client.get(path)
    # session, user, area, activities, buildings; the session is not written again within a
    # minute (core.middleware.RollingSessionMiddleware)
    with django_assert_num_queries(5):
        response = client.get(path)
    html = response.content.decode()
    assert "文明楼组评议参考" in html
    assert 'class="act-row-active"' in html and 'class="act-row-quiet"' in html
    assert "绿园八村" in html and "绿园九村" in html


def test_branch_secretary_sees_its_branch_only(organised, branch_secretary, outside):
    building, _ = outside
    html = login(branch_secretary).get(f"/areas/{organised.world.area.pk}/activities/").content
    assert f'id="building-{organised.b12.pk}"' in html.decode()
    assert f'id="building-{building.pk}"' not in html.decode()


def test_building_record_query_count_does_not_grow(organised, louzu, django_assert_max_num_queries):
    client = login(louzu)
    path = f"/buildings/{organised.b13.pk}/activities/"
    record(louzu, organised.b13, photos=[png_bytes()])
    with django_assert_max_num_queries(30) as few:
        client.get(path)
    for _ in range(5):
        record(
            louzu,
            organised.b13,
            photos=[png_bytes()],
            party_member_ids=[organised.member("陈志强").pk],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(path)


def test_links_from_member_home_building_page_and_notices(organised, louzu, secretary):
    assert f"/buildings/{organised.b13.pk}/activities/" in login(louzu).get("/me/").content.decode()
    staff = login(secretary)
    page = staff.get(f"/buildings/{organised.b13.pk}/").content.decode()
    assert f"/buildings/{organised.b13.pk}/activities/" in page
    notices = staff.get(f"/areas/{organised.world.area.pk}/notices/").content.decode()
    assert f"/areas/{organised.world.area.pk}/activities/" in notices


def test_a_party_member_is_offered_only_the_residents_of_its_own_households(organised, secretary):
    account = invited_member(organised.member("陈志强"), secretary).account
    own = set(member_households(account).values_list("id", flat=True))
    building = organised.b13
    others = [h for h in building.households.all() if h.pk not in own]
    assert others, "the test needs a household of 13号楼 the member does not contact"
    stranger = ResidentFactory(household=others[0], name="隔壁的人")
    html = login(account).get(f"/buildings/{building.pk}/activities/new/").content.decode()
    assert stranger.name not in html
