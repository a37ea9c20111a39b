"""Writes of the overview: a subdistrict admin opening an area's personal data for a while."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.access import forget_scope
from jinlin.core.audit import audit
from jinlin.core.models import AreaOpening, AuditEvent, User
from jinlin.places.models import Area


@transaction.atomic
def open_area(user: User, area: Area, reason: str, request: HttpRequest | None = None) -> int:
    """Open the area's personal data to the user for AREA_OPENING_HOURS, audited with the
    reason; returns the hours. The user's cached scope is forgotten so the opening counts now."""
    hours: int = settings.JINLIN["AREA_OPENING_HOURS"]
    AreaOpening.objects.create(
        user=user, area=area, reason=reason, expires_at=timezone.now() + timedelta(hours=hours)
    )
    audit(
        actor=user,
        action=AuditEvent.Action.OPEN_AREA,
        object_type="area",
        object_id=area.pk,
        reason=reason,
        request=request,
        area_id=area.pk,
    )
    forget_scope(user)
    return hours
