"""The overview's API: counts per area and per compound, no personal data."""

from __future__ import annotations

from ninja import Field, Router, Schema

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.overview import selectors
from jinlin.places.access import access_area, access_compound, visible_areas

router = Router(tags=["places"])


class AreaOut(Schema):
    id: int
    name: str
    code: str
    subdistrict: str
    households: int
    residents: int
    groups: dict[str, int | str] = Field(
        description='各群体人数（户数）；无权查看名单时，敏感群体 1–2 显示为 "<3"'
    )


class CompoundCountsOut(Schema):
    compound_id: int
    name: str
    buildings: int
    households: int
    residents: int
    groups: dict[str, int | str] = Field(
        description='各群体人数（户数）；无权查看名单时，敏感群体 1–2 显示为 "<3"'
    )


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


@router.get(
    "/areas",
    response=answers(200, list[AreaOut]),
    summary="居民区汇总（本人可见范围，不含个人信息）",
)
def list_areas(request: AuthedRequest) -> list[dict[str, object]]:
    areas = list(visible_areas(request.user).select_related("subdistrict").order_by("name"))
    rows = selectors.subdistrict_overview(request.user, areas)
    return [
        {
            "id": row["area"].pk,  # type: ignore[attr-defined]  # rows are dict[str, object]
            "name": row["area"].name,  # type: ignore[attr-defined]  # rows are dict[str, object]
            "code": row["area"].code,  # type: ignore[attr-defined]  # rows are dict[str, object]
            "subdistrict": row["area"].subdistrict.name,  # type: ignore[attr-defined]  # rows are dict[str, object]
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
def area_overview(request: AuthedRequest, area_id: ObjectId) -> list[object]:
    area = access_area(request.user, area_id)
    return selectors.area_overview(request.user, area)  # type: ignore[return-value]  # ninja reads the dataclasses


@router.get(
    "/compounds/{compound_id}", response=answers(200, CompoundOut, 404, 422), summary="小区及其楼组"
)
def compound_detail(request: AuthedRequest, compound_id: ObjectId) -> dict[str, object]:
    compound = access_compound(request.user, compound_id)
    rows = selectors.compound_buildings(request.user, compound)
    return {
        "id": compound.pk,
        "name": compound.name,
        "area_id": compound.area_id,
        "buildings": [
            {
                "id": row["building"].pk,  # type: ignore[attr-defined]  # rows are dict[str, object]
                "compound_id": compound.pk,
                "number": row["building"].number,  # type: ignore[attr-defined]  # rows are dict[str, object]
                "stairwell": row["building"].stairwell,  # type: ignore[attr-defined]  # rows are dict[str, object]
                "label": row["building"].label,  # type: ignore[attr-defined]  # rows are dict[str, object]
                "households": row["households"],
                "residents": row["residents"],
                "neighbours": row["neighbours"],
            }
            for row in rows
        ],
    }
