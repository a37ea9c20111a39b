"""Django admin: for superusers, and for the area secretary limited to its own area."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from jinlin.core.models import ApiToken, AuditEvent, Role, User
from jinlin.core.services import token_revoke

admin.site.site_header = "近邻 Jinlin 管理"
admin.site.site_title = "近邻管理"
admin.site.index_title = "数据维护"


class AreaScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; the area secretary sees what core.access lets it see."""

    scope_queryset: Any = None  # a function (user) -> QuerySet, from places.access or people.access
    allow_delete = False

    def _is_secretary(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and getattr(user, "role", "") == Role.AREA_SECRETARY
        )

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or self.scope_queryset is None:
            return queryset
        allowed = type(self).scope_queryset(request.user).values("pk")
        return queryset.filter(pk__in=allowed)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_secretary(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or self._is_secretary(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or self._is_secretary(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._is_secretary(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allow_delete and (request.user.is_superuser or self._is_secretary(request))


@admin.register(User)
class JinlinUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "角色与范围",
            {
                "fields": (
                    "role",
                    "display_name",
                    "subdistrict",
                    "area",
                    "patch_compounds",
                    "patch_buildings",
                    "party_organisation",
                )
            },
        ),
    )
    list_display = ("username", "display_name", "role", "area", "is_active")
    list_filter = ("role", "is_active")
    filter_horizontal = ("patch_compounds", "patch_buildings")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # core/signals.py audits role and patch changes; this tells it who made them.
        obj._audit_request = request  # type: ignore[attr-defined]  # kept on the instance
        super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, and `jinlin audit prune` is its only deletion."""

    list_display = ("at", "actor_name", "action", "object_type", "object_id", "reason", "ip")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `jinlin token`; here they can only be seen and revoked (audited)."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="撤销所选令牌")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        count = sum(
            token_revoke(token=token, actor=request.user, request=request)  # type: ignore[arg-type]  # the admin is behind login
            for token in queryset.select_related("user")
        )
        self.message_user(request, f"已撤销 {count} 个令牌")
