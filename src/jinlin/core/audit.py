"""Writing the audit log: who, what, which records, when, from where, why. No personal data."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.access import can_manage_area
from jinlin.core.auditwords import field_label
from jinlin.core.models import AuditEvent, Role, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, for the audit log and for the per-client login lockout.

    Behind JINLIN_TRUSTED_PROXIES reverse proxies (nginx in front of gunicorn: 1), the address
    is the one the nearest proxy appended to X-Forwarded-For; entries further left were sent by
    the client and are not trusted.
    """
    if request is None:
        return None
    hops = settings.JINLIN["TRUSTED_PROXIES"]
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            try:
                return str(ipaddress.ip_address(forwarded[-hops]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def audit(
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    fields: Iterable[str] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    area_id: int | None = None,
    actor_name: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name
        or (actor.username if actor is not None and actor.is_authenticated else ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        fields=list(fields),
        reason=reason[:200],
        ip=client_ip(request),
        area_id=area_id,
    )


# --- reading the log ----------------------------------------------------------------------


def update_audited(instance: Model, changes: Mapping[str, Any], **event: Any) -> AuditEvent:
    """Set `changes` on the instance, save only those fields, and record the audit `event`
    (the keywords of `audit`) in the same transaction: the one shape of every audited edit."""
    with transaction.atomic():
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(changes))
        return audit(**event)


def audit_scope(user: User) -> QuerySet[AuditEvent] | None:
    """The events a user may search: its own area's for the area secretary, all for a superuser;
    None for everybody else (the page answers 404)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return AuditEvent.objects.all()
    if user.role == Role.AREA_SECRETARY and user.area_id:
        return AuditEvent.objects.filter(area_id=user.area_id)
    return None


def resident_lookups(*, user: User, resident, limit: int = 20):
    """Who looked at me: the unmask events of one resident, for the secretary of its area
    (and superusers); None for anybody else, who must not even learn that it exists."""
    if not can_manage_area(user, resident.area_id):
        return None
    events = list(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.UNMASK, object_type="resident", object_id=str(resident.pk)
        ).select_related("actor")[:limit]
    )
    for event in events:
        event.field_labels = [field_label(name) for name in event.fields]  # type: ignore[attr-defined]  # shown by the template
    return events


# --- retention ----------------------------------------------------------------------------


def audit_prune(*, now: datetime | None = None, dry_run: bool = False) -> tuple[int, datetime]:
    """Delete events older than JINLIN_AUDIT_RETENTION_DAYS (180 or more).

    This is the only deletion of audit events anywhere: AuditEvent and its queryset refuse
    delete(), so this calls Django's plain QuerySet.delete on purpose. The pruning itself is
    written to the log.
    """
    days = settings.JINLIN["AUDIT_RETENTION_DAYS"]
    if days < settings.AUDIT_RETENTION_MINIMUM_DAYS:
        raise ValueError(f"audit retention must be {settings.AUDIT_RETENTION_MINIMUM_DAYS}+ days")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = AuditEvent.objects.filter(at__lt=cutoff)
    if dry_run:
        return old.count(), cutoff
    with transaction.atomic():
        deleted, _ = models.QuerySet.delete(old)
        audit(
            actor=None,
            actor_name="jinlin audit prune",
            action=AuditEvent.Action.AUDIT_PRUNE,
            reason=f"删除 {deleted} 条 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 之前的审计记录（保留 {days} 天）",
        )
    return deleted, cutoff
