"""紧急联系人 (issue 12): relatives or neighbours outside the household, with history, soft
removal, masked phones, audited looks; first on a living-alone elder's visit page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jinlin.core.idnumber import MSG_PHONE
from jinlin.core.models import AuditEvent, Role
from jinlin.people import services
from jinlin.people.models import EmergencyContact
from tests.conftest import login
from tests.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def daughter(world, worker_in):
    return services.emergency_contact_add(
        resident=world.resident,
        actor=worker_in,
        name="张丽",
        relation="child",
        phone="139 1234 5678",
        holds_key=True,
        note="住5号楼",
    )


def _api(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


# --- service ---------------------------------------------------------------------------------


def test_a_contact_is_stored_with_a_normalised_phone_and_who_added_it(daughter, worker_in):
    assert daughter.phone == "13912345678"
    assert daughter.created_by == worker_in
    assert daughter.history.first().history_user == worker_in


@pytest.mark.parametrize("phone", ["12345", "2345678901234", "电话", ""])
def test_a_bad_phone_is_refused_and_nothing_is_written(world, worker_in, phone):
    with pytest.raises(ValidationError) as refused:
        services.emergency_contact_add(
            resident=world.resident, actor=worker_in, name="张丽", relation="child", phone=phone
        )
    assert "phone" in refused.value.message_dict
    assert not EmergencyContact.objects.exists()


def test_a_landline_with_its_area_code_is_accepted(world, worker_in):
    contact = services.emergency_contact_add(
        resident=world.resident,
        actor=worker_in,
        name="王阿姨",
        relation="neighbour",
        phone="021-62345678",
    )
    assert contact.phone == "021-62345678"


def test_an_update_keeps_the_old_value_in_history(daughter, secretary):
    services.emergency_contact_update(contact=daughter, actor=secretary, phone="13700001111")
    daughter.refresh_from_db()
    assert daughter.phone == "13700001111"
    assert [h.phone for h in daughter.history.order_by("history_date")] == [
        "13912345678",
        "13700001111",
    ]


def test_removal_keeps_the_row_with_who_and_when(daughter, secretary):
    services.emergency_contact_remove(contact=daughter, actor=secretary)
    daughter.refresh_from_db()
    assert daughter.removed_by == secretary and daughter.removed_at is not None
    assert not EmergencyContact.objects.active().exists()
    with pytest.raises(ValidationError):
        services.emergency_contact_remove(contact=daughter, actor=secretary)
    with pytest.raises(PermissionDenied):
        daughter.delete()
    with pytest.raises(PermissionDenied):
        EmergencyContact.objects.all().delete()


def test_a_resident_gone_takes_no_new_contact(world, worker_in):
    services.resident_leave(
        resident=world.resident, actor=worker_in, status="deceased", on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.emergency_contact_add(
            resident=world.resident,
            actor=worker_in,
            name="张丽",
            relation="child",
            phone="13912345678",
        )


# --- API -------------------------------------------------------------------------------------


def test_api_lists_contacts_with_masked_phones(daughter, world, worker_in):
    answer = login(worker_in).get(f"/api/v1/residents/{world.resident.pk}/emergency-contacts")
    assert answer.status_code == 200
    [row] = answer.json()
    assert row["phone"] == "139****5678"
    assert row["holds_key"] is True and row["relation"] == "child"
    assert "13912345678" not in answer.content.decode()


def test_api_worker_outside_patch_gets_404(daughter, world, worker_out):
    client = login(worker_out)
    base = f"/api/v1/residents/{world.resident.pk}/emergency-contacts"
    assert client.get(base).status_code == 404
    body = {"name": "李四", "relation": "friend", "phone": "13912345679"}
    assert _api(client, "post", base, body).status_code == 404
    assert _api(client, "patch", f"{base}/{daughter.pk}", {"note": "x"}).status_code == 404
    assert _api(client, "post", f"{base}/{daughter.pk}/remove").status_code == 404
    assert EmergencyContact.objects.count() == 1
    assert EmergencyContact.objects.get().note == "住5号楼"


def test_api_contact_of_another_resident_is_404(daughter, world, secretary):
    other = f"/api/v1/residents/{world.resident_b.pk}/emergency-contacts/{daughter.pk}"
    assert _api(login(secretary), "patch", other, {"note": "x"}).status_code == 404


def test_api_creates_updates_and_removes(world, worker_in):
    client = login(worker_in)
    base = f"/api/v1/residents/{world.resident.pk}/emergency-contacts"
    created = _api(
        client,
        "post",
        base,
        {"name": "王阿姨", "relation": "neighbour", "phone": "13812340000", "holds_key": True},
    )
    assert created.status_code == 201, created.content
    assert created.json()["phone"] == "138****0000"
    contact_id = created.json()["id"]
    patched = _api(client, "patch", f"{base}/{contact_id}", {"note": "白天在家"})
    assert patched.json()["note"] == "白天在家"
    removed = _api(client, "post", f"{base}/{contact_id}/remove")
    assert removed.json()["removed_at"]
    assert client.get(base).json() == []
    assert len(client.get(base, {"include_removed": "true"}).json()) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"name": "王阿姨", "relation": "neighbour", "phone": "12345"},
        {"name": "", "relation": "neighbour", "phone": "13812340000"},
        {"name": "王阿姨", "relation": "cousin", "phone": "13812340000"},
        {"name": "王阿姨", "relation": "neighbour"},
    ],
)
def test_api_bad_input_is_422_with_a_message_and_changes_nothing(world, worker_in, body):
    answer = _api(
        login(worker_in), "post", f"/api/v1/residents/{world.resident.pk}/emergency-contacts", body
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["message"]
    assert not EmergencyContact.objects.exists()


def test_api_bad_phone_in_a_patch_is_422_and_keeps_the_old_one(daughter, world, worker_in):
    url = f"/api/v1/residents/{world.resident.pk}/emergency-contacts/{daughter.pk}"
    answer = _api(login(worker_in), "patch", url, {"phone": "110"})
    assert answer.status_code == 422
    assert answer.json()["detail"] == [{"field": "phone", "message": MSG_PHONE}]
    daughter.refresh_from_db()
    assert daughter.phone == "13912345678"


def test_api_ids_out_of_range_are_422(world, worker_in):
    answer = login(worker_in).get(f"/api/v1/residents/{2**64}/emergency-contacts")
    assert answer.status_code == 422


def test_api_unmask_is_audited_and_refused_to_an_editor(daughter, world, worker_in, editor):
    url = f"/api/v1/residents/{world.resident.pk}/emergency-contacts/{daughter.pk}/unmask"
    answer = _api(login(worker_in), "post", url, {"reason": "老人未应门"})
    assert answer.json() == {"phone": "13912345678"}
    event = AuditEvent.objects.get(action="unmask")
    assert event.fields == ["emergency_contact_phone"] and event.object_id == str(world.resident.pk)
    assert _api(login(editor), "post", url, {"reason": "x"}).status_code == 404


# --- pages -----------------------------------------------------------------------------------


def test_resident_page_lists_contacts_masked(daughter, world, worker_in):
    page = login(worker_in).get(f"/residents/{world.resident.pk}/").content.decode()
    assert "紧急联系人" in page and "张丽" in page and "持有钥匙" in page
    assert "139****5678" in page
    assert "13912345678" not in page


def test_form_adds_a_contact(world, worker_in):
    client = login(worker_in)
    answer = client.post(
        f"/residents/{world.resident.pk}/emergency-contacts/new/",
        {"name": "王阿姨", "relation": "neighbour", "phone": "13812340000", "holds_key": "on"},
    )
    assert answer.status_code == 302
    contact = EmergencyContact.objects.get()
    assert contact.holds_key and contact.created_by == worker_in


def test_form_refuses_a_bad_phone_in_chinese_and_adds_nothing(world, worker_in):
    answer = login(worker_in).post(
        f"/residents/{world.resident.pk}/emergency-contacts/new/",
        {"name": "王阿姨", "relation": "neighbour", "phone": "12345"},
    )
    assert answer.status_code == 200
    assert MSG_PHONE in answer.content.decode()
    assert not EmergencyContact.objects.exists()


def test_opening_the_edit_form_is_an_audited_look(daughter, world, worker_in):
    client = login(worker_in)
    page = client.get(f"/residents/{world.resident.pk}/emergency-contacts/{daughter.pk}/edit/")
    assert "13912345678" in page.content.decode()
    assert AuditEvent.objects.filter(action="unmask", fields=["emergency_contact_phone"]).exists()
    client.post(
        f"/residents/{world.resident.pk}/emergency-contacts/{daughter.pk}/edit/",
        {"name": "张丽", "relation": "child", "phone": "13700001111"},
    )
    daughter.refresh_from_db()
    assert daughter.phone == "13700001111" and daughter.holds_key is False


def test_remove_button_soft_removes(daughter, world, worker_in):
    client = login(worker_in)
    client.post(f"/residents/{world.resident.pk}/emergency-contacts/{daughter.pk}/remove/")
    daughter.refresh_from_db()
    assert daughter.removed_at is not None
    page = client.get(f"/residents/{world.resident.pk}/").content.decode()
    assert "张丽" not in page.split('id="emergency-contacts"')[1].split("</section>")[0]


def test_pages_outside_patch_are_404(daughter, world, worker_out):
    client = login(worker_out)
    base = f"/residents/{world.resident.pk}/emergency-contacts"
    assert client.get(f"{base}/new/").status_code == 404
    assert client.get(f"{base}/{daughter.pk}/edit/").status_code == 404
    assert client.post(f"{base}/{daughter.pk}/remove/").status_code == 404
    assert client.post(f"{base}/{daughter.pk}/unmask/", {"reason": "x"}).status_code == 404
    daughter.refresh_from_db()
    assert daughter.removed_at is None


def test_unmask_on_the_page_shows_a_tel_link_and_is_audited(daughter, world, worker_in):
    answer = login(worker_in).post(
        f"/residents/{world.resident.pk}/emergency-contacts/{daughter.pk}/unmask/",
        {"reason": "核对"},
    )
    assert 'href="tel:13912345678"' in answer.content.decode()
    assert AuditEvent.objects.filter(action="unmask", reason="核对").count() == 1


def test_visit_page_of_a_living_alone_elder_shows_contacts_first(daughter, world, worker_in):
    page = login(worker_in).get(f"/visits/new/?household={world.household_a.pk}").content.decode()
    assert page.index('id="emergency-contacts"') < page.index("保存走访")
    assert 'href="tel:13912345678"' in page
    assert AuditEvent.objects.filter(
        action="unmask", object_id=str(world.resident.pk), fields=["emergency_contact_phone"]
    ).exists()


def test_visit_page_of_a_household_not_living_alone_has_no_contacts_card(world, worker_out):
    ResidentFactory(household=world.household_b, name="李小明", birth_date=date(1990, 5, 5))
    page = login(worker_out).get(f"/visits/new/?household={world.household_b.pk}").content.decode()
    assert 'id="emergency-contacts"' not in page


def test_visit_page_masks_phones_for_a_role_that_may_not_see_them(daughter, world, monkeypatch):
    from jinlin.core import access

    monkeypatch.setitem(access.UNMASK_POLICY, Role.WORKER, frozenset())
    worker = UserFactory(username="shegong_nophone", role=Role.WORKER, area=world.area)
    worker.patch_compounds.set([world.compound_a])
    page = login(worker).get(f"/visits/new/?household={world.household_a.pk}").content.decode()
    assert "139****5678" in page and "tel:" not in page
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_visit_page_of_a_living_alone_elder_without_contacts_offers_to_add_one(world, worker_in):
    page = login(worker_in).get(f"/visits/new/?household={world.household_a.pk}").content.decode()
    assert "尚未登记紧急联系人" in page
    assert f'href="/residents/{world.resident.pk}/emergency-contacts/new/"' in page
