"""Admin of fieldwork: settings (intervals, collection points) editable; records read-only.

Records change only through the parts' services (the root-cause gate, derived status, timeline), so
the admin shows them and never writes them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinlin.core.admin import AreaScopedAdmin
from jinlin.fieldwork import access
from jinlin.fieldwork.cases.selectors import visible_cases
from jinlin.fieldwork.concerns.selectors import visible_concerns
from jinlin.fieldwork.models import (
    Case,
    CaseAction,
    CaseEvent,
    CollectionPoint,
    Concern,
    Finding,
    Patrol,
    RecordProposal,
    Visit,
    VisitInterval,
)
from jinlin.fieldwork.patrols.selectors import (
    visible_collection_points,
    visible_findings,
    visible_patrols,
)
from jinlin.fieldwork.visits.selectors import visible_proposals, visible_visits


@admin.register(VisitInterval)
class VisitIntervalAdmin(AreaScopedAdmin):
    scope_queryset = staticmethod(
        lambda user: VisitInterval.objects.filter(area_id__in=access.fieldwork_scope(user).area_ids)
    )
    list_display = ("area", "group", "days", "set_by", "set_at")
    list_filter = ("group",)
    readonly_fields = ("set_by", "set_at")


@admin.register(CollectionPoint)
class CollectionPointAdmin(AreaScopedAdmin):
    scope_queryset = visible_collection_points
    list_display = ("name", "compound", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("area", "compound")


class ReadOnlyAdmin(AreaScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseActionInline(admin.TabularInline):
    model = CaseAction
    extra = 0
    can_delete = False
    fields = ("description", "owner", "due_on", "done_at", "done_note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor", "text")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    scope_queryset = visible_cases
    list_display = ("title", "status", "subcategory", "owner", "opened_at", "closed_at")
    list_filter = ("status", "scope", "subcategory")
    search_fields = ("title",)
    inlines = [CaseActionInline, CaseEventInline]


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    scope_queryset = visible_concerns
    list_display = ("received_at", "channel", "scope", "subcategory", "urgency", "compound")
    list_filter = ("channel", "scope", "subcategory", "urgency")
    # A resident's callback phone is unmasked on the concern's page only, with a reason.
    exclude = ("callback_phone",)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    scope_queryset = visible_visits
    list_display = ("visited_on", "household", "worker", "mode", "condition")
    list_filter = ("mode", "condition")


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin):
    scope_queryset = visible_patrols
    list_display = ("patrolled_on", "compound", "worker")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    scope_queryset = visible_findings
    list_display = ("found_on", "category", "place", "severity", "compound")
    list_filter = ("kind", "category", "severity")


@admin.register(RecordProposal)
class RecordProposalAdmin(ReadOnlyAdmin):
    scope_queryset = visible_proposals
    list_display = ("proposed_at", "resident", "field", "status", "proposed_by", "decided_by")
    list_filter = ("status", "field")
    exclude = ("value",)  # may hold a phone number or health; decided in the product, masked
