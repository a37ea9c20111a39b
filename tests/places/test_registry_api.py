"""Bad input to the registry is refused with a clear message and changes nothing."""

from datetime import date

from jinlin.core.idnumber import make_id_number
from jinlin.people.models import Resident
from jinlin.places.models import BuildingAdjacency, Household
from tests.conftest import login
from tests.factories import BuildingFactory


def post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def resident_payload(world, **overrides):
    payload = {
        "household_id": world.household_a.pk,
        "name": "赵美华",
        "id_number": make_id_number("310105", date(1958, 4, 12), 7, "F"),
        "phone": "13900001111",
    }
    payload.update(overrides)
    return payload


def messages(response):
    return {item["field"]: item["message"] for item in response.json()["detail"]}


def test_valid_resident_is_created_with_birth_date_and_gender_from_the_id(world, secretary):
    response = post(login(secretary), "/api/v1/residents", resident_payload(world))
    assert response.status_code == 201
    created = Resident.objects.get(name="赵美华")
    assert (created.birth_date, created.gender) == (date(1958, 4, 12), "F")
    assert response.json()["phone"] == "139****1111"


def test_wrong_check_digit_is_refused(world, secretary):
    number = make_id_number("310105", date(1958, 4, 12), 7, "F")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = post(login(secretary), "/api/v1/residents", resident_payload(world, id_number=wrong))
    assert response.status_code == 422
    assert messages(response)["id_number"] == "身份证号校验码不正确，请核对每一位"
    assert not Resident.objects.filter(name="赵美华").exists()


def test_birth_date_that_disagrees_with_the_id_is_refused(world, secretary):
    response = post(
        login(secretary), "/api/v1/residents", resident_payload(world, birth_date="1958-04-13")
    )
    assert response.status_code == 422
    assert messages(response)["birth_date"] == "出生日期与身份证号不一致"


def test_gender_that_disagrees_with_the_id_is_refused(world, secretary):
    response = post(login(secretary), "/api/v1/residents", resident_payload(world, gender="M"))
    assert response.status_code == 422
    assert "gender" in messages(response)


def test_phone_with_ten_digits_is_refused(world, secretary):
    response = post(
        login(secretary), "/api/v1/residents", resident_payload(world, phone="1390000111")
    )
    assert response.status_code == 422
    assert "11位手机号" in messages(response)["phone"]
    assert not Resident.objects.filter(name="赵美华").exists()


def test_the_same_id_number_cannot_be_registered_twice(world, secretary):
    response = post(
        login(secretary),
        "/api/v1/residents",
        resident_payload(world, id_number=world.resident_b.id_number),
    )
    assert response.status_code == 422
    assert "id_number" in messages(response)


def test_fifteen_digit_number_is_refused_with_a_message(world, secretary):
    response = post(
        login(secretary), "/api/v1/residents", resident_payload(world, id_number="310105580412071")
    )
    assert response.status_code == 422
    assert "15位" in messages(response)["id_number"]


def test_household_in_a_building_of_another_area_is_refused(world, secretary):
    other_building = BuildingFactory(compound__area=world.other_area)
    client = login(secretary)
    response = post(client, "/api/v1/households", {"building_id": other_building.pk, "room": "101"})
    assert response.status_code == 404
    response = post(
        client,
        "/api/v1/households",
        {"building_id": world.building_a.pk, "room": "101", "area_id": world.other_area.pk},
    )
    assert response.status_code == 422
    assert messages(response)["building_id"] == "该楼组不属于所选居民区"
    assert not Household.objects.filter(room="101").exists()


def test_duplicate_room_is_refused(world, secretary):
    response = post(
        login(secretary), "/api/v1/households", {"building_id": world.building_a.pk, "room": "301"}
    )
    assert response.status_code == 422
    assert messages(response)["room"] == "该楼组已有此室号"


def test_adjacency_between_buildings_of_different_compounds_is_refused(world, secretary):
    response = post(
        login(secretary),
        "/api/v1/adjacency",
        {"first_id": world.building_a.pk, "second_id": world.building_b.pk},
    )
    assert response.status_code == 422
    assert "同一小区" in response.json()["detail"][0]["message"]
    assert not BuildingAdjacency.objects.exists()


def test_adjacency_within_a_compound_is_stored_once(world, secretary):
    neighbour = BuildingFactory(compound=world.compound_a, number="13")
    client = login(secretary)
    assert (
        post(
            client,
            "/api/v1/adjacency",
            {"first_id": neighbour.pk, "second_id": world.building_a.pk},
        ).status_code
        == 201
    )
    assert (
        post(
            client,
            "/api/v1/adjacency",
            {"first_id": world.building_a.pk, "second_id": neighbour.pk},
        ).status_code
        == 201
    )
    assert BuildingAdjacency.objects.count() == 1


def test_a_resident_moves_households_rather_than_being_in_two(world, secretary):
    client = login(secretary)
    response = client.patch(
        f"/api/v1/residents/{world.resident.pk}",
        {"household_id": world.household_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    world.resident.refresh_from_db()
    assert world.resident.household_id == world.household_b.pk
    assert Resident.objects.filter(id_number=world.resident.id_number).count() == 1
    assert world.resident.history.count() == 2  # created, then moved: the move is in the history


def test_worker_cannot_move_a_resident_into_a_household_outside_its_patch(world, worker_in):
    response = login(worker_in).patch(
        f"/api/v1/residents/{world.resident.pk}",
        {"household_id": world.household_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    world.resident.refresh_from_db()
    assert world.resident.household_id == world.household_a.pk


def test_leave_in_the_future_is_refused(world, secretary):
    response = post(
        login(secretary),
        f"/api/v1/residents/{world.resident.pk}/leave",
        {"status": "moved_out", "on": "2999-01-01"},
    )
    assert response.status_code == 422
    world.resident.refresh_from_db()
    assert world.resident.status == "current"


def test_editor_cannot_create_residents(world, editor):
    response = post(login(editor), "/api/v1/residents", resident_payload(world))
    assert response.status_code == 404


def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/residents/{resident_id}" in schema["paths"]
