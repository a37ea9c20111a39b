from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jinlin.core import access
from jinlin.core.admin import AreaScopedAdmin
from jinlin.people.models import GroupMembership, Resident


@admin.register(Resident)
class ResidentAdmin(AreaScopedAdmin, SimpleHistoryAdmin):
    scope_queryset = access.visible_residents
    list_display = ("name", "gender", "household", "status")
    list_filter = ("status", "political_status")
    search_fields = ("name", "name_pinyin")
    raw_id_fields = ("household",)
    # ID numbers and phones are edited through the product's forms, which mask them.
    exclude = ("id_number",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # residents are registered through the product's form (ID checked, masked)


@admin.register(GroupMembership)
class GroupMembershipAdmin(AreaScopedAdmin, SimpleHistoryAdmin):
    scope_queryset = access.visible_memberships
    list_display = ("resident", "group", "source", "since", "ended_on")
    list_filter = ("group", "source")
    raw_id_fields = ("resident", "household", "set_by")
