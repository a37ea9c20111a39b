"""API of the chain: a network member's own households (the same reads as its page).

Any other role gets 404, as for every record outside a user's scope (core.api's rule: no 403
that would tell it the resource exists).
"""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from jinlin.chain import selectors
from jinlin.chain.access import MSG_NOT_YOURS, is_network_member
from jinlin.core.api_schemas import answers
from jinlin.core.web import AuthedRequest

router = Router(tags=["chain"])


class MemberResidentOut(Schema):
    name: str
    age: int
    groups: list[str]


class MemberHouseholdOut(Schema):
    id: int
    building_id: int
    building: str
    room: str
    address: str
    residents: list[MemberResidentOut]
    groups: list[str]


@router.get(
    "/me/households",
    response=answers(200, list[MemberHouseholdOut], 404),
    summary="我的联系户（联络员本人）",
)
def my_households(request: AuthedRequest) -> list[dict[str, object]]:
    if not is_network_member(request.user):
        raise Http404(MSG_NOT_YOURS)
    return [
        {
            "id": card.id,
            "building_id": block.id,
            "building": block.label,
            "room": card.room,
            "address": card.address,
            "residents": [
                {"name": line.name, "age": line.age, "groups": line.groups}
                for line in card.residents
            ],
            "groups": card.groups,
        }
        for block in selectors.member_buildings(request.user)
        for card in block.households
    ]
