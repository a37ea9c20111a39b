"""What the Party writes share: the refusals every part gives and the actor's name in history."""

from __future__ import annotations

from jinlin.core.models import User

MSG_NOT_ALLOWED = "您无权进行此操作"
MSG_ORGANISATION_DISSOLVED = "该党组织已撤销"


def actor_label(actor: User | None, actor_name: str) -> str:
    if actor_name:
        return actor_name
    return actor.username if actor is not None and actor.is_authenticated else ""
