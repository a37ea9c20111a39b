from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jinlin.core.admin import AreaScopedAdmin
from jinlin.people import access
from jinlin.people.catalogue import sensitive_q
from jinlin.people.models import GroupDefinition, GroupMembership, Resident

# Fields the admin neither shows nor filters on: in the product they are masked and each look
# is audited (docs/security.md). A lookup on them in the admin's query string would be a
# search oracle (`?id_number__startswith=…`), and their values an unaudited unmask.
HIDDEN_FIELDS = ("id_number", "phone", "phone_tail", "birth_date", "health", "health_notes")


def _touches_hidden_field(lookup: str) -> bool:
    return any(part in HIDDEN_FIELDS for part in lookup.split("__"))


@admin.register(Resident)
class ResidentAdmin(AreaScopedAdmin, SimpleHistoryAdmin):
    scope_queryset = access.visible_residents
    list_display = ("name", "gender", "household", "status")
    list_filter = ("status", "political_status")
    search_fields = ("name", "name_pinyin")
    raw_id_fields = ("household",)
    # ID numbers, phones and health are edited through the product's forms, which mask them.
    exclude = HIDDEN_FIELDS

    def lookup_allowed(self, lookup, value, request=None):
        return not _touches_hidden_field(lookup) and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False  # residents are registered through the product's form (ID checked, masked)


@admin.register(GroupDefinition)
class GroupDefinitionAdmin(SimpleHistoryAdmin):
    """群体类别 for the operator to read: made, edited and retired on the product's pages
    (people.group_views), which check who may; never deleted."""

    list_display = ("label", "code", "is_sensitive", "visit_days", "area", "subdistrict")
    list_filter = ("is_sensitive", "category")
    readonly_fields = [field.name for field in GroupDefinition._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GroupMembership)
class GroupMembershipAdmin(AreaScopedAdmin, SimpleHistoryAdmin):
    """Memberships of the groups that are not sensitive; the sensitive ones are listed only by
    the product's pages, which audit each look (people.sensitive)."""

    scope_queryset = access.visible_memberships
    list_display = ("resident", "group", "source", "since", "ended_on")
    list_filter = ("group", "source")
    raw_id_fields = ("resident", "household", "set_by")

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(sensitive_q())

    def lookup_allowed(self, lookup, value, request=None):
        return not _touches_hidden_field(lookup) and super().lookup_allowed(lookup, value, request)
