"""API of the registry's places: areas (aggregates), compounds, buildings, households, adjacency."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from jinlin.core.access import (
    access_area,
    access_building,
    access_compound,
    access_household,
    can_manage_area,
    visible_areas,
)
from jinlin.core.api_schemas import InputSchema, ObjectId, answers
from jinlin.places import selectors, services

router = Router(tags=["places"])

MSG_WRONG_AREA = "该楼组不属于所选居民区"
MSG_NOT_MANAGER = "只有本居民区书记/主任可以修改"


class AreaOut(Schema):
    id: int
    name: str
    code: str
    subdistrict: str
    households: int
    residents: int
    groups: dict[str, int]


class CompoundCountsOut(Schema):
    compound_id: int
    name: str
    buildings: int
    households: int
    residents: int
    groups: dict[str, int]


class BuildingOut(Schema):
    id: int
    compound_id: int
    number: str
    stairwell: str
    label: str
    households: int
    residents: int
    neighbours: list[str]


class CompoundOut(Schema):
    id: int
    name: str
    area_id: int
    buildings: list[BuildingOut]


class HouseholdOut(Schema):
    id: int
    building_id: int
    room: str
    address: str
    residents: int


class BuildingDetailOut(Schema):
    id: int
    label: str
    compound_id: int
    compound: str
    households: list[HouseholdOut]
    neighbours: list[int]


class HouseholdIn(InputSchema):
    building_id: ObjectId
    room: str
    area_id: ObjectId | None = None


class AdjacencyIn(InputSchema):
    first_id: ObjectId
    second_id: ObjectId


@router.get("/areas", response=answers(200, list[AreaOut]), summary="居民区汇总（不含个人信息）")
def list_areas(request: HttpRequest) -> list[dict[str, object]]:
    areas = list(visible_areas(request.user).select_related("subdistrict").order_by("name"))  # type: ignore[arg-type]
    rows = selectors.subdistrict_overview(request.user, areas)  # type: ignore[arg-type]
    return [
        {
            "id": row["area"].pk,  # type: ignore[attr-defined]
            "name": row["area"].name,  # type: ignore[attr-defined]
            "code": row["area"].code,  # type: ignore[attr-defined]
            "subdistrict": row["area"].subdistrict.name,  # type: ignore[attr-defined]
            "households": row["households"],
            "residents": row["residents"],
            "groups": row["groups"],
        }
        for row in rows
    ]


@router.get(
    "/areas/{area_id}/overview",
    response=answers(200, list[CompoundCountsOut], 404, 422),
    summary="居民区各小区统计",
)
def area_overview(request: HttpRequest, area_id: int) -> list[object]:
    area = access_area(request.user, area_id)  # type: ignore[arg-type]
    return selectors.area_overview(request.user, area)  # type: ignore[arg-type, return-value]


@router.get(
    "/compounds/{compound_id}", response=answers(200, CompoundOut, 404, 422), summary="小区及其楼组"
)
def compound_detail(request: HttpRequest, compound_id: int) -> dict[str, object]:
    compound = access_compound(request.user, compound_id)  # type: ignore[arg-type]
    rows = selectors.compound_buildings(request.user, compound)  # type: ignore[arg-type]
    return {
        "id": compound.pk,
        "name": compound.name,
        "area_id": compound.area_id,
        "buildings": [
            {
                "id": row["building"].pk,  # type: ignore[attr-defined]
                "compound_id": compound.pk,
                "number": row["building"].number,  # type: ignore[attr-defined]
                "stairwell": row["building"].stairwell,  # type: ignore[attr-defined]
                "label": row["building"].label,  # type: ignore[attr-defined]
                "households": row["households"],
                "residents": row["residents"],
                "neighbours": row["neighbours"],
            }
            for row in rows
        ],
    }


@router.get(
    "/buildings/{building_id}",
    response=answers(200, BuildingDetailOut, 404, 422),
    summary="楼组及其各户",
)
def building_detail(request: HttpRequest, building_id: int) -> dict[str, object]:
    building = access_building(request.user, building_id)  # type: ignore[arg-type]
    households = selectors.building_households(building)
    neighbours = selectors.building_neighbours([building.pk]).get(building.pk, set())
    return {
        "id": building.pk,
        "label": building.label,
        "compound_id": building.compound_id,
        "compound": building.compound.name,
        "households": [
            {
                "id": h.pk,
                "building_id": building.pk,
                "room": h.room,
                "address": f"{building.compound.name}{building.label}{h.room}室",
                "residents": len(h.current_residents),  # type: ignore[attr-defined]
            }
            for h in households
        ],
        "neighbours": sorted(neighbours),
    }


@router.get(
    "/households/{household_id}", response=answers(200, HouseholdOut, 404, 422), summary="一户"
)
def household_detail(request: HttpRequest, household_id: int) -> dict[str, object]:
    household = access_household(request.user, household_id)  # type: ignore[arg-type]
    return {
        "id": household.pk,
        "building_id": household.building_id,
        "room": household.room,
        "address": household.address,
        "residents": household.residents.filter(status="current").count(),
    }


@router.post("/households", response=answers(201, HouseholdOut, 400, 404, 422), summary="新建一户")
def create_household(request: HttpRequest, payload: HouseholdIn) -> Status[dict[str, object]]:
    building = access_building(request.user, payload.building_id)  # type: ignore[arg-type]
    area_id = building.compound.area_id
    if payload.area_id is not None and payload.area_id != area_id:
        raise ValidationError({"building_id": MSG_WRONG_AREA})
    if not can_manage_area(request.user, area_id):  # type: ignore[arg-type]
        raise PermissionDenied(MSG_NOT_MANAGER)
    household = services.household_create(building=building, room=payload.room)
    room = household.room
    return Status(
        201,
        {
            "id": household.pk,
            "building_id": building.pk,
            "room": room,
            "address": household.address,
            "residents": 0,
        },
    )


@router.post(
    "/adjacency", response=answers(201, dict[str, int], 400, 404, 422), summary="设置两个楼组相邻"
)
def create_adjacency(request: HttpRequest, payload: AdjacencyIn) -> Status[dict[str, int]]:
    first = access_building(request.user, payload.first_id)  # type: ignore[arg-type]
    second = access_building(request.user, payload.second_id)  # type: ignore[arg-type]
    if not can_manage_area(request.user, first.compound.area_id):  # type: ignore[arg-type]
        raise PermissionDenied(MSG_NOT_MANAGER)
    edge = services.adjacency_add(first=first, second=second)
    return Status(201, {"first_id": edge.first_id, "second_id": edge.second_id})
