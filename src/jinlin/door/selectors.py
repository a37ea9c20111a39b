"""Reads of the residents' door: a building by its public token, whom its residents may turn to
(as on the 亮身份 placard), and the public notices addressed to it. Nothing about residents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404

from jinlin.chain.models import Notice
from jinlin.chain.notice_selectors import (
    current_notices,
    notice_audience,
    prefetch_audience,
)
from jinlin.core.models import Role, User
from jinlin.party.placards import placard_page
from jinlin.party.selectors import load_network
from jinlin.places.models import Building

# The shape of a token (secrets.token_urlsafe): nothing else reaches the database, not even a NUL
# a PostgreSQL would refuse.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,32}")
NOTICES_SHOWN = 10


def building_by_token(token: str) -> Building:
    """The building whose public page this is; 404 for an unknown or rotated token."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        raise Http404("没有找到该楼组")
    building = Building.objects.filter(public_token=token).select_related("compound__area").first()
    if building is None:
        raise Http404("没有找到该楼组")
    return building


@dataclass(frozen=True)
class Contact:
    """Someone a resident may turn to: a name, a role, a phone only with consent."""

    name: str
    role: str
    phone: str


@dataclass(frozen=True)
class PublicPage:
    building: Building
    title: str
    group: str
    contacts: list[Contact]
    notices: list[Notice]


def public_notices(building: Building) -> list[Notice]:
    """Current notices published as public whose audience includes the building."""
    notices = prefetch_audience(
        current_notices().filter(area_id=building.compound.area_id, is_public=True)
    ).order_by("-created_at", "-id")
    place = (building.compound.area_id, building.compound_id, building.pk)
    return [n for n in notices if notice_audience(n).reaches(*place)][:NOTICES_SHOWN]


def building_helpers(building: Building) -> list[Contact]:
    """楼组长 and volunteers who look after the building (network accounts that are not Party
    members, who are on the placard already): their names only, they gave no phone to show."""
    return [
        Contact(name=user.display_name or "", role="楼组长/志愿者", phone="")
        for user in User.objects.filter(
            role=Role.NETWORK_MEMBER,
            is_active=True,
            party_member__isnull=True,
            chain_buildings=building,
        ).order_by("display_name", "pk")
        if user.display_name
    ]


def public_page(building: Building) -> PublicPage:
    """The placard's people (name, role, phone with consent; not the households they contact),
    the building's helpers and its public notices."""
    state = load_network(building.compound.area)
    placard = placard_page(state, state.buildings.get(building.pk, building))
    contacts = [
        Contact(name=m.name, role=m.role, phone=m.phone)
        for m in (*placard.members, *placard.others)
    ]
    return PublicPage(
        building=building,
        title=placard.title,
        group=placard.group,
        contacts=contacts + building_helpers(building),
        notices=public_notices(building),
    )
