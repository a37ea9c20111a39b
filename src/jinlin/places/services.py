"""Writes on places: households and adjacency, each checked and transactional."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, Role, User
from jinlin.places import layout
from jinlin.places.layout import Diff, Layout
from jinlin.places.models import (
    Area,
    Building,
    BuildingAdjacency,
    Compound,
    CompoundAdjacency,
    Household,
)

MSG_ROOM = "室号不能为空，且不超过20个字符"
MSG_HOUSEHOLD_EXISTS = "该楼组已有此室号"
MSG_NOT_ADJACENT = "这两个楼组原本就不相邻"
MSG_COMPOUNDS_NOT_ADJACENT = "这两个小区原本就不相邻"
MSG_ADJACENCY_CHANGED = "生成方案后，本小区的相邻关系已被修改：请重新生成方案，核对后再确认"
MSG_ROW_LENGTH = "每排楼数应为 1 到 40 之间的整数（不填则自动）"
MAX_ROW_LENGTH = 40
MSG_ROTATE_NOT_ALLOWED = "只有本居民区书记可以更换楼组公开页的二维码"
PUBLIC_TOKEN_BYTES = 12  # 16 URL-safe characters: not to be guessed, short in a QR code


class AdjacencyChanged(Exception):
    """The compound's adjacency is no longer the one a proposal was read against."""

    message = MSG_ADJACENCY_CHANGED


@dataclass(frozen=True)
class AdjacencyProposal:
    layout: Layout
    diff: Diff
    fingerprint: str  # of today's edges: an apply must come with the same one


@transaction.atomic
def household_create(*, building: Building, room: str) -> Household:
    room = room.strip()
    if not room or len(room) > 20:
        raise ValidationError({"room": MSG_ROOM})
    try:
        with transaction.atomic():
            return Household.objects.create(building=building, room=room)
    except IntegrityError:
        raise ValidationError({"room": MSG_HOUSEHOLD_EXISTS}) from None


def _new_public_token() -> str:
    return secrets.token_urlsafe(PUBLIC_TOKEN_BYTES)


@transaction.atomic
def building_public_token(*, building: Building) -> str:
    """The token of the building's public page, made on first use (printing a placard)."""
    if building.public_token:
        return building.public_token
    Building.objects.filter(pk=building.pk, public_token__isnull=True).update(
        public_token=_new_public_token()
    )
    building.public_token = Building.objects.values_list("public_token", flat=True).get(
        pk=building.pk
    )
    return building.public_token or ""


@transaction.atomic
def building_rotate_public_token(
    *, building: Building, actor: User, request: HttpRequest | None = None
) -> str:
    """A new token for an abused placard: the old link answers 404 from now on, and the
    placards must be printed again. The area secretary only; audited."""
    area_id = building.compound.area_id
    if not (actor.role == Role.AREA_SECRETARY and actor.area_id == area_id):
        raise ValidationError(MSG_ROTATE_NOT_ALLOWED)
    building.public_token = _new_public_token()
    building.save(update_fields=["public_token"])
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="building",
        object_id=building.pk,
        fields=["public_token"],
        reason="更换楼组公开页二维码",
        request=request,
        area_id=area_id,
    )
    return building.public_token


def _audit_adjacency(
    place: Compound | Area,
    actor: User | None,
    reason: str,
    request: HttpRequest | None,
    actor_name: str = "",
) -> None:
    """Building pairs are recorded on their compound, compound pairs on their area."""
    audit(
        actor=actor,
        actor_name=actor_name,
        action=AuditEvent.Action.ADJACENCY,
        object_type="compound" if isinstance(place, Compound) else "area",
        object_id=place.pk,
        reason=reason,
        request=request,
        area_id=place.area_id if isinstance(place, Compound) else place.pk,
    )


Pair = BuildingAdjacency | CompoundAdjacency


def place_name(place: Building | Compound) -> str:
    return place.label if isinstance(place, Building) else place.name


def _where(place: Building | Compound) -> Compound | Area:
    """Where a pair is recorded in the audit log: a building's compound, a compound's area."""
    return place.compound if isinstance(place, Building) else place.area


def _lock_compound(compound_id: int) -> None:
    """One change at a time to a compound's building pairs (an apply checks its fingerprint
    and writes under the same lock)."""
    Compound.objects.select_for_update().filter(pk=compound_id).first()


def _lock(place: Building | Compound) -> None:
    if isinstance(place, Building):
        _lock_compound(place.compound_id)


def _add_pair(
    model: type[Pair],
    first: Building | Compound,
    second: Building | Compound,
    actor: User | None,
    request: HttpRequest | None,
) -> Pair:
    low, high = sorted([first, second], key=lambda place: place.pk)
    # As keywords: `model` is either twin table, each with its own kind of place.
    pair = {"first": low, "second": high}
    model(**pair).clean()  # same compound / area, not itself
    _lock(low)
    existing = model.objects.filter(**pair).first()
    if existing is not None:
        return existing
    created = model.objects.create(**pair)
    what = "相邻" if model is BuildingAdjacency else "小区相邻"
    _audit_adjacency(
        _where(low), actor, f"设置{what}：{place_name(low)}—{place_name(high)}", request
    )
    return created


def _remove_pair(
    model: type[Pair],
    first: Building | Compound,
    second: Building | Compound,
    actor: User | None,
    request: HttpRequest | None,
) -> None:
    low, high = sorted([first, second], key=lambda place: place.pk)
    _lock(low)
    deleted, _ = model.objects.filter(**{"first": low, "second": high}).delete()
    buildings = model is BuildingAdjacency
    if not deleted:
        raise ValidationError(
            {"second": MSG_NOT_ADJACENT if buildings else MSG_COMPOUNDS_NOT_ADJACENT}
        )
    what = "相邻" if buildings else "小区相邻"
    _audit_adjacency(
        _where(low), actor, f"取消{what}：{place_name(low)}—{place_name(high)}", request
    )


@transaction.atomic
def adjacency_add(
    *,
    first: Building,
    second: Building,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> BuildingAdjacency:
    """Record that two buildings of one compound are neighbours (idempotent)."""
    return _add_pair(BuildingAdjacency, first, second, actor, request)  # type: ignore[return-value]  # of the model given


@transaction.atomic
def adjacency_remove(
    *, first: Building, second: Building, actor: User | None, request: HttpRequest | None = None
) -> None:
    """Two buildings are no longer neighbours; refused when they were not."""
    _remove_pair(BuildingAdjacency, first, second, actor, request)


@transaction.atomic
def compound_adjacency_add(
    *, first: Compound, second: Compound, actor: User | None, request: HttpRequest | None = None
) -> CompoundAdjacency:
    """Two compounds of one area side by side (joint Party branches form over it; idempotent)."""
    return _add_pair(CompoundAdjacency, first, second, actor, request)  # type: ignore[return-value]  # of the model given


@transaction.atomic
def compound_adjacency_remove(
    *, first: Compound, second: Compound, actor: User | None, request: HttpRequest | None = None
) -> None:
    _remove_pair(CompoundAdjacency, first, second, actor, request)


def area_compound_edges(area: Area) -> set[layout.Edge]:
    rows = CompoundAdjacency.objects.filter(first__area=area).values_list("first_id", "second_id")
    return {layout.edge(str(first), str(second)) for first, second in rows}


def compound_blocks(compound: Compound) -> list[layout.Block]:
    return [
        layout.Block(id=str(pk), number=number, stairwell=stairwell)
        for pk, number, stairwell in Building.objects.filter(compound=compound).values_list(
            "pk", "number", "stairwell"
        )
    ]


def _stored_edges(compound: Compound) -> dict[layout.Edge, int]:
    """The compound's building pairs, each with the primary key of its row."""
    rows = BuildingAdjacency.objects.filter(
        Q(first__compound=compound) | Q(second__compound=compound)
    ).values_list("pk", "first_id", "second_id")
    return {layout.edge(str(first), str(second)): pk for pk, first, second in rows}


def compound_edges(compound: Compound) -> set[layout.Edge]:
    return set(_stored_edges(compound))


def edges_fingerprint(edges: set[layout.Edge]) -> str:
    text = ";".join(f"{a}-{b}" for a, b in sorted(edges))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_row_length(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_ROW_LENGTH:
        raise ValidationError({"row_length": MSG_ROW_LENGTH})
    return value


def adjacency_proposal(
    compound: Compound, row_length: int | None, *, current: set[layout.Edge] | None = None
) -> AdjacencyProposal:
    """The adjacency the building numbers suggest, against today's (`current`, read when not
    given); nothing is written."""
    check_row_length(row_length)
    if current is None:
        current = compound_edges(compound)
    planned = layout.propose(compound_blocks(compound), row_length)
    return AdjacencyProposal(
        layout=planned,
        diff=layout.diff(current, planned.edges),
        fingerprint=edges_fingerprint(current),
    )


@transaction.atomic
def adjacency_apply(
    *,
    compound: Compound,
    row_length: int | None,
    fingerprint: str,
    actor: User | None,
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> layout.Diff:
    """Make the compound's adjacency the proposal's, if it is still the one it was read
    against (`fingerprint`); the party network changes only when its own proposal is applied."""
    _lock_compound(compound.pk)
    stored = _stored_edges(compound)
    proposal = adjacency_proposal(compound, row_length, current=set(stored))
    if proposal.fingerprint != fingerprint:
        raise AdjacencyChanged
    change = proposal.diff
    if change.removed:
        # By primary key: one OR per pair would overflow SQLite's expression depth (1,000)
        # on a large estate.
        BuildingAdjacency.objects.filter(pk__in=[stored[pair] for pair in change.removed]).delete()
    BuildingAdjacency.objects.bulk_create(
        [
            BuildingAdjacency(first_id=min(int(a), int(b)), second_id=max(int(a), int(b)))
            for a, b in change.added
        ]
    )
    _audit_adjacency(
        compound,
        actor,
        f"按楼号生成相邻关系（每排 {proposal.layout.row_length} 幢）：新增 {len(change.added)}，"
        f"取消 {len(change.removed)}，保留 {len(change.kept)}",
        request,
        actor_name,
    )
    return change
