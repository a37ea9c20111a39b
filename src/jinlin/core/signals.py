"""What goes into the audit log by itself: logins (success, failure, lockout) and every change of
a staff account's role or reach, whoever makes it (admin, a service, the shell).

Usernames only, never a password. A change made through the admin carries the admin's request
(`instance._audit_request`, set in core/admin.py) so the actor and address are known.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Field
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User

# The fields that decide what an account may see or do.
REACH_FIELDS = (
    "role",
    "area",
    "subdistrict",
    "party_organisation",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _area_of(username: str) -> int | None:
    return User.objects.filter(username=username).values_list("area_id", flat=True).first()


@receiver(user_logged_in)
def _logged_in(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    audit(actor=user, action=AuditEvent.Action.LOGIN, request=request, area_id=user.area_id)


@receiver(user_login_failed)
def _login_failed(
    sender: type, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    # django-axes (an earlier app) has already run: it flags a request refused because of a
    # lockout, and counts failures only for the others.
    locked = bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )
    audit(
        actor=None,
        actor_name=username,
        action=AuditEvent.Action.LOGIN_FAILED,
        reason="账号或本机已锁定" if locked else "",
        request=request,
        area_id=_area_of(username),
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return  # a further attempt during a lockout: already logged as a failed login
    name = str(username or "")[:150]
    audit(
        actor=None,
        actor_name=name,
        action=AuditEvent.Action.LOCKOUT,
        reason=f"连续 {failures} 次登录失败后锁定",
        request=request,
        area_id=_area_of(name),
    )


# --- role and reach of staff accounts -------------------------------------------------------

_SKIP = "skip"


def _field(name: str) -> Field[Any, Any]:
    field = User._meta.get_field(name)
    assert isinstance(field, Field)  # the reach fields are the user's own columns
    return field


def _attribute(name: str) -> str:
    return _field(name).attname  # area → area_id


def _reach(user: User) -> dict[str, Any]:
    return {name: getattr(user, _attribute(name)) for name in REACH_FIELDS}


def _reach_defaults() -> dict[str, Any]:
    return {name: _field(name).get_default() for name in REACH_FIELDS}


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _actor(instance: User) -> tuple[Any, Any]:
    request = getattr(instance, "_audit_request", None)
    actor = getattr(request, "user", None) if request is not None else None
    return actor, request


@receiver(pre_save, sender=User)
def _remember_reach(sender: type, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    watched = {*REACH_FIELDS, *(_attribute(name) for name in REACH_FIELDS)}
    if update_fields is not None and not watched & set(update_fields):
        instance._reach_before = _SKIP  # type: ignore[attr-defined]  # last_login, password…
        return
    old = None if instance._state.adding else User.objects.filter(pk=instance.pk).first()
    instance._reach_before = _reach(old) if old is not None else _reach_defaults()  # type: ignore[attr-defined]  # kept on the instance


@receiver(post_save, sender=User)
def _audit_reach(sender: type, instance: User, created: bool, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_reach_before", _SKIP)
    if before == _SKIP:
        return
    after = _reach(instance)
    changed = [name for name in REACH_FIELDS if before[name] != after[name]]
    if not changed:
        return
    actor, request = _actor(instance)
    summary = "；".join(
        f"{name}: {_shown(before[name])} → {_shown(after[name])}" for name in changed
    )
    audit(
        actor=actor,
        action=AuditEvent.Action.ROLE_CHANGE,
        object_type="user",
        object_id=instance.pk,
        fields=changed,
        reason=("新建账号；" if created else "") + summary,
        request=request,
        area_id=instance.area_id or before["area"],
    )


def _audit_patch(field: str):
    def receiver_(sender: type, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
        if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(
            instance, User
        ):
            return
        if action != "post_clear" and not pk_set:
            return
        actor, request = _actor(instance)
        verb = {"post_add": "加入", "post_remove": "移出", "post_clear": "清空"}[action]
        ids = "、".join(str(pk) for pk in sorted(pk_set or ()))
        audit(
            actor=actor,
            action=AuditEvent.Action.ROLE_CHANGE,
            object_type="user",
            object_id=instance.pk,
            fields=[field],
            reason=f"{field}: {verb} {ids}".strip(),
            request=request,
            area_id=instance.area_id,
        )

    return receiver_


_patch_compounds_changed = _audit_patch("patch_compounds")
_patch_buildings_changed = _audit_patch("patch_buildings")
_groups_changed = _audit_patch("groups")
m2m_changed.connect(_patch_compounds_changed, sender=User.patch_compounds.through)
m2m_changed.connect(_patch_buildings_changed, sender=User.patch_buildings.through)
m2m_changed.connect(_groups_changed, sender=User.groups.through)
