"""Concerns 民声, patrols 巡查 and findings, photos, consultations 三老咨询, the talent pool."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from jinlin.fieldwork.cases import selectors as case_selectors
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.common import services as common_services
from jinlin.fieldwork.concerns import selectors as concern_selectors
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.consultations import services as consultation_services
from jinlin.fieldwork.models import Concern, Finding, FindingPhoto
from jinlin.fieldwork.patrols import services as patrol_services
from jinlin.fieldwork.photos import MSG_NOT_IMAGE, clean_photo
from tests.fieldwork.conftest import TODAY, add_group, jpeg_bytes


def concern_input(**kwargs):
    data = {
        "channel": "phone",
        "scope": "community",
        "subcategory": "property",
        "words": "楼下天天有人乱停车",
    }
    return concern_services.ConcernInput(**{**data, **kwargs})


def test_concern_for_a_resident_takes_the_residents_place(world, worker_in):
    concern = concern_services.concern_record(
        actor=worker_in, data=concern_input(resident_id=world.resident.pk)
    )
    assert (concern.household_id, concern.building_id, concern.compound_id) == (
        world.household_a.pk,
        world.building_a.pk,
        world.compound_a.pk,
    )
    assert not concern.is_anonymous


def test_anonymous_concern_needs_a_compound(world, worker_in):
    with pytest.raises(ValidationError) as refused:
        concern_services.concern_record(actor=worker_in, data=concern_input())
    assert refused.value.message_dict["compound_id"] == [concern_services.MSG_PLACE_NEEDED]
    concern = concern_services.concern_record(
        actor=worker_in, data=concern_input(compound_id=world.compound_a.pk)
    )
    assert concern.is_anonymous


def test_concern_for_a_resident_outside_the_patch_is_refused(world, worker_in):
    with pytest.raises(ValidationError) as refused:
        concern_services.concern_record(
            actor=worker_in, data=concern_input(resident_id=world.resident_b.pk)
        )
    assert refused.value.message_dict["resident_id"] == [common_services.MSG_RESIDENT_OUTSIDE]
    with pytest.raises(ValidationError):
        concern_services.concern_record(
            actor=worker_in, data=concern_input(compound_id=world.compound_b.pk)
        )
    assert Concern.objects.count() == 0


def test_concern_needs_the_words_and_known_categories(world, worker_in):
    with pytest.raises(ValidationError):
        concern_services.concern_record(
            actor=worker_in, data=concern_input(words=" ", compound_id=world.compound_a.pk)
        )
    with pytest.raises(ValidationError):
        concern_services.concern_record(
            actor=worker_in, data=concern_input(channel="wechat", compound_id=world.compound_a.pk)
        )


def test_concerns_are_searchable_by_words_need_and_name(world, worker_in, secretary):
    concern_services.concern_record(
        actor=worker_in, data=concern_input(compound_id=world.compound_a.pk, words="电梯又坏了")
    )
    concern_services.concern_record(
        actor=worker_in,
        data=concern_input(
            resident_id=world.resident.pk,
            words="想找人陪我去医院",
            real_need="就医陪护",
            subcategory="health",
            scope="family",
        ),
    )
    assert [c.words for c in concern_selectors.concern_list(secretary, q="电梯")] == ["电梯又坏了"]
    assert [c.real_need for c in concern_selectors.concern_list(secretary, q="陪护")] == [
        "就医陪护"
    ]
    assert len(concern_selectors.concern_list(secretary, q="张建国")) == 1
    assert len(concern_selectors.concern_list(secretary, subcategory="health")) == 1


# --- patrols and findings ----------------------------------------------------------------------


@pytest.fixture
def patrol(world, worker_in):
    return patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )


def test_patrol_in_the_future_or_outside_the_patch_is_refused(world, worker_in):
    with pytest.raises(ValidationError):
        patrol_services.patrol_record(
            actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        patrol_services.patrol_record(
            actor=worker_in, compound_id=world.compound_b.pk, patrolled_on=TODAY
        )


def test_hazard_needs_a_severity(patrol, worker_in, world):
    with pytest.raises(ValidationError) as refused:
        patrol_services.finding_record(
            patrol=patrol,
            actor=worker_in,
            data=patrol_services.FindingInput(category="flying_lead", place="3楼"),
        )
    assert refused.value.message_dict["severity"] == [patrol_services.MSG_HAZARD_SEVERITY]
    finding = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="flying_lead",
            place="3楼窗口",
            severity="high",
            building_id=world.building_a.pk,
        ),
    )
    assert finding.kind == "hazard"
    assert finding.building_id == world.building_a.pk


def test_facility_needs_its_state(patrol, worker_in):
    with pytest.raises(ValidationError):
        patrol_services.finding_record(
            patrol=patrol,
            actor=worker_in,
            data=patrol_services.FindingInput(category="extinguisher", place="1楼"),
        )
    ok = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="extinguisher", place="1楼", facility_state="ok", severity="high"
        ),
    )
    assert ok.severity == "none"  # a facility in order is no problem
    with pytest.raises(ValidationError):
        patrol_services.finding_record(
            patrol=patrol,
            actor=worker_in,
            data=patrol_services.FindingInput(
                category="lift", place="电梯", facility_state="damaged"
            ),
        )


def test_garbage_sorting_is_per_collection_point_of_the_compound(
    patrol, worker_in, world, secretary
):
    point = patrol_services.collection_point_create(
        actor=worker_in, compound_id=world.compound_a.pk, name="北门投放点"
    )
    elsewhere = patrol_services.collection_point_create(
        actor=secretary, compound_id=world.compound_b.pk, name="西门投放点"
    )
    with pytest.raises(ValidationError):
        patrol_services.finding_record(
            patrol=patrol,
            actor=worker_in,
            data=patrol_services.FindingInput(category="garbage_sorting", place=""),
        )
    with pytest.raises(ValidationError):
        patrol_services.finding_record(
            patrol=patrol,
            actor=worker_in,
            data=patrol_services.FindingInput(
                category="garbage_sorting",
                place="",
                collection_point_id=elsewhere.pk,
                is_up_to_standard=True,
            ),
        )
    bad = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="garbage_sorting",
            place="",
            collection_point_id=point.pk,
            is_up_to_standard=False,
        ),
    )
    assert (bad.place, bad.severity) == ("北门投放点", "low")


def test_finding_with_a_bad_photo_is_refused_whole(patrol, worker_in):
    with pytest.raises(ValidationError):
        patrol_services.finding_record(
            patrol=patrol,
            actor=worker_in,
            data=patrol_services.FindingInput(
                category="stairwell_clutter", place="2楼", severity="low"
            ),
            photos=[jpeg_bytes(), b"%PDF-1.4 not an image"],
        )
    assert Finding.objects.count() == 0
    assert FindingPhoto.objects.count() == 0


def test_photos_are_stored_without_exif_or_gps(patrol, worker_in, media_root):
    finding = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="stairwell_clutter", place="2楼", severity="low"
        ),
        photos=[jpeg_bytes(exif_gps=True)],
    )
    [photo] = finding.photos.all()
    stored = photo.image.path
    assert str(stored).startswith(str(media_root))
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


# --- photos -----------------------------------------------------------------------------------------


def test_clean_photo_strips_exif_and_keeps_pixels():
    source = jpeg_bytes(size=(80, 60), exif_gps=True)
    assert Image.open(io.BytesIO(source)).getexif()
    cleaned = clean_photo(source)
    assert (cleaned.width, cleaned.height) == (80, 60)
    image = Image.open(io.BytesIO(cleaned.content))
    assert not image.getexif()


def test_clean_photo_accepts_png_with_transparency():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert Image.open(io.BytesIO(clean_photo(out.getvalue()).content)).format == "JPEG"


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"GIF89a" + b"\x00" * 20, b"<svg xmlns='http://www.w3.org/2000/svg'/>"]
)
def test_clean_photo_refuses_what_is_not_a_photo(data):
    with pytest.raises(ValidationError):
        clean_photo(data)


def test_clean_photo_refuses_a_gif_even_if_valid():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(ValidationError) as refused:
        clean_photo(out.getvalue())
    assert refused.value.message_dict["photo"] == [MSG_NOT_IMAGE]


def test_clean_photo_refuses_oversized_files(settings):
    settings.JINLIN = {**settings.JINLIN, "PHOTO_MAX_BYTES": 1000}
    with pytest.raises(ValidationError) as refused:
        clean_photo(jpeg_bytes(size=(400, 400)) + b"\x00" * 2000)
    assert "不能超过" in refused.value.message_dict["photo"][0]


def test_clean_photo_downscales_huge_images():
    cleaned = clean_photo(jpeg_bytes(size=(4000, 3000)))
    assert max(cleaned.width, cleaned.height) == 2560


# --- think tank and talents ---------------------------------------------------------------------


def test_consultation_only_with_think_tank_members(world, worker_in):
    data = consultation_services.ConsultationInput(
        veteran_id=world.resident.pk,
        topic="party_work",
        question="楼组党小组怎么划？",
        advice="按楼栋相邻合并",
        asked_on=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        consultation_services.consultation_record(actor=worker_in, data=data)
    assert refused.value.message_dict["veteran_id"] == [consultation_services.MSG_NOT_THINK_TANK]
    add_group(world.resident, "retired_cadre", date(2015, 1, 1))
    item = consultation_services.consultation_record(actor=worker_in, data=data)
    assert item.compound_id == world.compound_a.pk


def test_consultation_can_become_a_case(world, worker_in):
    add_group(world.resident, "model_worker", date(2015, 1, 1))
    item = consultation_services.consultation_record(
        actor=worker_in,
        data=consultation_services.ConsultationInput(
            veteran_id=world.resident.pk,
            topic="community",
            question="非机动车棚怎么管？",
            advice="成立自管小组",
            asked_on=TODAY,
        ),
    )
    case = case_services.case_open(
        actor=worker_in,
        data=case_services.CaseInput(
            title="非机动车棚自管", scope="community", subcategory="property"
        ),
        evidence=[item],
    )
    assert case.evidence.get().consultation == item


def test_talent_pool_search_by_skill(world, worker_in, secretary, worker_out):
    add_group(world.resident, "talent", date(2020, 1, 1), skills=["法律", "调解"])
    add_group(world.resident_b, "talent", date(2020, 1, 1), skills=["维修"])
    assert [row["name"] for row in case_selectors.talents(secretary, skill="法律")] == ["张建国"]
    assert {row["name"] for row in case_selectors.talents(secretary)} == {"张建国", "李秀英"}
    assert case_selectors.talents(worker_out, skill="法律") == []
    assert [row["name"] for row in case_selectors.talents(worker_in, skill="维修")] == []
    assert timezone.localdate() == TODAY
