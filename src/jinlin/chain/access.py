"""What a network member (党员, 楼组长, volunteer on their own phone) may see: its own households.

A member's households are those it is the current Party contact of (party.HouseholdContact)
and every household of the buildings it looks after (User.chain_buildings). Nothing else: a
network member has no personal scope (core.access), so every registry, fieldwork and Party
page answers 404 to it; the chain's own pages start from `member_households`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jinlin.core.models import Role, User
from jinlin.places.models import Household

MSG_NOT_YOURS = "没有找到该户"


def is_network_member(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.NETWORK_MEMBER


def network_member_or_404(user: User) -> User:
    """The user, when it is a network member; the chain's own pages are a 404 to anyone else."""
    if not is_network_member(user):
        raise Http404(MSG_NOT_YOURS)
    return user


def member_households(user: User) -> QuerySet[Household]:
    """The households this member contacts or whose building it looks after."""
    if not is_network_member(user):
        return Household.objects.none()
    condition = Q(building__in=user.chain_buildings.all())
    if user.party_member_id is not None:
        condition |= Q(
            party_contacts__member_id=user.party_member_id,
            party_contacts__ended_on__isnull=True,
        )
    return Household.objects.filter(condition).distinct()


def member_household(user: User, household_id: int) -> Household:
    """One of the member's households, or 404 (never 403: it does not learn the house exists)."""
    try:
        return member_households(user).select_related("building__compound").get(pk=household_id)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NOT_YOURS) from None
