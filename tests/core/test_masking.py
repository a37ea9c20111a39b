"""Sensitive fields are masked by default; whole values only on request, each look audited."""

from jinlin.core.models import AuditEvent, Role
from tests.conftest import login
from tests.factories import UserFactory


def test_api_masks_id_and_phone_and_hides_health(world, secretary):
    row = login(secretary).get(f"/api/v1/residents/{world.resident.pk}").json()
    assert (
        row["id_number"]
        == world.resident.id_number[:6] + "********" + world.resident.id_number[-4:]
    )
    assert row["phone"] == "138****5678"
    assert row["health"] == "已隐藏"


def test_list_api_masks_too(world, secretary):
    rows = login(secretary).get("/api/v1/residents").json()
    assert rows and all("****" in row["phone"] for row in rows)
    assert all(world.resident.id_number != row["id_number"] for row in rows)


def test_a_list_line_is_the_residents_own_answer_without_groups(world, secretary):
    """The list reads its lines as values, the single answer from the record: they agree."""
    client = login(secretary)
    rows = client.get("/api/v1/residents").json()
    assert rows
    for row in rows:
        own = client.get(f"/api/v1/residents/{row['id']}").json()
        assert row == {**own, "groups": []}
    assert world.resident.pk in {row["id"] for row in rows}


def test_profile_page_shows_masked_values_only(world, secretary):
    html = login(secretary).get(f"/residents/{world.resident.pk}/").content.decode()
    assert world.resident.id_number not in html
    assert "13812345678" not in html
    assert "138****5678" in html


def test_unmask_returns_the_whole_value_and_writes_an_audit_record(world, secretary):
    client = login(secretary)
    response = client.post(
        f"/api/v1/residents/{world.resident.pk}/unmask",
        {"fields": ["id_number", "phone"], "reason": "入户核实身份"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"id_number": world.resident.id_number, "phone": "13812345678"}
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNMASK)
    assert (event.actor, event.object_id, event.fields, event.reason) == (
        secretary,
        str(world.resident.pk),
        ["id_number", "phone"],
        "入户核实身份",
    )


def test_unmask_without_reason_is_refused_and_not_audited(world, secretary):
    response = login(secretary).post(
        f"/residents/{world.resident.pk}/unmask/", {"field": "id_number", "reason": ""}
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UNMASK).exists()


def test_unmask_from_the_page_shows_the_value(world, worker_in):
    response = login(worker_in).post(
        f"/residents/{world.resident.pk}/unmask/", {"field": "phone", "reason": "电话回访"}
    )
    assert response.status_code == 200
    assert '<a href="tel:13812345678">13812345678</a>' in response.content.decode()  # one tap
    assert AuditEvent.objects.filter(action="unmask", actor=worker_in).count() == 1


def test_group_leader_may_see_a_phone_but_not_an_id_number(world):
    from jinlin.party.models import PartyOrganisation

    group = PartyOrganisation.objects.create(area=world.area, level="group", name="党小组")
    group.buildings.set([world.building_a])
    leader = UserFactory(role=Role.GROUP_LEADER, party_organisation=group)
    client = login(leader)
    url = f"/api/v1/residents/{world.resident.pk}/unmask"
    refused = client.post(
        url, {"fields": ["id_number"], "reason": "联系"}, content_type="application/json"
    )
    assert refused.status_code == 403
    allowed = client.post(
        url, {"fields": ["phone"], "reason": "联系"}, content_type="application/json"
    )
    assert allowed.json() == {"phone": "13812345678"}


def test_sensitive_group_list_is_audited(world, secretary):
    from jinlin.people import services

    services.group_add_manual(
        resident=world.resident, actor=secretary, group="hardship", reason="低保"
    )
    response = login(secretary).get(f"/areas/{world.area.pk}/groups/hardship/")
    assert response.status_code == 200 and "张建国" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_SENSITIVE, object_id="hardship"
    ).exists()


def _sensitive_views(group: str) -> list[list[str]]:
    return [
        event.fields
        for event in AuditEvent.objects.filter(
            action=AuditEvent.Action.VIEW_SENSITIVE, object_id=group
        ).order_by("id")
    ]


def test_every_way_of_listing_a_sensitive_group_is_audited_alike(world, secretary, worker_in):
    """The probe: the page wrote view_sensitive, the API with ?group=hardship wrote nothing."""
    from jinlin.people import exporting, services

    services.group_add_manual(
        resident=world.resident, actor=secretary, group="serious_illness", reason="化疗"
    )
    client = login(worker_in)
    api = client.get("/api/v1/residents", {"group": "serious_illness", "area_id": world.area.pk})
    assert [row["name"] for row in api.json()] == ["张建国"]
    page = client.get(f"/areas/{world.area.pk}/groups/serious_illness/")
    assert "张建国" in page.content.decode()
    selection = exporting.select(worker_in, area_id=world.area.pk, group="serious_illness")
    exporting.export_residents(user=worker_in, selection=selection)
    assert _sensitive_views("serious_illness") == [
        ["count:1", "via:api"],
        ["count:1", "via:page"],
        ["count:1", "via:export"],
    ]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_SENSITIVE).first()
    assert (event.actor, event.area_id) == (worker_in, world.area.pk)


def test_listing_a_group_that_is_not_sensitive_leaves_no_view_sensitive_record(world, secretary):
    from jinlin.people import services

    services.group_add_manual(
        resident=world.resident, actor=secretary, group="model_worker", reason="劳模"
    )
    answer = login(secretary).get("/api/v1/residents", {"group": "model_worker"})
    assert [row["name"] for row in answer.json()] == ["张建国"]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_SENSITIVE).exists()


def test_a_role_that_may_not_see_sensitive_groups_gets_no_list_and_no_record(world, secretary):
    from jinlin.people import services

    services.group_add_manual(
        resident=world.resident, actor=secretary, group="hardship", reason="低保"
    )
    branch = UserFactory(role=Role.BRANCH_SECRETARY, area=world.area)
    branch.patch_compounds.set([world.compound_a])
    assert login(branch).get("/api/v1/residents", {"group": "hardship"}).json() == []
    assert login(branch).get(f"/areas/{world.area.pk}/groups/hardship/").status_code == 404
    assert _sensitive_views("hardship") == []


def test_the_profile_shows_the_birth_year_only_as_the_masked_id_hides_the_day(world):
    """The probe: 310110********8241 beside 1971年2月9日 gave back the whole number."""
    branch = UserFactory(role=Role.BRANCH_SECRETARY, area=world.area)
    branch.patch_compounds.set([world.compound_a])
    page = login(branch).get(f"/residents/{world.resident.pk}/").content.decode()
    assert "1950年" in page
    assert "1950年3月2日" not in page and "03-02" not in page and "0302" not in page


def test_the_admin_neither_filters_on_nor_shows_masked_fields(world, secretary):
    """The probe: ?id_number__startswith=… counted matches, and the change page showed phones."""
    from jinlin.people import services

    secretary.is_staff = True
    secretary.save()
    services.group_add_manual(
        resident=world.resident, actor=secretary, group="hardship", reason="低保"
    )
    client = login(secretary)
    prefix = world.resident.id_number[:12]
    for lookup in (
        f"id_number__startswith={prefix}",
        "phone__startswith=1381",
        "birth_date=1950-03-02",
        "health__exact=good",
    ):
        assert client.get(f"/admin/people/resident/?{lookup}").status_code == 400
    change = client.get(f"/admin/people/resident/{world.resident.pk}/change/")
    assert change.status_code == 200
    assert "13812345678" not in change.content.decode()
    members = client.get("/admin/people/groupmembership/?group__exact=hardship")
    assert "张建国" not in members.content.decode()


def test_opening_the_edit_form_is_an_audited_look_at_the_whole_values(world, worker_in):
    """The probe: the form is filled with the whole ID number and phone, and nothing was written."""
    page = login(worker_in).get(f"/residents/{world.resident.pk}/edit/")
    assert world.resident.id_number in page.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNMASK, actor=worker_in)
    assert (event.object_id, event.fields, event.reason) == (
        str(world.resident.pk),
        ["id_number", "phone", "health"],
        "打开修改表单",
    )
