"""API of the registry's places: areas (aggregates), compounds, buildings, households, adjacency."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status

from jinlin.core.access import can_manage_area
from jinlin.core.api_schemas import InputSchema, ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.places import selectors, services
from jinlin.places.access import (
    access_area,
    access_building,
    access_compound,
)
from jinlin.places.models import Area, Compound

router = Router(tags=["places"])

MSG_WRONG_AREA = "该楼组不属于所选居民区"
MSG_NOT_MANAGER = "只有本居民区书记/主任可以修改"
MSG_COMPOUND_OTHER_AREA = "该小区不属于本居民区"


class HouseholdOut(Schema):
    id: int
    building_id: int
    room: str
    address: str
    residents: int


class HouseholdIn(InputSchema):
    building_id: ObjectId
    room: str
    area_id: ObjectId | None = None


class AdjacencyIn(InputSchema):
    first_id: ObjectId
    second_id: ObjectId


@router.post("/households", response=answers(201, HouseholdOut, 400, 404, 422), summary="新建一户")
def create_household(request: AuthedRequest, payload: HouseholdIn) -> Status[dict[str, object]]:
    building = access_building(request.user, payload.building_id)
    area_id = building.compound.area_id
    if payload.area_id is not None and payload.area_id != area_id:
        raise ValidationError({"building_id": MSG_WRONG_AREA})
    if not can_manage_area(request.user, area_id):
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
def create_adjacency(request: AuthedRequest, payload: AdjacencyIn) -> Status[dict[str, int]]:
    first = access_building(request.user, payload.first_id)
    second = access_building(request.user, payload.second_id)
    if not can_manage_area(request.user, first.compound.area_id):
        raise PermissionDenied(MSG_NOT_MANAGER)
    edge = services.adjacency_add(first=first, second=second, actor=request.user, request=request)
    return Status(201, {"first_id": edge.first_id, "second_id": edge.second_id})


class AdjacencyBuildingOut(Schema):
    id: int
    number: str
    stairwell: str
    label: str


class AdjacencyOut(Schema):
    compound_id: int
    buildings: list[AdjacencyBuildingOut]
    edges: list[list[int]] = Field(description="相邻的两个楼组 id，小的在前")
    fingerprint: str = Field(description="按楼号生成方案并确认时原样提交")


class AdjacencyProposalOut(Schema):
    row_length: int = Field(description="每排几幢号楼")
    rows: list[list[str]] = Field(description="各排号楼的楼号，按楼号顺序")
    added: list[list[int]] = Field(description="新增的相邻楼组 id 对")
    removed: list[list[int]] = Field(description="取消的相邻楼组 id 对")
    kept: int
    fingerprint: str


class AdjacencyApplyIn(InputSchema):
    row_length: int | None = Field(None, ge=1, le=services.MAX_ROW_LENGTH)
    fingerprint: str = Field(max_length=64)


class AdjacencyAppliedOut(Schema):
    added: int
    removed: int
    kept: int


def _managed_compound(request: AuthedRequest, compound_id: int) -> Compound:
    compound = access_compound(request.user, compound_id)
    if not can_manage_area(request.user, compound.area_id):
        raise PermissionDenied(MSG_NOT_MANAGER)
    return compound


def _pairs(edges: Iterable[tuple[str, str]]) -> list[list[int]]:
    return sorted([int(a), int(b)] for a, b in edges)


@router.get(
    "/compounds/{compound_id}/adjacency",
    response=answers(200, AdjacencyOut, 404, 422),
    summary="小区各楼组的相邻关系",
)
def compound_adjacency(request: AuthedRequest, compound_id: ObjectId) -> dict[str, object]:
    compound = _managed_compound(request, compound_id)
    edges = services.compound_edges(compound)
    return {
        "compound_id": compound.pk,
        "buildings": [
            {"id": b.pk, "number": b.number, "stairwell": b.stairwell, "label": b.label}
            for b in selectors.compound_buildings_in_order(compound)
        ],
        "edges": _pairs(edges),
        "fingerprint": services.edges_fingerprint(edges),
    }


@router.get(
    "/compounds/{compound_id}/adjacency/proposal",
    response=answers(200, AdjacencyProposalOut, 404, 422),
    summary="按楼号生成相邻关系方案（不写入）",
)
def adjacency_proposal(
    request: AuthedRequest,
    compound_id: ObjectId,
    row_length: Annotated[int, Field(ge=1, le=services.MAX_ROW_LENGTH)] | None = None,
) -> dict[str, object]:
    compound = _managed_compound(request, compound_id)
    found = services.adjacency_proposal(compound, row_length)
    return {
        "row_length": found.layout.row_length,
        "rows": [list(row) for row in found.layout.rows],
        "added": _pairs(found.diff.added),
        "removed": _pairs(found.diff.removed),
        "kept": len(found.diff.kept),
        "fingerprint": found.fingerprint,
    }


@router.post(
    "/compounds/{compound_id}/adjacency/proposal",
    response=answers(200, AdjacencyAppliedOut, 400, 404, 409, 422),
    summary="确认按楼号生成的相邻关系方案（须提交读取方案时的 fingerprint）",
)
def adjacency_apply(
    request: AuthedRequest, compound_id: ObjectId, payload: AdjacencyApplyIn
) -> Status[dict[str, object]]:
    compound = _managed_compound(request, compound_id)
    try:
        change = services.adjacency_apply(
            compound=compound,
            row_length=payload.row_length,
            fingerprint=payload.fingerprint,
            actor=request.user,
            request=request,
        )
    except services.AdjacencyChanged as refused:
        return Status(409, {"detail": refused.message})
    return Status(
        200, {"added": len(change.added), "removed": len(change.removed), "kept": len(change.kept)}
    )


@router.delete(
    "/adjacency/{first_id}/{second_id}",
    response=answers(204, None, 404, 422),
    summary="取消两个楼组的相邻关系",
)
def delete_adjacency(
    request: AuthedRequest, first_id: ObjectId, second_id: ObjectId
) -> Status[None]:
    first = access_building(request.user, first_id)
    second = access_building(request.user, second_id)
    if not can_manage_area(request.user, first.compound.area_id):
        raise PermissionDenied(MSG_NOT_MANAGER)
    if first.compound_id != second.compound_id:
        raise Http404("这两个楼组不在同一小区")
    try:
        services.adjacency_remove(first=first, second=second, actor=request.user, request=request)
    except ValidationError:
        raise Http404(services.MSG_NOT_ADJACENT) from None
    return Status(204, None)


class AreaAdjacencyOut(Schema):
    area_id: int
    compounds: list[dict[str, int | str]] = Field(description="各小区的 id 和名称")
    edges: list[list[int]] = Field(description="相邻的两个小区 id，小的在前")


def _managed_area(request: AuthedRequest, area_id: int) -> Area:
    area = access_area(request.user, area_id)
    if not can_manage_area(request.user, area.pk):
        raise PermissionDenied(MSG_NOT_MANAGER)
    return area


def _area_compound(area: Area, compound_id: int, field: str) -> Compound:
    compound = selectors.area_compound(area, compound_id)
    if compound is None:
        raise ValidationError({field: MSG_COMPOUND_OTHER_AREA})
    return compound


@router.get(
    "/areas/{area_id}/adjacency",
    response=answers(200, AreaAdjacencyOut, 404, 422),
    summary="居民区各小区的相邻关系（联合支部按此组建）",
)
def area_adjacency(request: AuthedRequest, area_id: ObjectId) -> dict[str, object]:
    area = _managed_area(request, area_id)
    return {
        "area_id": area.pk,
        "compounds": [
            {"id": pk, "name": name}
            for pk, name in ((c.pk, c.name) for c in selectors.area_compounds(area))
        ],
        "edges": _pairs(services.area_compound_edges(area)),
    }


@router.post(
    "/areas/{area_id}/adjacency",
    response=answers(201, dict[str, int], 400, 404, 422),
    summary="设置两个小区相邻",
)
def create_area_adjacency(
    request: AuthedRequest, area_id: ObjectId, payload: AdjacencyIn
) -> Status[dict[str, int]]:
    area = _managed_area(request, area_id)
    edge = services.compound_adjacency_add(
        first=_area_compound(area, payload.first_id, "first_id"),
        second=_area_compound(area, payload.second_id, "second_id"),
        actor=request.user,
        request=request,
    )
    return Status(201, {"first_id": edge.first_id, "second_id": edge.second_id})


@router.delete(
    "/areas/{area_id}/adjacency/{first_id}/{second_id}",
    response=answers(204, None, 404, 422),
    summary="取消两个小区的相邻关系",
)
def delete_area_adjacency(
    request: AuthedRequest, area_id: ObjectId, first_id: ObjectId, second_id: ObjectId
) -> Status[None]:
    area = _managed_area(request, area_id)
    first = selectors.area_compound(area, first_id)
    second = selectors.area_compound(area, second_id)
    if first is None or second is None:
        raise Http404("没有找到该小区")
    try:
        services.compound_adjacency_remove(
            first=first,
            second=second,
            actor=request.user,
            request=request,
        )
    except ValidationError:
        raise Http404(services.MSG_COMPOUNDS_NOT_ADJACENT) from None
    return Status(204, None)
