"""Every number the API reads is bounded, and every body must be a JSON object (issue 20).

Found by schemathesis: `?compound_id=9223372036854775808` was a 500 (OverflowError in the
database driver), and a body of `[null, null]` was taken for `{}` by a schema whose fields are
all optional (a 200). The tests walk the OpenAPI document, so a new operation is covered too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from jinlin.core.api_schemas import MAX_ID, MSG_NOT_AN_OBJECT
from jinlin.people.models import Resident
from jinlin.urls import api

TOO_BIG = 2**63  # one more than the largest key either database holds

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return COMPONENTS[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _numbers(node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every integer or number in a request schema, with its path."""
    node = _resolve(node)
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(key, []):
            yield from _numbers(branch, where)
    if node.get("type") in ("integer", "number"):
        yield where, node
    if "items" in node:
        yield from _numbers(node["items"], f"{where}[]")
    for name, prop in node.get("properties", {}).items():
        yield from _numbers(prop, f"{where}.{name}")
    if isinstance(node.get("additionalProperties"), dict):
        yield from _numbers(node["additionalProperties"], f"{where}.*")


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def _json_body(operation: dict[str, Any]) -> dict[str, Any] | None:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return _resolve(body["schema"]) if body else None


def test_every_number_sent_to_the_api_has_bounds():
    unbounded = []
    for method, path, operation in _operations():
        label = f"{method.upper()} {path}"
        found = [
            (f"{label} {parameter['in']}:{parameter['name']}", node)
            for parameter in operation.get("parameters", [])
            for node in [node for _where, node in _numbers(parameter["schema"], "")]
        ]
        body = _json_body(operation)
        if body is not None:
            found += [(f"{label} body{where}", node) for where, node in _numbers(body, "")]
        for where, node in found:
            has_low = "minimum" in node or "exclusiveMinimum" in node
            high = node.get("maximum", node.get("exclusiveMaximum"))
            if not has_low or high is None or high > MAX_ID:
                unbounded.append(where)
    assert unbounded == []


def _url(path: str, **values: object) -> str:
    """The path with every parameter 1, except those given."""
    return re.sub(r"{(\w+)}", lambda match: str(values.get(match[1], 1)), path)


def _integer_parameters() -> Iterator[tuple[str, str, str, str]]:
    for method, path, operation in _operations():
        for parameter in operation.get("parameters", []):
            if any(node.get("type") == "integer" for _, node in _numbers(parameter["schema"], "")):
                yield method, path, parameter["in"], parameter["name"]


def _integer_body_fields() -> Iterator[tuple[str, str, str, bool]]:
    """Integers at the top of a body, alone or in a list (nested ones: the test above)."""
    for method, path, operation in _operations():
        body = _json_body(operation)
        for name, prop in (body or {}).get("properties", {}).items():
            for where, node in _numbers(prop, ""):
                if node.get("type") == "integer" and where in ("", "[]"):
                    yield method, path, name, where == "[]"
                    break


def _messages(response) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json()["detail"]}


def _send(client, method: str, url: str, body: str | None = None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=body, content_type="application/json")


def _not_refused_as_too_big(response, field: str) -> int | str | None:
    """None when refused (422) with "不能大于 …" on the field, else what came back."""
    if response.status_code != 422:
        return response.status_code
    message = _messages(response).get(field, "")
    return None if message.startswith("不能大于") else message


def test_an_integer_too_big_in_any_path_or_query_is_refused(world, secretary, as_user):
    """One request per integer parameter of every operation (ids, offsets, limits, years …)."""
    client = as_user(secretary)
    wrong = {}
    for method, path, where, name in _integer_parameters():
        url = _url(path, **({name: TOO_BIG} if where == "path" else {}))
        if where == "query":
            url += f"?{name}={TOO_BIG}"
        response = _send(client, method, url, None if method == "get" else "{}")
        wrong[f"{method.upper()} {path} {where}:{name}"] = _not_refused_as_too_big(response, name)
    assert len(wrong) > 60  # every operation with an id in its path, and the lists' queries
    assert {label: answer for label, answer in wrong.items() if answer is not None} == {}


def test_an_integer_too_big_in_any_body_is_refused_and_nothing_changed(world, secretary, as_user):
    client = as_user(secretary)
    before = Resident.objects.count()
    wrong = {}
    for method, path, name, is_list in _integer_body_fields():
        body = json.dumps({name: [TOO_BIG] if is_list else TOO_BIG})
        response = _send(client, method, _url(path, resident_id=world.resident.pk), body)
        field = f"{name}.0" if is_list else name
        wrong[f"{method.upper()} {path} {field}"] = _not_refused_as_too_big(response, field)
    assert len(wrong) > 20  # ids, counts, page numbers, interval days …
    assert {label: answer for label, answer in wrong.items() if answer is not None} == {}
    assert Resident.objects.count() == before
    world.resident.refresh_from_db()
    assert world.resident.household_id == world.household_a.pk


JSON_BODIES = [(method, path) for method, path, operation in _operations() if _json_body(operation)]


@pytest.mark.parametrize("body", ["[null, null]", "-1.79e308", '"x"', "null", "[]", "true"])
def test_a_body_that_is_not_an_object_is_refused_everywhere(world, secretary, as_user, body):
    client = as_user(secretary)
    accepted = {}
    for method, path in JSON_BODIES:
        response = _send(client, method, _url(path, resident_id=world.resident.pk), body)
        if response.status_code != 422 or response.json()["detail"] != [
            {"field": "", "message": MSG_NOT_AN_OBJECT}
        ]:
            accepted[f"{method.upper()} {path}"] = response.status_code
    assert accepted == {}
    world.resident.refresh_from_db()
    assert world.resident.name == "张建国"


def test_an_empty_object_still_changes_nothing_and_is_accepted(world, secretary, as_user):
    response = _send(as_user(secretary), "patch", f"/api/v1/residents/{world.resident.pk}", "{}")
    assert response.status_code == 200
    assert response.json()["name"] == "张建国"
