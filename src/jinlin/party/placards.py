"""亮身份 placards: an A4 page per building naming the Party members who live there, their posts,
years in the Party and the households each contacts (WeasyPrint; Chinese fonts embedded).

SPEC: "'共产党员' heading, the members living there (name, role, optionally years in the Party)
and the households each contacts. No phone number unless that member consented."
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import segno
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.party.models import Position
from jinlin.party.selectors.state import NetworkState, building_sort_key, rooms_text
from jinlin.places.models import Building
from jinlin.places.services import building_public_token

# A QR module is this many pixels in the embedded PNG, with the standard quiet zone of 4.
QR_SCALE = 8
QR_BORDER = 4


@dataclass(frozen=True)
class PlacardMember:
    name: str
    role: str
    years: int | None
    phone: str  # only with the member's consent, else ""
    households: str


@dataclass(frozen=True)
class PlacardPage:
    building: Building
    title: str  # 绿园八村 12号楼
    group: str
    members: list[PlacardMember]
    others: list[PlacardMember]  # members living elsewhere who contact households here
    # Nobody of the Party lives here nor contacts a household here: whom to turn to instead
    # (the group's leader, else the area organisation's secretary).
    instead: list[PlacardMember] = field(default_factory=list)
    public_url: str = ""  # the building's public page (the residents' door), as its QR code
    qr_png: str = ""  # data: URI of the QR code's PNG


def placard_page(state: NetworkState, building: Building) -> PlacardPage:
    group_id = state.group_of_building.get(building.pk)
    group = state.groups[group_id].name if group_id else ""

    def line(member_id: int, households) -> PlacardMember:
        member = state.members[member_id]
        titles = state.titles_of(member.pk)
        role = "、".join(titles) if titles else ("预备党员" if member.is_probationary else "党员")
        return PlacardMember(
            name=member.resident.name,
            role=role,
            years=member.party_years(state.today),
            phone=member.resident.phone if member.phone_consent else "",
            households=rooms_text(households, state.buildings),
        )

    living = sorted(
        (
            m
            for m in state.members.values()
            if m.resident.building_id == building.pk and state.is_present(m.pk) and m.takes_part
        ),
        key=lambda m: (
            not state.titles_of(m.pk),
            state.households[m.resident.household_id].room,
            m.pk,
        ),
    )
    members = [line(m.pk, state.contacts_of_member(m.pk)) for m in living]
    living_ids = {m.pk for m in living}
    from_elsewhere: dict[int, list] = {}
    for contact in state.household_contacts.values():
        household = state.households[contact.household_id]
        if (
            household.building_id == building.pk
            and contact.member_id not in living_ids
            and state.is_present(contact.member_id)
        ):
            from_elsewhere.setdefault(contact.member_id, []).append(household)
    others = [line(member_id, households) for member_id, households in from_elsewhere.items()]
    others.sort(key=lambda m: m.name)
    instead: list[PlacardMember] = []
    if not members and not others:
        leader = state.leader_of(group_id) if group_id else None
        if leader is None and state.area_organisation is not None:
            leader = next(
                (
                    state.members[p.member_id]
                    for p in state.positions_of(state.area_organisation.pk)
                    if p.kind == Position.Kind.SECRETARY and state.is_present(p.member_id)
                ),
                None,
            )
        if leader is not None:
            instead = [line(leader.pk, state.contacts_of_member(leader.pk))]
    return PlacardPage(
        building=building,
        title=f"{building.compound.name} {building.label}",
        group=group,
        members=members,
        others=others,
        instead=instead,
    )


def placard_pages(state: NetworkState, buildings: list[Building]) -> list[PlacardPage]:
    return [placard_page(state, b) for b in sorted(buildings, key=building_sort_key)]


def public_base_url(request: HttpRequest | None) -> str:
    """JINLIN["PUBLIC_BASE_URL"] when set (the address residents reach from outside), else the
    address the placard is printed from."""
    configured = str(settings.JINLIN.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def public_page_url(building: Building, base_url: str) -> str:
    """The building's public page; the page is the door's (`door_building`), named, not imported."""
    return base_url + reverse("door_building", args=[building_public_token(building=building)])


def qr_png(url: str) -> str:
    return segno.make(url, error="m", micro=False).png_data_uri(scale=QR_SCALE, border=QR_BORDER)


def with_qr_codes(pages: list[PlacardPage], base_url: str) -> list[PlacardPage]:
    """Each page with the QR code of its building's public page."""
    result = []
    for page in pages:
        url = public_page_url(page.building, base_url)
        result.append(replace(page, public_url=url, qr_png=qr_png(url)))
    return result


def render_placards(
    pages: list[PlacardPage], *, area_name: str, show_years: bool = True, printed_by: str = ""
) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango, which only placards need

    html = render_to_string(
        "party/placard.html",
        {
            "pages": pages,
            "area_name": area_name,
            "show_years": show_years,
            "printed_by": printed_by,
            "printed_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


def placards_pdf(
    *,
    user: User,
    state: NetworkState,
    buildings: list[Building],
    object_type: str,
    object_id: int,
    show_years: bool = True,
    request: HttpRequest | None = None,
    base_url: str | None = None,
) -> bytes:
    """The PDF, and an export entry in the audit log (who printed which placards, and whether
    consented phone numbers were on them). `base_url`: the address in the QR codes, for a task
    that has no request (public_base_url of the request that asked for it)."""
    address = public_base_url(request) if base_url is None else base_url
    pages = with_qr_codes(placard_pages(state, buildings), address)
    printed_by = user.display_name or user.username
    data = render_placards(
        pages, area_name=state.area.name, show_years=show_years, printed_by=printed_by
    )
    has_phone = any(m.phone for page in pages for m in (*page.members, *page.others, *page.instead))
    audit(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        object_id=object_id,
        fields=["name", "phone"] if has_phone else ["name"],
        reason="打印亮身份公示牌",
        request=request,
        area_id=state.area.pk,
    )
    return data
