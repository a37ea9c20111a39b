"""How the API refuses: one shape for every refusal, Chinese messages, documented, nothing changed.

Most cases were found by the schemathesis run (tests/core/test_api_fuzz.py) or while fixing
what it found; each stays here as a plain regression test.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jinlin.core.api import MSG_CSRF
from jinlin.core.api_schemas import MSG_BAD_CHARACTERS, MSG_DAY, MSG_UNPARSABLE
from jinlin.fieldwork.models import Case, Visit
from jinlin.people.models import Resident
from jinlin.places.models import Household
from jinlin.urls import api

API = "/api/v1"


def post(client, path, payload, content_type="application/json"):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(f"{API}{path}", data=body, content_type=content_type)


def messages(response) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json()["detail"]}


# --- who is asking ----------------------------------------------------------------------------


def test_anonymous_write_is_asked_to_log_in_not_told_about_csrf(world, client):
    response = post(client, "/households", {"building_id": world.building_a.pk, "room": "101"})
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录或提供有效的 API 令牌"


def test_session_write_without_csrf_token_is_refused_in_chinese(world, secretary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    response = post(client, "/households", {"building_id": world.building_a.pk, "room": "101"})
    assert response.status_code == 403
    assert response.json() == {"detail": MSG_CSRF}
    assert not Household.objects.filter(room="101").exists()


# --- what is sent -----------------------------------------------------------------------------


def test_schema_errors_name_the_field_in_chinese(world, secretary, as_user):
    response = post(as_user(secretary), "/residents", {"household_id": "x", "name": ""})
    assert response.status_code == 422
    assert messages(response) == {
        "household_id": "应为整数",
        "name": "至少 1 个字",
        "id_number": "必填",
    }
    response = as_user(secretary).get(f"{API}/residents?limit=0")
    assert messages(response) == {"limit": "不能小于 1"}


def test_nested_fields_are_named_by_their_path(world, worker_in, as_user):
    response = post(
        as_user(worker_in),
        "/cases",
        {"title": "t", "scope": "family", "subcategory": "health", "visit_ids": [1, "x"]},
    )
    assert response.status_code == 422
    assert messages(response) == {"visit_ids.1": "应为整数"}


def test_body_that_is_not_json_is_refused_and_changes_nothing(world, secretary, as_user):
    before = Household.objects.count()
    response = post(as_user(secretary), "/households", '{"building_id": 1, "room": ')
    assert response.status_code == 400
    assert response.json() == {"detail": MSG_UNPARSABLE}
    assert Household.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", '"张\\u0000三"'),  # PostgreSQL cannot store NUL: a 500 there, not on SQLite
        ("employer", '"\\ud800"'),  # a lone surrogate: UTF-8 cannot encode it, a 500 on both
        ("hobbies", '["书法\\u0000"]'),
    ],
)
def test_text_a_database_cannot_store_is_refused(world, secretary, as_user, field, value):
    payload = {"household_id": world.household_a.pk, "name": "赵美华", "id_number": "x"}
    body = json.dumps({**payload, field: "FIELD"}).replace('"FIELD"', value)
    response = post(as_user(secretary), "/residents", body)
    assert response.status_code == 422
    assert messages(response) == {field: MSG_BAD_CHARACTERS}
    assert Resident.objects.count() == 3


def test_nul_in_a_query_is_refused(world, worker_in, as_user):
    response = as_user(worker_in).get(f"{API}/concerns", {"q": "摔\x00跤"})
    assert response.status_code == 422
    assert messages(response) == {"q": MSG_BAD_CHARACTERS}


def test_receipt_that_cannot_be_one_is_simply_not_found(db, client):
    assert client.get(f"{API}/woodpecker/reports/ZM2210-%00ABCD").status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"concern_ids": [2**70]},  # beyond a 64-bit key: was a 500 (OverflowError in the driver)
        {"concern_ids": [0]},
        {"owner_id": -1},
    ],
)
def test_identifiers_out_of_range_are_refused(world, worker_in, as_user, payload):
    base = {"title": "夜间跌倒", "scope": "family", "subcategory": "health"}
    response = post(as_user(worker_in), "/cases", {**base, **payload})
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_an_offset_beyond_any_table_is_refused_not_a_500(world, worker_in, as_user):
    response = as_user(worker_in).get(f"{API}/consultations", {"offset": 2**70})
    assert response.status_code == 422
    assert "offset" in messages(response)


@pytest.mark.parametrize("day", ["1700000000", "1.5e-213", "2025/11/25", "25.11.2025"])
def test_a_day_must_be_written_as_a_date(world, worker_in, as_user, day):
    """Pydantic alone reads a number as seconds since 1970: 1.5e-213 was 1 January 1970."""
    client = as_user(worker_in)
    response = client.get(f"{API}/visits/due", {"date": day})
    assert response.status_code == 422
    assert messages(response) == {"date": MSG_DAY}
    response = post(client, "/visits", {"household_id": world.household_a.pk, "visited_on": day})
    assert response.status_code == 422
    assert Visit.objects.count() == 0


def test_a_day_written_out_is_accepted(world, worker_in, as_user):
    response = as_user(worker_in).get(f"{API}/visits/due", {"date": "2025-11-25"})
    assert response.status_code == 200


# --- what is documented -----------------------------------------------------------------------


def _operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_its_refusals():
    for label, operation in _operations():
        codes = set(operation["responses"])
        if operation.get("security"):
            assert {401, 403} <= codes, label
        if "{" in label:
            assert 404 in codes, label
        if operation.get("requestBody"):
            assert {400, 422} <= codes, label


def test_schema_names_are_unique_across_routers():
    """Two routers each had a `ProposalOut` and a `HouseholdOut`: the OpenAPI document kept one
    of each, and described the other operations' answers wrongly."""
    from ninja import Schema

    from jinlin.chain import api_notices as chain_notices_api
    from jinlin.fieldwork.cases import schemas as fieldwork_cases
    from jinlin.fieldwork.common import schemas as fieldwork_common
    from jinlin.fieldwork.concerns import schemas as fieldwork_concerns
    from jinlin.fieldwork.consultations import schemas as fieldwork_consultations
    from jinlin.fieldwork.patrols import schemas as fieldwork_patrols
    from jinlin.fieldwork.visits import schemas as fieldwork_visits
    from jinlin.overview import api as overview_api
    from jinlin.party import schemas as party_api
    from jinlin.people import api as people_api
    from jinlin.places import api as places_api
    from jinlin.woodpecker import schemas as woodpecker_api

    seen: dict[str, str] = {}
    fieldwork_schemas = (
        fieldwork_common,
        fieldwork_visits,
        fieldwork_concerns,
        fieldwork_patrols,
        fieldwork_consultations,
        fieldwork_cases,
    )
    for module in (
        overview_api,
        places_api,
        people_api,
        *fieldwork_schemas,
        party_api,
        woodpecker_api,
        chain_notices_api,
    ):
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                assert name not in seen, f"{name} in {seen.get(name)} and {module.__name__}"
                seen[name] = module.__name__
