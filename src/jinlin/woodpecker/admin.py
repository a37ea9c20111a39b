"""Admin of the woodpecker programme: the catalogue editable; reports, awards and the ledger
read-only (they change only through services.py, which keeps the judging rules and the audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinlin.woodpecker.models import (
    Article,
    Award,
    Issue,
    LedgerEntry,
    Page,
    Publication,
    Report,
    Round,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["publication", "number", "published_on", "round"]
    list_filter = ["publication"]


@admin.register(Page)
class PageAdmin(ReadOnlyAdmin):
    list_display = ["issue", "number", "name"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "page", "author", "section"]
    search_fields = ["title"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["label", "deadline", "confirmed_at"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "submitted_at", "issue", "status", "points"]
    list_filter = ["status", "round"]
    search_fields = ["receipt"]
    list_select_related = ["issue__publication"]
    exclude = ["contact", "contact_key", "client_key"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["round", "kind", "position", "display_name", "points"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["award", "handed_over_on", "received_by", "cash_yuan", "souvenir"]
